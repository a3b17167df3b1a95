"""Reading the API: every resource, partial dates, inline citations, filters, CSV, drafts,
revalidation, throttling and a fixed number of queries per list (issue 4)."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from orgs.models import Citation, Membership
from tests.makers import make_country, make_membership, make_organization, make_source, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def names_of(response):
    return sorted(row["member"]["name"] for row in response.json()["results"])


def test_it_lists_the_ten_sco_members_on_1_july_2025(seed, api):
    response = api.get(
        "/api/v1/memberships/", {"organization": "sco", "status": "member", "as_of": "2025-07-01"}
    )
    assert response.status_code == 200
    assert response.json()["count"] == 10
    assert "Belarus" in names_of(response)
    assert all(row["is_certain"] is True for row in response.json()["results"])


def test_it_lists_eight_sco_members_on_1_january_2023(seed, api):
    response = api.get(
        "/api/v1/memberships/", {"organization": "sco", "status": "member", "as_of": "2023-01-01"}
    )
    assert response.json()["count"] == 8
    assert "Belarus" not in names_of(response)
    assert "Iran" not in names_of(response)


def test_a_membership_carries_partial_dates_links_and_citations(api):
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    belarus = make_country()
    spell = make_membership(sco, belarus, "2024-07")
    source = spell.citations.get().source
    source.url = "https://example.org/sco"
    source.publisher = "Izvestia"
    source.published_on_partial = "2025-06-09"
    source.save()

    row = api.get(f"/api/v1/memberships/{spell.pk}/").json()

    assert row["start"] == {
        "date": "2024-07-01",
        "precision": "month",
        "display": "July 2024",
        "latest": "2024-07-31",
    }
    assert row["end"] is None
    assert row["is_certain"] is None  # only with as_of
    assert row["organization"]["url"].endswith("/api/v1/organizations/sco/")
    assert row["member"] == {
        "kind": "country",
        "code": "BY",
        "name": "Belarus",
        "url": "http://testserver/api/v1/countries/by/",
    }
    [citation] = row["citations"]
    assert citation["source_id"] == source.pk
    assert citation["title"] == source.title
    assert citation["publisher"] == "Izvestia"
    assert citation["web_url"] == "https://example.org/sco"
    assert citation["date"]["display"] == "9 June 2025"
    assert {"excerpt", "locator"} <= citation.keys()


def test_an_uncertain_spell_is_marked_not_guessed(api):
    sco = make_organization("sco")
    make_membership(sco, make_country(), "2024-07")
    [row] = api.get("/api/v1/memberships/", {"as_of": "2024-07-15"}).json()["results"]
    assert row["is_certain"] is False


def test_countries_are_found_by_their_code_in_any_case(api):
    make_country()
    assert api.get("/api/v1/countries/by/").json()["iso3"] == "BLR"
    assert api.get("/api/v1/countries/BY/").status_code == 200
    assert api.get("/api/v1/countries/zz/").status_code == 404
    assert api.get("/api/v1/organizations/nothing/").status_code == 404
    assert api.get("/api/v1/memberships/12345/").status_code == 404


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/memberships/?as_of=yesterday", "as_of"),
        ("/api/v1/memberships/?as_of=9999-12-31", "as_of"),
        ("/api/v1/memberships/?status=bogus", "status"),
        ("/api/v1/memberships/?page=0", "page"),
        ("/api/v1/memberships/?page=two", "page"),
        ("/api/v1/memberships/?page_size=-3", "page_size"),
        # A CSV export is not paged, but a malformed page parameter is still refused.
        ("/api/v1/people/?format=csv&page_size=-1277", "page_size"),
        ("/api/v1/people/?format=csv&page=false", "page"),
        ("/api/v1/memberships/?start_after=2024-7-1", "start_after"),
        ("/api/v1/countries/?as_of=2024-02-30", "as_of"),
        ("/api/v1/organizations/?kind=planet", "kind"),
        ("/api/v1/overlap/?organizations=sco", "organizations"),
        ("/api/v1/overlap/?organizations=a,b,c,d,e,f,g", "organizations"),
        ("/api/v1/overlap/?organizations=sco,nowhere", "organizations"),
        ("/api/v1/overlap/?organizations=sco,brics&as_of=yesterday", "as_of"),
        ("/api/v1/overlap/?organizations=sco,brics&statuses=bogus", "statuses"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(api, url, parameter):
    make_organization("sco")
    make_organization("brics")
    response = api.get(url)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


def test_page_size_is_settable_up_to_a_cap(api):
    sco = make_organization("sco")
    for number, (iso2, iso3) in enumerate([("RU", "RUS"), ("CN", "CHN"), ("IN", "IND")]):
        make_membership(sco, make_country(iso2, iso3, iso2), f"200{number}")
    page = api.get("/api/v1/memberships/", {"page_size": 2}).json()
    assert len(page["results"]) == 2
    assert page["count"] == 3
    assert page["next"]
    assert len(api.get("/api/v1/memberships/", {"page_size": 10**6}).json()["results"]) == 3


def test_ordering(api):
    sco = make_organization("sco")
    make_membership(sco, make_country("RU", "RUS", "Russia"), "2001")
    make_membership(sco, make_country("IN", "IND", "India"), "2017")
    rows = api.get("/api/v1/memberships/", {"ordering": "-start"}).json()["results"]
    assert [row["member"]["name"] for row in rows] == ["India", "Russia"]


def test_it_hides_unpublished_records_from_anonymous_callers_and_shows_staff_drafts(api):
    sco = make_organization("sco")
    draft = make_membership(sco, make_country(), "2024")
    Membership.objects.filter(pk=draft.pk).update(is_published=False)
    assert api.get("/api/v1/memberships/").json()["count"] == 0
    assert api.get("/api/v1/memberships/", {"drafts": "1"}).json()["count"] == 0
    assert api.get(f"/api/v1/memberships/{draft.pk}/").status_code == 404

    # With credentials on the wire, as a client sends them (the page cache serves anonymous
    # requests before DRF would see a forced login).
    staff = token_client(get_user_model().objects.create_user("editor", is_staff=True))
    assert staff.get("/api/v1/memberships/").json()["count"] == 0
    assert staff.get("/api/v1/memberships/", {"drafts": "1"}).json()["count"] == 1

    reader = token_client(get_user_model().objects.create_user("reader"))
    assert reader.get("/api/v1/memberships/", {"drafts": "1"}).json()["count"] == 0


def test_csv_has_one_row_per_membership_with_its_sources_ids_and_count(api):
    sco = make_organization("sco", acronym="SCO")
    spell = make_membership(sco, make_country(), "2024-07-04")
    Citation.objects.filter(object_id=spell.pk).update(position=0)
    first = spell.citations.get().source
    second = make_source("Second")
    Citation.objects.create(claim=spell, source=second, position=1)
    make_membership(make_organization("brics"), make_country("RU", "RUS", "Russia"), "2006")

    response = api.get("/api/v1/memberships/", {"organization": "sco", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["member_code"] == "BY"
    assert rows[0]["organization"] == "sco"
    assert rows[0]["start"] == "2024-07-04"
    assert rows[0]["start_precision"] == "day"
    assert rows[0]["citations_count"] == "2"
    assert rows[0]["citations_source_ids"] == f"{first.pk};{second.pk}"


@pytest.mark.parametrize(
    "resource",
    [
        "organizations",
        "countries",
        "memberships",
        "applications",
        "people",
        "sources",
        "quotes",
        "agreements",
        "agreement-stages",
        "agreement-parties",
        "events",
        "event-participants",
        "proposals",
    ],
)
def test_every_list_answers_csv(seed, api, resource):
    response = api.get(f"/api/v1/{resource}/", {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) > 1
    assert "url" in rows[0]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organizations/sco/",
        "/api/v1/countries/by/",
        "/api/v1/people/kassym-jomart-tokayev/",
        "/api/v1/quotes/",
        "/api/v1/applications/",
        "/api/v1/sources/",
        "/api/v1/citations/",
        "/api/v1/overlap/?organizations=sco,brics",
        "/api/v1/agreements/eaeu-uae/",
        "/api/v1/events/xvi-brics-summit-kazan-with-outreachbrics-meeting/",
        "/api/v1/proposals/unification-of-sco-and-brics-markets/",
    ],
)
def test_seed_records_read(seed, api, url):
    assert api.get(url).status_code == 200


def test_a_read_can_be_revalidated_with_its_etag(api):
    make_membership(make_organization("sco"), make_country(), "2024")
    first = api.get("/api/v1/memberships/")
    assert first.status_code == 200
    assert first["ETag"]
    again = api.get("/api/v1/memberships/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    make_membership(make_organization("brics"), make_country("RU", "RUS", "Russia"), "2006")
    changed = api.get("/api/v1/memberships/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200


def test_anonymous_callers_are_throttled_at_the_configured_rate(api, settings):
    cache.clear()
    rest_framework = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "1000/minute"},
    }
    with override_settings(REST_FRAMEWORK=rest_framework):
        # Four different addresses: PageCacheMiddleware serves a repeated anonymous read from the
        # page cache before the throttle runs.
        statuses = [api.get("/api/v1/organizations/", {"q": f"n{n}"}).status_code for n in range(4)]
    cache.clear()
    assert statuses == [200, 200, 200, 429]


def make_many(count):
    organizations = [make_organization(f"org{i}") for i in range(3)]
    codes = [("RU", "RUS"), ("CN", "CHN"), ("IN", "IND"), ("IR", "IRN"), ("BY", "BLR")]
    countries = [make_country(a, b, a) for a, b in codes[: max(1, count // 6 + 1)]]
    made = 0
    for organization in organizations:
        for country in countries:
            for year in range(2000, 2030, 5):
                if made == count:
                    return
                end = str(year + 5)
                make_membership(organization, country, str(year), end)
                made += 1


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/memberships/?page_size=100",
        "/api/v1/memberships/?page_size=100&as_of=2012-01-01&status=member,observer",
        "/api/v1/memberships/?format=csv",
        "/api/v1/organizations/?page_size=100",
        "/api/v1/countries/?member_of=org0&page_size=100",
        "/api/v1/sources/?page_size=100",
        "/api/v1/citations/?page_size=100",
        "/api/v1/applications/?page_size=100",
        "/api/v1/quotes/?page_size=100",
        "/api/v1/people/?page_size=100",
    ],
)
@pytest.mark.parametrize("rows", [3, 30])
def test_a_list_costs_the_same_queries_for_3_or_30_rows(
    api, django_assert_max_num_queries, url, rows
):
    make_many(rows)
    with django_assert_max_num_queries(6):
        response = api.get(url)
    assert response.status_code == 200
