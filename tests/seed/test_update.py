"""The seed is built from the base facts and their late-2025 update (issue 14): rebuilt, it is
the committed fixture; it holds what the update's description counts; every record passes the
model's own validation; and the API answers the questions the update was made to answer."""

import io
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from orgs.models import (
    Agreement,
    Application,
    Citation,
    Country,
    Event,
    Membership,
    Organization,
    Source,
    citation_required_models,
    publishable_models,
)
from orgs.seed.reference import SeedError, id_number
from orgs.seed.update import apply_update

REFERENCE = Path(settings.BASE_DIR).parent / "shared/reference"
FACTS = REFERENCE / "facts.json"
UPDATE = REFERENCE / "facts-2025h2.json"
UPDATE_NOTES = REFERENCE / "facts-2025h2.md"
FIXTURE = Path(settings.BASE_DIR) / "fixtures/seed.json"

needs_reference = pytest.mark.skipif(
    not UPDATE.is_file(), reason=f"reference facts not found at {REFERENCE}"
)


@pytest.fixture
def api():
    return APIClient()


def rows(api, path: str) -> list[dict]:
    response = api.get(path + ("&" if "?" in path else "?") + "page_size=500")
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


# --- building -----------------------------------------------------------------------------------


@pytest.mark.slow
@needs_reference
def test_rebuilding_from_both_reference_files_gives_the_committed_fixture(tmp_path):
    output = tmp_path / "seed.json"
    call_command(
        "build_seed",
        facts=str(FACTS),
        facts_update=[str(UPDATE)],
        output=str(output),
        stdout=io.StringIO(),
    )
    assert output.read_bytes() == FIXTURE.read_bytes()


def test_an_update_written_for_other_facts_is_refused():
    base = {"memberships": [{"id": "m001", "end": "2020"}], "sources": [], "organizations": []}
    update = {
        "updates": [
            {
                "id": "u1",
                "collection": "memberships",
                "target_id": "m001",
                "set": {"end": "2021"},
                "previous": {"end": None},
            }
        ]
    }
    with pytest.raises(SeedError, match="written for other facts"):
        apply_update(base, update)


def test_an_update_may_not_add_an_id_twice():
    base = {"sources": [{"id": "S1"}]}
    with pytest.raises(SeedError, match="already exists"):
        apply_update(base, {"sources": [{"id": "S1"}]})


def test_the_command_says_when_the_update_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="No facts file at"):
        call_command("build_seed", facts=str(FACTS), facts_update=[str(tmp_path / "missing.json")])


def test_an_update_id_is_numbered_after_the_base_ids():
    assert id_number("m082") == 82
    assert id_number("t2-m001") == 201


# --- what the update says it adds ----------------------------------------------------------------


def counted(text: str, what: str) -> int:
    """A count from the update's description: "145 sources added", "8 organizations"…"""
    match = re.search(rf"(\d+) {what}", text)
    assert match, what
    return int(match[1])


@needs_reference
def test_the_seed_holds_what_the_update_counts(seed):
    notes = UPDATE_NOTES.read_text(encoding="utf-8")
    update = json.loads(UPDATE.read_text(encoding="utf-8"))
    added = 200  # the update's ids are numbered from 201

    assert Source.objects.filter(key__startswith="t2-").count() == counted(notes, "sources added")
    assert Organization.objects.filter(pk__gt=13).count() == counted(notes, "organizations")
    assert Membership.objects.filter(pk__gt=added).count() == counted(notes, "status spells")
    assert Application.objects.filter(pk__gt=added).count() == counted(
        notes, "applications/invitations"
    )
    assert Agreement.objects.filter(pk__gt=added).count() == counted(notes, "agreements")
    assert Event.objects.filter(pk__gt=added).count() == counted(notes, "events")
    names = [country["name"] for country in update["countries"]]
    assert len(names) == counted(notes, "countries")
    assert Country.objects.filter(name__in=names).count() == len(names)

    # Every new dispute is told on the records it concerns.
    disputes = [dispute["id"] for dispute in update["disputes"]]
    assert len(disputes) == counted(notes, "disputes")
    told = " ".join(
        text
        for model in publishable_models()
        for field in ("dispute_note", "note")
        if field in {f.name for f in model._meta.fields}
        for text in model.objects.values_list(field, flat=True)
    )
    assert [d for d in disputes if f"Dispute {d} " not in told] == []


def test_every_record_of_the_seed_passes_the_models_validation(seed):
    for model in apps.get_app_config("orgs").get_models():
        if model._meta.model_name.startswith("historical"):
            continue
        for record in model.objects.all():
            record.full_clean()


def test_every_published_claim_in_the_seed_has_a_citation(seed):
    for model in citation_required_models():
        content_type = ContentType.objects.get_for_model(model)
        cited = set(
            Citation.objects.filter(
                content_type=content_type, source__is_published=True
            ).values_list("object_id", flat=True)
        )
        published = set(model.objects.published().values_list("pk", flat=True))
        assert published - cited == set(), model.__name__


def test_verification_notes_are_kept_for_editors(seed):
    source = Source.objects.get(key="t2-WIKI-CSTO-2006")
    assert "Verification: " in source.notes


def test_medium_confidence_and_unsourced_parts_are_kept(seed):
    uzbekistan_exit = Membership.objects.get(pk=id_number("t2-m046"))
    assert uzbekistan_exit.unsourced == "end (day)"
    laos = Membership.objects.get(pk=id_number("t2-m017"))
    assert laos.confidence == "medium"
    vietnam_fta = Agreement.objects.get(slug="eaeu-vietnam").stages.get(stage="in_force")
    assert vietnam_fta.unsourced.startswith("day")
    assert vietnam_fta.confidence == "medium"


# --- the questions the update answers, through the API -------------------------------------------


def test_sco_partners_after_tianjin_are_seventeen_with_laos(seed, api):
    partners = rows(api, "/api/v1/memberships/?organization=sco&status=partner&as_of=2025-10-01")
    codes = {row["member"]["code"] for row in partners}
    assert len(partners) == 17
    assert "LA" in codes
    old = rows(
        api,
        "/api/v1/memberships/?organization=sco&status=observer,dialogue_partner&as_of=2025-10-01",
    )
    assert old == []
    before = rows(
        api, "/api/v1/memberships/?organization=sco&status=dialogue_partner&as_of=2025-06-09"
    )
    assert len(before) == 14


def test_a_partner_spell_continues_the_spell_the_merger_ended(seed, api):
    mongolia = rows(api, "/api/v1/memberships/?organization=sco&member=mn&status=partner")[0]
    assert mongolia["continues"] == id_number("m016")


def test_azerbaijan_joined_the_cis_in_1993_and_kazakhstan_founded_it(seed, api):
    members = "/api/v1/memberships/?organization=cis&member=az&status=member&as_of={}"
    assert rows(api, members.format("1993-01-01")) == []
    assert len(rows(api, members.format("1995-01-01"))) == 1
    signatory = rows(api, "/api/v1/memberships/?organization=cis&member=az&as_of=1992-06-01")
    assert [row["status"] for row in signatory] == ["signatory"]
    kazakhstan = rows(api, "/api/v1/memberships/?organization=cis&member=kz&status=member")
    assert [row["is_founding"] for row in kazakhstan] == [True]


def test_the_eaeu_iran_free_trade_agreement_is_in_force_from_15_may_2025(seed, api):
    before = api.get("/api/v1/agreements/eaeu-iran/", {"as_of": "2025-05-14"}).json()
    after = api.get("/api/v1/agreements/eaeu-iran/", {"as_of": "2025-05-15"}).json()
    assert before["current_stage"]["stage"] == "signed"
    assert after["current_stage"]["stage"] == "in_force"


def test_csto_members_in_july_2025_include_armenia_with_participation_frozen(seed, api):
    members = rows(api, "/api/v1/memberships/?organization=csto&status=member&as_of=2025-07-01")
    assert {row["member"]["code"] for row in members} == {"BY", "KZ", "KG", "RU", "TJ", "AM"}
    [armenia] = [row for row in members if row["member"]["code"] == "AM"]
    assert "participation frozen" in armenia["qualifier"]


def test_predecessors_are_linked_to_their_successors(seed, api):
    shanghai_five = api.get("/api/v1/organizations/shanghai-five/").json()
    assert shanghai_five["successor"]["slug"] == "sco"
    eaeu = api.get("/api/v1/organizations/eaeu/").json()
    assert [p["slug"] for p in eaeu["predecessors"]] == ["eurasec"]


def test_the_brics_invitations_have_their_outcomes(seed, api):
    invitations = rows(api, "/api/v1/applications/?organization=brics&kind=invitation")
    outcomes = {row["applicant"]["code"]: row["outcome"] for row in invitations}
    assert outcomes["NG"] == "accepted"
    assert outcomes["ID"] == "superseded"
    assert outcomes["DZ"] == "no_response"
    assert outcomes["TR"] == "pending"


def test_northern_cyprus_is_a_territory_iso_lists_no_code_for(seed, api):
    territory = Country.objects.get(name="Northern Cyprus")
    assert territory.iso_unlisted
    assert territory.is_disputed
    observers = rows(api, "/api/v1/memberships/?organization=ots&status=observer")
    assert territory.iso2 in {row["member"]["code"] for row in observers}
