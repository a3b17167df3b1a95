"""A lost database answers 503 with Retry-After, an HTML page or API JSON, never a 500
traceback; the next request after it comes back is served again (issue 8)."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, override_settings

from tests.makers import make_organization

pytestmark = pytest.mark.django_db

LOST = OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def client():
    # The 503 is the response under test: do not re-raise the error into the test.
    return Client(raise_request_exception=False)


@pytest.fixture
def database_down():
    with mock.patch.object(connection, "cursor", side_effect=LOST) as cursor:
        yield cursor


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Temporarily unavailable" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body


def assert_unavailable_json(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    problem = response.json()  # problem details, as every API error
    assert problem["status"] == 503
    assert problem["detail"] == "The database is unavailable; try again shortly."


@pytest.mark.parametrize(
    "path", ["/", "/organizations/", "/organizations/sco/", "/compare/", "/search/?q=sco"]
)
def test_a_page_answers_503_while_the_database_is_down(client, path):
    make_organization("sco")
    with mock.patch.object(connection, "cursor", side_effect=LOST):
        response = client.get(path)
    assert_unavailable_page(response)
    assert "Content-Security-Policy" in response


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organizations/",
        "/api/v1/memberships/?as_of=2020-01-01",
        "/api/v1/overlap/?organizations=sco,brics",
    ],
)
def test_the_api_answers_json_503_while_the_database_is_down(client, path, database_down):
    assert_unavailable_json(client.get(path))


def test_an_interface_error_is_a_503_too(client):
    with mock.patch.object(connection, "cursor", side_effect=InterfaceError("connection closed")):
        assert_unavailable_json(client.get("/api/v1/countries/"))


def test_a_database_error_in_a_middleware_answers_503(client):
    """The session is saved by SessionMiddleware after the view: its error is replaced too."""
    get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    with mock.patch.object(SessionStore, "save", side_effect=LOST):
        response = client.post("/admin/login/", {"username": "root", "password": "pw"})
    assert_unavailable_page(response)
    assert response["X-Frame-Options"] == "DENY"


@override_settings(DEBUG=True)
def test_debug_mode_shows_the_503_not_a_traceback(client, database_down):
    assert_unavailable_page(client.get("/organizations/"))


def test_the_site_recovers_when_the_database_is_back(client):
    make_organization("sco")
    with mock.patch.object(connection, "cursor", side_effect=LOST):
        assert client.get("/organizations/sco/").status_code == 503
    assert client.get("/organizations/sco/").status_code == 200
    assert client.get("/api/v1/organizations/sco/").status_code == 200


def test_other_errors_stay_500(client):
    with mock.patch(
        "orgs.pages.organizations.OrganizationListView.get", side_effect=RuntimeError("bug")
    ):
        response = client.get("/organizations/")
    assert response.status_code == 500
