"""Reads that pages, the API and exports share.

Each function answers one question with a fixed number of queries, whatever the size of the
atlas, and takes ``published_only`` so that public callers see published records only while
staff may preview drafts. The "as of" rule itself lives in ``orgs.models.spell_as_of_q``.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import STATUS_ORDER, Citation, Country, Membership, Organization, Status


def _citations_prefetch(published_only: bool) -> Prefetch:
    citations = Citation.objects.select_related("source").order_by("position", "pk")
    if published_only:
        citations = citations.filter(source__is_published=True)
    return Prefetch("citations", queryset=citations)


def spells(*, published_only: bool = True) -> QuerySet[Membership]:
    """Every spell with its member, organization and citations loaded."""
    queryset = Membership.objects.with_related().prefetch_related(
        _citations_prefetch(published_only)
    )
    if published_only:
        queryset = queryset.published().filter(
            Q(member_country__is_published=True) | Q(member_organization__is_published=True),
            organization__is_published=True,
        )
    return queryset


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
