"""A mistyped question is refused, never answered with a wrong number: unknown parameters,
slugs, codes and orderings answer 400 naming them; slugs and codes are read in any case; the
status filter is ``status`` everywhere with ``statuses`` as its other name; no value is a 500."""

import pytest
from rest_framework.test import APIClient

from tests.makers import (
    make_agreement,
    make_agreement_party,
    make_country,
    make_event,
    make_event_participant,
    make_membership,
    make_organization,
    make_person,
    make_quote,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def sco():
    """The SCO with four members, one observer and one dialogue partner on 2025-07-01."""
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    codes = [("RU", "RUS"), ("CN", "CHN"), ("KZ", "KAZ"), ("BY", "BLR"), ("MN", "MNG")]
    russia, china, kazakhstan, belarus, mongolia = (
        make_country(iso2, iso3, iso3.title()) for iso2, iso3 in codes
    )
    for member in (russia, china, kazakhstan):
        make_membership(sco, member, "2001-06-15")
    make_membership(sco, belarus, "2015", "2022-09-16", status="dialogue_partner")
    make_membership(sco, belarus, "2022-09-16", "2024-07-04", status="observer")
    make_membership(sco, belarus, "2024-07-04")
    make_membership(sco, mongolia, "2004", status="observer")
    make_membership(make_organization("brics"), russia, "2006")
    return sco


def problem(response, status=400):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


# --- the cases found ---------------------------------------------------------------------


def test_a_misspelt_parameter_is_refused_naming_it_and_the_accepted_ones(api, sco):
    body = problem(api.get("/api/v1/memberships/", {"organisation": "sco"}))
    assert body["type"].endswith("/api/v1/problems/unknown-parameter/")
    [message] = body["errors"]["organisation"]
    assert "organisation" in message
    assert "organization" in message
    assert "status" in message


def test_status_and_statuses_are_one_filter_on_memberships(api, sco):
    asked = {"organization": "sco", "as_of": "2025-07-01"}
    members = api.get("/api/v1/memberships/", {**asked, "status": "member"}).json()["count"]
    aliased = api.get("/api/v1/memberships/", {**asked, "statuses": "member"}).json()["count"]
    assert members == aliased == 4
    every = api.get("/api/v1/memberships/", asked).json()["count"]
    assert every == 5


def test_overlap_counts_only_the_statuses_asked_for_under_either_name(api, sco):
    base = {"organizations": "sco,brics", "as_of": "2025-07-01"}
    for name in ("status", "statuses"):
        answer = api.get("/api/v1/overlap/", {**base, name: "observer"}).json()
        assert answer["statuses"] == ["observer"]
        assert [i["count"] for i in answer["intersections"]] == [1]
    every = api.get("/api/v1/overlap/", base).json()
    assert sum(i["count"] for i in every["intersections"]) == 5


@pytest.mark.parametrize("slug", ["sco", "SCO", "Sco"])
def test_slugs_are_read_in_any_case(api, sco, slug):
    assert api.get("/api/v1/memberships/", {"organization": slug}).json()["count"] == 7
    assert api.get(f"/api/v1/organizations/{slug}/").status_code == 200
    assert api.get("/api/v1/countries/", {"member_of": slug}).json()["count"] == 5


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/memberships/?organization=nato", "organization"),
        ("/api/v1/memberships/?member=xx", "member"),
        ("/api/v1/countries/?member_of=nato", "member_of"),
        ("/api/v1/applications/?organization=nato", "organization"),
        ("/api/v1/quotes/?speaker=Putin", "speaker"),
        ("/api/v1/quotes/?about_country=zz", "about_country"),
        ("/api/v1/agreements/?party=nato", "party"),
        ("/api/v1/agreement-parties/?agreement=nothing", "agreement"),
        ("/api/v1/events/?participant=nato", "participant"),
        ("/api/v1/event-participants/?event=nothing", "event"),
        ("/api/v1/proposals/?proposer=nobody", "proposer"),
        ("/api/v1/organizations/?parent=nato", "parent"),
        ("/api/v1/overlap/?organizations=sco,nato", "organizations"),
    ],
)
def test_an_unknown_slug_or_code_is_refused_not_answered_with_nothing(api, sco, url, parameter):
    body = problem(api.get(url))
    assert body["type"].endswith("/unknown-record/")
    assert list(body["errors"]) == [parameter]


def test_an_unknown_name_suggests_the_slug_meant(api, sco):
    make_quote(speaker=make_person("Vladimir Putin"))
    body = problem(api.get("/api/v1/quotes/", {"speaker": "Putin"}))
    assert "vladimir-putin" in body["errors"]["speaker"][0]
    assert api.get("/api/v1/quotes/", {"speaker": "Vladimir-Putin"}).json()["count"] == 1


def test_codes_and_slugs_of_parties_and_participants_in_any_case(api, sco):
    agreement = make_agreement()
    make_agreement_party(agreement, sco)
    make_event_participant(make_event(), sco)
    for code in ("sco", "SCO"):
        assert api.get("/api/v1/agreements/", {"party": code}).json()["count"] == 1
        assert api.get("/api/v1/events/", {"participant": code}).json()["count"] == 1


def test_a_draft_is_as_unknown_as_a_slug_that_does_not_exist(api, sco):
    make_organization("hidden", is_published=False)
    body = problem(api.get("/api/v1/memberships/", {"organization": "hidden"}))
    assert "hidden" in body["errors"]["organization"][0]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/memberships/?ordering=bogus",
        "/api/v1/memberships/?ordering=start,-nothing",
        "/api/v1/organizations/?ordering=",
        "/api/v1/agreements/?ordering=title",
    ],
)
def test_a_bad_ordering_is_refused(api, sco, url):
    if url.endswith("ordering="):
        assert api.get(url).status_code == 200  # empty: the default order
        return
    body = problem(api.get(url))
    assert "ordering" in body["errors"]


def test_an_ordering_orders(api, sco):
    rows = api.get("/api/v1/memberships/", {"ordering": "-start,id"}).json()["results"]
    starts = [row["start"]["date"] for row in rows]
    assert starts == sorted(starts, reverse=True)


@pytest.mark.parametrize(
    "parameter",
    [
        "as_of",
        "start_after",
        "start_before",
        "status",
        "statuses",
        "current",
        "certain",
        "member_kind",
        "updated_since",
        "page",
        "page_size",
    ],
)
@pytest.mark.parametrize("value", ["%", "%(x)s", "100%"])
def test_a_percent_sign_in_any_value_is_a_400_not_a_500(api, sco, parameter, value):
    response = api.get("/api/v1/memberships/", {parameter: value, "as_of": "2025-07-01"})
    if parameter == "as_of":
        response = api.get("/api/v1/memberships/", {parameter: value})
    body = problem(response)
    assert parameter in body["errors"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/quotes/?said_after=%25",
        "/api/v1/applications/?filed_after=%25",
        "/api/v1/applications/?requested_status=%25",
        "/api/v1/agreement-stages/?date_after=%25",
        "/api/v1/sources/?published_after=%25",
        "/api/v1/reviews/?state=%25",
        "/api/v1/overlap/?organizations=sco,brics&as_of=%25",
        "/api/v1/organizations/sco/timeline/?from=%25",
        "/api/v1/memberships/?drafts=%25",
        "/api/v1/changes/?since=%25",
    ],
)
def test_no_list_answers_a_percent_sign_with_a_500(api, sco, url):
    assert api.get(url).status_code in (400, 401, 403)


def test_yes_no_values_are_refused_when_neither(api, sco):
    body = problem(api.get("/api/v1/memberships/", {"current": "maybe"}))
    assert "current" in body["errors"]
    # Today: Russia, China, Kazakhstan, Belarus and Mongolia in the SCO, Russia in BRICS.
    assert api.get("/api/v1/memberships/", {"current": "TRUE"}).json()["count"] == 6


def test_choices_are_read_in_any_case(api, sco):
    assert api.get("/api/v1/memberships/", {"member_kind": "Country"}).status_code == 200
    assert api.get("/api/v1/memberships/", {"status": "Dialogue Partner"}).json()["count"] == 1


def test_certain_keeps_the_spells_that_certainly_held(api, sco):
    # Mongolia's spell started "2004": on 2004-06-01 it may or may not have begun.
    asked = {"organization": "sco", "as_of": "2004-06-01"}
    assert api.get("/api/v1/memberships/", asked).json()["count"] == 4
    certain = api.get("/api/v1/memberships/", {**asked, "certain": "true"}).json()
    assert certain["count"] == 3
    uncertain = api.get("/api/v1/memberships/", {**asked, "certain": "false"}).json()
    assert [row["member"]["code"] for row in uncertain["results"]] == ["MN"]
    # Without as_of, certain is about today.
    today = api.get("/api/v1/memberships/", {"organization": "sco", "certain": "true"}).json()
    assert today["count"] == 5


def test_pages_stay_lenient_about_parameters_they_do_not_know(client, sco):
    make_event()
    assert client.get("/events/", {"utm_source": "newsletter"}).status_code == 200


def test_a_record_address_refuses_the_list_filters(api, sco):
    body = problem(api.get("/api/v1/organizations/sco/", {"kind": "bloc"}))
    assert "kind" in body["errors"]
    assert api.get("/api/v1/organizations/sco/", {"as_of": "2020-01-01"}).status_code == 200


def test_a_page_past_the_end_is_a_404_whatever_its_size(api, sco):
    for page in ("99", "99999999999999999999"):
        body = problem(api.get("/api/v1/memberships/", {"page": page}), 404)
        assert "last page is 1" in body["detail"]


def test_an_unknown_format_is_a_400_naming_it(api, sco):
    body = problem(api.get("/api/v1/memberships/", {"format": "xml"}))
    assert "format" in body["errors"]


def test_the_language_is_en_or_ru(api, sco):
    assert api.get("/api/v1/memberships/", {"lang": "ru"}).status_code == 200
    assert "lang" in problem(api.get("/api/v1/memberships/", {"lang": "xx"}))["errors"]
