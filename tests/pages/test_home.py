"""The home page and the Atom feed of changes."""

import xml.etree.ElementTree as ET

import pytest

from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_it_shows_the_organizations_with_member_counts_by_status(client, seed):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/organizations/sco/"' in html
    assert "10 members" in html
    # Since the SCO merged its observers and dialogue partners at Tianjin (1 September 2025),
    # today it has partners (issue 14).
    assert "17 partners" in html


def test_it_says_what_the_atlas_covers_and_offers_a_search_box(client, seed):
    html = client.get("/").content.decode()
    assert "countries that hold a status" in html
    assert 'role="search"' in html
    assert 'name="q"' in html


def test_it_lists_the_latest_changes_with_dates(client, seed):
    html = client.get("/").content.decode()
    assert "Latest changes" in html
    assert "<time datetime=" in html
    assert 'href="/changes/?since=' in html


def test_it_tells_a_change_of_status_from_a_new_member(client):
    club = make_organization("club", "Club")
    belarus = make_country()
    make_membership(club, belarus, "2015-07-10", "2024-07-04", status="observer")
    make_membership(club, belarus, "2024-07-04")
    make_membership(club, make_country("RU", "RUS", "Russia"), "2001-06-15")
    html = client.get("/").content.decode()
    assert "Belarus became member of the Club (was observer)" in html
    assert "Belarus joined the Club as observer" in html
    assert "Russia joined the Club as member" in html


def test_drafts_are_not_counted_or_listed(client):
    club = make_organization("club", "Club")
    spell = make_membership(club, make_country(), "2020")
    spell.is_published = False
    spell.save()
    main = client.get("/").content.decode().split("<main")[1]
    assert "1 member" not in main
    assert 'href="/countries/by/"' not in main
    assert "Belarus joined" not in main


def test_the_atom_feed_lists_the_same_changes(client, seed):
    response = client.get("/changes.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert all(titles)
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids))
