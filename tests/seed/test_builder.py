"""``orgs.seed`` turns the reference facts into fixtures/seed.json, checking them as it goes."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from orgs.seed.fixture import Fixture
from orgs.seed.reference import Article, SeedError, id_number, partial

FIXTURE = Path(settings.BASE_DIR) / "fixtures/seed.json"
FACTS = Path(settings.BASE_DIR).parent / "shared/reference/facts.json"


@pytest.mark.slow
def test_rebuilding_from_the_reference_facts_gives_the_committed_fixture(tmp_path):
    if not FACTS.is_file():
        pytest.skip(f"reference facts not found at {FACTS} (shared/ beside the repository)")
    output = tmp_path / "seed.json"
    call_command(
        "build_seed",
        facts=str(FACTS),
        # The late-2025 update is applied on top (issue 14).
        facts_update=[str(FACTS.with_name("facts-2025h2.json"))],
        output=str(output),
        stdout=io.StringIO(),
    )
    assert output.read_bytes() == FIXTURE.read_bytes()


def test_the_command_says_when_the_facts_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="No facts file at"):
        call_command("build_seed", facts=str(tmp_path / "facts.json"))


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        ("2024", None, ("2024-01-01", "year")),
        ("2024-07", None, ("2024-07-01", "month")),
        ("2024-07-04", None, ("2024-07-04", "day")),
        ("2024-07-04", "as_of", ("2024-07-04", "by")),
        ("2024", "unknown", (None, "day")),
        (None, None, (None, "day")),
    ],
)
def test_a_facts_date_becomes_its_earliest_day_and_precision(value, precision, expected):
    assert partial(value, precision) == expected


@pytest.mark.parametrize(
    ("value", "precision"), [("2024-7-4", None), ("2024", "day"), ("2024", "month")]
)
def test_a_facts_date_that_cannot_have_its_precision_is_refused(value, precision):
    with pytest.raises(SeedError):
        partial(value, precision)


def test_a_facts_id_gives_the_primary_key():
    assert id_number("m007") == 7
    with pytest.raises(SeedError):
        id_number("M-7")


def test_an_excerpt_must_be_the_articles_own_words():
    article = Article("The SCO is expanding. BRICS is also dynamically expanding.")
    assert article.require("BRICS is also", "quote") == "BRICS is also"
    with pytest.raises(SeedError, match="is not in the seed article"):
        article.require("BRICS is shrinking", "quote")
    assert article.exact("BRICS is dynamically expanding.") == (
        "BRICS is also dynamically expanding."
    )
    assert article.replaced == [
        ("BRICS is dynamically expanding.", "BRICS is also dynamically expanding.")
    ]


def test_the_fixture_lists_parents_first_then_numbered_citations():
    fixture = Fixture(source_pk={"ART": 1})
    fixture.add("membership", 2, {})
    fixture.add("country", 112, {})
    fixture.add("organization", 1, {})
    fixture.cite("membership", 2, "ART")
    fixture.cite("membership", 2, "ART", claim_field="start")
    with pytest.raises(SeedError, match="Unknown source"):
        fixture.cite("membership", 2, "TASS")

    records = fixture.ordered()

    assert [(r["model"], r["pk"]) for r in records] == [
        ("orgs.country", 112),
        ("orgs.organization", 1),
        ("orgs.membership", 2),
        ("orgs.citation", 1),
        ("orgs.citation", 2),
    ]
    assert [r["fields"]["position"] for r in records[-2:]] == [0, 1]
    assert fixture.is_cited("membership", 2, claim_field="start")
