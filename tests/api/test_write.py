"""Writing through the API with an editor's token: the admin's validation, all or nothing,
recorded in history with the user (issue 4)."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orgs.models import Citation, Country, Membership, Organization, Quote
from tests.makers import (
    make_country,
    make_membership,
    make_organization,
    make_source,
    make_staff,
    token_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_staff("Editor", "editor")


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


@pytest.fixture
def reviewer_api():
    return token_client(make_staff("Reviewer", "reviewer"))


@pytest.fixture
def sco_and_belarus():
    return make_organization("sco", acronym="SCO"), make_country()


def test_an_editor_token_creates_a_membership_recorded_in_history(
    editor, editor_api, sco_and_belarus
):
    response = editor_api.post(
        "/api/v1/memberships/",
        {"organization": "sco", "member_country": "by", "status": "member", "start": "2024-07-04"},
    )
    assert response.status_code == 201, response.json()
    spell = Membership.objects.get()
    assert spell.member_country.iso2 == "BY"
    assert spell.start_partial.iso == "2024-07-04"
    assert response.json()["start"]["display"] == "4 July 2024"
    assert spell.history.get().history_user == editor


def test_an_overlapping_spell_is_refused_and_nothing_is_written(editor_api, sco_and_belarus):
    sco, belarus = sco_and_belarus
    make_membership(sco, belarus, "2024-07-04")
    response = editor_api.post(
        "/api/v1/memberships/",
        {"organization": "sco", "member_country": "BY", "status": "observer", "start": "2025"},
    )
    assert response.status_code == 400
    assert "overlaps another spell of Belarus in SCO" in response.json()["errors"]["start"][0]
    assert Membership.objects.count() == 1
    assert Membership.history.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"member_country": "BY", "member_organization": "brics"}, "member_country", "exactly one"),
        ({}, "member_country", "exactly one"),
        ({"member_organization": "sco"}, "member_organization", "member of itself"),
        (
            {"member_country": "BY", "end": "2023"},
            "end",
            "The end (2023) is before the start",
        ),
        ({"member_country": "BY", "start": "2024-13"}, "start", "Month 13 does not exist"),
        ({"member_country": "BY", "start": 2024}, "start", "Give a partial date as text"),
        ({"member_country": "XX"}, "member_country", "does not exist"),
    ],
)
def test_invalid_memberships_answer_400_per_field(
    editor_api, sco_and_belarus, fields, field, message
):
    make_organization("brics")
    data = {"organization": "sco", "status": "member", "start": "2024-07-04", **fields}
    response = editor_api.post("/api/v1/memberships/", data)
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert Membership.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("2024", "2024", "year"),
        ("2024-07", "2024-07", "month"),
        ("2024-07-04", "2024-07-04", "day"),
        ("≤2025-06-09", "≤2025-06-09", "by"),
    ],
)
def test_partial_dates_are_written_as_editors_type_them(
    editor_api, sco_and_belarus, text, iso, precision
):
    response = editor_api.post(
        "/api/v1/memberships/", {"organization": "sco", "member_country": "BY", "start": text}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["start"]["precision"] == precision
    assert Membership.objects.get().start_partial.iso == iso


def test_an_editor_patches_a_draft_and_a_reviewer_deletes_it(
    editor_api, reviewer_api, sco_and_belarus
):
    spell = make_membership(*sco_and_belarus, "2024-07-04")
    Membership.objects.filter(pk=spell.pk).update(is_published=False)
    response = editor_api.patch(f"/api/v1/memberships/{spell.pk}/", {"end": "2025-01"})
    assert response.status_code == 200, response.json()
    spell.refresh_from_db()
    assert spell.end_partial.display == "January 2025"
    assert editor_api.delete(f"/api/v1/memberships/{spell.pk}/").status_code == 403
    assert reviewer_api.delete(f"/api/v1/memberships/{spell.pk}/").status_code == 204
    assert not Membership.objects.exists()


def test_anonymous_and_unprivileged_writes_are_refused(sco_and_belarus):
    data = {"organization": "sco", "member_country": "BY", "start": "2024"}
    assert APIClient().post("/api/v1/memberships/", data).status_code == 401
    reader = get_user_model().objects.create_user("reader")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reader).key}")
    assert client.post("/api/v1/memberships/", data).status_code == 403
    assert client.delete("/api/v1/organizations/sco/").status_code == 403
    assert Membership.objects.count() == 0


def test_an_editor_cites_a_membership(editor_api, sco_and_belarus):
    # A draft spell: citing a published one is a change that waits for review.
    spell = make_membership(*sco_and_belarus, "2024-07-04", cite=False, is_published=False)
    source = make_source("Izvestia article")
    response = editor_api.post(
        "/api/v1/citations/",
        {
            "claim_type": "membership",
            "claim_id": spell.pk,
            "source": source.pk,
            "excerpt": "Belarus became the 10th member",
            "locator": "paragraph 3",
        },
    )
    assert response.status_code == 201, response.json()
    assert Citation.objects.get().claim == spell
    assert response.json()["claim_type"] == "membership"
    missing = editor_api.post(
        "/api/v1/citations/",
        {"claim_type": "membership", "claim_id": 999999, "source": source.pk},
    )
    assert missing.status_code == 400
    assert "claim_id" in missing.json()["errors"]


def test_an_editor_creates_an_organization_a_country_a_person_a_source_and_a_quote(editor_api):
    assert (
        editor_api.post(
            "/api/v1/organizations/",
            {"slug": "cis", "name": "Commonwealth of Independent States", "founded_on": "1991-12"},
        ).status_code
        == 201
    )
    assert Organization.objects.get(slug="cis").founded_on_partial.display == "December 1991"
    response = editor_api.post(
        "/api/v1/countries/", {"iso2": "KZ", "iso3": "KAZ", "name": "Kazakhstan"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["url"].endswith("/countries/kz/")
    wrong = editor_api.post("/api/v1/countries/", {"iso2": "KG", "iso3": "KAZ", "name": "x"})
    assert wrong.status_code == 400
    assert "iso3" in wrong.json()["errors"]
    assert (
        editor_api.post(
            "/api/v1/people/", {"slug": "kassym-jomart-tokayev", "name": "Kassym-Jomart Tokayev"}
        ).status_code
        == 201
    )
    assert (
        editor_api.post(
            "/api/v1/sources/", {"title": "Izvestia", "published_on": "2025-06-09"}
        ).status_code
        == 201
    )
    response = editor_api.post(
        "/api/v1/quotes/",
        {
            "text": "CIS Plus is being developed",
            "speaker": "kassym-jomart-tokayev",
            "said_on": "2025-06",
            "about_organizations": ["cis"],
            "about_countries": ["kz"],
        },
    )
    assert response.status_code == 201, response.json()
    quote = Quote.objects.get()
    assert [o.slug for o in quote.about_organizations.all()] == ["cis"]
    assert [c.iso2 for c in quote.about_countries.all()] == ["KZ"]
    assert response.json()["about_countries"][0]["url"].endswith("/countries/kz/")
    no_speaker = editor_api.post("/api/v1/quotes/", {"text": "Anonymous words"})
    assert no_speaker.status_code == 400
    assert "speaker" in no_speaker.json()["errors"]
    assert Country.objects.count() == 1


def test_the_api_writes_drafts_and_leaves_publishing_to_reviewers(editor_api, sco_and_belarus):
    response = editor_api.post(
        "/api/v1/memberships/",
        {"organization": "sco", "member_country": "BY", "start": "2024", "is_published": True},
    )
    assert response.status_code == 201
    assert response.json()["is_published"] is False
    assert not Membership.objects.get().is_published


def test_deleting_a_record_still_referenced_answers_409(reviewer_api, sco_and_belarus):
    make_membership(*sco_and_belarus, "2024")
    response = reviewer_api.delete("/api/v1/countries/by/")
    assert response.status_code == 409
    assert Country.objects.filter(iso2="BY").exists()


def test_an_editor_sets_the_country_that_proposed_an_organization(editor_api):
    # Organization.proposed_by_country could not be read or written through the API.
    make_country("KZ", "KAZ", "Kazakhstan")
    make_organization("cis-plus", "CIS Plus", is_published=False)
    response = editor_api.patch("/api/v1/organizations/cis-plus/", {"proposed_by_country": "kz"})
    assert response.status_code == 200, response.json()
    assert Organization.objects.get(slug="cis-plus").proposed_by_country.iso2 == "KZ"
    Organization.objects.filter(slug="cis-plus").update(is_published=True)
    shown = APIClient().get("/api/v1/organizations/cis-plus/").json()["proposed_by_country"]
    assert shown["iso2"] == "KZ"
    assert shown["name"] == "Kazakhstan"
    assert shown["url"].endswith("/api/v1/countries/kz/")
