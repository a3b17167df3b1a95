"""Publishing and unpublishing through the API calls ``orgs.services``: a reviewer's right, and
a claim needs a published source first (issues 5 and 6)."""

import pytest
from rest_framework.test import APIClient

from orgs.models import Agreement, AgreementStage, Citation, Membership
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
def reviewer_api():
    return token_client(make_staff("Reviewer", "reviewer"))


@pytest.fixture
def draft_stage():
    agreement = Agreement.objects.create(slug="eaeu-uae", title="EAEU–UAE")
    stage = AgreementStage(agreement=agreement, stage="signed")
    stage.date_partial = "2025-06-27"
    stage.save()
    return stage


def test_a_reviewer_publishes_a_cited_stage_and_unpublishes_it(reviewer_api, draft_stage):
    Citation.objects.create(claim=draft_stage, source=make_source("Kremlin"))
    url = f"/api/v1/agreement-stages/{draft_stage.pk}/"
    response = reviewer_api.post(f"{url}publish/", {"reason": "checked against the Kremlin"})
    assert response.status_code == 200, response.json()
    assert response.json() == {"is_published": True, "changed": True}
    draft_stage.refresh_from_db()
    assert draft_stage.is_published
    assert draft_stage.history.first().history_change_reason == "checked against the Kremlin"
    assert reviewer_api.post(f"{url}publish/").json() == {"is_published": True, "changed": False}
    assert reviewer_api.post(f"{url}unpublish/").json() == {"is_published": False, "changed": True}
    assert not AgreementStage.objects.get().is_published


def test_an_uncited_stage_is_refused_with_the_reason(reviewer_api, draft_stage):
    response = reviewer_api.post(f"/api/v1/agreement-stages/{draft_stage.pk}/publish/")
    assert response.status_code == 409
    assert "cites no source" in response.json()["detail"]
    assert not AgreementStage.objects.get().is_published


def test_editors_may_not_publish_and_anonymous_callers_are_refused(draft_stage):
    editor_api = token_client(make_staff("Editor", "editor"))
    response = editor_api.post("/api/v1/agreements/eaeu-uae/publish/")
    assert response.status_code == 403
    assert "ask a reviewer" in response.json()["detail"]
    assert APIClient().post("/api/v1/agreements/eaeu-uae/publish/").status_code == 401
    assert not Agreement.objects.get().is_published


def test_every_claim_resource_has_the_actions(reviewer_api):
    spell = make_membership(make_organization("sco"), make_country(), "2024")
    response = reviewer_api.post(f"/api/v1/memberships/{spell.pk}/unpublish/")
    assert response.json() == {"is_published": False, "changed": True}
    assert not Membership.objects.get().is_published
    assert reviewer_api.post("/api/v1/countries/BY/unpublish/").status_code == 200
    assert reviewer_api.post("/api/v1/citations/1/publish/").status_code == 404
