"""Organizations and countries: the lists with member counts, one profile, proposed organizations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import F, Model, Prefetch, Q

from ..models import Country, Organization
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
    on: datetime.date | None = None, *, preview: bool = False
) -> list[Organization]:
    """Every organization the reader may see, with ``<status>_count`` annotations as of ``on``."""
    queryset = Organization.objects.visible(preview).with_member_counts(on)
    return list(queryset.select_related("parent").order_by("name"))


def organization_get(slug: str, *, preview: bool = False) -> Organization:
    """One organization with its parent, proposer, formats and fact citations loaded.

    Raises ``Organization.DoesNotExist`` for an unknown slug or, for the public, a draft.
    """
    formats = Organization.objects.visible(preview).order_by("name")
    organization: Organization = (
        Organization.objects.visible(preview)
        .select_related("parent", "proposed_by")
        .prefetch_related(citation_prefetch(preview=preview), Prefetch("formats", formats))
        .get(slug=slug)
    )
    if not preview:
        _hide_draft_relations([organization], "parent", "proposed_by")
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
