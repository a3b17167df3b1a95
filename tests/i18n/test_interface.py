"""The interface in Russian under /ru/ and in English at today's addresses: the page's language,
its links to itself in the other language, the admin, and the rules that read addresses."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import translation

from tests.page_text import text_of

pytestmark = pytest.mark.django_db

ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def alternates(page: str) -> dict[str, str]:
    return dict(ALTERNATE.findall(page))


def switcher(page: str) -> str:
    match = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S)
    assert match, "no language switcher"
    return match.group(0)


def test_the_russian_sco_page_speaks_russian(client, seed):
    response = client.get("/ru/organizations/sco/")
    assert response.status_code == 200
    assert response["Content-Language"] == "ru"
    page = response.content.decode()
    assert '<html lang="ru">' in page
    text = text_of(page)
    for words in ("Организации", "Страны", "Сравнение", "Источники", "Члены и партнёры"):
        assert words in text, words
    assert "по состоянию на" in text
    assert "Members and partners" not in text
    assert "Organizations" not in text


def test_the_english_sco_page_links_to_its_russian_twin(client, seed):
    response = client.get("/organizations/sco/")
    page = response.content.decode()
    assert '<html lang="en-GB">' in page
    assert alternates(page) == {
        "en": "http://testserver/organizations/sco/",
        "ru": "http://testserver/ru/organizations/sco/",
        "x-default": "http://testserver/organizations/sco/",
    }
    nav = switcher(page)
    assert 'href="/ru/organizations/sco/"' in nav
    assert '<span aria-current="true" lang="en-GB">English</span>' in nav
    assert "Members and partners as of" in text_of(page)


def test_the_russian_page_links_back_to_english_with_the_same_alternates(client, seed):
    page = client.get("/ru/organizations/sco/").content.decode()
    assert alternates(page)["en"] == "http://testserver/organizations/sco/"
    assert alternates(page)["ru"] == "http://testserver/ru/organizations/sco/"
    nav = switcher(page)
    assert 'href="/organizations/sco/"' in nav
    assert '<span aria-current="true" lang="ru">Русский</span>' in nav


def test_the_switcher_keeps_the_query_string(client, seed):
    page = client.get("/compare/", {"organizations": "sco,brics", "as_of": "2016-01-02"})
    nav = switcher(page.content.decode())
    assert 'href="/ru/compare/?organizations=sco%2Cbrics&amp;as_of=2016-01-02"' in nav
    russian = client.get("/ru/countries/by/?as_of=2016-01-02").content.decode()
    assert 'href="/countries/by/?as_of=2016-01-02"' in switcher(russian)


def test_dates_are_written_in_russian(client, seed):
    text = text_of(client.get("/ru/organizations/sco/?as_of=2024-07-04").content.decode())
    assert "по состоянию на 4 июля 2024" in text


def test_a_missing_page_answers_404_in_its_language(client, seed):
    response = client.get("/ru/organizations/no-such-thing/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="ru">' in page
    assert "Страница не найдена" in page
    assert 'href="/organizations/no-such-thing/"' in switcher(page)
    english = client.get("/organizations/no-such-thing/")
    assert english.status_code == 404
    assert "Not found" in english.content.decode()


def test_the_api_downloads_and_health_check_have_no_russian_prefix(client, seed):
    assert client.get("/ru/api/v1/organizations/").status_code == 404
    assert client.get("/ru/healthz").status_code == 404
    assert client.get("/healthz").status_code == 200


def test_russian_and_english_pages_are_cached_apart(client, seed):
    assert client.get("/organizations/sco/")["X-Atlas-Cache"] == "miss"
    russian = client.get("/ru/organizations/sco/")
    assert russian["X-Atlas-Cache"] == "miss"
    hit = client.get("/ru/organizations/sco/")
    assert hit["X-Atlas-Cache"] == "hit"
    assert '<html lang="ru">' in hit.content.decode()
    assert '<html lang="en-GB">' in client.get("/organizations/sco/").content.decode()


def test_the_russian_admin_is_never_cached(client, seed):
    for _ in range(2):
        response = client.get("/ru/admin/login/")
        assert response.status_code == 200
        assert "X-Atlas-Cache" not in response


def test_the_admin_login_is_in_russian_under_ru(client, seed):
    response = client.get("/ru/admin/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ru"' in page
    assert "Имя пользователя" in page
    assert "Войти" in page
    assert 'href="/admin/login/"' in page  # the switcher, back to English
    english = client.get("/admin/login/").content.decode()
    assert "Username" in english


def test_an_anonymous_russian_admin_page_sends_to_the_russian_login(client, seed):
    response = client.get("/ru/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/admin/login/")


def test_a_russian_login_lands_in_the_russian_admin(client, seed):
    get_user_model().objects.create_user("editor-ru", password="right-password", is_staff=True)
    response = client.post(
        "/ru/admin/login/?next=/ru/admin/",
        {"username": "editor-ru", "password": "right-password"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/ru/admin/"
    page = client.get("/ru/admin/").content.decode()
    assert "Редакционная работа" in page


def test_failed_logins_at_the_russian_address_count_against_the_same_limit(client, seed):
    get_user_model().objects.create_user("editor-ru", password="right-password", is_staff=True)

    def attempt(path, password="wrong"):
        return client.post(
            path, {"username": "editor-ru", "password": password}, REMOTE_ADDR="203.0.113.7"
        )

    for path in ["/ru/admin/login/", "/admin/login/"] * 2 + ["/ru/admin/login/"]:
        assert attempt(path).status_code == 200
    refused = attempt("/ru/admin/login/", "right-password")
    assert refused.status_code == 429
    body = refused.content.decode()
    assert '<html lang="ru">' in body
    assert "Слишком много неудачных попыток входа" in body
    assert "минут" in body
    english = attempt("/admin/login/", "right-password")
    assert english.status_code == 429
    assert "Too many failed logins" in english.content.decode()


def test_a_write_to_a_russian_address_without_its_slash_is_sent_on_with_308(client, seed):
    response = client.post("/ru/search?q=x", {"q": "y"})
    assert response.status_code == 308
    assert response["Location"] == "/ru/search/?q=x"


def test_a_nul_in_a_russian_address_answers_400_in_russian(client, seed):
    response = client.get("/ru/search/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "Адрес содержит символ NUL." in response.content.decode()


def test_a_page_in_one_language_only_offers_no_switch(client, seed):
    """The downloads live outside the language prefixes: no link to a Russian twin that
    would be a 404."""
    response = client.get("/downloads/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="language-switcher"' not in page
    assert 'hreflang="ru"' not in page
    assert client.get("/ru/downloads/").status_code == 404


def test_the_server_error_page_is_in_the_language_of_its_address():
    with translation.override("ru"):
        russian = render_to_string("500.html")
    assert '<html lang="ru">' in russian
    assert "Что-то пошло не так" in russian
    assert 'href="/ru/"' in russian
    english = render_to_string("500.html")
    assert '<html lang="en-GB">' in english
    assert "Something went wrong" in english
    assert 'href="/"' in english
