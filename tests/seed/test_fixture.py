"""The seed fixture (fixtures/seed.json, built by ``manage.py build_seed``) loads, is complete
and cited, and loads again without changing anything."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.forms.models import model_to_dict

from orgs.models import (
    Agreement,
    AgreementStage,
    Application,
    Citation,
    Country,
    Event,
    EventParticipant,
    Membership,
    Organization,
    Person,
    Proposal,
    Quote,
    Rank,
    Source,
)

pytestmark = pytest.mark.django_db

FACTS = Path(settings.BASE_DIR).parent / "shared/reference/facts.json"

# The 45 countries of the reference facts (alpha-3 codes).
REFERENCE_COUNTRIES = [
    "AFG",
    "ARG",
    "ARM",
    "AZE",
    "BHR",
    "BLR",
    "BOL",
    "BRA",
    "KHM",
    "CHN",
    "CUB",
    "EGY",
    "ETH",
    "GEO",
    "IND",
    "IDN",
    "IRN",
    "KAZ",
    "KWT",
    "KGZ",
    "LAO",
    "MYS",
    "MDV",
    "MDA",
    "MNG",
    "MMR",
    "NPL",
    "NGA",
    "PAK",
    "QAT",
    "RUS",
    "SAU",
    "ZAF",
    "LKA",
    "TJK",
    "THA",
    "TUN",
    "TUR",
    "TKM",
    "UGA",
    "UKR",
    "ARE",
    "USA",
    "UZB",
    "VNM",
]


def orgs_models():
    return [
        m
        for m in apps.get_app_config("orgs").get_models()
        if not m.__name__.startswith("Historical")
    ]


def counts():
    return {model.__name__: model.objects.count() for model in orgs_models()}


def test_counts(seed):
    # The base facts' 13 organizations and 111 sources, and the late-2025 update's 8 and 145
    # (issue 14).
    assert Organization.objects.count() == 13 + 8
    assert Source.objects.count() == 111 + 145
    assert Quote.objects.count() == 19
    # The 82 reference spells (75 spells, 7 applications or invitations) and the update's 135
    # (116 spells, 19 applications or invitations) ...
    reference_spells = Membership.objects.exclude(rank=Rank.DEPRECATED)
    assert reference_spells.count() + Application.objects.count() == 82 + 135
    # ... plus the competing claims the atlas keeps but does not follow (issue 5).
    assert Membership.objects.filter(rank=Rank.DEPRECATED).count() == 6
    # Issue 6: the rest of what the article reports (pr1 and pr2 live on CIS Plus and the GEP),
    # and the update's agreements and events.
    assert (Agreement.objects.count(), Event.objects.count(), Proposal.objects.count()) == (
        5 + 8,
        18 + 14,
        3,
    )
    # Every ISO 3166-1 country, and Northern Cyprus, which ISO lists no code for.
    assert Country.objects.count() >= 250
    assert Person.objects.filter(slug="kassym-jomart-tokayev").exists()


def test_reference_countries_are_present_with_notes(seed):
    assert len(REFERENCE_COUNTRIES) == 45
    found = Country.objects.filter(iso3__in=REFERENCE_COUNTRIES)
    assert found.count() == 45
    assert not found.filter(notes="").exists()
    assert Country.objects.get_by_code("RUS").name == "Russia"
    assert Country.objects.get_by_code("tur").name == "Turkey"


def test_everything_is_published(seed):
    for model in orgs_models():
        if "is_published" in {f.name for f in model._meta.fields}:
            assert not model.objects.filter(is_published=False).exists(), model.__name__


@pytest.mark.parametrize("model", [Membership, Application, Quote, Organization])
def test_every_record_is_cited(seed, model):
    content_type = ContentType.objects.get_for_model(model)
    cited = set(
        Citation.objects.filter(content_type=content_type).values_list("object_id", flat=True)
    )
    missing = set(model.objects.values_list("pk", flat=True)) - cited
    assert not missing, f"{model.__name__} without citations: {sorted(missing)}"


def test_every_organization_has_a_whole_record_citation(seed):
    content_type = ContentType.objects.get_for_model(Organization)
    for organization in Organization.objects.all():
        assert Citation.objects.filter(
            content_type=content_type, object_id=organization.pk, claim_field=""
        ).exists(), organization.slug


def test_quote_texts_are_exactly_the_facts(seed):
    if not FACTS.is_file():
        pytest.skip(f"reference facts not found at {FACTS} (shared/ beside the repository)")
    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    for quote in facts["quotes"]:
        number = int(quote["id"].lstrip("q"))
        assert Quote.objects.get(pk=number).text == quote["text"], quote["id"]


def test_loaddata_loads_the_seed_into_an_empty_database(db):
    records = json.loads((Path(settings.BASE_DIR) / "fixtures/seed.json").read_text("utf-8"))
    call_command("loaddata", "seed", verbosity=0)
    expected = {}
    for record in records:
        name = apps.get_model(record["model"]).__name__
        expected[name] = expected.get(name, 0) + 1
    assert {name: count for name, count in counts().items() if count} == expected


def test_loading_twice_changes_nothing(seed):
    before = counts()
    sample = model_to_dict(Membership.objects.get(pk=10))
    sample_updated = Membership.objects.get(pk=10).updated_at
    call_command("loaddata", "seed", verbosity=0)
    assert counts() == before
    assert model_to_dict(Membership.objects.get(pk=10)) == sample
    assert Membership.objects.get(pk=10).updated_at == sample_updated


def test_every_record_passes_full_clean(seed):
    for model in orgs_models():
        for record in model.objects.all():
            record.full_clean()


def test_belarus_has_three_sco_spells(seed):
    belarus = Country.objects.get_by_code("BY")
    sco = Organization.objects.get(slug="sco")
    spells = [
        (s.status, s.start_partial.iso)
        for s in Membership.objects.filter(organization=sco, member_country=belarus).order_by(
            "start"
        )
    ]
    # The update dates the move from dialogue partner to observer to the Ufa summit (issue 14).
    assert spells == [
        ("dialogue_partner", "2010"),
        ("observer", "2015-07-10"),
        ("member", "2024-07-04"),
    ]


def test_sco_other_names_include_the_russian_abbreviation(seed):
    assert "ШОС" in Organization.objects.get(slug="sco").other_names.splitlines()


def test_organizations_and_proposals(seed):
    cis_plus = Organization.objects.get(slug="cis-plus")
    assert cis_plus.parent.slug == "cis"
    assert cis_plus.proposed_by.name == "Kassym-Jomart Tokayev"
    assert cis_plus.proposed_on_partial.iso == "2024-10-08"
    assert cis_plus.citations.filter(claim_field="proposed_on").exists()
    gep = Organization.objects.get(slug="gep")
    assert (gep.kind, gep.proposed_by.name, gep.founded_on_partial.iso) == (
        "initiative",
        "Vladimir Putin",
        "2015",
    )
    brics = Organization.objects.get(slug="brics")
    assert brics.is_disputed
    assert brics.dispute_note


def test_applications(seed):
    saudi = Application.objects.get(applicant_country__iso3="SAU")
    assert (saudi.kind, saudi.outcome, saudi.is_disputed) == ("invitation", "pending", True)
    argentina = Application.objects.get(applicant_country__iso3="ARG")
    assert (argentina.outcome, argentina.decided_on_partial.iso) == ("declined", "2023-12")
    prospect = Application.objects.get(applicant_organization__slug="sco")
    assert (prospect.kind, prospect.filed_on_partial.iso) == ("prospect", "≤2025-06-09")
    assert Application.objects.filter(kind="application", requested_status="observer").count() == 4


def test_institutional_quote_has_no_person(seed):
    quote = Quote.objects.get(text__startswith="they do not rule out the unification")
    assert quote.speaker is None
    assert quote.speaker_organization.slug == "sco-secretariat"


def test_every_agreement_stage_event_and_proposal_is_cited(seed):
    for model in (Agreement, AgreementStage, Event, EventParticipant, Proposal):
        uncited = [str(record) for record in model.objects.all() if not record.citations.exists()]
        assert uncited == [], model.__name__


def test_disputed_facts_keep_the_competing_claim_deprecated(seed):
    brics = Organization.objects.get(slug="brics")
    saudi = Membership.objects.get(organization=brics, member_country__iso2="SA")
    assert (saudi.rank, saudi.status, saudi.start_partial.iso) == (
        "deprecated",
        "member",
        "2024-01-01",
    )
    assert saudi.rank_reason
    assert saudi.citations.count() == 4
    indonesia = Membership.objects.filter(organization=brics, member_country__iso2="ID")
    assert sorted(indonesia.values_list("status", "rank")) == [
        ("member", "preferred"),
        ("partner", "deprecated"),
    ]
    brazil = Membership.objects.filter(organization=brics, member_country__iso2="BR")
    assert sorted((m.rank, m.start_partial.iso) for m in brazil) == [
        ("deprecated", "2009-06-16"),
        ("preferred", "2006-09"),
    ]
