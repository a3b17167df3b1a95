"""Bring in the memberships a kept dataset holds, as an editor's import file would.

    python manage.py import_dataset un-members --user NAME            # preview
    python manage.py import_dataset un-members --user NAME --commit   # write

The rows go through the admin's membership and citation imports for ``--user``: a preview
first (nothing is written without ``--commit``); new spells and their citations are drafts
that a Reviewer publishes; a change to a published spell waits for review in a change set. The
dataset is cited as a source of kind "dataset", added as a draft when the atlas lacks it.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from orgs.admin.imports import CitationResource, MembershipResource
from orgs.models import Organization, Source
from orgs.services.datasets import DATASETS, dataset_rows


class Command(BaseCommand):
    help = "Import the memberships a kept dataset holds (un-members: the 193 UN member states)."

    def add_arguments(self, parser):
        parser.add_argument("dataset", choices=sorted(DATASETS))
        parser.add_argument("--user", required=True, help="The editor the import is made by.")
        parser.add_argument(
            "--commit", action="store_true", help="Write the rows; without it, only a preview."
        )

    def handle(self, *args, **options):
        dataset = DATASETS[options["dataset"]]
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None or not user.is_staff:
            raise CommandError(f"No staff account is called {options['user']!r}.")
        if not Organization.objects.filter(slug=dataset.organization).exists():
            raise CommandError(f"The atlas has no organization {dataset.organization!r}.")
        spells, citations = dataset_rows(dataset)
        file_name = f"the {options['dataset']} dataset"
        commit = options["commit"]
        with transaction.atomic():
            source, created = Source.objects.get_or_create(
                key=dataset.source_key, defaults=dataset.source_fields()
            )
            if created:
                source._history_user = user
            results = []
            for resource, rows in ((MembershipResource(), spells), (CitationResource(), citations)):
                # The citations need the spells: a preview writes both and rolls them back.
                result = resource.import_data(rows, dry_run=False, user=user, file_name=file_name)
                results.append((resource, result))
                if result.problems:
                    break
            problems = [p for _, result in results for p in result.problems]
            for problem in problems[:20]:
                self.stderr.write(f"line {problem.line}: {problem.column} {problem.message}")
            if problems or not commit:
                transaction.set_rollback(True)
        for resource, result in results:
            totals = ", ".join(f"{name} {count}" for name, count in result.totals.items() if count)
            self.stdout.write(f"{resource._meta.name}: {totals or 'nothing'}.")
        if problems:
            raise CommandError(f"{len(problems)} problems: nothing was written.")
        if not commit:
            self.stdout.write("Preview only: run again with --commit to write these rows.")
            return
        sets = [s for _, result in results for s in result.change_sets]
        self.stdout.write(
            self.style.SUCCESS(
                f"Written as drafts for a Reviewer to publish; {len(sets)} change sets wait "
                "for review."
            )
        )
