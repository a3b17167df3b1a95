"""The memberships list and the overlap built as plain rows (orgs.api.rows) and written by
orjson answer what the serializers and DRF's JSON renderer answer: the same bytes, the same
ETag, page after page, in both languages, as CSV too, with no more queries."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import renderers
from rest_framework.test import APIClient

from orgs.api import analysis, views
from orgs.api.renderers import CSVRenderer, FastJSONRenderer
from orgs.models import Membership, Organization
from tests.makers import token_client

pytestmark = pytest.mark.django_db

DRF_RENDERERS = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, CSVRenderer]


def answer(client, url, *, fast, monkeypatch):
    """The answer to ``url`` by the fast path or by the serializers (and DRF's renderer)."""
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(views.MembershipViewSet, "fast_rows", False)
            patch.setattr(views.AtlasViewSet, "renderer_classes", DRF_RENDERERS)
            patch.setattr(analysis.OverlapView, "fast_rows", False)
            patch.setattr(analysis.ReadView, "renderer_classes", DRF_RENDERERS)
        cache.clear()  # neither the page cache nor the throttle sees the other path's request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response, len(queries)


def assert_same_pages(client, url, monkeypatch) -> int:
    """Compare every page of ``url``; the number of pages."""
    pages = 0
    while url:
        fast, fast_queries = answer(client, url, fast=True, monkeypatch=monkeypatch)
        reference, reference_queries = answer(client, url, fast=False, monkeypatch=monkeypatch)
        assert fast["Content-Type"] == reference["Content-Type"]
        assert fast.content == reference.content, url
        assert fast["ETag"] == reference["ETag"]
        # No more queries (the overlap's one fewer: it does not read citations it never shows).
        assert fast_queries <= reference_queries, url
        pages += 1
        url = None
        if fast["Content-Type"] == "application/json":
            body = json.loads(fast.content)
            assert body == json.loads(reference.content)
            url = body.get("next") if isinstance(body, dict) else None
    return pages


MEMBERSHIP_LISTS = [
    "/api/v1/memberships/?page_size=20",
    "/api/v1/memberships/?organization=sco&as_of=2025-07-01",
    "/api/v1/memberships/?as_of=2023-01-01&status=member,observer&page_size=25",
    "/api/v1/memberships/?as_of=2024-07-15&certain=false",
    "/api/v1/memberships/?certain=true&member_kind=organization",
    "/api/v1/memberships/?member=by&ordering=-start",
    "/api/v1/memberships/?organization=brics&is_founding=true&rank=normal",
    "/api/v1/memberships/?lang=ru&page_size=30&as_of=2025-07-01",
    "/api/v1/memberships/?format=csv",
    "/api/v1/memberships/?format=csv&organization=sco&as_of=2025-07-01&lang=ru",
]
OVERLAPS = [
    "/api/v1/overlap/?organizations=sco,brics,eaeu&as_of=2025-07-01",
    "/api/v1/overlap/?organizations=sco,brics&status=member,observer",
    "/api/v1/overlap/?organizations=csto,eaeu,cis,sco&lang=ru&as_of=2015-01-01",
    "/api/v1/overlap/?organizations=sco,brics,eaeu&as_of=2025-07-01&format=csv",
]


@pytest.mark.parametrize("url", MEMBERSHIP_LISTS + OVERLAPS)
def test_the_fast_path_answers_what_the_serializers_answer(seed, monkeypatch, url):
    assert assert_same_pages(APIClient(), url, monkeypatch) >= 1


def test_every_page_of_the_whole_list_is_compared(seed, monkeypatch):
    pages = assert_same_pages(APIClient(), "/api/v1/memberships/?page_size=40", monkeypatch)
    assert pages == -(-Membership.objects.visible(False).count() // 40)


def test_in_russian_by_accept_language(seed, monkeypatch):
    client = APIClient(headers={"Accept-Language": "ru"})
    assert_same_pages(client, "/api/v1/memberships/?organization=sco", monkeypatch)
    assert_same_pages(client, "/api/v1/overlap/?organizations=sco,brics", monkeypatch)


def test_drafts_are_named_to_staff_and_hidden_from_the_public_alike(seed, monkeypatch):
    # A spell another one continues becomes a draft, and so does an organization that is a
    # member elsewhere: the public sees neither, staff asking for drafts see both.
    continued = Membership.objects.filter(continued_by__isnull=False).first()
    assert continued is not None
    Membership.objects.filter(pk=continued.pk).update(is_published=False)
    member = Organization.objects.filter(memberships_as_member__isnull=False).first()
    assert member is not None
    Organization.objects.filter(pk=member.pk).update(is_published=False)
    Organization.objects.filter(slug="eaeu").update(reviewed_through="2025-01-01")

    staff = token_client(get_user_model().objects.create_user("staff", is_staff=True))
    for client in (APIClient(), staff):
        for url in (
            "/api/v1/memberships/?page_size=50&drafts=1",
            f"/api/v1/memberships/?organization={continued.organization.slug}&drafts=1",
            "/api/v1/overlap/?organizations=sco,brics,eaeu&as_of=2025-07-01&drafts=1",
        ):
            assert_same_pages(client, url, monkeypatch)


def test_the_renderer_writes_what_drf_writes():
    data = {
        "text": "line\u2028separator\u2029and ✓ Ш",
        "when": datetime.datetime(2025, 7, 1, 12, 30, tzinfo=datetime.UTC),
        "day": datetime.date(2025, 7, 1),
        "nested": [{"n": 1, "x": 1.5, "none": None, "yes": True}],
        1: "a key that is a number",
    }
    assert FastJSONRenderer().render(data) == renderers.JSONRenderer().render(data)
    indented = FastJSONRenderer().render(data, "application/json; indent=4")
    assert indented == renderers.JSONRenderer().render(data, "application/json; indent=4")
