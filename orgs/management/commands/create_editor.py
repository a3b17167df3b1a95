"""Create a staff account that can curate the atlas in the admin, once."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q

ADMIN_URL = "http://127.0.0.1:8000/admin/"
DELETABLE_MODELS = ["membership", "application", "citation", "quote"]


def editor_permissions():
    """Add, change and view on every atlas model, view on their history, delete on claims."""
    orgs = Permission.objects.filter(content_type__app_label="orgs")
    curated = Q(codename__regex=r"^(add|change|view)_") & ~Q(
        content_type__model__startswith="historical"
    )
    history = Q(codename__startswith="view_historical")
    deletable = Q(codename__in=[f"delete_{model}" for model in DELETABLE_MODELS])
    return orgs.filter(curated | history | deletable)


class Command(BaseCommand):
    help = "Create a staff (not superuser) editor account with the Editor group's permissions."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument(
            "--group", default="Editor", help="Group to grant (created if missing)."
        )

    @transaction.atomic
    def handle(self, *args, username, group, **options):
        editors, _ = Group.objects.get_or_create(name=group)
        editors.permissions.add(*editor_permissions())

        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None:
            user.groups.add(editors)
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            self.stdout.write(
                f"User “{username}” already exists; password unchanged. Group: {group}."
            )
            return

        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(editors)
        self.stdout.write(
            f"Created editor “{username}” (group {group}).\n"
            f"Password: {password}\n"
            "It is shown only this once.\n"
            f"Log in at {ADMIN_URL}"
        )
