"""Write a snapshot of the published atlas to SNAPSHOT_DIR: ``atlas-<day>.zip`` and
``atlas-latest.zip`` (a Frictionless Data Package with NDJSON and SQLite; see orgs.snapshot)."""

from django.core.management.base import BaseCommand

from orgs.snapshot.build import snapshot_write


class Command(BaseCommand):
    help = "Write today's snapshot of the published atlas and make it the latest."

    def handle(self, *args, **options):
        path = snapshot_write()
        self.stdout.write(f"{path} ({path.stat().st_size // 1024} KiB)")
