"""Failed admin logins are limited per client IP and per username from that IP: 429 with
Retry-After. Nobody can lock an editor out by failing to log in as them from elsewhere."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("editor", password="right-password", is_staff=True)


def attempt(client, username, password="wrong", ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_for_a_username_lock_it_out_with_429(client, editor):
    for _ in range(5):
        assert attempt(client, "editor").status_code == 200
    response = attempt(client, "editor", "right-password")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 15 * 60
    body = response.content.decode()
    assert "Too many failed logins" in body
    assert "try again" in body
    assert "_auth_user_id" not in client.session


def test_the_username_limit_holds_for_the_same_name_written_differently(client, editor):
    for _ in range(5):
        attempt(client, "editor")
    assert attempt(client, "Editor ").status_code == 429


def test_nobody_can_lock_an_editor_out_from_another_address(client, editor):
    """Wrong passwords for a name lock out the address that sent them, not the editor."""
    for _ in range(10):
        attempt(client, "editor", ip="203.0.113.7")
    assert attempt(client, "editor", "right-password", ip="203.0.113.7").status_code == 429
    assert attempt(client, "editor", "right-password", ip="198.51.100.9").status_code == 302


@override_settings(NUM_PROXIES=1)
def test_a_forged_forwarded_header_does_not_mint_fresh_addresses(client, editor):
    """Behind one proxy only the address the proxy appended counts, not what the client wrote."""
    for number in range(20):
        client.post(
            LOGIN,
            {"username": f"guess-{number}", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.7",
        )
    blocked = client.post(
        LOGIN,
        {"username": "editor", "password": "right-password"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",
    )
    assert blocked.status_code == 429


def test_twenty_failures_from_one_address_lock_it_out(client, editor):
    for number in range(20):
        assert attempt(client, f"guess-{number}").status_code == 200
    assert attempt(client, "editor", "right-password").status_code == 429
    # Another address may still log in.
    response = attempt(client, "editor", "right-password", ip="198.51.100.9")
    assert response.status_code == 302


def test_a_successful_login_clears_the_username_count(client, editor):
    for _ in range(4):
        attempt(client, "editor")
    assert attempt(client, "editor", "right-password").status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "editor").status_code == 200
    assert attempt(client, "editor", "right-password").status_code == 302


def test_reading_the_login_page_is_never_limited(client, editor):
    for _ in range(6):
        attempt(client, "editor")
    assert client.get(LOGIN).status_code == 200


@override_settings(NUM_PROXIES=1)
def test_behind_a_proxy_the_forwarded_address_counts(client, editor):
    for number in range(20):
        client.post(
            LOGIN,
            {"username": f"guess-{number}", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    blocked = client.post(
        LOGIN,
        {"username": "editor", "password": "right-password"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert blocked.status_code == 429
    other = client.post(
        LOGIN,
        {"username": "editor", "password": "right-password"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert other.status_code == 302


def test_the_api_throttles_are_configured():
    from rest_framework.settings import api_settings

    assert set(api_settings.DEFAULT_THROTTLE_RATES) >= {"anon", "user"}
    assert len(api_settings.DEFAULT_THROTTLE_CLASSES) == 2
