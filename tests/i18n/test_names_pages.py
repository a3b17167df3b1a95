"""Pages in Russian name organizations, countries and people in Russian, with dates in Russian,
and mark the English names that stand in for missing Russian ones; English pages are as
before."""

import re

import pytest

from tests.makers import make_organization

pytestmark = pytest.mark.django_db

UNTRANSLATED = re.compile(r'<span lang="en" class="untranslated">([^<]*)</span>')


def test_the_russian_sco_page_names_it_its_members_and_dates_in_russian(client, seed):
    response = client.get("/ru/organizations/sco/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Шанхайская организация сотрудничества" in page
    assert "(ШОС)" in page
    for member in ("Беларусь", "Китай", "Казахстан"):
        assert member in page, member
    assert "4 июля 2024" in page  # Belarus joined on 4 July 2024


def test_the_english_sco_page_is_unchanged(client, seed):
    page = client.get("/organizations/sco/").content.decode()
    assert "Shanghai Cooperation Organisation" in page
    assert "4 July 2024" in page
    assert "Шанхайская" not in page
    assert 'class="untranslated"' not in page


def test_an_english_name_standing_in_on_a_russian_page_is_marked(client, seed):
    make_organization(name="Forum Without Russian Name", slug="forum-xyz", acronym="FWRN")
    page = client.get("/ru/organizations/forum-xyz/").content.decode()
    assert "Forum Without Russian Name" in UNTRANSLATED.findall(page)


def test_the_russian_country_page_and_list_use_pycountrys_names(client, seed):
    page = client.get("/ru/countries/by/").content.decode()
    assert "<title>Беларусь" in page
    assert "ШОС" in page
    listing = client.get("/ru/countries/").content.decode()
    assert "Беларусь" in listing
    assert "Belarus" not in UNTRANSLATED.findall(listing)


def test_the_russian_search_page_shows_what_it_found_in_russian(client, seed):
    page = client.get("/ru/search/", {"q": "Беларусь"}).content.decode()
    assert 'href="/ru/countries/by/"' in page
    assert ">Беларусь<" in page


def test_the_russian_map_names_every_country_in_russian(client, seed):
    """The grey countries of the SCO map (not in it) are titled in the page's language too."""
    page = client.get("/ru/organizations/sco/").content.decode()
    assert "<title>Германия</title>" in page
    assert "<title>Germany</title>" not in page
    assert "<title>Germany</title>" in client.get("/organizations/sco/").content.decode()


def test_a_country_page_gives_the_official_name_in_the_page_language(client, seed):
    assert "Республика Беларусь" in client.get("/ru/countries/by/").content.decode()
    assert "Republic of Belarus" in client.get("/countries/by/").content.decode()
