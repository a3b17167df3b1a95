"""Reads that pages, the API and exports share.

Each function answers one question with a fixed number of queries, whatever the size of the
atlas, and takes ``published_only`` so that public callers see published records only while
staff may preview drafts. The "as of" rule itself lives in ``orgs.models.spell_as_of_q``.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from .models import (
    STATUS_ORDER,
    Citation,
    Country,
    Membership,
    Organization,
    Status,
    spell_as_of_q,
)


def _citations_prefetch(published_only: bool) -> Prefetch:
    citations = Citation.objects.select_related("source").order_by("position", "pk")
    if published_only:
        citations = citations.filter(source__is_published=True)
    return Prefetch("citations", queryset=citations)


def visible_spells(*, published_only: bool = True) -> QuerySet[Membership]:
    """Spells the caller may see: published spells of published members in published organizations."""
    queryset = Membership.objects.all()
    if published_only:
        queryset = queryset.published().filter(
            Q(member_country__is_published=True) | Q(member_organization__is_published=True),
            organization__is_published=True,
        )
    return queryset


def spells(*, published_only: bool = True) -> QuerySet[Membership]:
    """Every visible spell with its member, organization and citations loaded."""
    return (
        visible_spells(published_only=published_only)
        .with_related()
        .prefetch_related(_citations_prefetch(published_only))
    )


def spells_as_of(
    on: datetime.date | None = None, *, published_only: bool = True
) -> QuerySet[Membership]:
    """Spells that may hold on ``on`` (today when None), each annotated ``is_certain``."""
    return spells(published_only=published_only).as_of(on or timezone.localdate())


@dataclass
class StatusGroup:
    status: str
    label: str
    spells: list[Membership] = field(default_factory=list)

    @property
    def certain_count(self) -> int:
        return sum(1 for spell in self.spells if spell.is_certain)


def members_as_of(
    organization: Organization,
    on: datetime.date | None = None,
    *,
    statuses: list[str] | None = None,
    published_only: bool = True,
) -> list[StatusGroup]:
    """The members of ``organization`` on ``on``, grouped by status in ``STATUS_ORDER``.

    Countries come first within a group, then organizations, each alphabetically. Spells whose
    start or end window contains ``on`` are included with ``is_certain`` False.
    """
    queryset = spells_as_of(on, published_only=published_only).filter(organization=organization)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    groups: OrderedDict[str, StatusGroup] = OrderedDict(
        (status, StatusGroup(status, Status(status).label)) for status in STATUS_ORDER
    )
    for spell in sorted(queryset, key=_member_sort_key):
        groups[spell.status].spells.append(spell)
    return [group for group in groups.values() if group.spells]


def country_memberships_as_of(
    country: Country, on: datetime.date | None = None, *, published_only: bool = True
) -> list[Membership]:
    """Every organization ``country`` is in on ``on``, closest tie first, then by organization."""
    queryset = spells_as_of(on, published_only=published_only).filter(member_country=country)
    return sorted(
        queryset, key=lambda spell: (STATUS_ORDER.index(spell.status), spell.organization.name)
    )


def organization_memberships_as_of(
    member: Organization, on: datetime.date | None = None, *, published_only: bool = True
) -> list[Membership]:
    """Organizations that ``member`` takes part in as an organization (the CIS in BRICS+)."""
    queryset = spells_as_of(on, published_only=published_only).filter(member_organization=member)
    return sorted(
        queryset, key=lambda spell: (STATUS_ORDER.index(spell.status), spell.organization.name)
    )


def spell_history(
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    published_only: bool = True,
) -> list[Membership]:
    """All spells of an organization or of a country, oldest first: the raw material of timelines."""
    queryset = spells(published_only=published_only)
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    if country is not None:
        queryset = queryset.filter(member_country=country)
    return list(queryset.order_by("start", "organization__name", "pk"))


def _member_sort_key(spell: Membership):
    return (spell.member_country_id is None, str(spell.member).casefold())


# --- overlap of several organizations --------------------------------------------------------


@dataclass
class OverlapMember:
    """A member of at least one compared organization, with its spells in each of them."""

    member: Country | Organization
    spells_by_organization: dict[int, list[Membership]] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "country" if isinstance(self.member, Country) else "organization"

    def spells_in(self, organization: Organization) -> list[Membership]:
        return self.spells_by_organization.get(organization.pk, [])


@dataclass
class Intersection:
    """Members that are in exactly these organizations among those compared (an UpSet bar)."""

    organizations: list[Organization]
    members: list[OverlapMember]

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def slugs(self) -> list[str]:
        return [organization.slug for organization in self.organizations]


@dataclass
class Overlap:
    organizations: list[Organization]
    on: datetime.date
    statuses: list[str] | None
    members: list[OverlapMember]
    intersections: list[Intersection]
    pairwise: list[tuple[Organization, Organization, int]]

    def intersection_of(self, *slugs: str) -> Intersection | None:
        wanted = set(slugs)
        return next((i for i in self.intersections if set(i.slugs) == wanted), None)

    def in_all(self) -> list[OverlapMember]:
        everyone = self.intersection_of(*(organization.slug for organization in self.organizations))
        return everyone.members if everyone else []


def overlap(
    organizations: list[Organization],
    on: datetime.date | None = None,
    *,
    statuses: list[str] | None = None,
    published_only: bool = True,
) -> Overlap:
    """Who is in which of ``organizations`` on ``on``: exact intersections, pairwise counts, a matrix.

    The combination each member belongs to is computed in the database: every organization is
    given one bit, and the distinct bits of a member's spells add up to its combination. Three
    queries whatever the number of members or organizations.
    """
    on = on or timezone.localdate()
    base = visible_spells(published_only=published_only).filter(
        spell_as_of_q(on), organization__in=organizations
    )
    if statuses:
        base = base.filter(status__in=statuses)
    bit = Case(
        *[When(organization_id=o.pk, then=Value(1 << i)) for i, o in enumerate(organizations)],
        default=Value(0),
        output_field=IntegerField(),
    )
    combinations = (
        base.order_by()
        .values("member_country_id", "member_organization_id")
        .annotate(combination=Sum(bit, distinct=True))
    )
    combination_of = {
        (row["member_country_id"], row["member_organization_id"]): row["combination"]
        for row in combinations
    }

    members: dict[tuple, OverlapMember] = {}
    matrix_spells = spells_as_of(on, published_only=published_only).filter(
        organization__in=organizations
    )
    if statuses:
        matrix_spells = matrix_spells.filter(status__in=statuses)
    for spell in matrix_spells.order_by("start", "pk"):
        key = (spell.member_country_id, spell.member_organization_id)
        entry = members.setdefault(key, OverlapMember(spell.member))
        entry.spells_by_organization.setdefault(spell.organization_id, []).append(spell)

    by_combination: dict[int, list[OverlapMember]] = {}
    for key, entry in members.items():
        by_combination.setdefault(combination_of.get(key, 0), []).append(entry)

    def name_key(entry: OverlapMember):
        return (entry.kind != "country", str(entry.member).casefold())

    intersections = [
        Intersection(
            [o for i, o in enumerate(organizations) if combination & (1 << i)],
            sorted(entries, key=name_key),
        )
        for combination, entries in by_combination.items()
        if combination
    ]
    intersections.sort(key=lambda i: (-len(i.organizations), -i.count, i.slugs))
    pairwise = []
    for i, first in enumerate(organizations):
        for j in range(i + 1, len(organizations)):
            both = (1 << i) | (1 << j)
            count = sum(
                len(v) for combination, v in by_combination.items() if combination & both == both
            )
            pairwise.append((first, organizations[j], count))
    return Overlap(
        organizations=list(organizations),
        on=on,
        statuses=statuses,
        members=sorted(members.values(), key=name_key),
        intersections=intersections,
        pairwise=pairwise,
    )
