"""Person pages: quotes and the roles held when speaking."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_shows_quotes_with_the_role_held_when_speaking(client, seed):
    html = client.get("/people/andrey-sazonov/").content.decode()
    assert "Andrey Sazonov" in html
    assert "Roles held when speaking" in html
    assert "CIS Plus platform" in html
    assert 'class="unsourced"' not in html


def test_it_shows_what_the_person_proposed(client, seed):
    html = client.get("/people/kassym-jomart-tokayev/").content.decode()
    assert 'href="/organizations/cis-plus/"' in html


def test_an_unknown_person_is_a_404(client):
    assert client.get("/people/nobody/").status_code == 404
