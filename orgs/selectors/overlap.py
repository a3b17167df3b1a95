"""Who is in which of several organizations on a day: the compare page and the API's overlap."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Sum, Value, When
from django.utils import timezone

from ..models import Country, Membership, Organization, spell_as_of_q
from .memberships import _visible_memberships, memberships_as_of

# A member is either a country or an organization: (member_country_id, member_organization_id).
MemberKey = tuple[int | None, int | None]


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


def organizations_overlap(
    organizations: list[Organization],
    on: datetime.date | None = None,
    *,
    statuses: list[str] | None = None,
    preview: bool = False,
    cited: bool = True,
) -> Overlap:
    """Who is in which of ``organizations`` on ``on``: exact intersections, pairwise counts, a matrix.

    The combination each member belongs to is computed in the database: every organization is
    given one bit, and the distinct bits of a member's spells add up to its combination. Three
    queries whatever the number of members or organizations (``cited=False``: the spells without
    their citations, one query less, for an answer that does not show them).
    """
    on = on or timezone.localdate()
    base = _visible_memberships(preview).filter(spell_as_of_q(on), organization__in=organizations)
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
    combination_of: dict[MemberKey, int] = {
        (row["member_country_id"], row["member_organization_id"]): row["combination"]
        for row in combinations
    }

    members: dict[MemberKey, OverlapMember] = {}
    matrix_spells = memberships_as_of(on, preview=preview, cited=cited).filter(
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

    def name_key(entry: OverlapMember) -> tuple[bool, str]:
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
