"""Every public model answers get_absolute_url() with its public page."""

import pytest

from tests.makers import (
    make_agreement,
    make_country,
    make_event,
    make_organization,
    make_person,
    make_source,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("make", "path"),
    [
        (lambda: make_country(iso2="KZ", iso3="KAZ", name="Kazakhstan"), "/countries/kz/"),
        (lambda: make_organization(slug="sco", name="SCO"), "/organizations/sco/"),
        (lambda: make_person("Kassym-Jomart Tokayev", "tokayev"), "/people/tokayev/"),
        (lambda: make_agreement("eaeu-mongolia"), "/agreements/eaeu-mongolia/"),
        (lambda: make_event("sco-astana-2024", "2024-07-03"), "/events/sco-astana-2024/"),
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
