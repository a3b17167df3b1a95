"""Rendered pages and API answers are cached, and an editor's save is seen on the next request."""

import gzip

import pytest
from django.test import RequestFactory

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


# --- one edit makes stale only the pages that show it --------------------------------------------

SHOWING_THE_SPELL = ["/organizations/sco/", "/countries/by/", "/"]
NOT_SHOWING_IT = [
    "/organizations/eaeu/",
    "/countries/kz/",
    "/api/v1/memberships/?organization=eaeu&as_of=2025-07-01",
    "/api/v1/overlap/?organizations=brics,eaeu&as_of=2025-07-01",
]


def _belarus_in_the_sco():
    return Membership.objects.get(
        organization__slug="sco", member_country__iso2="BY", status="member"
    )


def test_an_approved_edit_of_one_spell_leaves_unrelated_pages_cached(client, seed):
    from orgs.services import review
    from tests.makers import make_staff

    editor, reviewer = make_staff("Editor", "editor"), make_staff("Reviewer", "reviewer")

    for url in SHOWING_THE_SPELL + NOT_SHOWING_IT:
        assert client.get(url)["X-Atlas-Cache"] == "miss", url
    collector = review.ChangeCollector(user=editor, reason="the accession treaty")
    edited = _belarus_in_the_sco()
    edited.qualifier = "newly admitted"
    assert collector.save(edited) is True
    for url in SHOWING_THE_SPELL:  # proposing changes nothing the public sees
        assert client.get(url)["X-Atlas-Cache"] == "hit", url

    review.change_set_approve(change_set=collector.change_set, user=reviewer, reason="checked")

    for url in ["/organizations/sco/", "/countries/by/"]:
        response = client.get(url)
        assert response["X-Atlas-Cache"] == "miss", url
        assert "newly admitted" in response.content.decode(), url
    assert client.get("/")["X-Atlas-Cache"] == "miss"  # the atlas-wide pages follow every edit
    for url in NOT_SHOWING_IT:
        assert client.get(url)["X-Atlas-Cache"] == "hit", url


def test_a_spell_moved_to_another_member_makes_both_members_pages_stale(client, seed):
    from orgs.models import Country, Membership

    # A country never in the SCO, so the moved spell overlaps none of its own (PostgreSQL's
    # exclusion constraint would refuse that).
    in_the_sco = Membership.objects.filter(organization__slug="sco").values("member_country")
    other = Country.objects.published().exclude(pk__in=in_the_sco).order_by("iso2").first()
    moved_to = f"/countries/{other.iso2.lower()}/"
    for url in ["/countries/by/", moved_to, "/countries/ru/"]:
        client.get(url)
    spell = _belarus_in_the_sco()
    spell.member_country = other
    spell.save()
    assert client.get("/countries/by/")["X-Atlas-Cache"] == "miss"
    assert client.get(moved_to)["X-Atlas-Cache"] == "miss"
    assert client.get("/countries/ru/")["X-Atlas-Cache"] == "hit"


def test_a_change_not_worked_out_narrowly_reaches_every_page(client, seed):
    from orgs.models import Organization

    client.get("/organizations/eaeu/")
    sco = Organization.objects.get(slug="sco")
    sco.name = "Shanghai Cooperation Organisation (renamed)"
    sco.save()
    assert client.get("/organizations/eaeu/")["X-Atlas-Cache"] == "miss"


def test_a_page_filled_while_an_edit_commits_is_not_served_after_it(client, seed):
    """The versions are read before the view reads the data: a page rendered from data older
    than an edit is stored under the versions before it, so it is never a hit afterwards."""
    from unittest import mock

    from eurasia import middleware

    real = middleware.versions_and

    def edit_after_reading_the_versions(tags, keys):
        found = real(tags, keys)
        spell = _belarus_in_the_sco()
        spell.qualifier = "edited meanwhile"
        spell.save()
        return found

    with mock.patch.object(middleware, "versions_and", edit_after_reading_the_versions):
        client.get("/countries/by/")
    assert client.get("/countries/by/")["X-Atlas-Cache"] == "miss"


def test_cached_answers_name_their_keys_for_a_proxy(client, seed):
    page = client.get("/organizations/sco/")
    assert page["Surrogate-Key"] == "all org-sco"
    assert "s-maxage" in page["Cache-Control"]
    assert "public" in page["Cache-Control"]
    hit = client.get("/organizations/sco/")
    assert hit["Surrogate-Key"] == "all org-sco"
    assert client.get("/countries/by/")["Surrogate-Key"] == "all country-by"
    assert client.get("/")["Surrogate-Key"] == "all any"
    overlap = client.get("/api/v1/overlap/?organizations=sco,eaeu")
    assert overlap["Surrogate-Key"] == "all org-sco org-eaeu"


def test_cached_bodies_are_kept_and_sent_gzipped_to_clients_that_take_it(client, seed):
    from django.core.cache import cache

    from eurasia.middleware import page_cache_key

    url = "/organizations/sco/"
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["X-Atlas-Cache"] == "hit"
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content) / 3
    # What the cache holds is the gzipped body, compressed once when the page was stored.
    request = RequestFactory().get(url)
    assert cache.get(page_cache_key(request))[3] == zipped.content
    # A client without gzip still gets the plain page from the same entry.
    again = client.get(url)
    assert again["X-Atlas-Cache"] == "hit"
    assert again.content == plain.content
    assert "Content-Encoding" not in again


def test_a_miss_is_sent_gzipped_too_and_revalidates_with_its_weak_etag(client, seed):
    url = "/api/v1/organizations/sco/"
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first["X-Atlas-Cache"] == "miss"
    assert first["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.content).startswith(b"{")
    assert first["ETag"].startswith('W/"')
    hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert hit["X-Atlas-Cache"] == "hit"
    assert hit["ETag"] == first["ETag"]
    assert hit.content == first.content
    revalidated = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=hit["ETag"])
    assert revalidated.status_code == 304


def test_a_page_of_today_is_not_served_from_the_cache_after_midnight(client, seed, monkeypatch):
    import datetime

    from django.utils import timezone

    first = client.get("/organizations/sco/")
    assert client.get("/organizations/sco/")["X-Atlas-Cache"] == "hit"
    # A shared cache keeps it no later than midnight either.
    shared_for = int(first["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    now = timezone.localtime()
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo
    )
    assert 0 < shared_for <= (midnight - now).total_seconds() + 1
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert client.get("/organizations/sco/")["X-Atlas-Cache"] == "miss"
    assert client.get("/organizations/sco/")["X-Atlas-Cache"] == "hit"
