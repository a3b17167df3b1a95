"""Count the members of each organization by status into the summary the pages read."""

from django.core.management.base import BaseCommand

from orgs.services.member_counts import refresh_member_counts, stale_organization_ids


class Command(BaseCommand):
    help = (
        "Count today's members of the organizations whose member counts summary no longer "
        "holds (a spell started or ended since they were counted, or they never were), or of "
        "every organization with --all. Pages stay right without it (they count such an "
        "organization live); run it daily to keep them fast."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            dest="everything",
            action="store_true",
            help="Recount every organization, not only the stale.",
        )

    def handle(self, *args, everything: bool, **options):
        ids = None if everything else stale_organization_ids()
        counted = refresh_member_counts(ids)
        self.stdout.write(f"Counted the members of {counted} organizations.")
