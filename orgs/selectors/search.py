"""Search across the atlas: organizations, countries, people, quotes, agreements, events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from ..models import Agreement, Country, Event, Organization, Person, Quote
from .sources import quote_list


@dataclass
class SearchResults:
    query: str
    organizations: list[Organization] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            len(self.organizations)
            + len(self.countries)
            + len(self.people)
            + len(self.quotes)
            + len(self.agreements)
            + len(self.events)
        )


def _text_q(fields: list[str], query: str) -> Q:
    """Case-insensitive containment in any of ``fields``.

    SQLite's LIKE folds ASCII case only, so the query is also tried in upper, lower and title
    case: "шос" then still finds "ШОС".
    """
    variants = {query, query.lower(), query.upper(), query.title()}
    condition = Q()
    for name in fields:
        for variant in variants:
            condition |= Q(**{f"{name}__icontains": variant})
    return condition


def _matching(queryset: QuerySet[Any], fields: list[str], query: str) -> QuerySet[Any]:
    """Records whose ``fields`` match ``query``: the one text-matching rule of the search.

    Everywhere: case-insensitive containment (``_text_q``). On PostgreSQL also full-text search
    (the "simple" configuration, so any language and script: ШОС, Шанхайская) and trigram word
    similarity, which forgives a misspelt name ("Shangai"). Trigram GIN indexes on the main
    columns (migration 0007) serve both containment and similarity there.
    """
    condition = _text_q(fields, query)
    if connection.vendor != "postgresql":
        return queryset.filter(condition)
    from django.contrib.postgres.search import SearchQuery, SearchVector

    condition |= Q(search_document=SearchQuery(query, config="simple", search_type="websearch"))
    for name in fields:
        condition |= Q(**{f"{name}__trigram_word_similar": query})
    vector = SearchVector(*fields, config="simple")
    matching: QuerySet[Any] = queryset.annotate(search_document=vector).filter(condition)
    return matching


def atlas_search(query: str, *, limit: int = 50, preview: bool = False) -> SearchResults:
    """Organizations by any name, countries by name or code, people, quote text, agreements by
    title and events by name or place."""
    # PostgreSQL refuses NUL in text; no name or quote contains one.
    query = " ".join((query or "").replace("\x00", "").split())[:100]
    results = SearchResults(query)
    if not query:
        return results
    organizations = _matching(
        Organization.objects.visible(preview), ["name", "acronym", "other_names", "slug"], query
    )
    named = _matching(Country.objects.all(), ["name", "official_name", "other_names"], query)
    countries = Country.objects.visible(preview).filter(
        Q(pk__in=named.values("pk")) | Q(iso2=query.upper()) | Q(iso3=query.upper())
    )
    people = _matching(Person.objects.visible(preview), ["name", "native_name"], query)
    quotes = (
        quote_list(preview=preview)
        .filter(
            pk__in=_matching(Quote.objects.all(), ["text", "original_text"], query).values("pk")
        )
        .prefetch_related(None)
    )
    agreements = _matching(
        Agreement.objects.visible(preview), ["title", "slug", "description"], query
    )
    events = _matching(Event.objects.visible(preview), ["name", "slug", "place"], query)
    results.organizations = list(organizations.order_by("name")[:limit])
    results.countries = list(countries.order_by("name")[:limit])
    results.people = list(people.order_by("name")[:limit])
    results.quotes = list(quotes[:limit])
    results.agreements = list(agreements.order_by("title")[:limit])
    results.events = list(events.order_by("-start", "name")[:limit])
    return results
