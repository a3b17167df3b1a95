"""HTTP done right under /api/: CORS for anonymous reads, cache headers that say who may keep an
answer, Last-Modified, gzip, 304s without a body type (If-None-Match: * included), ETags RFC 9110
accepts, RateLimit headers beside Retry-After, and a root that lists every address."""

import gzip
import re

import pycountry
import pytest
from django.test import override_settings
from django.utils.http import http_date, parse_http_date
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from tests.makers import make_country, make_membership, make_organization, make_staff, token_client

pytestmark = pytest.mark.django_db

# RFC 9110: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text
ETAG = re.compile(r'^(W/)?"[\x21\x23-\x7e]*"$')


@pytest.fixture
def atlas():
    """The SCO with 30 members: an answer long enough to be worth compressing."""
    sco = make_organization("sco", "Shanghai Cooperation Organisation")
    for entry in list(pycountry.countries)[:30]:
        make_membership(sco, make_country(entry.alpha_2, entry.alpha_3, entry.name), "2001")
    return sco


def test_anonymous_reads_are_open_to_other_sites_without_credentials(atlas):
    api = APIClient(headers={"Origin": "https://notebook.example"})
    response = api.get("/api/v1/memberships/")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = api.options(
        "/api/v1/memberships/", headers={"Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    page = APIClient(headers={"Origin": "https://notebook.example"}).get("/")
    assert "Access-Control-Allow-Origin" not in page


def test_anonymous_answers_are_public_and_signed_in_ones_private(atlas):
    anonymous = APIClient().get("/api/v1/memberships/")
    assert anonymous["Cache-Control"].startswith("public")
    assert "max-age" in anonymous["Cache-Control"]
    editor = token_client(make_staff("Editor", "editor")).get("/api/v1/memberships/")
    assert editor["Cache-Control"].startswith("private")
    assert {"Authorization", "Cookie"} <= {v.strip() for v in editor["Vary"].split(",")}
    assert "no-store" in APIClient().get("/api/v1/memberships/?as_of=x")["Cache-Control"]


def test_last_modified_is_the_atlas_last_change_and_if_modified_since_answers_304(atlas):
    api = APIClient()
    response = api.get("/api/v1/organizations/sco/")
    assert response.status_code == 200
    again = api.get(
        "/api/v1/organizations/sco/", headers={"If-Modified-Since": response["Last-Modified"]}
    )
    assert again.status_code == 304
    earlier = http_date(parse_http_date(response["Last-Modified"]) - 60)
    assert (
        api.get("/api/v1/organizations/sco/", headers={"If-Modified-Since": earlier}).status_code
        == 200
    )


@pytest.mark.parametrize("query", ["", "?format=csv"])
def test_json_and_csv_are_gzipped_for_clients_that_take_it(atlas, query):
    api = APIClient(headers={"Accept-Encoding": "gzip"})
    for _ in range(2):  # a miss, then a hit of the page cache
        response = api.get(f"/api/v1/memberships/{query}")
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content)
    plain = APIClient().get(f"/api/v1/memberships/{query}")
    assert "Content-Encoding" not in plain


@pytest.mark.parametrize("query", ["", "?format=csv"])
def test_etags_are_valid_and_a_matching_one_answers_304_without_a_body(atlas, query):
    api = APIClient()
    response = api.get(f"/api/v1/memberships/{query}")
    assert ETAG.match(response["ETag"]), response["ETag"]
    for tag in (response["ETag"], "*", f'"other", {response["ETag"]}'):
        again = api.get(f"/api/v1/memberships/{query}", headers={"If-None-Match": tag})
        assert again.status_code == 304, tag
        assert not again.content
        assert "Content-Type" not in again
        assert again["ETag"] == response["ETag"]


def test_rate_limit_headers_and_retry_after_when_throttled(atlas):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    with override_settings(REST_FRAMEWORK={**_rest_framework(), "DEFAULT_THROTTLE_RATES": rates}):
        api = APIClient(REMOTE_ADDR="203.0.113.9")
        first = api.get("/api/v1/organizations/")
        assert first["RateLimit-Limit"] == "3"
        assert first["RateLimit-Remaining"] == "2"
        assert 0 < int(first["RateLimit-Reset"]) <= 60
        api.get("/api/v1/organizations/")
        api.get("/api/v1/organizations/")
        refused = api.get("/api/v1/organizations/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["RateLimit-Remaining"] == "0"
    assert int(refused["Retry-After"]) > 0


def test_anonymous_clients_are_counted_by_the_anonymous_rate_alone(atlas):
    """The signed-in rate does not count anonymous clients a second time, and the anonymous
    rate does not apply to a signed-in one."""
    rates = {"anon": "5/minute", "user": "1/minute"}
    with override_settings(REST_FRAMEWORK={**_rest_framework(), "DEFAULT_THROTTLE_RATES": rates}):
        anonymous = APIClient(REMOTE_ADDR="203.0.113.10")
        answers = [anonymous.get("/api/v1/organizations/") for _ in range(3)]
        assert [answer.status_code for answer in answers] == [200, 200, 200]
        assert answers[-1]["RateLimit-Limit"] == "5"
        assert answers[-1]["RateLimit-Remaining"] == "2"
        signed_in = token_client(make_staff("Editor", "throttled-reader"))
        assert signed_in.get("/api/v1/organizations/").status_code == 200
        refused = signed_in.get("/api/v1/organizations/")
    assert refused.status_code == 429
    assert refused["RateLimit-Limit"] == "1"


def _rest_framework():
    from django.conf import settings

    return settings.REST_FRAMEWORK


def test_the_root_lists_every_address(atlas):
    root = APIClient().get("/api/v1/").json()
    for name in (
        "organizations",
        "memberships",
        "agreements",
        "overlap",
        "changes",
        "timeline",
        "problems",
        "schema",
        "docs",
        "downloads",
    ):
        assert name in root, name
    assert root["overlap"].endswith("/api/v1/overlap/")
    assert root["timeline"].endswith("/api/v1/organizations/{slug}/timeline/")


def test_an_unknown_address_under_the_api_is_a_problem_too(atlas):
    response = APIClient().get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/problems/not-found/")
