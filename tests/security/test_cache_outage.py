"""With REDIS_URL pointing at a Redis that is down, pages and the API are served from the
database; the cache reads as misses and writes are dropped (issue 8)."""

import socket
import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.makers import make_country, make_membership, make_organization

DOWN = {
    "default": {
        "BACKEND": "eurasia.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:6390/0",
    }
}


def redis_up(port=6379) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_down():
    assert not redis_up(6390), "something listens on 127.0.0.1:6390"
    with override_settings(CACHES=DOWN):
        yield


def test_the_cache_degrades_to_misses_and_no_ops(redis_down):
    started = time.monotonic()
    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.get("key", "fallback") == "fallback"
    assert cache.add("key", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("key", "computed") == "computed"
    cache.delete("key")
    cache.delete_many(["a"])
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")
    assert time.monotonic() - started < 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/organizations/",
        "/organizations/sco/",
        "/countries/by/",
        "/compare/",
        "/search/?q=sco",
        "/api/v1/organizations/",
        "/api/v1/memberships/",
        "/admin/login/",
    ],
)
def test_pages_and_api_are_served_while_redis_is_down(client, redis_down, path):
    sco = make_organization("sco", acronym="SCO")
    make_membership(sco, make_country(), "2024-07-04")
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_admin_login_still_works_while_redis_is_down(client, redis_down):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("editor", password="right-password", is_staff=True)
    assert client.post("/admin/login/", {"username": "editor", "password": "x"}).status_code == 200
    response = client.post("/admin/login/", {"username": "editor", "password": "right-password"})
    assert response.status_code == 302


@pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_the_cache_works_when_redis_is_up():
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "eurasia.cache.ResilientRedisCache",
                "LOCATION": "redis://127.0.0.1:6379/15",
                "KEY_PREFIX": "eurasia-test-security",
            }
        }
    ):
        cache.set("key", "value", 30)
        assert cache.get("key") == "value"
        cache.add("counter", 0, 30)
        assert cache.incr("counter") == 1
        cache.delete_many(["key", "counter"])
