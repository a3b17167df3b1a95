"""The API speaks the language asked for: ``?lang=`` or ``Accept-Language`` choose the language
of display names and dates, each record carries its names in every language, and the page
cache never serves one language's answer to a request for the other."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

SCO_RU = "Шанхайская организация сотрудничества"
SCO_EN = "Shanghai Cooperation Organisation"


def get(path: str, language: str | None = None):
    headers = {"Accept-Language": language} if language else {}
    response = APIClient(headers=headers).get(path)
    assert response.status_code == 200, response.content[:300]
    return response


def test_accept_language_ru_answers_the_russian_names_and_dates(seed):
    response = get("/api/v1/organizations/sco/", "ru")
    data = response.json()
    assert data["display_name"] == SCO_RU
    assert data["display_acronym"] == "ШОС"
    assert data["founded_on"]["display"] == "15 июня 2001"
    assert response["Content-Language"] == "ru"
    assert "Accept-Language" in response["Vary"]
    # The stored, writable English name is unchanged; every language is there too.
    assert data["name"] == SCO_EN
    assert data["names"] == {"en": SCO_EN, "ru": SCO_RU}
    assert data["acronyms"] == {"en": "SCO", "ru": "ШОС"}


def test_english_stays_the_default(seed):
    response = get("/api/v1/organizations/sco/")
    data = response.json()
    assert data["display_name"] == SCO_EN
    assert data["founded_on"]["display"] == "15 June 2001"
    assert response["Content-Language"].startswith("en")
    assert data["names"]["ru"] == SCO_RU


def test_lang_parameter_wins_over_accept_language(seed):
    assert get("/api/v1/organizations/sco/?lang=ru").json()["display_name"] == SCO_RU
    english = get("/api/v1/organizations/sco/?lang=en", "ru")
    assert english.json()["display_name"] == SCO_EN
    assert english["Content-Language"].startswith("en")


def test_a_language_the_atlas_does_not_speak_falls_back_to_the_next_one_asked(seed):
    response = get("/api/v1/organizations/sco/", "de-DE, ru;q=0.8, en;q=0.5")
    assert response.json()["display_name"] == SCO_RU
    assert get("/api/v1/organizations/sco/", "de").json()["display_name"] == SCO_EN


def test_an_unknown_lang_is_refused(seed):
    response = APIClient().get("/api/v1/organizations/sco/?lang=xx")
    assert response.status_code == 400


def test_countries_answer_their_russian_name_from_iso_translations(seed):
    data = get("/api/v1/countries/by/", "ru").json()
    assert data["display_name"] == "Беларусь"
    assert data["names"] == {"en": "Belarus", "ru": "Беларусь"}
    assert get("/api/v1/countries/by/").json()["display_name"] == "Belarus"


def test_linked_records_and_members_are_named_in_the_language_asked_for(seed):
    memberships = get("/api/v1/memberships/?organization=sco&member=by", "ru").json()
    spell = memberships["results"][0]
    assert spell["organization"]["name"] == f"{SCO_RU} (ШОС)"
    assert spell["member"]["name"] == "Беларусь"
    english = get("/api/v1/memberships/?organization=sco&member=by").json()["results"][0]
    assert english["organization"]["name"] == f"{SCO_EN} (SCO)"
    assert english["member"]["name"] == "Belarus"


def test_a_name_missing_in_russian_falls_back_to_english_and_says_so(seed):
    person = get("/api/v1/people/?page_size=1", "ru").json()["results"][0]
    assert person["names"]["ru"] is None
    assert person["display_name"] == person["name"]


@pytest.mark.parametrize("first", ["en", "ru"])
def test_the_page_cache_keeps_each_language_apart(seed, first):
    second = "ru" if first == "en" else "en"
    expected = {"en": SCO_EN, "ru": SCO_RU}
    for language in (first, second, first, second):
        response = get("/api/v1/organizations/sco/", language)
        assert response.json()["display_name"] == expected[language], language
        assert response["Content-Language"].startswith(language)
    # The last two were served from the cache, each in its own language.
    assert response["X-Atlas-Cache"] == "hit"


def test_csv_headers_stay_english_while_values_follow_the_language(seed):
    response = APIClient(headers={"Accept-Language": "ru"}).get(
        "/api/v1/organizations/?format=csv&q=sco"
    )
    assert response.status_code == 200
    header, *rows = response.content.decode("utf-8").splitlines()
    assert header.split(",")[:4] == ["url", "id", "slug", "name"]
    assert "display_name" in header
    assert any(SCO_RU in row for row in rows)


def test_q_finds_organizations_and_countries_by_their_russian_names(seed):
    found = get("/api/v1/organizations/?q=Шанхайская").json()["results"]
    assert {org["slug"] for org in found} == {"sco", "shanghai-five"}  # Шанхайская пятёрка
    assert "sco" in [org["slug"] for org in get("/api/v1/organizations/?q=шос").json()["results"]]
    countries = get("/api/v1/countries/?q=Беларусь").json()["results"]
    assert [country["iso2"] for country in countries] == ["BY"]
    assert "RU" in [
        country["iso2"] for country in get("/api/v1/countries/?q=Росс").json()["results"]
    ]
    # English as before.
    assert "sco" in [
        org["slug"] for org in get("/api/v1/organizations/?q=Shanghai").json()["results"]
    ]


def test_the_timeline_and_overlap_name_members_and_organizations_in_russian(seed):
    timeline = get("/api/v1/organizations/sco/timeline/", "ru").json()
    assert timeline["organization"]["name"] == SCO_RU
    text = str(timeline)
    assert "Беларусь" in text
    assert "'Belarus'" not in text
    overlap = get("/api/v1/overlap/?organizations=sco,cis", "ru").json()
    assert SCO_RU in [organization["name"] for organization in overlap["organizations"]]


def test_the_russian_changes_page_names_members_in_russian(client, seed):
    page = client.get("/ru/changes/", {"since": "2024-01-01"}).content.decode()
    assert "Беларусь" in page
