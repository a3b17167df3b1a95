"""Source pages: bibliographic data and every claim in the atlas that cites the source."""

import pytest

from orgs.models import Citation, Source
from tests.makers import make_country, make_membership, make_organization, make_source

pytestmark = pytest.mark.django_db


def test_it_shows_bibliographic_data_and_the_translation_note(client, seed):
    source = Source.objects.get(key="ART")
    html = client.get(f"/sources/{source.pk}/").content.decode()
    assert source.title.replace("'", "&#x27;") in html
    assert "Izvestia" in html
    assert "Machine translation from Russian" in html


def test_it_lists_every_claim_citing_it_grouped_by_kind(client, seed):
    source = Source.objects.get(key="ART")
    html = client.get(f"/sources/{source.pk}/").content.decode()
    count = Citation.objects.filter(source=source).count()
    assert f"Claims in the atlas citing this source ({count})" in html
    for heading in ("Memberships", "Quotes", "Organizations"):
        assert f"<h3>{heading}</h3>" in html


def test_it_shows_the_archive_link(client):
    source = make_source("Archived", archive_url="https://web.archive.org/x", url="https://e.com")
    html = client.get(f"/sources/{source.pk}/").content.decode()
    assert 'href="https://web.archive.org/x"' in html


def test_claims_that_are_drafts_are_left_out(client):
    source = make_source("Shared")
    spell = make_membership(make_organization("club", "Club"), make_country(), "2020", cite=False)
    Citation.objects.create(claim=spell, source=source, excerpt="Belarus joined")
    spell.is_published = False
    spell.save()
    html = client.get(f"/sources/{source.pk}/").content.decode()
    assert "Belarus joined" not in html
    assert "No published claim cites this source yet." in html


def test_unpublished_and_unknown_sources_are_not_found(client):
    draft = make_source("Draft")
    draft.is_published = False
    draft.save()
    assert client.get(f"/sources/{draft.pk}/").status_code == 404
    assert client.get("/sources/999999/").status_code == 404


def test_the_source_list_counts_claims(client, seed):
    html = client.get("/sources/").content.decode()
    assert "Claims cited" in html
    assert 'href="/sources/' in html
