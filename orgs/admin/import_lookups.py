"""What an import reads once and keeps up to date as it saves rows: the atlas's organizations,
countries, sources, citations and spells, so a row finds its records and its overlaps
without a query of its own (``import_lookups()`` for the import under way)."""

from __future__ import annotations

import contextlib
import copy
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from ..models import (
    Citation,
    Country,
    Membership,
    Organization,
    Rank,
    Source,
    spells_overlap,
)


@dataclass(frozen=True)
class ImportProblem:
    line: int | None  # in the file, the header being line 1
    column: str
    message: str


class ImportLookups:
    """The organizations, countries and spells a file names, read once per import instead of
    once per row and column: a preview of thousands of rows is then about one query a row (the
    row's own insert or update, rolled back)."""

    def __init__(self):
        self.organizations = {o.slug: o for o in Organization.objects.all()}
        self.countries = {c.iso2: c for c in Country.objects.all()}
        self.organizations_by_pk = {o.pk: o for o in self.organizations.values()}
        self.countries_by_pk = {c.pk: c for c in self.countries.values()}
        self._spells: SpellIndex | None = None
        self._sources: SourceIndex | None = None
        self._citations: CitationIndex | None = None

    # Each read on first use: a sources file needs no spells, a spells file no citations.
    @property
    def spells(self) -> SpellIndex:
        if self._spells is None:
            self._spells = SpellIndex(self)
        return self._spells

    @property
    def sources(self) -> SourceIndex:
        if self._sources is None:
            self._sources = SourceIndex()
        return self._sources

    @property
    def citations(self) -> CitationIndex:
        if self._citations is None:
            self._citations = CitationIndex(self.sources)
        return self._citations


class SourceIndex:
    """The atlas's sources by key, number and URL (or archive URL), as a citations file names
    them; the first in the sources' own order where two share a URL."""

    def __init__(self):
        self.by_pk: dict[int, Source] = {}
        self.by_key: dict[str, Source] = {}
        self.by_url: dict[str, Source] = {}
        for source in Source.objects.all():
            self.by_pk[source.pk] = source
            if source.key:
                self.by_key[source.key] = source
            for url in (source.url, source.archive_url):
                if url:
                    self.by_url.setdefault(url, source)


class CitationIndex:
    """The citations of spells by spell, source and fact, kept up to date with those the import
    saves: a row's citation is found without a query."""

    def __init__(self, sources: SourceIndex):
        self.sources = sources
        self.by_key: dict[tuple, Citation] = {}
        spells = ContentType.objects.get_for_model(Membership)
        for citation in Citation.objects.filter(content_type=spells).order_by("position", "pk"):
            self.by_key.setdefault(self._key(citation), citation)

    @staticmethod
    def _key(citation: Citation) -> tuple:
        return (int(citation.object_id), citation.source_id, citation.claim_field)

    def find(self, spell: Membership, source: Source, claim_field: str) -> Citation | None:
        citation = self.by_key.get((spell.pk, source.pk, claim_field))
        if citation is None:
            return None
        citation = copy.copy(citation)  # the row edits its copy, not the stored version
        citation.claim, citation.source = spell, source
        return citation

    def saved(self, citation: Citation) -> None:
        stored = self.by_key.get(self._key(citation))
        if stored is None or stored.pk == citation.pk:
            self.by_key[self._key(citation)] = copy.copy(citation)


class SpellIndex:
    """The atlas's spells as stored, by organization and member, kept up to date with the
    spells the import saves: a row's spell is found, and its overlaps checked, without a query.
    Changes only proposed for review leave the stored spells, and so this index, as they were."""

    def __init__(self, lookups: ImportLookups):
        self.lookups = lookups
        self.by_member: dict[tuple, list[Membership]] = {}
        self.keys: dict[int, tuple] = {}  # where each spell is filed, by id
        for spell in Membership.objects.order_by("pk"):
            self._attach(spell)
            self._file(spell)

    def _file(self, spell: Membership) -> None:
        self.keys[spell.pk] = self._key(spell)
        self.by_member.setdefault(self.keys[spell.pk], []).append(spell)

    def _attach(self, spell: Membership) -> None:
        """Give ``spell`` its organization and member from the lookups, as if selected with it."""
        organizations, countries = self.lookups.organizations_by_pk, self.lookups.countries_by_pk
        if spell.organization_id in organizations:
            spell.organization = organizations[spell.organization_id]
        if spell.member_country_id in countries:
            spell.member_country = countries[spell.member_country_id]
        if spell.member_organization_id in organizations:
            spell.member_organization = organizations[spell.member_organization_id]

    @staticmethod
    def _key(spell: Membership) -> tuple:
        return (spell.organization_id, spell.member_country_id, spell.member_organization_id)

    def find(self, lookup: dict) -> Membership | None:
        """A copy of the stored spell ``spell_natural_key`` names (the first by id), or None."""
        member_country = lookup.get("member_country")
        member_organization = lookup.get("member_organization")
        key = (
            lookup["organization"].pk,
            member_country.pk if member_country else None,
            member_organization.pk if member_organization else None,
        )
        for spell in self.by_member.get(key, []):
            if (spell.status, spell.start, spell.start_precision) == (
                lookup["status"],
                lookup["start"],
                lookup["start_precision"],
            ):
                return copy.copy(spell)  # the row edits its copy, not the stored version
        return None

    def same_member(self, spell: Membership) -> list[Membership]:
        """The stored spells of ``spell``'s member in its organization, by start then id (the
        order ``overlapping_spells`` reports the first clash in)."""
        spells = self.by_member.get(self._key(spell), [])
        return sorted(spells, key=lambda other: (other.start, other.pk))

    def saved(self, spell: Membership) -> None:
        self.deleted(spell)
        self._file(copy.copy(spell))

    def deleted(self, spell: Membership) -> None:
        key = self.keys.pop(spell.pk, None)
        if key is not None:
            self.by_member[key] = [other for other in self.by_member[key] if other.pk != spell.pk]


class _OverlapsAmong:
    """What ``Membership.overlapping_spells(...).first()`` answers, from spells already read:
    the same rule (``spells_overlap``), the same order, without a query."""

    def __init__(self, spell: Membership, candidates: list[Membership], ignore_pks=()):
        self.found = next(
            (
                other
                for other in candidates
                if other.pk != spell.pk
                and other.pk not in ignore_pks
                and other.rank != Rank.DEPRECATED
                and spell.start is not None
                and spells_overlap(spell.start, spell.end, other.start, other.end)
            ),
            None,
        )

    def first(self) -> Membership | None:
        return self.found


current_lookups: ContextVar[ImportLookups | None] = ContextVar("import_lookups", default=None)


@contextlib.contextmanager
def import_lookups():
    token = current_lookups.set(ImportLookups())
    try:
        yield
    finally:
        current_lookups.reset(token)


def organization_by_slug(slug: str) -> Organization | None:
    lookups = current_lookups.get()
    if lookups is not None:
        return lookups.organizations.get(slug)
    return Organization.objects.filter(slug=slug).first()


def country_by_iso2(iso2: str) -> Country | None:
    lookups = current_lookups.get()
    if lookups is not None:
        return lookups.countries.get(iso2)
    return Country.objects.filter(iso2=iso2).first()
