"""Small helpers that make valid records for tests; each saves through full_clean()."""

from __future__ import annotations

import itertools

from orgs.dates import PartialDate
from orgs.models import Citation, Country, Membership, Organization, Source

_counter = itertools.count(1)


def make_country(iso2="BY", iso3="BLR", name="Belarus", **fields) -> Country:
    country = Country(iso2=iso2, iso3=iso3, name=name, is_published=True, **fields)
    country.full_clean()
    country.save()
    return country


def make_organization(slug=None, name=None, **fields) -> Organization:
    number = next(_counter)
    slug = slug or f"org-{number}"
    organization = Organization(
        slug=slug, name=name or f"Organization {number}", is_published=True, **fields
    )
    organization.full_clean()
    organization.save()
    return organization


def make_source(title="A source", **fields) -> Source:
    source = Source(title=title, is_published=True, **fields)
    source.full_clean()
    source.save()
    return source


def make_spell(
    organization, member, start, end=None, *, status="member", cite=True, **fields
) -> Membership:
    """A spell of ``member`` (a Country or an Organization) with partial dates given as text."""
    spell = Membership(organization=organization, status=status, is_published=True, **fields)
    if isinstance(member, Country):
        spell.member_country = member
    else:
        spell.member_organization = member
    spell.start_partial = PartialDate.parse(start)
    spell.end_partial = PartialDate.parse(end) if end else None
    spell.full_clean()
    spell.save()
    if cite:
        Citation.objects.create(claim=spell, source=make_source(f"Source for {spell.pk}"))
    return spell
