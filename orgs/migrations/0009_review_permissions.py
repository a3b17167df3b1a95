"""Reviewers approve or reject change sets; Editors see theirs.

Like 0005, this creates the permission rows it grants (post_migrate has not run yet on a fresh
database) and skips those that exist, so running it again changes nothing.
"""

from django.db import migrations

GRANTS = {
    "Editor": ["view_changeset"],
    "Reviewer": ["view_changeset", "review_changeset"],
}
NAMES = {
    "view_changeset": "Can view change set",
    "review_changeset": "Can approve or reject change sets",
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="orgs", model="changeset")
    for group_name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": NAMES[codename]}
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group_name, codenames in GRANTS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            group.permissions.remove(*group.permissions.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0008_review_change_sets"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
