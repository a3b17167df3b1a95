"""Integrity rules for spells, checked in the model (readable errors) and in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from orgs.models import Country, Membership, Rank
from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.django_db


def test_a_spell_needs_exactly_one_member_in_the_database():
    organization = make_organization("sco")
    belarus = make_country()
    cis = make_organization("cis")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(organization=organization, start="2024-07-04")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            organization=organization,
            member_country=belarus,
            member_organization=cis,
            start="2024-07-04",
        )
    assert Membership.objects.count() == 0


def test_a_spell_needs_exactly_one_member_in_the_form():
    spell = Membership(organization=make_organization("sco"), start="2024-07-04")
    with pytest.raises(ValidationError, match="exactly one"):
        spell.full_clean()


def test_an_organization_is_never_a_member_of_itself():
    sco = make_organization("sco")
    spell = Membership(organization=sco, member_organization=sco, start="2024-07-04")
    with pytest.raises(ValidationError, match="cannot be a member of itself"):
        spell.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        spell.save()
    assert Membership.objects.count() == 0


def test_an_end_before_the_start_is_refused():
    spell = Membership(organization=make_organization("sco"), member_country=make_country())
    spell.start_partial = "2015-07-10"
    spell.end_partial = "2015-06"
    with pytest.raises(
        ValidationError, match=r"end \(June 2015\) is before the start \(10 July 2015\)"
    ):
        spell.full_clean()
    spell.end_partial = "2014"
    with pytest.raises(IntegrityError), transaction.atomic():
        spell.save()
    assert Membership.objects.count() == 0


def test_an_end_in_the_same_year_must_be_as_precise_as_the_start():
    spell = Membership(organization=make_organization("sco"), member_country=make_country())
    spell.start_partial = "2015-07"
    spell.end_partial = "2015"
    with pytest.raises(ValidationError, match="at least as precisely"):
        spell.full_clean()


def test_overlapping_spells_get_a_readable_error_naming_the_other_spell():
    sco, belarus = make_organization("sco", acronym="SCO"), make_country()
    make_membership(sco, belarus, "2015-07", "2024-07-04", status="observer")
    clash = Membership(organization=sco, member_country=belarus, status="member")
    clash.start_partial = "2024-01"
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "overlaps another spell of Belarus in SCO: observer July 2015 – 4 July 2024" in str(
        error.value
    )
    assert Membership.objects.count() == 1


def test_consecutive_spells_do_not_overlap():
    sco, belarus = make_organization("sco"), make_country()
    make_membership(sco, belarus, "2010", "2015-07", status="dialogue_partner")
    make_membership(sco, belarus, "2015-07", "2024-07-04", status="observer")
    make_membership(sco, belarus, "2024-07-04", status="member")
    assert Membership.objects.count() == 3


def test_a_deprecated_spell_may_overlap_the_preferred_one_with_a_reason():
    brics, saudi = make_organization("brics"), make_country("SA", "SAU", "Saudi Arabia")
    make_membership(brics, saudi, "2023-08-24", status="partner")
    competing = Membership(
        organization=brics, member_country=saudi, status="member", rank=Rank.DEPRECATED
    )
    competing.start_partial = "2024-01-01"
    with pytest.raises(ValidationError, match="Say why"):
        competing.full_clean()
    competing.rank_reason = "Saudi officials said the invitation was still under consideration."
    competing.full_clean()
    competing.save()
    assert Membership.objects.count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraints exist on PostgreSQL only"
)
def test_the_database_refuses_overlaps_that_skip_validation():
    """Two editors saving at once both pass clean(); the exclusion constraint stops the second."""
    sco, belarus = make_organization("sco"), make_country()
    make_membership(sco, belarus, "2015-07", "2024-07-04", status="observer")
    with (
        pytest.raises(IntegrityError, match="membership_no_overlapping_spells"),
        transaction.atomic(),
    ):
        Membership.objects.create(
            organization=sco, member_country=belarus, status="member", start="2020-01-01"
        )
    one_day = make_membership(
        make_organization("brics-plus"), make_organization("cis"), "2024-10-24", "2024-10-24"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            organization=one_day.organization,
            member_organization=one_day.member_organization,
            start="2024-10-24",
        )
    assert Membership.objects.count() == 2


@pytest.mark.parametrize(
    ("iso2", "iso3", "field", "message"),
    [
        ("XX", "BLR", "iso2", "not an ISO 3166-1 alpha-2"),
        ("BY", "XXX", "iso3", "not an ISO 3166-1 alpha-3"),
        ("BY", "RUS", "iso3", "whose alpha-3 code is BLR"),
    ],
)
def test_country_codes_must_be_iso(iso2, iso3, field, message):
    country = Country(name="Belarus", iso2=iso2, iso3=iso3)
    with pytest.raises(ValidationError) as error:
        country.full_clean()
    assert message in " ".join(error.value.message_dict[field])
    assert not Country.objects.exists()


def test_country_codes_are_unique_and_uppercase_in_the_database():
    make_country()
    with pytest.raises(ValidationError, match="already exists"):
        Country(name="Belarus again", iso2="BY", iso3="BLR").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.create(name="Belarus again", iso2="BY", iso3="BLR")
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.create(name="lowercase", iso2="ru", iso3="RUS")
    assert Country.objects.count() == 1


def test_organization_slugs_are_unique():
    make_organization("sco")
    with pytest.raises(ValidationError, match="already exists"):
        make_organization("sco")
