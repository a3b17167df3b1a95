"""The Editor and Reviewer groups, and the permission to publish each kind of claim.

Model permissions are normally created by post_migrate, after all migrations ran: on a fresh
database they do not exist yet, so this migration creates the rows it grants (the same rows
post_migrate would create; it skips those that exist). Running it again changes nothing.
"""

from django.db import migrations

# Every record that has a published state (subclasses of orgs.models.Claim).
CLAIM_MODELS = [
    "country",
    "organization",
    "person",
    "source",
    "membership",
    "application",
    "quote",
    "agreement",
    "agreementstage",
    "event",
    "proposal",
]
# Rows that live inside another record's form: an editor removes a wrong one there.
EDITOR_DELETABLE = ["citation", "agreementparty", "eventparticipant"]
BASIC_ACTIONS = ["add", "change", "delete", "view"]


def orgs_models(apps):
    return [model for model in apps.get_app_config("orgs").get_models()]


def ensure_permissions(apps):
    """Create the default and publish permissions of every orgs model; return them by codename."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    by_codename = {}
    for model in orgs_models(apps):
        opts = model._meta
        content_type, _ = ContentType.objects.get_or_create(
            app_label=opts.app_label, model=opts.model_name
        )
        wanted = [
            (f"{action}_{opts.model_name}", f"Can {action} {opts.verbose_name_raw}")
            for action in BASIC_ACTIONS
        ]
        if opts.model_name in CLAIM_MODELS:
            wanted.append(
                (
                    f"publish_{opts.model_name}",
                    f"Can publish and unpublish {opts.verbose_name_raw}",
                )
            )
        for codename, name in wanted:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name[:255]}
            )
            by_codename[codename] = permission
    return by_codename


def editor_codenames(codenames):
    granted = set()
    for codename in codenames:
        action, _, model = codename.partition("_")
        if model.startswith("historical"):
            if action == "view":
                granted.add(codename)  # see history, never edit it directly
            continue
        if action in {"add", "change", "view"}:
            granted.add(codename)
        elif action == "delete" and model in EDITOR_DELETABLE:
            granted.add(codename)
    return granted


def reviewer_codenames(codenames):
    granted = editor_codenames(codenames)
    for codename in codenames:
        action, _, model = codename.partition("_")
        if model.startswith("historical"):
            continue
        if action in {"publish", "delete"}:
            granted.add(codename)
    return granted


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = ensure_permissions(apps)
    for name, codenames in [
        ("Editor", editor_codenames(permissions)),
        ("Reviewer", reviewer_codenames(permissions)),
    ]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*[permissions[codename] for codename in sorted(codenames)])


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name__in=["Editor", "Reviewer"]).delete()
    Permission.objects.filter(
        content_type__app_label="orgs", codename__startswith="publish_"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_organization_proposed_by_country"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
