"""Search: organizations by any name (Cyrillic too), countries, people and quote text."""

import pytest
from django.db import connection

from tests.makers import make_organization

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["ШОС", "шос", "Shanghai", "sco"])
def test_it_finds_the_sco_by_any_of_its_names(client, seed, query):
    html = client.get("/search/", {"q": query}).content.decode()
    assert 'href="/organizations/sco/"' in html


def test_it_finds_countries_people_and_quotes(client, seed):
    assert 'href="/countries/by/"' in client.get("/search/?q=belarus").content.decode()
    assert 'href="/countries/by/"' in client.get("/search/?q=BLR").content.decode()
    html = client.get("/search/?q=Tokayev").content.decode()
    assert 'href="/people/kassym-jomart-tokayev/"' in html
    html = client.get("/search/?q=entrance ticket").content.decode()
    assert "Quotes" in html
    assert "Kortunov" in html


def test_an_empty_query_shows_the_form_only(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert "result" not in response.content.decode().split("<main")[1]


def test_drafts_are_not_found(client):
    secret = make_organization("secret", "Secret club")
    secret.is_published = False
    secret.save()
    assert "Secret club" not in client.get("/search/?q=secret").content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text and trigram search run on PostgreSQL"
)
def test_postgresql_search_forgives_a_misspelt_name(client, seed):
    html = client.get("/search/", {"q": "Shangai Cooperation"}).content.decode()
    assert 'href="/organizations/sco/"' in html
    assert 'href="/organizations/brics/"' not in html
