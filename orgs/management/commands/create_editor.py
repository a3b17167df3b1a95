"""Create a staff account in the Editor or Reviewer group, and print its password once."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Where `make run` serves the admin; another server passes its own with --url.
ADMIN_URL = "http://127.0.0.1:8000/admin/"
# Created with their permissions by migration orgs 0005: editors write drafts, reviewers also
# publish, unpublish and delete.
GROUPS = ["Editor", "Reviewer"]


class Command(BaseCommand):
    help = "Create a staff (not superuser) account in the Editor or Reviewer group."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument(
            "--group",
            default="Editor",
            choices=GROUPS,
            help="Editor (writes drafts) or Reviewer (also publishes and deletes).",
        )
        parser.add_argument(
            "--url",
            default=ADMIN_URL,
            help=f"The admin's address to print for logging in (default {ADMIN_URL}).",
        )

    @transaction.atomic
    def handle(self, *args, username, group, url, **options):
        team = Group.objects.filter(name=group).first()
        if team is None:
            raise CommandError(f"There is no {group} group: run `manage.py migrate` first.")

        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None:
            user.groups.add(team)
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            self.stdout.write(
                f"User “{username}” already exists; password unchanged. Group: {group}."
            )
            return

        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(team)
        self.stdout.write(
            f"Created {group.lower()} “{username}” (group {group}).\n"
            f"Password: {password}\n"
            "It is shown only this once.\n"
            f"Log in at {url}"
        )
