"""The overlap of several organizations: exact intersections, pairwise counts and the matrix."""

import datetime

import pycountry
import pytest

from orgs import selectors
from orgs.models import Membership, Organization
from orgs.params import ParameterError, parse_date, parse_slugs, parse_statuses
from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def three_organizations():
    sco, brics, eaeu = (
        make_organization(slug, acronym=slug.upper()) for slug in ("sco", "brics", "eaeu")
    )
    russia = make_country("RU", "RUS", "Russia")
    china = make_country("CN", "CHN", "China")
    belarus = make_country("BY", "BLR", "Belarus")
    brazil = make_country("BR", "BRA", "Brazil")
    for organization in (sco, brics, eaeu):
        make_membership(organization, russia, "2015-01-01")
    make_membership(sco, china, "2001-06-15")
    make_membership(brics, china, "2006-09")
    make_membership(sco, belarus, "2024-07-04")
    make_membership(brics, belarus, "2025-01-01", status="partner")
    make_membership(eaeu, belarus, "2015-01-01")
    make_membership(brics, brazil, "2006-09")
    return sco, brics, eaeu


def names(members):
    return [str(entry.member) for entry in members]


def test_exact_intersections_group_members_by_the_organizations_they_are_in(three_organizations):
    result = selectors.organizations_overlap(list(three_organizations), D(2025, 7, 1))
    assert [(i.slugs, names(i.members)) for i in result.intersections] == [
        (["sco", "brics", "eaeu"], ["Belarus", "Russia"]),
        (["sco", "brics"], ["China"]),
        (["brics"], ["Brazil"]),
    ]
    assert [(a.slug, b.slug, n) for a, b, n in result.pairwise] == [
        ("sco", "brics", 3),
        ("sco", "eaeu", 2),
        ("brics", "eaeu", 2),
    ]
    assert names(result.members) == ["Belarus", "Brazil", "China", "Russia"]
    belarus = result.members[0]
    assert [s.status for s in belarus.spells_in(three_organizations[1])] == ["partner"]


def test_statuses_narrow_the_overlap_to_full_members(three_organizations):
    result = selectors.organizations_overlap(
        list(three_organizations), D(2025, 7, 1), statuses=["member"]
    )
    assert [(i.slugs, names(i.members)) for i in result.intersections] == [
        (["sco", "brics", "eaeu"], ["Russia"]),
        (["sco", "brics"], ["China"]),
        (["sco", "eaeu"], ["Belarus"]),
        (["brics"], ["Brazil"]),
    ]


def test_the_date_matters(three_organizations):
    result = selectors.organizations_overlap(list(three_organizations[:2]), D(2020, 1, 1))
    assert names(result.in_all()) == ["China", "Russia"]


def test_two_spells_in_the_same_organization_count_once():
    sco, brics = make_organization("sco"), make_organization("brics")
    belarus = make_country()
    make_membership(sco, belarus, "2010", "2015-07", status="dialogue_partner")
    make_membership(sco, belarus, "2015-07", status="observer")
    make_membership(brics, belarus, "2015-01-01", status="partner")
    # In July 2015 both SCO spells may hold; Belarus is still in {sco, brics} once.
    result = selectors.organizations_overlap([sco, brics], D(2015, 7, 10))
    assert [(i.slugs, names(i.members)) for i in result.intersections] == [
        (["sco", "brics"], ["Belarus"])
    ]


@pytest.mark.parametrize("extra", [0, 40])
def test_the_query_count_is_fixed(django_assert_max_num_queries, three_organizations, extra):
    sco = three_organizations[0]
    used = set(Membership.objects.values_list("member_country__iso2", flat=True))
    for country in [c for c in pycountry.countries if c.alpha_2 not in used][:extra]:
        make_membership(
            sco, make_country(country.alpha_2, country.alpha_3, country.name), "2001-06-15"
        )
    with django_assert_max_num_queries(3):
        result = selectors.organizations_overlap(list(three_organizations), D(2025, 7, 1))
        [
            c.source.title
            for entry in result.members
            for s in entry.spells_in(sco)
            for c in s.citations.all()
        ]
    assert sum(i.count for i in result.intersections) == 4 + extra


def test_sco_and_brics_members_on_the_seed_data(seed):
    organizations = list(Organization.objects.filter(slug__in=["sco", "brics"]).order_by("-slug"))
    result = selectors.organizations_overlap(organizations, D(2025, 7, 1), statuses=["member"])
    assert names(result.intersection_of("sco", "brics").members) == [
        "China",
        "India",
        "Iran",
        "Russia",
    ]


@pytest.mark.parametrize(
    ("parse", "value", "message"),
    [
        (parse_date, "2024-13-45", "not a valid date"),
        (parse_date, "yesterday", "not a valid date"),
        (parse_date, "2024-1-5", "not a valid date"),
        (parse_date, "9999-12-31", "out of range"),
        (parse_slugs, "sco", "between 2 and 6"),
        (parse_slugs, "a,b,c,d,e,f,g", "between 2 and 6"),
        (parse_slugs, "", "between 2 and 6"),
        (parse_statuses, "bogus", "not a status"),
    ],
)
def test_bad_parameters_name_themselves(parse, value, message):
    with pytest.raises(ParameterError, match=message) as error:
        parse(value)
    assert error.value.parameter in {"as_of", "organizations", "statuses"}


def test_good_parameters_parse():
    assert parse_date("2025-07-01") == D(2025, 7, 1)
    assert parse_date("") is None
    assert parse_slugs(" SCO, brics,sco ") == ["sco", "brics"]
    assert parse_statuses("member, Dialogue partner") == ["member", "dialogue_partner"]
