"""``manage.py import_dataset`` brings in the memberships a kept dataset holds the way an
editor's file comes in: previewed, written as drafts, cited to the dataset (issue 14: the 193 UN
member states with their year of admission)."""

import io

import pytest
from django.core.management import CommandError, call_command

from orgs import selectors
from orgs.models import Country, Membership, Source
from orgs.services import records_publish
from orgs.services.datasets import DATASETS, dataset_rows
from tests.makers import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def run(*args):
    out = io.StringIO()
    call_command("import_dataset", "un-members", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_un_dataset_holds_193_members_with_their_year():
    spells, citations = dataset_rows(DATASETS["un-members"])
    assert len(spells) == len(citations) == 193
    kazakhstan = next(row for row in spells.dict if row["member"] == "KZ")
    assert (kazakhstan["organization"], kazakhstan["start"]) == ("un", "1992")


def test_the_import_previews_then_writes_drafts_cited_to_the_dataset(seed):
    make_staff("Editor", "editor")

    assert "Preview only" in run("--user", "editor")
    assert not Membership.objects.filter(organization__slug="un").exists()

    run("--user", "editor", "--commit")
    spells = Membership.objects.filter(organization__slug="un")
    assert spells.count() == 193
    assert not spells.filter(is_published=True).exists()  # a Reviewer publishes them
    source = Source.objects.get(key="DATASET-COCO-UN")
    assert source.kind == "dataset"
    kazakhstan = spells.get(member_country__iso2="KZ")
    assert kazakhstan.start_partial.iso == "1992"
    assert kazakhstan.citations.get().source == source


def test_once_published_the_un_counts_among_a_countrys_memberships(seed):
    make_staff("Editor", "editor")
    run("--user", "editor", "--commit")
    spells = list(Membership.objects.filter(organization__slug="un"))
    records_publish(user=make_staff("Reviewer", "reviewer"), records=spells, with_sources=True)

    kazakhstan = Country.objects.get(iso2="KZ")
    slugs = {s.organization.slug for s in selectors.country_memberships_as_of(kazakhstan)}
    assert "un" in slugs


def test_an_unknown_user_is_refused(seed):
    with pytest.raises(CommandError, match="No staff account"):
        run("--user", "nobody")
