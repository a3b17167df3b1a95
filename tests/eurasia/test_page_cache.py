"""Rendered pages and API answers are cached, and an editor's save is seen on the next request."""

import pytest

from orgs.models import Membership

pytestmark = pytest.mark.django_db


def test_a_page_is_served_from_the_cache_the_second_time(client, seed, django_assert_num_queries):
    first = client.get("/organizations/sco/")
    assert first["X-Atlas-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/organizations/sco/")
    assert second["X-Atlas-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_an_edited_spell_shows_on_the_next_request(client, seed):
    assert "Belarus" in client.get("/organizations/sco/?as_of=2025-07-01").content.decode()
    belarus = Membership.objects.get(
        organization__slug="sco", member_country__iso2="BY", status="member"
    )
    belarus.qualifier = "newly admitted"
    belarus.save()
    response = client.get("/organizations/sco/?as_of=2025-07-01")
    assert response["X-Atlas-Cache"] == "miss"
    assert "newly admitted" in response.content.decode()


def test_api_answers_are_cached_and_invalidated(client, seed):
    url = "/api/v1/memberships/?organization=sco&status=member&as_of=2025-07-01"
    assert client.get(url).json()["count"] == 10
    assert client.get(url)["X-Atlas-Cache"] == "hit"
    Membership.objects.get(
        organization__slug="sco", member_country__iso2="BY", status="member"
    ).delete()
    response = client.get(url)
    assert response["X-Atlas-Cache"] == "miss"
    assert response.json()["count"] == 9


def test_a_cached_answer_still_revalidates_with_its_etag(client, seed):
    url = "/api/v1/organizations/sco/"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_signed_in_staff_and_the_admin_are_never_cached(admin_client, seed):
    assert "X-Atlas-Cache" not in admin_client.get("/organizations/sco/")
    assert "X-Atlas-Cache" not in admin_client.get("/admin/")


def test_errors_are_not_cached(client, seed):
    assert client.get("/organizations/no-such-organization/").status_code == 404
    assert "X-Atlas-Cache" not in client.get("/organizations/no-such-organization/")


def test_a_cached_page_keeps_its_security_headers(client, seed):
    first = client.get("/organizations/sco/")
    hit = client.get("/organizations/sco/")
    assert hit["X-Atlas-Cache"] == "hit"
    for header in ("X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options"):
        assert hit[header] == first[header]
