"""Sources, the citations that tie them to claims, and quotes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, F, Model, Prefetch, Q, QuerySet, prefetch_related_objects

from ..models import (
    Application,
    Citation,
    Country,
    Membership,
    Organization,
    Person,
    Quote,
    Source,
)


def citation_prefetch(*, preview: bool = False) -> Prefetch[Any]:
    """Prefetch a record's citations with their sources: the public sees published sources only."""
    citations = Citation.objects.select_related("source").order_by("position", "pk")
    if not preview:
        citations = citations.filter(source__is_published=True)
    return Prefetch("citations", queryset=citations)


def cite(records: Iterable[Model], *, preview: bool = False) -> None:
    """Load the citations of ``records`` (of one model), as ``citation_prefetch`` would: one
    query. For the records a page shows of a longer list it read without them."""
    records = [record for record in records if record is not None]
    if records:
        prefetch_related_objects(records, citation_prefetch(preview=preview))


def citation_values(
    model: type[Model], ids: Iterable[int], *, preview: bool = False
) -> QuerySet[Any]:
    """The citations ``citation_prefetch`` loads for the records ``ids`` of ``model``, in its
    order, as ``values()`` rows with their sources' columns: one query, no model instances."""
    citations = citation_prefetch(preview=preview).queryset
    assert citations is not None
    return citations.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids)
    ).values(
        "id",
        "object_id",
        "claim_field",
        "excerpt",
        "locator",
        "source_id",
        "source__title",
        "source__publisher",
        "source__published_on",
        "source__published_on_precision",
        "source__url",
    )


# --- sources ---------------------------------------------------------------------------------


def source_list(*, preview: bool = False) -> QuerySet[Source]:
    """Sources newest first, each with ``citation_count``."""
    sources: QuerySet[Source] = Source.objects.visible(preview)
    return sources.annotate(citation_count=Count("citations")).order_by(
        F("published_on").desc(nulls_last=True), "title", "pk"
    )


def source_claims(source: Source, *, preview: bool = False) -> list[tuple[str, list[Citation]]]:
    """Every claim citing ``source``, grouped by kind of record: one query per kind of record.

    Each citation's ``claim`` is loaded with the records a page needs to name it.
    """
    claims: list[QuerySet[Any]] = [
        Membership.objects.visible(preview).with_related(),
        Application.objects.visible(preview).select_related(
            "organization", "applicant_country", "applicant_organization"
        ),
        Quote.objects.visible(preview).select_related("speaker", "speaker_organization"),
        Organization.objects.visible(preview).select_related("proposed_by"),
        Country.objects.visible(preview),
    ]
    # Any other citable record (agreements, events…) with the records its name needs.
    covered = {queryset.model for queryset in claims}
    for model in Citation._meta.apps.get_app_config("orgs").get_models():
        if model in covered or not hasattr(model, "citations"):
            continue
        if model.__name__.startswith("Historical"):
            continue
        related = [f.name for f in model._meta.fields if f.many_to_one]
        queryset = model._default_manager.select_related(*related)
        if hasattr(queryset, "visible"):
            queryset = queryset.visible(preview)
        claims.append(queryset)
    citations = (
        Citation.objects.filter(source=source)
        .select_related("content_type")
        .prefetch_related(GenericPrefetch("claim", claims))
        .order_by("content_type__model", "object_id", "claim_field", "pk")
    )
    groups: OrderedDict[str, list[Citation]] = OrderedDict()
    for citation in citations:
        if citation.claim is None:
            continue
        claim_model: type[Model] | None = citation.content_type.model_class()
        assert claim_model is not None  # a citation's content type always has its model
        groups.setdefault(str(claim_model._meta.verbose_name_plural), []).append(citation)
    return list(groups.items())


# --- quotes ----------------------------------------------------------------------------------


def quote_list(
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    speaker: Person | None = None,
    preview: bool = False,
) -> QuerySet[Quote]:
    """Quotes with speaker, what they are about and their citations loaded, latest first.

    The public sees published quotes by published speakers (or by no one named).
    """
    queryset: QuerySet[Quote] = (
        Quote.objects.visible(preview)
        .select_related("speaker", "speaker_organization", "event")
        .prefetch_related(
            citation_prefetch(preview=preview),
            Prefetch("about_organizations", Organization.objects.visible(preview).order_by("name")),
            Prefetch("about_countries", Country.objects.visible(preview)),
        )
    )
    if not preview:
        queryset = queryset.filter(Q(speaker__isnull=True) | Q(speaker__is_published=True))
    if organization is not None:
        queryset = queryset.filter(about_organizations=organization)
    if country is not None:
        queryset = queryset.filter(about_countries=country)
    if speaker is not None:
        queryset = queryset.filter(speaker=speaker)
    return queryset.order_by(F("said_on").desc(nulls_last=True), "pk")
