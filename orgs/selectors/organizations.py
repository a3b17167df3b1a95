"""Organizations and countries: the lists with member counts, one profile, proposed organizations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Model, Prefetch, Q
from django.utils import timezone

from ..models import (
    Country,
    Event,
    EventParticipant,
    Membership,
    Organization,
    Rank,
    live_member_counts,
    with_summarized_member_counts,
)
from .sources import citation_prefetch


def _hide_draft_relations(records: Iterable[Model], *names: str) -> None:
    """Forget the related records named ``names`` that are drafts, so the public never sees them.

    The related records come through ``select_related``: one query, at the price of sorting
    drafts out afterwards.
    """
    for record in records:
        for name in names:
            related = getattr(record, name)
            if related is not None and not related.is_published:
                setattr(record, name, None)


def organization_list(
    on: datetime.date | None = None,
    *,
    preview: bool = False,
    pks: Iterable[int] | None = None,
) -> list[Organization]:
    """The organizations, unions, groupings and formats the reader may see (not the
    institutions: ``OrganizationQuerySet.international``), with ``<status>_count``
    annotations as of ``on``; only those of ``pks`` when given (a page of them: the counts
    are then taken over their spells alone).

    Today's counts are read from the summary (``MemberCount``), which stores what
    ``with_member_counts`` counts, and counted live for the organizations it does not hold
    today for (one query more, only then); another day's, and a preview's (it shows changes
    waiting for review), are counted live."""
    queryset = Organization.objects.visible(preview).international()
    if pks is not None:
        queryset = queryset.filter(pk__in=list(pks))
    today = timezone.localdate()
    summarized = not preview and (on is None or on == today)
    if summarized:
        queryset = with_summarized_member_counts(queryset, today)
    else:
        queryset = queryset.with_member_counts(on)
    organizations = list(
        queryset.select_related("parent", "proposed_by", "successor").order_by("name")
    )
    if summarized:
        live_member_counts(organizations, today)
    if not preview:
        _hide_draft_relations(organizations, "parent", "proposed_by", "successor")
    return organizations


@dataclass
class OrganizationRecords:
    """What the atlas records of an organization besides its members today."""

    events: int = 0
    event_participations: int = 0
    members_ever: int = 0


def organization_keys(*, preview: bool = False) -> list[int]:
    """The keys of ``organization_list``'s organizations in its order: what a page of them
    is cut from."""
    return list(
        Organization.objects.visible(preview)
        .international()
        .order_by("name")
        .values_list("pk", flat=True)
    )


def organization_records(
    organizations: Iterable[Organization], *, preview: bool = False
) -> dict[int, OrganizationRecords]:
    """How many events each organization organized or took part in, and how many members it
    ever had: three queries, whatever the number of organizations."""
    pks = [organization.pk for organization in organizations]
    records = {pk: OrganizationRecords() for pk in pks}
    events = (
        Event.objects.visible(preview)
        .filter(organizers__in=pks)
        .values("organizers")
        .annotate(count=Count("pk", distinct=True))
    )
    for row in events:
        records[row["organizers"]].events = row["count"]
    participations = (
        EventParticipant.objects.filter(
            organization__in=pks, event__in=Event.objects.visible(preview)
        )
        .values("organization")
        .annotate(count=Count("event", distinct=True))
    )
    for row in participations:
        records[row["organization"]].event_participations = row["count"]
    spells = (
        Membership.objects.visible(preview)
        .filter(organization__in=pks)
        .exclude(rank=Rank.DEPRECATED)
        .values("organization")
        .annotate(
            countries=Count("member_country", distinct=True),
            organizations=Count("member_organization", distinct=True),
        )
    )
    for row in spells:
        records[row["organization"]].members_ever = row["countries"] + row["organizations"]
    return records


def organization_get(slug: str, *, preview: bool = False) -> Organization:
    """One organization with its parent, proposer, formats and fact citations loaded.

    Raises ``Organization.DoesNotExist`` for an unknown slug or, for the public, a draft.
    """
    formats = Organization.objects.visible(preview).order_by("name")
    organization: Organization = (
        Organization.objects.visible(preview)
        .select_related("parent", "proposed_by", "successor")
        .prefetch_related(
            citation_prefetch(preview=preview),
            Prefetch("formats", formats),
            Prefetch("predecessors", formats),
        )
        .get(slug=slug)
    )
    if not preview:
        _hide_draft_relations([organization], "parent", "proposed_by", "successor")
    return organization


def organization_list_proposed(*, preview: bool = False) -> list[Organization]:
    """Organizations and formats whose proposer or proposal date is known, with who proposed
    them and their citations: two queries."""
    queryset = (
        Organization.objects.visible(preview)
        .filter(
            Q(proposed_by__isnull=False)
            | Q(proposed_by_country__isnull=False)
            | Q(proposed_on__isnull=False)
        )
        .select_related("proposed_by", "proposed_by_country", "parent")
        .prefetch_related(citation_prefetch(preview=preview))
        .order_by(F("proposed_on").asc(nulls_last=True), "name")
    )
    organizations = list(queryset)
    if not preview:
        _hide_draft_relations(organizations, "proposed_by", "proposed_by_country")
    return organizations


def country_get(iso2: str, *, preview: bool = False) -> Country:
    """One country by lowercase alpha-2 code, with its citations loaded.

    Raises ``Country.DoesNotExist`` for an unknown or uppercase code or, for the public, a draft.
    """
    if len(iso2) != 2 or iso2 != iso2.lower():
        raise Country.DoesNotExist(iso2)
    country: Country = (
        Country.objects.visible(preview)
        .prefetch_related(citation_prefetch(preview=preview))
        .get(iso2=iso2.upper())
    )
    return country
