"""Agreements: stages in order, and the stage reached on a date derived from the timeline."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from orgs import selectors
from orgs.models import AgreementParty, AgreementStage, Event, Organization
from tests.makers import (
    make_agreement,
    make_agreement_party,
    make_agreement_stage,
    make_country,
    make_organization,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def agreement():
    record = make_agreement("eaeu-mongolia", "EAEU–Mongolia")
    make_agreement_party(record, make_organization("eaeu"))
    make_agreement_party(record, make_country("MN", "MNG", "Mongolia"))
    return record


def test_the_stage_on_a_date_comes_from_the_timeline(agreement):
    make_agreement_stage(agreement, "negotiations_launched", "2024-05-08", cite=False)
    make_agreement_stage(agreement, "signed", "2025-06-27", cite=False)
    stage_on = {
        on: getattr(selectors.agreement_list(on)[0].current_stage, "stage", None)
        for on in (D(2024, 1, 1), D(2025, 6, 1), D(2025, 6, 27))
    }
    assert stage_on == {
        D(2024, 1, 1): None,
        D(2025, 6, 1): "negotiations_launched",
        D(2025, 6, 27): "signed",
    }


def test_a_stage_inside_its_month_is_uncertain(agreement):
    make_agreement_stage(agreement, "signed", "2025-12", cite=False)
    assert selectors.agreement_list(D(2025, 12, 15))[0].current_stage.is_certain is False
    assert selectors.agreement_list(D(2026, 1, 1))[0].current_stage.is_certain is True


def test_a_stage_dated_before_the_previous_stage_is_refused(agreement):
    make_agreement_stage(agreement, "signed", "2025-06-27", cite=False)
    stage = AgreementStage(agreement=agreement, stage="negotiations_launched")
    stage.date_partial = "2025-07"
    with pytest.raises(ValidationError, match="“signed” \\(27 June 2025\\) is dated before"):
        stage.full_clean()
    assert agreement.stages.count() == 1


def test_a_party_cannot_be_listed_twice(agreement):
    mongolia = agreement.parties.get(country__isnull=False).country
    with pytest.raises(ValidationError, match="already a party"):
        AgreementParty(agreement=agreement, country=mongolia).validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementParty.objects.create(agreement=agreement, country=mongolia)
    assert agreement.parties.count() == 2


def test_an_event_cannot_end_before_it_starts():
    event = Event(name="Summit", slug="summit")
    event.start_partial = "2024-10-22"
    event.end_partial = "2024-10-21"
    with pytest.raises(ValidationError, match="cannot end"):
        event.full_clean()


def test_eaeu_agreements_on_the_seed_data(seed):
    eaeu = Organization.objects.get(slug="eaeu")

    def stages(on):
        return {
            a.slug: (a.current_stage.stage, a.current_stage.date_partial.display)
            for a in selectors.agreement_list(on, organization=eaeu)
            if a.current_stage
        }

    on_july = stages(D(2025, 7, 1))
    assert on_july["eaeu-mongolia"] == ("signed", "27 June 2025")
    assert on_july["eaeu-uae"] == ("signed", "27 June 2025")
    on_june = stages(D(2025, 6, 1))
    assert on_june["eaeu-mongolia"][0] == "negotiations_launched"
    assert on_june["eaeu-uae"][0] == "negotiations_launched"
    kazan = Event.objects.get(slug__startswith="xvi-brics-summit-kazan")
    assert sorted(p.name for p in kazan.participants.all()) == [
        "Alexander Lukashenko (Belarus)",
        "Commonwealth of Independent States (CIS)",
        "Ilham Aliyev (Azerbaijan)",
        "Nikol Pashinyan (Armenia)",
        "Shanghai Cooperation Organisation (SCO)",
        "United Nations (UN)",
    ]
    assert all(p.citations.exists() for p in kazan.participants.all())
    assert Organization.objects.get(slug="cis-plus").proposed_by.name == "Kassym-Jomart Tokayev"


def test_agreement_query_count_is_fixed(django_assert_max_num_queries, agreement):
    make_agreement_stage(agreement, "signed", "2025-06-27", cite=False)
    for number in range(10):
        other = make_agreement(f"a{number}", f"A{number}")
        make_agreement_stage(other, "proposed", "2020", cite=False)
    with django_assert_max_num_queries(5):
        agreements = selectors.agreement_list(D(2025, 7, 1))
        [str(p) for a in agreements for p in a.parties.all()]
        [c.source.title for a in agreements for s in a.stage_list for c in s.citations.all()]
    assert len(agreements) == 11
