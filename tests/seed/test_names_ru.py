"""The seed carries the organizations' own Russian names (names-ru.json) and invents none."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from orgs.models import Organization, Person

FIXTURE = Path(settings.BASE_DIR) / "fixtures/seed.json"
NAMES_RU = Path(settings.BASE_DIR).parent / "shared/reference/names-ru.json"


def fixture_records(model: str) -> list[dict]:
    return [
        record["fields"]
        for record in json.loads(FIXTURE.read_text(encoding="utf-8"))
        if record["model"] == f"orgs.{model}"
    ]


@pytest.mark.django_db
def test_the_seeded_sco_has_its_own_russian_name_and_abbreviation(seed):
    sco = Organization.objects.get(slug="sco")
    assert sco.name_ru == "Шанхайская организация сотрудничества"
    assert sco.acronym_ru == "ШОС"
    assert Organization.objects.get(slug="cis").acronym_ru == "СНГ"
    # A body without a Russian abbreviation keeps none rather than a made-up one.
    assert Organization.objects.get(slug="sco-secretariat").acronym_ru == ""


def test_every_russian_name_in_the_fixture_is_the_reference_files_own():
    if not NAMES_RU.is_file():
        pytest.skip(f"reference names not found at {NAMES_RU}")
    reference = json.loads(NAMES_RU.read_text(encoding="utf-8"))["organizations"]
    russian = {entry["name"] for entry in reference.values()}
    abbreviations = {entry.get("abbreviation", "") for entry in reference.values()}
    organizations = fixture_records("organization")
    assert {fields["name_ru"] for fields in organizations} <= russian | {""}
    assert {fields["acronym_ru"] for fields in organizations} <= abbreviations | {""}
    # Every organization the reference names in Russian got that name.
    assert {fields["name_ru"] for fields in organizations} >= russian


@pytest.mark.django_db
def test_people_get_no_russian_name_the_reference_does_not_carry(seed):
    # The reference files give people no native-script names or aliases: none is invented.
    assert not Person.objects.exclude(name_ru="").exists()
