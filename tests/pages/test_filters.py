"""Pages filter their lists with the API's FilterSets: the API's parameter names, and the pages'
older names as aliases, so no link breaks."""

import re

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def event_slugs(html: str) -> list[str]:
    return re.findall(r'<li class="event"><a href="/events/([^/]+)/"', html)


def test_events_take_the_api_names_and_the_older_ones(client, seed):
    older = client.get("/events/?from=2024-01-01&until=2024-12-31").content.decode()
    api_names = client.get("/events/?start_after=2024-01-01&start_before=2024-12-31")
    assert event_slugs(older) == event_slugs(api_names.content.decode())
    assert event_slugs(older)
    assert 'name="start_after" value="2024-01-01"' in older


def test_quotes_take_the_api_names_and_the_older_ones(client, seed):
    older = client.get("/quotes/?organization=sco").content.decode()
    api_names = client.get("/quotes/?about_organization=sco").content.decode()
    summary = re.compile(r'<p class="summary">(.*?)</p>')
    assert summary.search(older)[1] == summary.search(api_names)[1]
    assert "matching the filter" in summary.search(older)[1]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/events/?until=2024-13-01", "until"),
        ("/events/?start_before=2024-13-01", "start_before"),
        ("/events/?start_after=2025-01-01&until=2024-01-01", "start_after"),
        ("/quotes/?country=zz", "country"),
        ("/quotes/?about_country=zz", "about_country"),
        ("/agreements/?kind=planet", "kind"),
        ("/sources/?published_after=yesterday", "published_after"),
    ],
)
def test_a_bad_value_names_the_parameter_as_the_address_wrote_it(client, seed, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    assert f"The {parameter} parameter is invalid" in response.content.decode()


def test_the_api_takes_the_pages_older_names_too(seed):
    api = APIClient()
    older = api.get("/api/v1/events/", {"from": "2024-10-01", "until": "2024-10-31"}).json()
    api_names = api.get(
        "/api/v1/events/", {"start_after": "2024-10-01", "start_before": "2024-10-31"}
    ).json()
    assert older["results"] == api_names["results"]
    response = api.get("/api/v1/events/", {"until": "soon"})
    assert response.status_code == 400
    assert "until" in response.json()["errors"]
