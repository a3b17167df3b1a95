"""Search across the atlas: organizations, countries, people, quotes, agreements, events.

Countries, organizations and people are found by every name they go by and ranked, the same way
in the admin's autocompletes and lists, on the search page and in the API: an exact code first
(BY, DEU, SCO), then an exact name, names that start with the query, names with a word that
starts with it, and names that merely contain it. Countries are also found by their names in
other languages (pycountry's translations: "Росс" finds Russia) and by former names
(ISO 3166-3: "Byelorussia" finds Belarus).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from ..languages import iso_names_translated
from ..models import Agreement, Country, Event, Organization, Person, Quote
from .sources import quote_list

# --- names ranked --------------------------------------------------------------------------

EXACT_CODE, EXACT_NAME, NAME_PREFIX, WORD_PREFIX, CONTAINS = range(5)


def folded(text: str) -> str:
    """``text`` as search compares it: case and accents folded, spaces collapsed ("Türkiye" and
    "turkiye" match, "Ё" and "е" too)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def clean_query(query: str) -> str:
    # PostgreSQL refuses NUL in text; no name contains one.
    return " ".join((query or "").replace("\x00", "").split())[:100]


def name_rank(query: str, *, codes: Iterable[str] = (), names: Iterable[str] = ()) -> int | None:
    """How well a record with ``codes`` and ``names`` matches ``query`` (lower is better), or
    None when it does not match. A code typed in capitals (DEU) is an exact code; typed in small
    letters (deu, bel) it ranks with the names it starts, since it is as likely a name's start."""
    wanted = folded(query)
    if not wanted:
        return None
    best = None
    for code in codes:
        if code and folded(code) == wanted:
            best = EXACT_CODE if query.strip().isupper() else NAME_PREFIX
            if best == EXACT_CODE:
                return best
    word_start = re.compile("(?:^|[\\s\\-–(,/'\u2019])" + re.escape(wanted))
    for name in names:
        text = folded(name)
        if not text or wanted not in text:
            continue
        if text == wanted:
            return EXACT_NAME
        if text.startswith(wanted):
            rank = NAME_PREFIX
        elif word_start.search(text):
            rank = WORD_PREFIX
        else:
            rank = CONTAINS
        best = rank if best is None else min(best, rank)
    return best


def ranked(queryset: QuerySet[Any], ranks: dict[Any, int], *, then: str) -> QuerySet[Any]:
    """``queryset`` narrowed to the keys of ``ranks``, annotated with ``search_rank`` and ordered
    by it, then by the queryset's own order or else ``then``."""
    by_rank: dict[int, list[Any]] = {}
    for pk, rank in ranks.items():
        by_rank.setdefault(rank, []).append(pk)
    order = Case(
        *(When(pk__in=pks, then=Value(rank)) for rank, pks in sorted(by_rank.items())),
        default=Value(CONTAINS + 1),
        output_field=IntegerField(),
    )
    narrowed: QuerySet[Any] = (
        queryset.filter(pk__in=list(ranks))
        .annotate(search_rank=order)
        .order_by("search_rank", *(queryset.query.order_by or [then]))
    )
    return narrowed


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@functools.cache
def _former_names() -> dict[str, tuple[str, ...]]:
    """Former names by the alpha-2 code of the country that carries on (ISO 3166-3): BYAA, the
    Byelorussian SSR, is Belarus (AA: the same code); ZRCD, Zaire, is the DR Congo; HH and XX
    name none."""
    names: dict[str, list[str]] = {}
    for former in pycountry.historic_countries:
        code = former.alpha_4
        successor = code[:2] if code[2:] == "AA" else code[2:]
        if successor in {"HH", "XX"}:
            continue
        for name in re.split(r",\s*", former.name):
            names.setdefault(successor, []).append(name)
    return {code: tuple(found) for code, found in names.items()}


@functools.cache
def country_names_elsewhere(iso2: str) -> tuple[str, ...]:
    """The names of a country the atlas does not store: ISO's English names, their translations
    and the country's former names."""
    country = pycountry.countries.get(alpha_2=iso2)
    english = []
    if country is not None:
        english = [
            getattr(country, attribute, "")
            for attribute in ("name", "official_name", "common_name")
            if getattr(country, attribute, "")
        ]
    translated = iso_names_translated(english)
    return tuple(dict.fromkeys([*english, *translated, *_former_names().get(iso2, ())]))


def country_search(queryset: QuerySet[Country], query: str) -> QuerySet[Country]:
    """The countries of ``queryset`` that ``query`` names, best first."""
    query = clean_query(query)
    ranks = {}
    rows = Country.objects.values_list("pk", "iso2", "iso3", "name", "official_name", "other_names")
    for pk, iso2, iso3, name, official_name, other_names in rows:
        names = [name, official_name, *_lines(other_names), *country_names_elsewhere(iso2)]
        rank = name_rank(query, codes=[iso2, iso3], names=names)
        if rank is not None:
            ranks[pk] = rank
    return ranked(queryset, ranks, then="name")


def organization_search(queryset: QuerySet[Organization], query: str) -> QuerySet[Organization]:
    """The organizations of ``queryset`` that ``query`` names (by acronym, slug, name or any
    other name, in any script), best first."""
    query = clean_query(query)
    ranks = {}
    rows = Organization.objects.values_list(
        "pk", "acronym", "slug", "name", "other_names", "name_ru", "acronym_ru"
    )
    for pk, acronym, slug, name, other_names, name_ru, acronym_ru in rows:
        rank = name_rank(
            query,
            codes=[acronym, slug, acronym_ru],
            names=[name, acronym, slug, name_ru, acronym_ru, *_lines(other_names)],
        )
        if rank is not None:
            ranks[pk] = rank
    return ranked(queryset, ranks, then="name")


def person_search(queryset: QuerySet[Person], query: str) -> QuerySet[Person]:
    """The people of ``queryset`` that ``query`` names, in Latin or native script or by their
    Russian name, best first."""
    query = clean_query(query)
    ranks = {}
    rows = Person.objects.values_list("pk", "name", "native_name", "name_ru")
    for pk, name, native_name, name_ru in rows:
        rank = name_rank(query, names=[name, native_name, name_ru])
        if rank is not None:
            ranks[pk] = rank
    return ranked(queryset, ranks, then="name")


# --- the search page -----------------------------------------------------------------------


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


def _with_near_misses(found: QuerySet[Any], matching: QuerySet[Any], limit: int) -> list[Any]:
    """The ranked records, then those only PostgreSQL's similarity finds ("Shangai"), if any."""
    records = list(found[:limit])
    if connection.vendor == "postgresql" and len(records) < limit:
        seen = [record.pk for record in records]
        records += list(matching.exclude(pk__in=seen).order_by("name")[: limit - len(records)])
    return records


def atlas_search(query: str, *, limit: int = 50, preview: bool = False) -> SearchResults:
    """Organizations by any name, countries by name or code, people, quote text, agreements by
    title and events by name or place."""
    query = clean_query(query)
    results = SearchResults(query)
    if not query:
        return results
    people = _matching(Person.objects.visible(preview), ["name", "native_name", "name_ru"], query)
    quotes = (
        quote_list(preview=preview)
        .filter(
            pk__in=_matching(Quote.objects.all(), ["text", "original_text"], query).values("pk")
        )
        .prefetch_related(None)
    )
    agreements = _matching(
        Agreement.objects.visible(preview), ["title", "title_ru", "slug", "description"], query
    )
    events = _matching(Event.objects.visible(preview), ["name", "name_ru", "slug", "place"], query)
    visible_organizations = Organization.objects.visible(preview)
    results.organizations = _with_near_misses(
        organization_search(visible_organizations, query),
        _matching(
            visible_organizations,
            ["name", "acronym", "name_ru", "acronym_ru", "other_names", "slug"],
            query,
        ),
        limit,
    )
    visible_countries = Country.objects.visible(preview)
    results.countries = _with_near_misses(
        country_search(visible_countries, query),
        _matching(visible_countries, ["name", "official_name", "other_names"], query),
        limit,
    )
    results.people = list(people.order_by("name")[:limit])
    results.quotes = list(quotes[:limit])
    results.agreements = list(agreements.order_by("title")[:limit])
    results.events = list(events.order_by("-start", "name")[:limit])
    return results
