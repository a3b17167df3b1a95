"""Who is in what: spells, members as of a date, a member's memberships, applications.

The "as of" rule itself lives in ``orgs.models.spell_as_of_q``; here it is applied to what the
reader may see.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import (
    STATUS_ORDER,
    Application,
    Country,
    Membership,
    MembershipQuerySet,
    Organization,
    Rank,
    Status,
    spell_as_of_q,
)
from .sources import citation_prefetch

# --- spells ----------------------------------------------------------------------------------


def _visible_memberships(preview: bool) -> MembershipQuerySet[Membership]:
    """Spells the reader may see: the public sees published spells of published members in
    published organizations."""
    queryset: MembershipQuerySet[Membership] = Membership.objects.visible(preview)
    if not preview:
        queryset = queryset.filter(
            Q(member_country__is_published=True) | Q(member_organization__is_published=True),
            organization__is_published=True,
        )
    return queryset


def membership_list(*, preview: bool = False, cited: bool = True) -> MembershipQuerySet[Membership]:
    """Every spell the reader may see, with its member, organization and citations loaded.

    ``cited=False`` leaves the citations out, for a page that shows (and cites) only some of
    the spells it reads: prefetching costs Python time for every spell, shown or not.
    """
    spells: MembershipQuerySet[Membership] = _visible_memberships(preview).with_related()
    if not cited:
        return spells
    return spells.prefetch_related(citation_prefetch(preview=preview))


def memberships_as_of(
    on: datetime.date | None = None, *, preview: bool = False, cited: bool = True
) -> MembershipQuerySet[Membership]:
    """Spells that may hold on ``on`` (today when None), each annotated ``is_certain``."""
    spells: MembershipQuerySet[Membership] = membership_list(preview=preview, cited=cited).as_of(
        on or timezone.localdate()
    )
    return spells


def membership_history(
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    preview: bool = False,
    cited: bool = True,
) -> list[Membership]:
    """All spells of an organization or of a country, oldest first: the raw material of timelines.

    Deprecated spells are included: pages pair them with the spells they compete with.
    """
    return list(
        membership_history_queryset(
            organization=organization, country=country, preview=preview, cited=cited
        )
    )


def membership_history_queryset(
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    preview: bool = False,
    cited: bool = True,
) -> MembershipQuerySet[Membership]:
    """``membership_history`` unread, for a page that shows one page of it (a country may have
    thousands of spells: the database counts them and reads the page's alone)."""
    queryset = membership_list(preview=preview, cited=cited)
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    if country is not None:
        queryset = queryset.filter(member_country=country)
    ordered: MembershipQuerySet[Membership] = queryset.order_by("start", "organization__name", "pk")
    return ordered


def membership_competing_claims(
    shown: list[Membership], history: list[Membership], on: datetime.date | None = None
) -> list[Membership]:
    """Pair the spells a page shows with the deprecated spells that compete with them.

    ``history`` is every spell of the organization or country (``membership_history``, which
    loads deprecated spells too), so this costs no query. Each shown spell gets ``competing``:
    the deprecated spells of the same member in the same organization. Returned are the
    deprecated spells that compete with nothing shown but would hold on ``on`` if the atlas
    followed them (Saudi Arabia's claimed BRICS membership): a page lists them as disputed
    claims, never as members.
    """
    on = on or timezone.localdate()

    def key(spell: Membership) -> tuple[int, int | None, int | None]:
        return (spell.organization_id, spell.member_country_id, spell.member_organization_id)

    deprecated = [spell for spell in history if spell.rank == Rank.DEPRECATED]
    by_key: dict[tuple[int, int | None, int | None], list[Membership]] = {}
    for spell in deprecated:
        by_key.setdefault(key(spell), []).append(spell)
    for spell in shown:
        spell.competing = by_key.get(key(spell), [])  # type: ignore[attr-defined]
    shown_keys = {key(spell) for spell in shown}
    return [
        spell
        for spell in deprecated
        if key(spell) not in shown_keys
        and spell.start <= on
        and (spell.end is None or spell.end_partial.latest >= on)
    ]


# --- the members of an organization ------------------------------------------------------------


@dataclass
class StatusGroup:
    status: str
    label: str
    spells: list[Membership] = field(default_factory=list)

    @property
    def certain_count(self) -> int:
        return len([spell for spell in self.spells if spell.is_certain])  # type: ignore[attr-defined]


def organization_members_as_of(
    organization: Organization,
    on: datetime.date | None = None,
    *,
    statuses: list[str] | None = None,
    preview: bool = False,
) -> list[StatusGroup]:
    """The members of ``organization`` on ``on``, grouped by status in ``STATUS_ORDER``.

    Countries come first within a group, then organizations, each alphabetically. Spells whose
    start or end window contains ``on`` are included with ``is_certain`` False.
    """
    queryset = memberships_as_of(on, preview=preview).filter(organization=organization)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    groups: OrderedDict[str, StatusGroup] = OrderedDict(
        (status, StatusGroup(status, str(Status(status).label))) for status in STATUS_ORDER
    )
    for spell in sorted(queryset, key=_member_sort_key):
        groups[spell.status].spells.append(spell)
    return [group for group in groups.values() if group.spells]


def organization_former_members(
    organization: Organization, on: datetime.date | None = None, *, preview: bool = False
) -> list[Membership]:
    """Members whose last spell in ``organization`` ended by ``on`` and who hold none on ``on``.

    One spell per former member, the one that ended last, most recent exit first.
    """
    on = on or timezone.localdate()
    holding = _visible_memberships(preview).filter(spell_as_of_q(on), organization=organization)
    ended = (
        membership_list(preview=preview)
        .filter(organization=organization, end__isnull=False, end__lte=on)
        .exclude(rank=Rank.DEPRECATED)
        .exclude(
            member_country__in=holding.filter(member_country__isnull=False).values("member_country")
        )
        .exclude(
            member_organization__in=holding.filter(member_organization__isnull=False).values(
                "member_organization"
            )
        )
        .order_by("-end", "pk")
    )
    latest: dict[tuple[int | None, int | None], Membership] = {}
    for spell in ended:
        latest.setdefault((spell.member_country_id, spell.member_organization_id), spell)
    return list(latest.values())


def _member_sort_key(spell: Membership) -> tuple[bool, str]:
    return (spell.member_country_id is None, str(spell.member).casefold())


# --- the memberships of a member ----------------------------------------------------------------


def country_memberships_as_of(
    country: Country, on: datetime.date | None = None, *, preview: bool = False, cited: bool = True
) -> list[Membership]:
    """Every organization ``country`` is in on ``on``, closest tie first, then by organization."""
    return _closest_tie_first(
        memberships_as_of(on, preview=preview, cited=cited).filter(member_country=country)
    )


def organization_memberships_as_of(
    member: Organization, on: datetime.date | None = None, *, preview: bool = False
) -> list[Membership]:
    """Organizations that ``member`` takes part in as an organization (the CIS in BRICS+)."""
    return _closest_tie_first(
        memberships_as_of(on, preview=preview).filter(member_organization=member)
    )


def _closest_tie_first(spells: Iterable[Membership]) -> list[Membership]:
    """A member's spells ordered by status (member before observer …), then by organization."""
    return sorted(
        spells, key=lambda spell: (STATUS_ORDER.index(spell.status), spell.organization.name)
    )


# --- applications and invitations ---------------------------------------------------------------


def application_list(*, preview: bool = False, cited: bool = True) -> QuerySet[Application]:
    """Applications the reader may see, with applicant, organization and citations loaded
    (``cited=False``: without their citations, as ``membership_list``).

    The public sees published applications of published applicants to published organizations.
    """
    queryset: QuerySet[Application] = Application.objects.visible(preview).select_related(
        "organization", "applicant_country", "applicant_organization", "resulting_membership"
    )
    if cited:
        queryset = queryset.prefetch_related(citation_prefetch(preview=preview))
    if not preview:
        queryset = queryset.filter(
            Q(applicant_country__is_published=True) | Q(applicant_organization__is_published=True),
            organization__is_published=True,
        )
    return queryset


@dataclass
class ApplicationsAsOf:
    pending: list[Application]
    decided: list[Application]


def applications_as_of(
    on: datetime.date | None = None,
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    preview: bool = False,
    cited: bool = True,
) -> ApplicationsAsOf:
    """Applications and invitations filed by ``on``: those still open on ``on``, and the rest.

    An application decided after ``on`` was still pending on ``on``.
    """
    on = on or timezone.localdate()
    queryset = application_list(preview=preview, cited=cited)
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    if country is not None:
        queryset = queryset.filter(applicant_country=country)
    queryset = queryset.filter(Q(filed_on__isnull=True) | Q(filed_on__lte=on)).order_by(
        "filed_on", "organization__name", "pk"
    )
    pending: list[Application] = []
    decided: list[Application] = []
    for application in queryset:
        still_open = application.outcome == Application.Outcome.PENDING or (
            application.decided_on is not None and application.decided_on > on
        )
        (pending if still_open else decided).append(application)
    return ApplicationsAsOf(pending, decided)
