"""/api/v1/reviews/ and the 202 answer: an Editor's write to a published record waits for a
Reviewer, and the public representation stays as it was until then."""

import pytest

from orgs.dates import PartialDate
from orgs.models import ChangeSet, Membership
from orgs.services import review
from tests.makers import make_country, make_membership, make_organization, make_staff, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_staff("Editor", "editor")


@pytest.fixture
def reviewer():
    return make_staff("Reviewer", "reviewer")


@pytest.fixture
def spell():
    return make_membership(make_organization("sco", acronym="SCO"), make_country(), "2024-07-04")


@pytest.fixture
def change_set(editor, spell):
    collector = review.ChangeCollector(user=editor, reason="left")
    edited = Membership.objects.get(pk=spell.pk)
    edited.end_partial = PartialDate.parse("2025-01")
    collector.save(edited)
    return collector.change_set


def test_a_reviewer_lists_pending_sets_with_their_diff(reviewer, change_set):
    body = token_client(reviewer).get("/api/v1/reviews/").json()
    [row] = body["results"]
    assert row["id"] == change_set.pk
    assert row["state"] == "pending"
    assert row["author"] == "editor"
    assert row["records"] == 1
    [change] = row["changes"]
    assert change["model"] == "membership"
    assert change["action"] == "update"
    assert {"field": "end", "label": "end", "old": "—", "new": "January 2025"} in change["fields"]


def test_an_editor_lists_only_their_own_sets(editor, change_set):
    other = make_staff("Editor", "other")
    assert token_client(other).get("/api/v1/reviews/").json()["results"] == []
    assert token_client(other).get(f"/api/v1/reviews/{change_set.pk}/").status_code == 404
    assert token_client(editor).get(f"/api/v1/reviews/{change_set.pk}/").status_code == 200


def test_anonymous_callers_cannot_read_reviews(client, change_set):
    assert client.get("/api/v1/reviews/").status_code in (401, 403)


def test_an_unknown_state_is_a_400_naming_it(reviewer, change_set):
    response = token_client(reviewer).get("/api/v1/reviews/?state=waiting")
    assert response.status_code == 400
    assert "state" in response.json()["errors"]


def test_approving_applies_the_set(reviewer, change_set, spell):
    response = token_client(reviewer).post(
        f"/api/v1/reviews/{change_set.pk}/approve/", {"reason": "checked"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "approved"
    spell.refresh_from_db()
    assert spell.end_partial.iso == "2025-01"


def test_an_editor_cannot_approve(editor, change_set, spell):
    response = token_client(editor).post(f"/api/v1/reviews/{change_set.pk}/approve/", {})
    assert response.status_code == 403
    change_set.refresh_from_db()
    assert change_set.state == ChangeSet.State.PENDING


def test_a_set_that_no_longer_applies_answers_409_naming_the_conflict(reviewer, change_set, spell):
    Membership.objects.filter(pk=spell.pk).update(note="edited meanwhile")
    response = token_client(reviewer).post(f"/api/v1/reviews/{change_set.pk}/approve/", {})
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]
    spell.refresh_from_db()
    assert spell.end is None


def test_rejecting_keeps_the_reason_for_the_editor(reviewer, editor, change_set):
    response = token_client(reviewer).post(
        f"/api/v1/reviews/{change_set.pk}/reject/", {"reason": "no source"}
    )
    assert response.status_code == 200
    mine = token_client(editor).get("/api/v1/reviews/?state=rejected").json()["results"]
    assert [(row["id"], row["decision_reason"]) for row in mine] == [(change_set.pk, "no source")]


def test_the_schema_documents_reviews_and_the_202_answers(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert {"/api/v1/reviews/", "/api/v1/reviews/{id}/approve/"} <= set(schema["paths"])
    patch = schema["paths"]["/api/v1/memberships/{id}/"]["patch"]
    assert "202" in patch["responses"]
    assert "202" in schema["paths"]["/api/v1/memberships/"]["post"]["responses"]
