"""The API's FilterSets, used directly (issue 4)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from orgs import selectors
from orgs.api import filters
from orgs.models import (
    Agreement,
    AgreementParty,
    AgreementStage,
    Country,
    Event,
    EventParticipant,
    Membership,
    Organization,
    Person,
    Proposal,
    Quote,
)
from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.django_db


def request(params=None):
    wrapped = Request(APIRequestFactory().get("/", params or {}))
    wrapped.user = AnonymousUser()
    return wrapped


def run(filterset_class, params, queryset):
    filterset = filterset_class(params, queryset=queryset, request=request(params))
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def errors(filterset_class, params, queryset):
    filterset = filterset_class(params, queryset=queryset, request=request(params))
    assert not filterset.is_valid()
    return filterset.errors


@pytest.fixture
def atlas():
    sco, brics, cis = make_organization("sco"), make_organization("brics"), make_organization("cis")
    belarus = make_country()
    russia = make_country("RU", "RUS", "Russia")
    make_membership(sco, belarus, "2015", "2022-09-16", status="dialogue_partner")
    make_membership(sco, belarus, "2022-09-16", "2024-07-04", status="observer")
    make_membership(sco, belarus, "2024-07-04")
    make_membership(sco, russia, "2001-06-15")
    make_membership(brics, cis, "2024-10", status="participant")
    return sco, brics, cis, belarus, russia


def spells():
    return selectors.membership_list()


def statuses(queryset):
    return sorted(spell.status for spell in queryset)


def test_memberships_by_member_code_in_any_case_or_organization_slug(atlas):
    for code in ("by", "BY", "blr", "BLR"):
        assert run(filters.MembershipFilter, {"member": code}, spells()).count() == 3
    assert [
        s.organization.slug for s in run(filters.MembershipFilter, {"member": "cis"}, spells())
    ] == ["brics"]


def test_memberships_by_organization_kind_and_statuses(atlas):
    sco_spells = run(filters.MembershipFilter, {"organization": "sco"}, spells())
    assert sco_spells.count() == 4
    by_kind = run(filters.MembershipFilter, {"member_kind": "organization"}, spells())
    assert statuses(by_kind) == ["participant"]
    several = run(filters.MembershipFilter, {"status": "observer, dialogue_partner"}, spells())
    assert statuses(several) == ["dialogue_partner", "observer"]


def test_memberships_as_of_use_the_querysets_as_of(atlas):
    on_2023 = run(filters.MembershipFilter, {"as_of": "2023-01-01", "member": "by"}, spells())
    assert [(s.status, s.is_certain) for s in on_2023] == [("observer", True)]
    started = run(filters.MembershipFilter, {"start_after": "2022-01-01"}, spells())
    assert statuses(started) == ["member", "observer", "participant"]
    before = run(filters.MembershipFilter, {"start_before": "2015-12-31"}, spells())
    assert statuses(before) == ["dialogue_partner", "member"]


def test_current_memberships(atlas):
    current = run(filters.MembershipFilter, {"current": "true"}, spells())
    assert statuses(current) == ["member", "member", "participant"]
    past = run(filters.MembershipFilter, {"current": "false"}, spells())
    assert statuses(past) == ["dialogue_partner", "observer"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"as_of": "yesterday"}, "as_of"),
        ({"status": "member,bogus"}, "status"),
        ({"start_after": "2024"}, "start_after"),
        ({"member_kind": "planet"}, "member_kind"),
    ],
)
def test_bad_values_are_errors_named_by_parameter(atlas, params, parameter):
    assert list(errors(filters.MembershipFilter, params, spells())) == [parameter]


def test_countries_member_of_with_status_and_as_of(atlas):
    queryset = Country.objects.all()
    assert [c.iso2 for c in run(filters.CountryFilter, {"member_of": "sco"}, queryset)] == [
        "BY",
        "RU",
    ]
    observers_2023 = {"member_of": "sco", "status": "observer", "as_of": "2023-01-01"}
    assert [c.iso2 for c in run(filters.CountryFilter, observers_2023, queryset)] == ["BY"]
    members_2023 = {"member_of": "sco", "status": "member", "as_of": "2023-01-01"}
    assert [c.iso2 for c in run(filters.CountryFilter, members_2023, queryset)] == ["RU"]


def test_organizations_by_kind_parent_and_words():
    brics = make_organization("brics", "BRICS", other_names="БРИКС", kind="grouping")
    make_organization("brics-plus", "BRICS+", parent=brics, kind="format")
    queryset = Organization.objects.all()
    assert [o.slug for o in run(filters.OrganizationFilter, {"parent": "brics"}, queryset)] == [
        "brics-plus"
    ]
    assert [o.slug for o in run(filters.OrganizationFilter, {"kind": "grouping"}, queryset)] == [
        "brics"
    ]
    assert run(filters.OrganizationFilter, {"q": "БРИКС"}, queryset).count() == 1


def test_quotes_by_speaker_subject_date_and_words():
    tokayev = Person.objects.create(slug="tokayev", name="Kassym-Jomart Tokayev", is_published=True)
    cis = make_organization("cis")
    kazakhstan = make_country("KZ", "KAZ", "Kazakhstan")
    quote = Quote(text="CIS Plus is being developed", speaker=tokayev, is_published=True)
    quote.said_on_partial = "2025-06"
    quote.full_clean()
    quote.save()
    quote.about_organizations.add(cis)
    quote.about_countries.add(kazakhstan)
    Quote.objects.create(text="Other words", speaker=tokayev, is_published=True)
    queryset = selectors.quote_list()
    for params in (
        {"speaker": "tokayev", "q": "cis plus"},
        {"about_organization": "cis"},
        {"about_country": "kz"},
        {"about_country": "KAZ"},
        {"said_after": "2025-01-01", "said_before": "2025-12-31"},
    ):
        assert list(run(filters.QuoteFilter, params, queryset)) == [quote], params


# --- agreements, events and proposals --------------------------------------------------------


@pytest.fixture
def agreements():
    eaeu = make_organization("eaeu")
    mongolia, india = make_country("MN", "MNG", "Mongolia"), make_country("IN", "IND", "India")
    made = {}
    for slug, country, kind, stages in (
        (
            "eaeu-mongolia",
            mongolia,
            "interim_trade",
            [("negotiations_launched", "2024-05-08"), ("signed", "2025-06-27")],
        ),
        ("eaeu-india", india, "free_trade", [("proposed", "≤2025-06-09")]),
    ):
        agreement = Agreement.objects.create(slug=slug, title=slug, kind=kind, is_published=True)
        AgreementParty.objects.create(agreement=agreement, organization=eaeu)
        AgreementParty.objects.create(agreement=agreement, country=country)
        for stage, date in stages:
            row = AgreementStage(agreement=agreement, stage=stage, is_published=True)
            row.date_partial = date
            row.save()
        made[slug] = agreement
    return made


def agreement_stages(params) -> dict:
    filterset = filters.AgreementFilter(
        params, queryset=Agreement.objects.published(), request=request(params)
    )
    assert filterset.is_valid(), filterset.errors
    return {
        agreement.slug: getattr(agreement.current_stage, "stage", None)
        for agreement in filterset.agreements()
    }


def test_agreements_by_party_code_slug_and_kind(agreements):
    for code in ("mn", "MNG"):
        assert list(run(filters.AgreementFilter, {"party": code}, Agreement.objects.all())) == [
            agreements["eaeu-mongolia"]
        ]
    assert run(filters.AgreementFilter, {"party": "eaeu"}, Agreement.objects.all()).count() == 2
    by_kind = run(filters.AgreementFilter, {"kind": "free_trade"}, Agreement.objects.all())
    assert list(by_kind) == [agreements["eaeu-india"]]


def test_agreements_carry_the_stage_of_agreements_as_of(agreements):
    assert agreement_stages({"as_of": "2025-07-01"}) == {
        "eaeu-india": "proposed",
        "eaeu-mongolia": "signed",
    }
    assert agreement_stages({"as_of": "2025-06-01", "party": "mn"}) == {
        "eaeu-mongolia": "negotiations_launched"
    }
    assert agreement_stages({"as_of": "2024-01-01"}) == {"eaeu-india": None, "eaeu-mongolia": None}
    assert agreement_stages({"stage": "signed", "as_of": "2025-07-01"}) == {
        "eaeu-mongolia": "signed"
    }
    assert agreement_stages({"stage": "signed", "as_of": "2025-06-26"}) == {}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"as_of": "2025"}, "as_of"), ({"stage": "ratifed"}, "stage"), ({"kind": "x"}, "kind")],
)
def test_bad_agreement_values_are_errors_named_by_parameter(agreements, params, parameter):
    assert list(errors(filters.AgreementFilter, params, Agreement.objects.all())) == [parameter]


@pytest.fixture
def kazan():
    brics, cis = make_organization("brics"), make_organization("cis")
    belarus = make_country()
    lukashenko = Person.objects.create(
        slug="alexander-lukashenko", name="Lukashenko", is_published=True
    )
    kazan = Event(slug="kazan", name="XVI BRICS summit", place="Kazan", kind="summit")
    kazan.start_partial = "2024-10-22"
    kazan.save()
    kazan.organizers.add(brics)
    EventParticipant.objects.create(event=kazan, person=lukashenko, country=belarus)
    EventParticipant.objects.create(event=kazan, organization=cis)
    astana = Event(slug="astana", name="SCO summit", kind="summit")
    astana.start_partial = "2024-07-04"
    astana.save()
    return kazan, astana


def test_events_by_participant_organizer_dates_kind_and_words(kazan):
    kazan, astana = kazan
    events = Event.objects.all()
    for params in (
        {"participant": "by"},
        {"participant": "BLR"},
        {"participant": "alexander-lukashenko"},
        {"participant": "cis"},
        {"organization": "brics"},
        {"start_after": "2024-10-01", "start_before": "2024-10-31"},
        {"q": "kazan"},
    ):
        assert list(run(filters.EventFilter, params, events)) == [kazan], params
    assert list(run(filters.EventFilter, {"start_before": "2024-07-04"}, events)) == [astana]
    assert run(filters.EventFilter, {"kind": "summit"}, events).count() == 2


def test_proposals_by_person_country_organization(kazan):
    tokayev = Person.objects.create(slug="kassym-jomart-tokayev", name="Tokayev", is_published=True)
    cis_plus = Proposal.objects.create(
        slug="cis-plus",
        title="CIS Plus",
        proposed_by_person=tokayev,
        organization=Organization.objects.get(slug="cis"),
    )
    charter = Proposal.objects.create(slug="charter", title="Eurasian charter")
    charter.proposed_by_countries.add(
        Country.objects.get(iso2="BY"), make_country("RU", "RUS", "Russia")
    )
    proposals = Proposal.objects.all()
    assert list(run(filters.ProposalFilter, {"proposer": "kassym-jomart-tokayev"}, proposals)) == [
        cis_plus
    ]
    assert list(run(filters.ProposalFilter, {"proposer": "by"}, proposals)) == [charter]
    assert list(run(filters.ProposalFilter, {"proposer": "RUS"}, proposals)) == [charter]
    assert list(run(filters.ProposalFilter, {"organization": "cis"}, proposals)) == [cis_plus]


def test_a_page_filters_with_a_plain_django_request(atlas):
    # The pages reuse these FilterSets without DRF: the request is read for GET and user only.
    _sco, _brics, _cis, belarus, russia = atlas
    Membership.objects.filter(member_country=russia).update(is_published=False)
    page_request = RequestFactory().get("/countries/", {"member_of": "sco", "drafts": "1"})
    page_request.user = AnonymousUser()

    def countries(request):
        filterset = filters.CountryFilter(
            page_request.GET, queryset=Country.objects.all(), request=request
        )
        assert filterset.is_valid(), filterset.errors
        return list(filterset.qs)

    assert countries(None) == [belarus]
    assert countries(page_request) == [belarus]
    page_request.user = get_user_model().objects.create_user("curator", is_staff=True)
    assert countries(page_request) == [belarus, russia]
