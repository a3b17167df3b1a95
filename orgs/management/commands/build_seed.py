"""Build the seed fixture (``fixtures/seed.json``) from the compiled reference facts.

    python manage.py build_seed --facts path/to/facts.json \
        --facts-update path/to/facts-2025h2.json

Each ``--facts-update`` is a cited update of the facts (new records, and changes that name the
values they replace), applied in the order given before the fixture is built.

The output is deterministic: same facts, same bytes. The records are built by ``orgs.seed``,
which also reads the seed article to check that every excerpt attributed to it occurs there
word for word.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orgs.seed.builder import SeedBuilder
from orgs.seed.fixture import write_fixture
from orgs.seed.reference import Article, SeedError, find_article, read_facts
from orgs.seed.update import apply_update


class Command(BaseCommand):
    help = "Convert the reference facts (facts.json) into the seed fixture fixtures/seed.json."

    def add_arguments(self, parser):
        parser.add_argument("--facts", required=True, help="Path to facts.json.")
        parser.add_argument(
            "--facts-update",
            action="append",
            default=[],
            metavar="PATH",
            help="A cited update of the facts (facts-2025h2.json) to apply on top; may be given "
            "more than once, applied in order.",
        )
        parser.add_argument(
            "--article",
            help="Path to the seed article text (default: the file facts.json names, "
            "looked up beside facts.json and one folder up).",
        )
        parser.add_argument(
            "--names-ru",
            metavar="PATH",
            help="The organizations' Russian names and abbreviations, keyed by the facts' ids "
            "(default: names-ru.json beside facts.json; without it the seed has no Russian "
            "names).",
        )
        parser.add_argument(
            "--output",
            help="Where to write the fixture (default: fixtures/seed.json in the project).",
        )

    def handle(self, *args, **options):
        try:
            self.build(options)
        except SeedError as error:
            raise CommandError(str(error)) from None

    def build(self, options):
        facts_path = Path(options["facts"])
        facts = read_facts(facts_path)
        for update_path in options["facts_update"]:
            facts = apply_update(facts, read_facts(Path(update_path)))
        article_path = (
            Path(options["article"]) if options["article"] else find_article(facts_path, facts)
        )
        if article_path is None or not article_path.is_file():
            raise SeedError(
                "The seed article was not found; pass --article PATH so excerpts can be checked."
            )
        article = Article(article_path.read_text(encoding="utf-8"))
        names_path = (
            Path(options["names_ru"])
            if options.get("names_ru")
            else facts_path.with_name("names-ru.json")
        )
        if options.get("names_ru") or names_path.is_file():
            names_ru = read_facts(names_path)
        else:
            names_ru = {}
            self.stderr.write(
                self.style.WARNING(f"No Russian names at {names_path}; the seed has none.")
            )
        records = SeedBuilder(facts, article, names_ru).build()
        for excerpt, sentence in article.replaced:
            self.stderr.write(
                self.style.WARNING(
                    f"Not verbatim in the article: {excerpt!r}; cited its closest sentence "
                    f"{sentence!r} instead."
                )
            )
        output = (
            Path(options["output"])
            if options["output"]
            else (Path(settings.BASE_DIR) / "fixtures" / "seed.json")
        )
        self.stdout.write(self.style.SUCCESS(write_fixture(records, output)))
