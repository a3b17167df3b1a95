"""Names in the reader's language: records' own Russian names, countries' from pycountry's
ISO translations, English standing in (and saying so) where there is none; dates read
naturally in Russian; search finds records by their Russian names."""

import datetime

import pytest
from django.utils import translation

from orgs.dates import PartialDate, Precision
from orgs.languages import LocalizedName, active_language, country_name_in, language_of
from orgs.models import Country, Organization
from orgs.selectors import atlas_search, country_search, organization_search
from tests.makers import make_country, make_organization, make_person

pytestmark = pytest.mark.django_db


def test_an_organization_is_named_in_the_active_language_with_english_standing_in():
    sco = make_organization(
        name="Shanghai Cooperation Organisation",
        acronym="SCO",
        slug="sco",
        name_ru="Шанхайская организация сотрудничества",
        acronym_ru="ШОС",
    )
    bare = make_organization(name="Some Forum", acronym="SF", slug="sf")
    with translation.override("ru"):
        assert sco.localized_name == "Шанхайская организация сотрудничества"
        assert sco.localized_short_name == "ШОС"
        assert not sco.localized_name.is_fallback
        assert bare.localized_name == "Some Forum"
        assert bare.localized_name.is_fallback
        assert bare.localized_name.lang == "en"
        assert bare.localized_short_name == "SF"
    with translation.override("en-gb"):
        assert sco.localized_name == "Shanghai Cooperation Organisation"
        assert sco.localized_short_name == "SCO"
        assert not bare.localized_name.is_fallback


def test_a_russian_name_without_a_russian_acronym_is_shown_without_the_english_one():
    secretariat = make_organization(
        name="SCO Secretariat", slug="sco-secretariat", name_ru="Секретариат ШОС"
    )
    with translation.override("ru"):
        assert secretariat.localized_short_name == "Секретариат ШОС"
        assert secretariat.localized_acronym == ""


def test_countries_take_their_russian_names_from_pycountry():
    belarus = make_country(iso2="BY", iso3="BLR", name="Belarus")
    russia = make_country(iso2="RU", iso3="RUS", name="Russia")
    with translation.override("ru"):
        assert belarus.localized_name == "Беларусь"
        # The atlas says "Russia"; ISO's name for it is translated.
        assert russia.localized_name == "Российская Федерация"
    assert country_name_in("CN", "China", "ru") == "Китай"
    assert belarus.localized_name == "Belarus"


def test_a_territory_iso_does_not_list_falls_back_to_english_visibly():
    territory = make_country(
        iso2="XN", iso3="XNC", name="Northern Cyprus", iso_unlisted=True, region="Western Asia"
    )
    with translation.override("ru"):
        assert territory.localized_name == "Northern Cyprus"
        assert territory.localized_name.is_fallback


def test_people_are_named_in_russian_where_they_have_a_russian_name():
    tokayev = make_person(name="Kassym-Jomart Tokayev", name_ru="Касым-Жомарт Токаев")
    with translation.override("ru"):
        assert tokayev.localized_name == "Касым-Жомарт Токаев"


def test_language_codes_map_to_the_languages_records_have_names_in():
    assert language_of("ru-RU") == "ru"
    assert language_of("en-gb") == "en"
    assert language_of("de") == "en"
    with translation.override("ru"):
        assert active_language() == "ru"
    assert isinstance(LocalizedName("x"), str)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "english", "russian"),
    [
        ("2024", "2024", "2024"),
        ("2024-07", "July 2024", "июль 2024"),
        ("2024-07-04", "4 July 2024", "4 июля 2024"),
        ("2024-05-01", "1 May 2024", "1 мая 2024"),
        ("2001-06-15", "15 June 2001", "15 июня 2001"),
    ],
)
def test_partial_dates_read_naturally_in_each_language(text, english, russian):
    date = PartialDate.parse(text)
    with translation.override("en-gb"):
        assert date.display == english
    with translation.override("ru"):
        assert date.display == russian


def test_a_by_date_reads_naturally_in_each_language():
    date = PartialDate(datetime.date(2025, 6, 9), Precision.BY)
    with translation.override("en-gb"):
        assert date.display == "by 9 June 2025"
    with translation.override("ru"):
        assert date.display == "к 9 июня 2025"


# --- search ----------------------------------------------------------------------------------


def test_russian_queries_find_organizations_countries_and_people(seed):
    sco = Organization.objects.get(slug="sco")
    for query in ("Шанхайская", "ШОС", "шос", "Shanghai", "SCO"):
        assert sco in organization_search(Organization.objects.all(), query), query
    for query, iso2 in (("Беларусь", "BY"), ("Росс", "RU"), ("Belarus", "BY")):
        assert iso2 in [c.iso2 for c in country_search(Country.objects.all(), query)], query
    make_person(name="Kassym-Jomart Tokayev", slug="tokayev-ru", name_ru="Касым-Жомарт Токаев")
    results = atlas_search("Токаев")
    assert [person.name for person in results.people] == ["Kassym-Jomart Tokayev"]


def test_the_search_page_finds_the_sco_by_its_russian_name(client, seed):
    response = client.get("/search/", {"q": "Шанхайская"})
    assert response.status_code == 200
    assert 'href="/organizations/sco/"' in response.content.decode()


def test_the_russian_search_page_finds_the_sco(client, seed):
    response = client.get("/ru/search/", {"q": "Шанхайская"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/ru/organizations/sco/"' in page


# --- admin -----------------------------------------------------------------------------------


def test_the_admin_autocomplete_finds_an_organization_by_its_russian_name(seed, editor_client):
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "orgs",
            "model_name": "membership",
            "field_name": "organization",
            "term": "Шанхайская",
        },
    )
    assert response.status_code == 200
    texts = [result["text"] for result in response.json()["results"]]
    assert texts[0].startswith("Shanghai Cooperation Organisation")


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("organization", ["name_ru", "acronym_ru"]),
        ("person", ["name_ru"]),
        ("event", ["name_ru"]),
        ("agreement", ["title_ru"]),
    ],
)
def test_the_russian_names_are_editable_on_the_change_forms(seed, editor_client, path, fields):
    page = editor_client.get(f"/admin/orgs/{path}/add/").content.decode()
    for field in fields:
        assert f'name="{field}"' in page, field


def test_the_admin_person_list_finds_a_person_by_the_russian_name(seed, editor_client):
    make_person(name="Kassym-Jomart Tokayev", slug="tokayev-ru", name_ru="Касым-Жомарт Токаев")
    page = editor_client.get("/admin/orgs/person/", {"q": "Токаев"}).content.decode()
    assert "Kassym-Jomart Tokayev" in page
