"""Reads that pages, the API and exports share.

Each function answers one question with a fixed number of queries, whatever the size of the
atlas, and takes ``published_only`` so that public callers see published records only while
staff may preview drafts. The "as of" rule itself lives in ``orgs.models.spell_as_of_q``.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from .dates import PartialDate, truncate
from .models import (
    STAGE_ORDER,
    STATUS_ORDER,
    Agreement,
    AgreementParty,
    AgreementStage,
    Application,
    Citation,
    Country,
    Membership,
    Organization,
    Person,
    Quote,
    Rank,
    Source,
    Status,
    spell_as_of_q,
)


def _citations_prefetch(published_only: bool) -> Prefetch:
    citations = Citation.objects.select_related("source").order_by("position", "pk")
    if published_only:
        citations = citations.filter(source__is_published=True)
    return Prefetch("citations", queryset=citations)


def visible_spells(*, published_only: bool = True) -> QuerySet[Membership]:
    """Spells the caller may see: published spells of published members in published organizations."""
    queryset = Membership.objects.all()
    if published_only:
        queryset = queryset.published().filter(
            Q(member_country__is_published=True) | Q(member_organization__is_published=True),
            organization__is_published=True,
        )
    return queryset


def spells(*, published_only: bool = True) -> QuerySet[Membership]:
    """Every visible spell with its member, organization and citations loaded."""
    return (
        visible_spells(published_only=published_only)
        .with_related()
        .prefetch_related(_citations_prefetch(published_only))
    )


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
    return _closest_tie_first(
        spells_as_of(on, published_only=published_only).filter(member_country=country)
    )


def organization_memberships_as_of(
    member: Organization, on: datetime.date | None = None, *, published_only: bool = True
) -> list[Membership]:
    """Organizations that ``member`` takes part in as an organization (the CIS in BRICS+)."""
    return _closest_tie_first(
        spells_as_of(on, published_only=published_only).filter(member_organization=member)
    )


def _closest_tie_first(queryset) -> list[Membership]:
    """A member's spells ordered by status (member before observer …), then by organization."""
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


# --- overlap of several organizations --------------------------------------------------------


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


def overlap(
    organizations: list[Organization],
    on: datetime.date | None = None,
    *,
    statuses: list[str] | None = None,
    published_only: bool = True,
) -> Overlap:
    """Who is in which of ``organizations`` on ``on``: exact intersections, pairwise counts, a matrix.

    The combination each member belongs to is computed in the database: every organization is
    given one bit, and the distinct bits of a member's spells add up to its combination. Three
    queries whatever the number of members or organizations.
    """
    on = on or timezone.localdate()
    base = visible_spells(published_only=published_only).filter(
        spell_as_of_q(on), organization__in=organizations
    )
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
    combination_of = {
        (row["member_country_id"], row["member_organization_id"]): row["combination"]
        for row in combinations
    }

    members: dict[tuple, OverlapMember] = {}
    matrix_spells = spells_as_of(on, published_only=published_only).filter(
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

    def name_key(entry: OverlapMember):
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


# --- public pages: profiles, applications, quotes, sources, search, changes -------------------
# Appended for the public site (issue 3). Each function keeps a fixed number of queries.


def _visible(queryset: QuerySet, published_only: bool) -> QuerySet:
    return queryset.published() if published_only else queryset


def organizations_with_counts(
    on: datetime.date | None = None, *, published_only: bool = True
) -> list[Organization]:
    """Every visible organization with ``<status>_count`` annotations as of ``on``."""
    queryset = _visible(Organization.objects.all(), published_only)
    return list(queryset.with_member_counts(on).select_related("parent").order_by("name"))


def organization_profile(slug: str, *, published_only: bool = True) -> Organization:
    """One organization with its parent, proposer, formats and fact citations loaded.

    Raises ``Organization.DoesNotExist`` for an unknown or unpublished slug.
    """
    formats = _visible(Organization.objects.all(), published_only).order_by("name")
    queryset = (
        _visible(Organization.objects.all(), published_only)
        .select_related("parent", "proposed_by")
        .prefetch_related(_citations_prefetch(published_only), Prefetch("formats", formats))
    )
    organization = queryset.get(slug=slug)
    if published_only:
        if organization.parent is not None and not organization.parent.is_published:
            organization.parent = None
        if organization.proposed_by is not None and not organization.proposed_by.is_published:
            organization.proposed_by = None
    return organization


def country_profile(iso2: str, *, published_only: bool = True) -> Country:
    """One country by lowercase alpha-2 code; raises ``Country.DoesNotExist`` otherwise."""
    if len(iso2) != 2 or iso2 != iso2.lower():
        raise Country.DoesNotExist(iso2)
    queryset = _visible(Country.objects.all(), published_only)
    return queryset.prefetch_related(_citations_prefetch(published_only)).get(iso2=iso2.upper())


def former_members(
    organization: Organization, on: datetime.date | None = None, *, published_only: bool = True
) -> list[Membership]:
    """Members whose last spell in ``organization`` ended by ``on`` and who hold none on ``on``.

    One spell per former member, the one that ended last, most recent exit first.
    """
    on = on or timezone.localdate()
    holding = visible_spells(published_only=published_only).filter(
        spell_as_of_q(on), organization=organization
    )
    ended = (
        spells(published_only=published_only)
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
    latest: dict[tuple, Membership] = {}
    for spell in ended:
        latest.setdefault((spell.member_country_id, spell.member_organization_id), spell)
    return list(latest.values())


@dataclass
class ApplicationsAsOf:
    pending: list[Application]
    decided: list[Application]


def applications_as_of(
    on: datetime.date | None = None,
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    published_only: bool = True,
) -> ApplicationsAsOf:
    """Applications and invitations filed by ``on``: those still open on ``on``, and the rest.

    An application decided after ``on`` was still pending on ``on``.
    """
    on = on or timezone.localdate()
    queryset = Application.objects.select_related(
        "organization", "applicant_country", "applicant_organization"
    ).prefetch_related(_citations_prefetch(published_only))
    if published_only:
        queryset = queryset.published().filter(
            Q(applicant_country__is_published=True) | Q(applicant_organization__is_published=True),
            organization__is_published=True,
        )
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    if country is not None:
        queryset = queryset.filter(applicant_country=country)
    queryset = queryset.filter(Q(filed_on__isnull=True) | Q(filed_on__lte=on)).order_by(
        "filed_on", "organization__name", "pk"
    )
    pending, decided = [], []
    for application in queryset:
        still_open = application.outcome == Application.Outcome.PENDING or (
            application.decided_on is not None and application.decided_on > on
        )
        (pending if still_open else decided).append(application)
    return ApplicationsAsOf(pending, decided)


def quotes(
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    speaker: Person | None = None,
    published_only: bool = True,
) -> QuerySet[Quote]:
    """Quotes with speaker, what they are about and their citations loaded, latest first."""
    queryset = Quote.objects.select_related("speaker", "speaker_organization").prefetch_related(
        _citations_prefetch(published_only),
        Prefetch(
            "about_organizations",
            _visible(Organization.objects.all(), published_only).order_by("name"),
        ),
        Prefetch("about_countries", _visible(Country.objects.all(), published_only)),
    )
    if published_only:
        queryset = queryset.published().filter(
            Q(speaker__isnull=True) | Q(speaker__is_published=True)
        )
    if organization is not None:
        queryset = queryset.filter(about_organizations=organization)
    if country is not None:
        queryset = queryset.filter(about_countries=country)
    if speaker is not None:
        queryset = queryset.filter(speaker=speaker)
    return queryset.order_by(F("said_on").desc(nulls_last=True), "pk")


def source_claims(
    source: Source, *, published_only: bool = True
) -> list[tuple[str, list[Citation]]]:
    """Every claim citing ``source``, grouped by kind of record: one query per kind of record.

    Each citation's ``claim`` is loaded with the records a page needs to name it.
    """
    claim_querysets = [
        _visible(Membership.objects.with_related(), published_only),
        _visible(
            Application.objects.select_related(
                "organization", "applicant_country", "applicant_organization"
            ),
            published_only,
        ),
        _visible(Quote.objects.select_related("speaker", "speaker_organization"), published_only),
        _visible(Organization.objects.select_related("proposed_by"), published_only),
        _visible(Country.objects.all(), published_only),
    ]
    # Any other citable record (agreements, events…) with the records its name needs.
    covered = {queryset.model for queryset in claim_querysets}
    for model in Citation._meta.apps.get_app_config("orgs").get_models():
        if model in covered or not hasattr(model, "citations"):
            continue
        if model.__name__.startswith("Historical"):
            continue
        related = [f.name for f in model._meta.fields if f.many_to_one]
        queryset = model._default_manager.select_related(*related)
        if published_only and hasattr(queryset, "published"):
            queryset = queryset.published()
        claim_querysets.append(queryset)
    citations = (
        Citation.objects.filter(source=source)
        .select_related("content_type")
        .prefetch_related(GenericPrefetch("claim", claim_querysets))
        .order_by("content_type__model", "object_id", "claim_field", "pk")
    )
    groups: OrderedDict[str, list[Citation]] = OrderedDict()
    for citation in citations:
        if citation.claim is None:
            continue
        label = citation.content_type.model_class()._meta.verbose_name_plural
        groups.setdefault(str(label), []).append(citation)
    return list(groups.items())


def sources_with_counts(*, published_only: bool = True) -> QuerySet[Source]:
    """Sources newest first, each with ``citation_count``."""
    return (
        _visible(Source.objects.all(), published_only)
        .annotate(citation_count=Count("citations"))
        .order_by(F("published_on").desc(nulls_last=True), "title", "pk")
    )


@dataclass
class SearchResults:
    query: str
    organizations: list[Organization] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    events: list = field(default_factory=list)

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
    case: "шос" then still finds "ШОС". PostgreSQL full-text search replaces this later.
    """
    variants = {query, query.lower(), query.upper(), query.title()}
    condition = Q()
    for name in fields:
        for variant in variants:
            condition |= Q(**{f"{name}__icontains": variant})
    return condition


def _matching(queryset: QuerySet, fields: list[str], query: str) -> QuerySet:
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
    return queryset.annotate(search_document=SearchVector(*fields, config="simple")).filter(
        condition
    )


def search(query: str, *, published_only: bool = True, limit: int = 50) -> SearchResults:
    """Organizations by any name, countries by name or code, people, quote text, agreements by
    title and events by name or place."""
    from .models import Event

    # PostgreSQL refuses NUL in text; no name or quote contains one.
    query = " ".join((query or "").replace("\x00", "").split())[:100]
    results = SearchResults(query)
    if not query:
        return results
    organizations = _matching(
        _visible(Organization.objects.all(), published_only),
        ["name", "acronym", "other_names", "slug"],
        query,
    )
    named = _matching(Country.objects.all(), ["name", "official_name", "other_names"], query)
    countries = _visible(Country.objects.all(), published_only).filter(
        Q(pk__in=named.values("pk")) | Q(iso2=query.upper()) | Q(iso3=query.upper())
    )
    people = _matching(
        _visible(Person.objects.all(), published_only), ["name", "native_name"], query
    )
    quote_matches = (
        quotes(published_only=published_only)
        .filter(
            pk__in=_matching(Quote.objects.all(), ["text", "original_text"], query).values("pk")
        )
        .prefetch_related(None)
    )
    results.organizations = list(organizations.order_by("name")[:limit])
    results.countries = list(countries.order_by("name")[:limit])
    results.people = list(people.order_by("name")[:limit])
    results.quotes = list(quote_matches[:limit])
    agreements = _matching(
        _visible(Agreement.objects.all(), published_only), ["title", "slug", "description"], query
    )
    events = _matching(
        _visible(Event.objects.all(), published_only), ["name", "slug", "place"], query
    )
    results.agreements = list(agreements.order_by("title")[:limit])
    results.events = list(events.order_by("-start", "name")[:limit])
    return results


@dataclass
class Change:
    """One dated event: a member joined, changed status or left; an application was filed or decided."""

    on: PartialDate
    kind: str
    organization: Organization
    member: Country | Organization
    status: str
    previous_status: str = ""
    record: Membership | Application | None = None

    @property
    def key(self) -> str:
        return f"{self.record._meta.model_name}-{self.record.pk}-{self.kind.replace(' ', '-')}"

    @property
    def sentence(self) -> str:
        """The change in words: "Belarus became a member of the SCO (was observer)"."""
        organization = self.organization.short_name
        member = self.member.short_name if isinstance(self.member, Organization) else self.member
        if self.kind == "joined":
            return f"{member} joined the {organization} as {self.status}"
        if self.kind == "changed status":
            return (
                f"{member} became {self.status} of the {organization} (was {self.previous_status})"
            )
        if self.kind == "left":
            return f"{member} left the {organization} (was {self.status})"
        if self.kind == "applied":
            return f"{member} applied for {self.status} status in the {organization}"
        if self.kind == "invited":
            return f"{member} was invited to become {self.status} of the {organization}"
        if self.kind == "named as a prospect":
            return f"{member} was named as a possible {self.status} of the {organization}"
        return f"{member}: {self.kind} ({self.status} of the {organization})"


def _same_moment(first: PartialDate, second: PartialDate) -> bool:
    precision = first.coarser_than_or_equal(second)
    return truncate(first.earliest, precision) == truncate(second.earliest, precision)


def _changes(
    started: list[Membership],
    ended: list[Membership],
    applications: list[Application],
    published_only: bool,
) -> list[Change]:
    """Turn spells and applications into events, telling a change of status from a new member."""
    involved = started + ended
    neighbours: dict[tuple, list[Membership]] = {}
    if involved:
        around = (
            visible_spells(published_only=published_only)
            .exclude(rank=Rank.DEPRECATED)
            .filter(organization_id__in={spell.organization_id for spell in involved})
            .filter(
                Q(
                    member_country_id__in={
                        s.member_country_id for s in involved if s.member_country_id
                    }
                )
                | Q(
                    member_organization_id__in={
                        s.member_organization_id for s in involved if s.member_organization_id
                    }
                )
            )
            .only(
                "pk",
                "organization_id",
                "member_country_id",
                "member_organization_id",
                "status",
                "start",
                "start_precision",
                "end",
                "end_precision",
            )
        )
        for spell in around:
            key = (spell.organization_id, spell.member_country_id, spell.member_organization_id)
            neighbours.setdefault(key, []).append(spell)

    def pair(spell):
        return neighbours.get(
            (spell.organization_id, spell.member_country_id, spell.member_organization_id), []
        )

    changes = []
    for spell in started:
        before = [
            other
            for other in pair(spell)
            if other.pk != spell.pk
            and other.end is not None
            and _same_moment(other.end_partial, spell.start_partial)
        ]
        changes.append(
            Change(
                spell.start_partial,
                "changed status" if before else "joined",
                spell.organization,
                spell.member,
                spell.get_status_display(),
                before[0].get_status_display() if before else "",
                spell,
            )
        )
    for spell in ended:
        followed = any(
            other.pk != spell.pk and _same_moment(other.start_partial, spell.end_partial)
            for other in pair(spell)
        )
        if not followed:
            changes.append(
                Change(
                    spell.end_partial,
                    "left",
                    spell.organization,
                    spell.member,
                    spell.get_status_display(),
                    record=spell,
                )
            )
    for application in applications:
        kind = "invited" if application.kind == Application.Kind.INVITATION else "applied"
        if application.kind == Application.Kind.PROSPECT:
            kind = "named as a prospect"
        if application.filed_on is not None:
            changes.append(
                Change(
                    application.filed_on_partial,
                    kind,
                    application.organization,
                    application.applicant,
                    application.get_requested_status_display(),
                    record=application,
                )
            )
        if application.decided_on is not None:
            changes.append(
                Change(
                    application.decided_on_partial,
                    f"application {application.get_outcome_display()}"
                    if kind == "applied"
                    else f"invitation {application.get_outcome_display()}",
                    application.organization,
                    application.applicant,
                    application.get_requested_status_display(),
                    record=application,
                )
            )
    return changes


def _public_applications(published_only: bool) -> QuerySet[Application]:
    queryset = Application.objects.select_related(
        "organization", "applicant_country", "applicant_organization"
    ).prefetch_related(_citations_prefetch(published_only))
    if published_only:
        queryset = queryset.published().filter(
            Q(applicant_country__is_published=True) | Q(applicant_organization__is_published=True),
            organization__is_published=True,
        )
    return queryset


def changes_between(
    since: datetime.date, until: datetime.date | None = None, *, published_only: bool = True
) -> list[Change]:
    """Who joined, changed status or left, and what was applied for, from ``since`` to ``until``
    (both inclusive, today when None), oldest first. Events are placed at their earliest day."""
    until = until or timezone.localdate()
    window = {"range": (since, until)}
    base = spells(published_only=published_only).exclude(rank=Rank.DEPRECATED)
    started = list(base.filter(start__range=window["range"]))
    ended = list(base.filter(end__range=window["range"]))
    applications = list(
        _public_applications(published_only).filter(
            Q(filed_on__range=window["range"]) | Q(decided_on__range=window["range"])
        )
    )
    changes = [
        change
        for change in _changes(started, ended, applications, published_only)
        if since <= change.on.earliest <= until
    ]
    return sorted(changes, key=lambda change: (change.on, change.organization.name, change.kind))


def recent_changes(
    limit: int = 12, *, on: datetime.date | None = None, published_only: bool = True
) -> list[Change]:
    """The ``limit`` latest events up to ``on`` (today when None), latest first."""
    on = on or timezone.localdate()
    base = spells(published_only=published_only).exclude(rank=Rank.DEPRECATED)
    started = list(base.filter(start__lte=on).order_by("-start", "-pk")[:limit])
    ended = list(base.filter(end__lte=on).order_by("-end", "-pk")[:limit])
    applications = list(
        _public_applications(published_only)
        .filter(filed_on__lte=on)
        .order_by(F("decided_on").desc(nulls_last=True), "-filed_on", "-pk")[:limit]
    )
    changes = [
        change
        for change in _changes(started, ended, applications, published_only)
        if change.on.earliest <= on
    ]
    changes.sort(key=lambda change: (change.on.earliest, change.record.pk), reverse=True)
    return changes[:limit]


# --- shared by the API ------------------------------------------------------------------------


def citations_prefetch(*, published_only: bool = True) -> Prefetch:
    """Prefetch a record's citations with their sources (published sources only for the public)."""
    return _citations_prefetch(published_only)


def visible_applications(*, published_only: bool = True) -> QuerySet[Application]:
    """Applications the caller may see, with applicant, organization and citations loaded."""
    return _public_applications(published_only)


# --- agreements and events ----------------------------------------------------------------------


def stage_as_of(stages, on: datetime.date):
    """The furthest stage reached by ``on`` among an agreement's stages (already loaded), or None.

    A stage counts from the first day of its date's window; ``is_certain`` is False while ``on``
    is still inside that window (signed "2025-12", asked about 15 December 2025).
    """
    reached = [stage for stage in stages if stage.date <= on]
    if not reached:
        return None
    current = max(reached, key=lambda stage: (STAGE_ORDER.index(stage.stage), stage.date))
    current.is_certain = current.date_partial.latest <= on
    return current


def agreements_as_of(
    on: datetime.date | None = None,
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    published_only: bool = True,
):
    """Agreements (of a party, if given) with parties, stages and citations loaded.

    Each agreement gets ``current_stage``: the stage it had reached on ``on`` (today when None).
    Four queries whatever the number of agreements.
    """
    on = on or timezone.localdate()
    stages = AgreementStage.objects.order_by("date", "pk").prefetch_related(
        _citations_prefetch(published_only)
    )
    queryset = Agreement.objects.all()
    if published_only:
        queryset = queryset.published()
        stages = stages.published()
    if organization is not None:
        queryset = queryset.filter(parties__organization=organization)
    if country is not None:
        queryset = queryset.filter(parties__country=country)
    queryset = queryset.distinct().prefetch_related(
        Prefetch(
            "parties",
            queryset=AgreementParty.objects.select_related("country", "organization").order_by(
                F("organization").asc(nulls_last=True), "pk"
            ),
        ),
        Prefetch("stages", queryset=stages, to_attr="stage_list"),
        _citations_prefetch(published_only),
    )
    agreements = list(queryset.order_by("title"))
    for agreement in agreements:
        agreement.current_stage = stage_as_of(agreement.stage_list, on)
    return agreements


# --- the editors' dashboard ----------------------------------------------------------------
# Appended for the "Needs attention" admin page: one query per section, whatever the size of
# the atlas. Imports are local so this block stays independent of the module's header.


@dataclass(frozen=True)
class AttentionItem:
    model_name: str
    pk: int
    label: str
    detail: str = ""

    @property
    def admin_url(self) -> str:
        from django.urls import reverse

        return reverse(f"admin:orgs_{self.model_name}_change", args=[self.pk])


@dataclass
class AttentionSection:
    key: str
    title: str
    explanation: str
    items: list[AttentionItem]
    more: bool = False


def _claim_labels() -> dict:
    """A readable name per claim model, built in SQL so a union of models stays one query."""
    from django.db.models import TextField
    from django.db.models.functions import Cast, Coalesce, Concat, Substr

    from .models import Agreement, AgreementStage, Event, Proposal

    text_type = TextField()

    def text(*parts):
        return Concat(
            *[
                part if hasattr(part, "resolve_expression") else Cast(part, text_type)
                for part in parts
            ],
            output_field=text_type,
        )

    def literal(value):
        return Value(value, output_field=text_type)

    return {
        Country: Cast("name", TextField()),
        Organization: Cast("name", TextField()),
        Person: Cast("name", TextField()),
        Source: Cast("title", TextField()),
        Membership: text(
            Coalesce("member_country__name", "member_organization__name", output_field=text_type),
            literal(" — "),
            "status",
            literal(" of "),
            "organization__name",
        ),
        Application: text(
            Coalesce(
                "applicant_country__name", "applicant_organization__name", output_field=text_type
            ),
            literal(" → "),
            "requested_status",
            literal(" of "),
            "organization__name",
        ),
        Quote: text(
            Coalesce(
                "speaker__name", "speaker_organization__name", literal(""), output_field=text_type
            ),
            literal(": "),
            Cast(Substr("text", 1, 80), text_type),
        ),
        Agreement: Cast("title", TextField()),
        AgreementStage: text("agreement__title", literal(": "), "stage"),
        Event: Cast("name", TextField()),
        Proposal: Cast("title", TextField()),
    }


def _claims_union(filters: dict, *, detail, order_by: str, limit: int) -> tuple[list, bool]:
    """Rows (model_name, pk, label, detail) of several claim models in one UNION query."""
    from django.db.models import CharField, TextField
    from django.db.models.functions import Cast

    labels = _claim_labels()
    parts = []
    for model, condition in filters.items():
        detail_expression = detail(model) if callable(detail) else Value("")
        parts.append(
            model.objects.filter(condition)
            .order_by()
            .annotate(
                attention_model=Value(model._meta.model_name, output_field=CharField()),
                attention_label=labels[model],
                attention_detail=Cast(detail_expression, TextField()),
            )
            .values_list("attention_model", "pk", "attention_label", "attention_detail", order_by)
        )
    first, *rest = parts
    rows = list(first.union(*rest, all=True).order_by(order_by)[: limit + 1])
    return rows[:limit], len(rows) > limit


def _items(rows) -> list[AttentionItem]:
    return [
        AttentionItem(model_name, pk, (label or "").replace("_", " "), detail or "")
        for model_name, pk, label, detail, _order in rows
    ]


def _spell_label(spell: Membership) -> str:
    return (
        f"{spell.member} — {spell.get_status_display()} of {spell.organization.short_name} "
        f"({spell.period})"
    )


def needs_attention(
    *, now: datetime.datetime | None = None, draft_age_days: int = 30, limit: int = 100
) -> list[AttentionSection]:
    """What editors should look at: uncited claims, old drafts, stale applications, spells
    that overlap or fall outside their organization's life, disputed claims, sources with no
    archive copy. Seven queries."""
    from django.db.models import Exists, OuterRef

    from .dates import is_before
    from .models import citation_required_models, publishable_models

    now = now or timezone.now()
    today = timezone.localdate(now)
    claim_models = publishable_models()
    sections = []

    # 1. Claims a reader takes as facts, with nothing to back them.
    def uncited(model):
        return ~Exists(
            Citation.objects.filter(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                object_id=OuterRef("pk"),
            )
        )

    rows, more = _claims_union(
        {model: uncited(model) for model in citation_required_models()},
        detail=None,
        order_by="created_at",
        limit=limit,
    )
    sections.append(
        AttentionSection(
            "uncited",
            "Claims with no citation",
            "Spells, applications, quotes and agreement stages cannot be published without one.",
            _items(rows),
            more,
        )
    )

    # 2. Drafts nobody has reviewed for a month.
    cutoff = now - datetime.timedelta(days=draft_age_days)
    rows, more = _claims_union(
        {model: Q(is_published=False, created_at__lt=cutoff) for model in claim_models},
        detail=None,
        order_by="created_at",
        limit=limit,
    )
    sections.append(
        AttentionSection(
            "old_drafts",
            f"Drafts older than {draft_age_days} days",
            "Ask a reviewer to publish them, or delete them.",
            _items(rows),
            more,
        )
    )

    # 3. Applications still pending a year after they were filed.
    year_ago = today - datetime.timedelta(days=365)
    applications = (
        Application.objects.filter(outcome=Application.Outcome.PENDING, filed_on__lt=year_ago)
        .select_related("organization", "applicant_country", "applicant_organization")
        .order_by("filed_on", "pk")[: limit + 1]
    )
    applications = list(applications)
    sections.append(
        AttentionSection(
            "stale_applications",
            "Applications pending for over a year",
            "Check whether the organization has decided since.",
            [
                AttentionItem(
                    "application", item.pk, str(item), f"filed {item.filed_on_partial.display}"
                )
                for item in applications[:limit]
            ],
            len(applications) > limit,
        )
    )

    # 4. Spells of one member in one organization that overlap: a self-join the database
    # constraint should keep empty. Half-open ranges [start, stop) as in
    # Membership.overlapping_spells: a spell ending the day it starts covers that day.
    others = (
        Membership.objects.filter(organization=OuterRef("organization"))
        .exclude(rank=Rank.DEPRECATED)
        .exclude(pk=OuterRef("pk"))
        .filter(
            Q(member_country__isnull=False, member_country=OuterRef("member_country"))
            | Q(
                member_organization__isnull=False,
                member_organization=OuterRef("member_organization"),
            )
        )
        .filter(  # the other one stops after this one starts
            Q(end__isnull=True)
            | Q(end__gt=OuterRef("start"))
            | Q(end=F("start"), end__gte=OuterRef("start"))
        )
    )
    starts_before_this_stops = (
        (Q(end__isnull=True) & Exists(others))
        | Exists(others.filter(start__lt=OuterRef("end")))
        | (Q(end=F("start")) & Exists(others.filter(start__lte=OuterRef("end"))))
    )
    overlapping = list(
        Membership.objects.exclude(rank=Rank.DEPRECATED)
        .filter(starts_before_this_stops)
        .with_related()
        .order_by("organization__name", "start", "pk")[: limit + 1]
    )
    sections.append(
        AttentionSection(
            "overlaps",
            "Overlapping spells",
            "Two spells of one member in one organization at once: end one where the next "
            "begins, or rank one deprecated with a reason.",
            [
                AttentionItem("membership", spell.pk, _spell_label(spell))
                for spell in overlapping[:limit]
            ],
            len(overlapping) > limit,
        )
    )

    # 5. Spells outside their organization's life: the query finds candidates by the earliest
    # days, and ``is_before`` keeps those certainly outside at the dates' precision.
    candidates = (
        Membership.objects.filter(
            Q(organization__founded_on__isnull=False, start__lt=F("organization__founded_on"))
            | Q(organization__dissolved_on__isnull=False)
            & (Q(end__isnull=True) | Q(end__gt=F("organization__dissolved_on")))
        )
        .with_related()
        .order_by("organization__name", "start", "pk")
    )
    outside = []
    for spell in candidates:
        founded = spell.organization.founded_on_partial
        dissolved = spell.organization.dissolved_on_partial
        name = spell.organization.short_name
        if founded and is_before(spell.start_partial, founded):
            outside.append(
                AttentionItem(
                    "membership",
                    spell.pk,
                    _spell_label(spell),
                    f"starts before {name} was founded ({founded.display})",
                )
            )
        elif dissolved and (spell.end_partial is None or is_before(dissolved, spell.end_partial)):
            outside.append(
                AttentionItem(
                    "membership",
                    spell.pk,
                    _spell_label(spell),
                    f"continues after {name} was dissolved ({dissolved.display})",
                )
            )
    sections.append(
        AttentionSection(
            "outside_life",
            "Spells outside their organization's life",
            "A spell that starts before the organization was founded or goes on after it was "
            "dissolved: check the dates.",
            outside[:limit],
            len(outside) > limit,
        )
    )

    # 6. Disputed claims, and spells ranked deprecated (competing claims kept for the record).
    def disputed(model):
        condition = Q(is_disputed=True)
        return condition | Q(rank=Rank.DEPRECATED) if model is Membership else condition

    def dispute_detail(model):
        from django.db.models import Case, TextField, When

        if model is Membership:
            return Case(
                When(dispute_note="", then=F("rank_reason")),
                default=F("dispute_note"),
                output_field=TextField(),
            )
        return F("dispute_note")

    rows, more = _claims_union(
        {model: disputed(model) for model in claim_models},
        detail=dispute_detail,
        order_by="updated_at",
        limit=limit,
    )
    sections.append(
        AttentionSection(
            "disputed",
            "Disputed claims",
            "Sources disagree: check the note says what, and that pages show the preferred claim.",
            _items(rows),
            more,
        )
    )

    # 7. Sources that may change or vanish with no copy kept.
    sources = list(
        Source.objects.filter(archive_url="")
        .exclude(url="")
        .order_by("publisher", "title", "pk")
        .values_list("pk", "publisher", "title", "url")[: limit + 1]
    )
    sections.append(
        AttentionSection(
            "unarchived_sources",
            "Sources with no archive URL",
            "Save a copy in a web archive and give its address, in case the page changes.",
            [
                AttentionItem("source", pk, f"{publisher}: {title}" if publisher else title, url)
                for pk, publisher, title, url in sources[:limit]
            ],
            len(sources) > limit,
        )
    )
    return sections


# --- agreements, events and proposals for the API ---------------------------------------------
# Appended for the API (issue 6). Imports are local so this block stays independent of the
# module's header, which others edit.


def agreement_as_of(slug: str, on: datetime.date | None = None, *, published_only: bool = True):
    """One agreement loaded as ``agreements_as_of`` loads it, with ``current_stage`` on ``on``.

    Raises ``Agreement.DoesNotExist`` for an unknown slug (or a draft, for the public).
    """
    on = on or timezone.localdate()
    stages = AgreementStage.objects.order_by("date", "pk").prefetch_related(
        _citations_prefetch(published_only)
    )
    queryset = Agreement.objects.all()
    if published_only:
        queryset = queryset.published()
        stages = stages.published()
    agreement = queryset.prefetch_related(
        Prefetch(
            "parties",
            queryset=AgreementParty.objects.select_related("country", "organization").order_by(
                F("organization").asc(nulls_last=True), "pk"
            ),
        ),
        Prefetch("stages", queryset=stages, to_attr="stage_list"),
        _citations_prefetch(published_only),
    ).get(slug=slug)
    agreement.current_stage = stage_as_of(agreement.stage_list, on)
    return agreement


def visible_events(*, published_only: bool = True):
    """Events with organizers, participants (each with citations), citations and the ids of the
    quotes said there loaded: a fixed number of queries. The public sees published events,
    published organizers and quotes, and participants whose person, country and organization
    are published."""
    from .models import Event, EventParticipant

    participants = EventParticipant.objects.select_related(
        "person", "country", "organization"
    ).prefetch_related(_citations_prefetch(published_only))
    organizers = Organization.objects.order_by("name")
    said_there = Quote.objects.only("pk", "event_id").order_by("pk")
    events = Event.objects.all()
    if published_only:
        events = events.published()
        participants = participants.filter(
            Q(person__isnull=True) | Q(person__is_published=True),
            Q(country__isnull=True) | Q(country__is_published=True),
            Q(organization__isnull=True) | Q(organization__is_published=True),
        )
        organizers = organizers.published()
        said_there = said_there.published()
    return events.prefetch_related(
        Prefetch("organizers", queryset=organizers),
        Prefetch("participants", queryset=participants.order_by("pk")),
        Prefetch("quotes", queryset=said_there),
        _citations_prefetch(published_only),
    )


def visible_event_participants(*, published_only: bool = True):
    """Participants of visible events, with who took part and their citations loaded."""
    from .models import EventParticipant

    queryset = EventParticipant.objects.select_related(
        "event", "person", "country", "organization"
    ).prefetch_related(_citations_prefetch(published_only))
    if published_only:
        queryset = queryset.filter(
            Q(person__isnull=True) | Q(person__is_published=True),
            Q(country__isnull=True) | Q(country__is_published=True),
            Q(organization__isnull=True) | Q(organization__is_published=True),
            event__is_published=True,
        )
    return queryset


def visible_agreement_stages(*, published_only: bool = True):
    """Stages of visible agreements, with their agreement and citations loaded."""
    queryset = AgreementStage.objects.select_related("agreement").prefetch_related(
        _citations_prefetch(published_only)
    )
    if published_only:
        queryset = queryset.published().filter(agreement__is_published=True)
    return queryset


def visible_agreement_parties(*, published_only: bool = True):
    queryset = AgreementParty.objects.select_related("agreement", "country", "organization")
    if published_only:
        queryset = queryset.filter(agreement__is_published=True)
    return queryset


def visible_proposals(*, published_only: bool = True):
    """Proposals with who proposed them, what they concern and their citations loaded."""
    from .models import Proposal

    countries = Country.objects.order_by("name")
    queryset = Proposal.objects.select_related(
        "proposed_by_person", "proposed_by_organization", "organization"
    )
    if published_only:
        queryset = queryset.published()
        countries = countries.published()
    return queryset.prefetch_related(
        Prefetch("proposed_by_countries", queryset=countries),
        _citations_prefetch(published_only),
    )


# --- public pages: agreements, events, proposals and competing claims --------------------------
# Appended for the public site (issues 5 and 6). Imports are local, as in the blocks above.


def agreement_parties(*, published_only: bool = True) -> tuple[list[Organization], list[Country]]:
    """The organizations and the countries that are party to a visible agreement: two queries."""
    agreements = _visible(Agreement.objects.all(), published_only)
    organizations = _visible(Organization.objects.all(), published_only).filter(
        agreement_parties__agreement__in=agreements
    )
    countries = _visible(Country.objects.all(), published_only).filter(
        agreement_parties__agreement__in=agreements
    )
    return (
        list(organizations.distinct().order_by("name")),
        list(countries.distinct().order_by("name")),
    )


def _mark_stages(agreement, on: datetime.date):
    """Each stage learns whether it was reached by ``on`` and whether it is the current one."""
    for stage in agreement.stage_list:
        stage.is_reached = stage.date <= on
        stage.is_current = stage is agreement.current_stage
        # "June 2025" or "by 31 August 2024": the day itself is not known.
        stage.is_exact = stage.date_precision == "day"
    return agreement


def agreements_for(
    on: datetime.date | None = None,
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    published_only: bool = True,
) -> list[Agreement]:
    """``agreements_as_of`` with each stage marked ``is_reached``/``is_current`` on ``on``.

    Parties that are drafts are left out for the public.
    """
    on = on or timezone.localdate()
    agreements = agreements_as_of(
        on, organization=organization, country=country, published_only=published_only
    )
    for agreement in agreements:
        _mark_stages(agreement, on)
        agreement.party_list = _visible_parties(agreement, published_only)
    return agreements


def _visible_parties(agreement, published_only: bool) -> list:
    parties = [party.party for party in agreement.parties.all()]
    return [party for party in parties if party.is_published or not published_only]


def agreement_profile(
    slug: str, on: datetime.date | None = None, *, published_only: bool = True
) -> Agreement:
    """One agreement as ``agreement_as_of`` loads it, its stages marked as ``agreements_for``
    marks them. Raises ``Agreement.DoesNotExist`` for an unknown slug or, for the public, a draft."""
    on = on or timezone.localdate()
    agreement = agreement_as_of(slug, on, published_only=published_only)
    _mark_stages(agreement, on)
    agreement.party_list = _visible_parties(agreement, published_only)
    return agreement


def _events(published_only: bool, *, participant_citations: bool) -> QuerySet:
    from .models import Event, EventParticipant

    participants = EventParticipant.objects.select_related("person", "country", "organization")
    if participant_citations:
        participants = participants.prefetch_related(_citations_prefetch(published_only))
    organizers = _visible(Organization.objects.all(), published_only).order_by("name")
    events = _visible(Event.objects.all(), published_only)
    if published_only:
        participants = participants.filter(
            Q(person__isnull=True) | Q(person__is_published=True),
            Q(country__isnull=True) | Q(country__is_published=True),
            Q(organization__isnull=True) | Q(organization__is_published=True),
        )
    return events.prefetch_related(
        Prefetch("organizers", queryset=organizers),
        Prefetch("participants", queryset=participants.order_by("pk")),
        _citations_prefetch(published_only),
    )


def events_for(
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    person: Person | None = None,
    start_after: datetime.date | None = None,
    start_before: datetime.date | None = None,
    published_only: bool = True,
) -> list:
    """Events, latest first, with organizers, participants and citations loaded: four queries.

    ``organization`` matches events it organized or took part in; ``country`` events it (or a
    person representing it) took part in; ``start_after``/``start_before`` bound the start.
    """
    from .models import EventParticipant

    events = _events(published_only, participant_citations=False)
    if organization is not None:
        took_part = EventParticipant.objects.filter(organization=organization)
        events = events.filter(Q(organizers=organization) | Q(pk__in=took_part.values("event_id")))
    if country is not None:
        events = events.filter(
            pk__in=EventParticipant.objects.filter(country=country).values("event_id")
        )
    if person is not None:
        events = events.filter(
            pk__in=EventParticipant.objects.filter(person=person).values("event_id")
        )
    if start_after is not None:
        events = events.filter(start__gte=start_after)
    if start_before is not None:
        events = events.filter(start__lte=start_before)
    return list(events.distinct().order_by("-start", "name"))


def event_profile(slug: str, *, published_only: bool = True):
    """One event with organizers, participants (with citations), citations and the quotes said
    there (as ``quotes`` loads them). Raises ``Event.DoesNotExist`` for an unknown slug or,
    for the public, a draft."""
    said_there = quotes(published_only=published_only)
    event = (
        _events(published_only, participant_citations=True)
        .prefetch_related(Prefetch("quotes", queryset=said_there, to_attr="quote_list"))
        .get(slug=slug)
    )
    return event


def event_participants(*, published_only: bool = True) -> tuple[list, list, list]:
    """Who took part in a visible event: (organizations, countries, people), each by name."""
    from .models import Event, EventParticipant

    took_part = EventParticipant.objects.filter(
        event__in=_visible(Event.objects.all(), published_only)
    )
    organizations = _visible(Organization.objects.all(), published_only).filter(
        Q(pk__in=took_part.values("organization_id"))
        | Q(events__in=_visible(Event.objects.all(), published_only))
    )
    countries = _visible(Country.objects.all(), published_only).filter(
        pk__in=took_part.values("country_id")
    )
    people = _visible(Person.objects.all(), published_only).filter(
        pk__in=took_part.values("person_id")
    )
    return (
        list(organizations.distinct().order_by("name")),
        list(countries.order_by("name")),
        list(people.order_by("name")),
    )


def proposals_for(
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    person: Person | None = None,
    published_only: bool = True,
) -> list:
    """Proposals (ideas that are not themselves organizations) with proposers and citations:
    three queries. ``organization`` matches what it concerns or proposed."""
    proposals = visible_proposals(published_only=published_only)
    if organization is not None:
        proposals = proposals.filter(
            Q(organization=organization) | Q(proposed_by_organization=organization)
        )
    if country is not None:
        proposals = proposals.filter(proposed_by_countries=country)
    if person is not None:
        proposals = proposals.filter(proposed_by_person=person)
    proposals = proposals.distinct().order_by(F("proposed_on").asc(nulls_last=True), "title")
    result = list(proposals)
    if published_only:
        for proposal in result:
            for name in ("proposed_by_person", "proposed_by_organization", "organization"):
                related = getattr(proposal, name)
                if related is not None and not related.is_published:
                    setattr(proposal, name, None)
    return result


def proposed_organizations(*, published_only: bool = True) -> list[Organization]:
    """Organizations and formats whose proposer or proposal date is known, with who proposed
    them and their citations: two queries."""
    queryset = (
        _visible(Organization.objects.all(), published_only)
        .filter(
            Q(proposed_by__isnull=False)
            | Q(proposed_by_country__isnull=False)
            | Q(proposed_on__isnull=False)
        )
        .select_related("proposed_by", "proposed_by_country", "parent")
        .prefetch_related(_citations_prefetch(published_only))
        .order_by(F("proposed_on").asc(nulls_last=True), "name")
    )
    organizations = list(queryset)
    if published_only:
        for organization in organizations:
            if organization.proposed_by is not None and not organization.proposed_by.is_published:
                organization.proposed_by = None
            country = organization.proposed_by_country
            if country is not None and not country.is_published:
                organization.proposed_by_country = None
    return organizations


def competing_claims(
    shown: list[Membership], history: list[Membership], on: datetime.date | None = None
) -> list[Membership]:
    """Pair the spells a page shows with the deprecated spells that compete with them.

    ``history`` is every spell of the organization or country (``spell_history``, which loads
    deprecated spells too), so this costs no query. Each shown spell gets ``competing``: the
    deprecated spells of the same member in the same organization. Returned are the deprecated
    spells that compete with nothing shown but would hold on ``on`` if the atlas followed them
    (Saudi Arabia's claimed BRICS membership): a page lists them as disputed claims, never as
    members.
    """
    on = on or timezone.localdate()

    def key(spell):
        return (spell.organization_id, spell.member_country_id, spell.member_organization_id)

    deprecated = [spell for spell in history if spell.rank == Rank.DEPRECATED]
    by_key: dict[tuple, list[Membership]] = {}
    for spell in deprecated:
        by_key.setdefault(key(spell), []).append(spell)
    for spell in shown:
        spell.competing = by_key.get(key(spell), [])
    shown_keys = {key(spell) for spell in shown}
    return [
        spell
        for spell in deprecated
        if key(spell) not in shown_keys
        and spell.start <= on
        and (spell.end is None or spell.end_partial.latest >= on)
    ]


class AgreementChange(Change):
    """An agreement reached a stage: "EAEU–Mongolia interim trade agreement: signed"."""

    @property
    def key(self) -> str:
        return f"agreementstage-{self.record.pk}"

    @property
    def sentence(self) -> str:
        return f"{self.record.agreement.title}: {self.status}"


def _agreement_changes(stages) -> list[Change]:
    changes = []
    for stage in stages:
        parties = [party.party for party in stage.agreement.parties.all()]
        organization = next((p for p in parties if isinstance(p, Organization)), None)
        member = next((p for p in parties if p is not organization), organization)
        changes.append(
            AgreementChange(
                stage.date_partial,
                "agreement stage",
                organization,
                member,
                stage.get_stage_display(),
                record=stage,
            )
        )
    return changes


def _stages_with_agreements(published_only: bool) -> QuerySet[AgreementStage]:
    parties = AgreementParty.objects.select_related("country", "organization").order_by(
        F("organization").asc(nulls_last=True), "pk"
    )
    return visible_agreement_stages(published_only=published_only).prefetch_related(
        Prefetch("agreement__parties", queryset=parties)
    )


def recent_changes_with_agreements(
    limit: int = 12, *, on: datetime.date | None = None, published_only: bool = True
) -> list[Change]:
    """``recent_changes`` with agreement stages among them (an ``AgreementChange`` each)."""
    on = on or timezone.localdate()
    changes = recent_changes(limit, on=on, published_only=published_only)
    stages = _stages_with_agreements(published_only).filter(date__lte=on)
    changes += _agreement_changes(stages.order_by("-date", "-pk")[:limit])
    changes.sort(key=lambda change: (change.on.earliest, change.record.pk), reverse=True)
    return changes[:limit]


def changes_between_with_agreements(
    since: datetime.date, until: datetime.date | None = None, *, published_only: bool = True
) -> list[Change]:
    """``changes_between`` with the agreement stages reached in the period among them."""
    until = until or timezone.localdate()
    changes = changes_between(since, until, published_only=published_only)
    stages = _stages_with_agreements(published_only).filter(date__range=(since, until))
    changes += _agreement_changes(stages)

    def order(change):
        organization = change.organization.name if change.organization else ""
        return (change.on, organization, change.kind)

    return sorted(changes, key=order)
