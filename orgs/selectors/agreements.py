"""Agreements, their parties, and the stage each one had reached on a day."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from ..models import STAGE_ORDER, Agreement, AgreementParty, AgreementStage, Country, Organization
from .sources import citation_prefetch


def agreement_stage_as_of(
    stages: Iterable[AgreementStage], on: datetime.date
) -> AgreementStage | None:
    """The furthest stage reached by ``on`` among an agreement's stages (already loaded), or None.

    A stage counts from the first day of its date's window; ``is_certain`` is False while ``on``
    is still inside that window (signed "2025-12", asked about 15 December 2025).
    """
    reached = [stage for stage in stages if stage.date <= on]
    if not reached:
        return None
    current = max(reached, key=lambda stage: (STAGE_ORDER.index(stage.stage), stage.date))
    current.is_certain = current.date_partial.latest <= on  # type: ignore[attr-defined]
    return current


def _loaded(agreements: QuerySet[Agreement], *, preview: bool) -> QuerySet[Agreement]:
    """Agreements with parties, stages (as ``stage_list``) and citations: four queries."""
    stages = (
        AgreementStage.objects.visible(preview)
        .order_by("date", "pk")
        .prefetch_related(citation_prefetch(preview=preview))
    )
    parties = (
        AgreementParty.objects.visible(preview)
        .select_related("country", "organization")
        .order_by(F("organization").asc(nulls_last=True), "pk")
    )
    return agreements.prefetch_related(
        Prefetch("parties", queryset=parties),
        Prefetch("stages", queryset=stages, to_attr="stage_list"),
        citation_prefetch(preview=preview),
    )


def _as_of(agreement: Agreement, on: datetime.date, *, preview: bool) -> Agreement:
    """Mark the stages on ``on`` and list the parties the reader may see (``party_list``).

    Each agreement gets ``current_stage``; each stage ``is_reached``, ``is_current`` and
    ``is_exact`` ("June 2025" or "by 31 August 2024": the day itself is not known).
    """
    stage_list: list[AgreementStage] = agreement.stage_list  # type: ignore[attr-defined]
    current = agreement_stage_as_of(stage_list, on)
    agreement.current_stage = current  # type: ignore[attr-defined]
    for stage in stage_list:
        stage.is_reached = stage.date <= on  # type: ignore[attr-defined]
        stage.is_current = stage is current  # type: ignore[attr-defined]
        stage.is_exact = stage.date_precision == "day"  # type: ignore[attr-defined]
    parties = [party.party for party in agreement.parties.all()]
    agreement.party_list = [  # type: ignore[attr-defined]
        party for party in parties if preview or party.is_published
    ]
    return agreement


def agreement_list(
    on: datetime.date | None = None,
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    preview: bool = False,
    within: QuerySet[Agreement] | None = None,
) -> list[Agreement]:
    """Agreements (of a party, if given; among ``within``, a filtered queryset, if given) by
    title, each with its stage on ``on`` (today when None): ``current_stage``, stages marked,
    and the parties the reader may see. Four queries whatever the number of agreements."""
    on = on or timezone.localdate()
    queryset = Agreement.objects.visible(preview)
    if within is not None:
        queryset = queryset.filter(pk__in=within.values("pk"))
    if organization is not None:
        queryset = queryset.filter(parties__organization=organization)
    if country is not None:
        queryset = queryset.filter(parties__country=country)
    agreements = _loaded(queryset.distinct(), preview=preview).order_by("title")
    return [_as_of(agreement, on, preview=preview) for agreement in agreements]


def agreement_get(
    slug: str, on: datetime.date | None = None, *, preview: bool = False
) -> Agreement:
    """One agreement as ``agreement_list`` loads and marks it.

    Raises ``Agreement.DoesNotExist`` for an unknown slug or, for the public, a draft.
    """
    on = on or timezone.localdate()
    agreement = _loaded(Agreement.objects.visible(preview), preview=preview).get(slug=slug)
    return _as_of(agreement, on, preview=preview)


def agreement_stage_list(*, preview: bool = False) -> QuerySet[AgreementStage]:
    """Stages of agreements the reader may see, with their agreement and citations loaded."""
    queryset: QuerySet[AgreementStage] = (
        AgreementStage.objects.visible(preview)
        .select_related("agreement")
        .prefetch_related(citation_prefetch(preview=preview))
    )
    if not preview:
        queryset = queryset.filter(agreement__is_published=True)
    return queryset


def agreement_party_list(*, preview: bool = False) -> QuerySet[AgreementParty]:
    """Parties of agreements the reader may see, with the agreement and the party loaded."""
    queryset: QuerySet[AgreementParty] = AgreementParty.objects.visible(preview).select_related(
        "agreement", "country", "organization"
    )
    if not preview:
        queryset = queryset.filter(agreement__is_published=True)
    return queryset


def agreement_party_options(*, preview: bool = False) -> tuple[list[Organization], list[Country]]:
    """The organizations and the countries party to an agreement the reader may see, by name:
    two queries."""
    agreements = Agreement.objects.visible(preview)
    organizations = Organization.objects.visible(preview).filter(
        agreement_parties__agreement__in=agreements
    )
    countries = Country.objects.visible(preview).filter(agreement_parties__agreement__in=agreements)
    return (
        list(organizations.distinct().order_by("name")),
        list(countries.distinct().order_by("name")),
    )
