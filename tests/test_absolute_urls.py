"""Every public model answers get_absolute_url() with its public page."""

import datetime

import pytest

from orgs.models import Agreement, Event, Person
from tests.makers import make_country, make_organization, make_source

pytestmark = pytest.mark.django_db


def make_person() -> Person:
    return Person.objects.create(name="Kassym-Jomart Tokayev", slug="tokayev", is_published=True)


def make_agreement() -> Agreement:
    return Agreement.objects.create(
        title="EAEU–Mongolia interim trade agreement", slug="eaeu-mongolia", is_published=True
    )


def make_event() -> Event:
    return Event.objects.create(
        name="SCO summit in Astana",
        slug="sco-astana-2024",
        start=datetime.date(2024, 7, 3),
        is_published=True,
    )


@pytest.mark.parametrize(
    ("make", "path"),
    [
        (lambda: make_country(iso2="KZ", iso3="KAZ", name="Kazakhstan"), "/countries/kz/"),
        (lambda: make_organization(slug="sco", name="SCO"), "/organizations/sco/"),
        (make_person, "/people/tokayev/"),
        (make_agreement, "/agreements/eaeu-mongolia/"),
        (make_event, "/events/sco-astana-2024/"),
    ],
    ids=["country", "organization", "person", "agreement", "event"],
)
def test_get_absolute_url_is_the_public_page(client, make, path):
    record = make()
    assert record.get_absolute_url() == path
    assert client.get(record.get_absolute_url()).status_code == 200


def test_a_source_answers_its_page_by_primary_key(client):
    source = make_source("Tokayev proposes CIS Plus")
    assert source.get_absolute_url() == f"/sources/{source.pk}/"
    assert client.get(source.get_absolute_url()).status_code == 200
