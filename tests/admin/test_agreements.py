"""Agreements and events in the admin: rows of one form are checked against each other (issue 6)."""

import pytest
from django.urls import reverse

from orgs.models import Agreement, AgreementParty, AgreementStage, Event, EventParticipant
from tests.admin.forms import CITATIONS, management_form
from tests.makers import make_country, make_organization

pytestmark = pytest.mark.django_db


def agreement_data(parties=(), stages=()):
    data = {
        "title": "EAEU–Mongolia interim trade agreement",
        "slug": "eaeu-mongolia",
        "kind": "interim_trade",
        "description": "",
        "note": "",
        "dispute_note": "",
        **management_form("parties", total=len(parties)),
        **management_form("stages", total=len(stages)),
        **management_form(CITATIONS),
    }
    for index, party in enumerate(parties):
        data.update(
            {
                f"parties-{index}-{k}": v
                for k, v in {"country": "", "organization": "", **party}.items()
            }
        )
    for index, stage in enumerate(stages):
        data.update({f"stages-{index}-{k}": v for k, v in {"place": "", **stage}.items()})
    return data


def post_agreement(client, data):
    return client.post(reverse("admin:orgs_agreement_add"), data)


def test_an_agreement_is_added_with_its_parties_and_stages(editor_client):
    eaeu, mongolia = make_organization("eaeu"), make_country("MN", "MNG", "Mongolia")
    data = agreement_data(
        parties=[{"organization": eaeu.pk}, {"country": mongolia.pk}],
        stages=[
            {"stage": "negotiations_launched", "date": "2024-05-08"},
            {"stage": "signed", "date": "2025-06-27", "place": "Minsk"},
        ],
    )
    response = post_agreement(editor_client, data)
    assert response.status_code == 302
    agreement = Agreement.objects.get(slug="eaeu-mongolia")
    assert agreement.parties.count() == 2
    assert [(s.stage, s.date_partial.display) for s in agreement.stages.order_by("date")] == [
        ("negotiations_launched", "8 May 2024"),
        ("signed", "27 June 2025"),
    ]


def test_a_party_listed_twice_is_refused_and_nothing_written(editor_client):
    mongolia = make_country("MN", "MNG", "Mongolia")
    response = post_agreement(
        editor_client, agreement_data(parties=[{"country": mongolia.pk}, {"country": mongolia.pk}])
    )
    assert response.status_code == 200
    assert "Mongolia is listed twice as a party." in response.content.decode()
    assert not Agreement.objects.exists()
    assert not AgreementParty.objects.exists()


def test_stages_out_of_order_in_one_form_are_refused(editor_client):
    response = post_agreement(
        editor_client,
        agreement_data(
            stages=[
                {"stage": "signed", "date": "2025-06-27"},
                {"stage": "negotiations_launched", "date": "2025-07"},
            ]
        ),
    )
    assert response.status_code == 200
    assert "is dated before" in response.content.decode()
    assert not Agreement.objects.exists()
    assert not AgreementStage.objects.exists()


def test_a_participant_listed_twice_is_refused(editor_client):
    belarus = make_country()
    data = {
        "name": "XVI BRICS summit",
        "slug": "kazan-2024",
        "kind": "summit",
        "start": "2024-10-22",
        "end": "2024-10-24",
        "place": "Kazan",
        "description": "",
        "note": "",
        "dispute_note": "",
        **management_form("participants", total=2),
        **management_form(CITATIONS),
    }
    for index in range(2):
        data.update(
            {
                f"participants-{index}-person": "",
                f"participants-{index}-country": belarus.pk,
                f"participants-{index}-organization": "",
                f"participants-{index}-role": "",
            }
        )
    response = editor_client.post(reverse("admin:orgs_event_add"), data)
    assert response.status_code == 200
    assert "Belarus is listed twice as a participant." in response.content.decode()
    assert not Event.objects.exists()
    assert not EventParticipant.objects.exists()
    data["end"] = "2024-10-21"
    data["participants-TOTAL_FORMS"] = "1"
    response = editor_client.post(reverse("admin:orgs_event_add"), data)
    assert "cannot end" in response.content.decode()
    assert not Event.objects.exists()
