"""Who is in what on a given date: the selectors pages and the API share."""

import datetime

import pycountry
import pytest

from orgs import selectors
from orgs.models import Country, Membership, Organization
from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def belarus_in_the_sco():
    sco, belarus = make_organization("sco", acronym="SCO"), make_country()
    make_membership(sco, belarus, "2010", "2015-07", status="dialogue_partner")
    make_membership(sco, belarus, "2015-07", "2024-07-04", status="observer")
    make_membership(sco, belarus, "2024-07-04", status="member")
    return sco, belarus


def statuses_on(country, on):
    return [
        (spell.organization.slug, spell.status, spell.is_certain)
        for spell in selectors.country_memberships_as_of(country, on)
    ]


def test_a_change_of_status_is_a_new_spell(belarus_in_the_sco):
    _, belarus = belarus_in_the_sco
    assert statuses_on(belarus, D(2012, 1, 1)) == [("sco", "dialogue_partner", True)]
    assert statuses_on(belarus, D(2020, 1, 1)) == [("sco", "observer", True)]
    assert statuses_on(belarus, D(2024, 7, 3)) == [("sco", "observer", True)]
    assert statuses_on(belarus, D(2024, 7, 4)) == [("sco", "member", True)]
    assert statuses_on(belarus, D(2009, 12, 31)) == []


def test_dates_inside_a_precision_window_are_uncertain_not_guessed(belarus_in_the_sco):
    _, belarus = belarus_in_the_sco
    # Started "2010": on 1 March 2010 it may or may not have started.
    assert statuses_on(belarus, D(2010, 3, 1)) == [("sco", "dialogue_partner", False)]
    assert statuses_on(belarus, D(2010, 12, 31)) == [("sco", "dialogue_partner", True)]
    # In July 2015 one spell ended and the next began, day unknown: both are possible.
    assert statuses_on(belarus, D(2015, 7, 10)) == [
        ("sco", "observer", False),
        ("sco", "dialogue_partner", False),
    ]
    assert statuses_on(belarus, D(2015, 8, 1)) == [("sco", "observer", True)]


def test_members_are_grouped_by_status(belarus_in_the_sco):
    sco, _ = belarus_in_the_sco
    china = make_country("CN", "CHN", "China")
    make_membership(sco, china, "2001-06-15", status="member")
    groups = selectors.organization_members_as_of(sco, D(2020, 1, 1))
    assert [(group.status, [str(spell.member) for spell in group.spells]) for group in groups] == [
        ("member", ["China"]),
        ("observer", ["Belarus"]),
    ]
    groups = selectors.organization_members_as_of(sco, D(2020, 1, 1), statuses=["member"])
    assert [group.status for group in groups] == ["member"]


def test_a_one_day_participation_holds_on_that_day_only():
    brics_plus, cis = make_organization("brics-plus"), make_organization("cis")
    make_membership(brics_plus, cis, "2024-10-24", "2024-10-24", status="participant")
    assert [
        g.status for g in selectors.organization_members_as_of(brics_plus, D(2024, 10, 24))
    ] == ["participant"]
    assert selectors.organization_members_as_of(brics_plus, D(2024, 10, 25)) == []
    assert [
        s.organization.slug for s in selectors.organization_memberships_as_of(cis, D(2024, 10, 24))
    ] == ["brics-plus"]


def test_drafts_are_left_out_unless_asked_for(belarus_in_the_sco):
    _sco, belarus = belarus_in_the_sco
    Membership.objects.filter(status="member").update(is_published=False)
    assert statuses_on(belarus, D(2025, 1, 1)) == []
    assert [
        s.status for s in selectors.country_memberships_as_of(belarus, D(2025, 1, 1), preview=True)
    ] == ["member"]


def test_member_counts_by_status(belarus_in_the_sco):
    sco = Organization.objects.with_member_counts(D(2020, 1, 1)).get(slug="sco")
    assert (sco.member_count, sco.observer_count, sco.dialogue_partner_count) == (0, 1, 0)


@pytest.mark.parametrize("extra_members", [0, 30])
def test_query_count_does_not_grow_with_members(
    django_assert_max_num_queries, belarus_in_the_sco, extra_members
):
    sco, _ = belarus_in_the_sco
    others = [country for country in pycountry.countries if country.alpha_2 != "BY"][:extra_members]
    for country in others:
        make_membership(
            sco, make_country(country.alpha_2, country.alpha_3, country.name), "2001-06-15"
        )
    with django_assert_max_num_queries(2):
        groups = selectors.organization_members_as_of(sco, D(2025, 1, 1))
        titles = [
            c.source.title for g in groups for spell in g.spells for c in spell.citations.all()
        ]
    assert sum(len(group.spells) for group in groups) == 1 + extra_members
    assert len(titles) == 1 + extra_members


# --- the seed data set -----------------------------------------------------------------------


SCO_MEMBERS_2025 = [
    "Belarus",
    "China",
    "India",
    "Iran",
    "Kazakhstan",
    "Kyrgyzstan",
    "Pakistan",
    "Russia",
    "Tajikistan",
    "Uzbekistan",
]


def test_sco_members_on_1_july_2025(seed):
    sco = Organization.objects.get(slug="sco")
    groups = {
        group.status: group for group in selectors.organization_members_as_of(sco, D(2025, 7, 1))
    }
    assert sorted(str(spell.member) for spell in groups["member"].spells) == SCO_MEMBERS_2025
    assert all(spell.is_certain for spell in groups["member"].spells)


def test_belarus_in_the_sco_over_time(seed):
    belarus = Country.objects.get(iso2="BY")
    on_2012 = [
        s
        for s in selectors.country_memberships_as_of(belarus, D(2012, 1, 1))
        if s.organization.slug == "sco"
    ]
    on_2020 = [
        s
        for s in selectors.country_memberships_as_of(belarus, D(2020, 1, 1))
        if s.organization.slug == "sco"
    ]
    assert [s.status for s in on_2012] == ["dialogue_partner"]
    assert [s.status for s in on_2020] == ["observer"]


def test_sco_member_counts_before_and_after_iran_and_belarus(seed):
    sco = Organization.objects.get(slug="sco")
    counts = {
        on: sum(
            len(g.spells)
            for g in selectors.organization_members_as_of(sco, on, statuses=["member"])
        )
        for on in (D(2023, 1, 1), D(2024, 7, 5))
    }
    assert counts == {D(2023, 1, 1): 8, D(2024, 7, 5): 10}
