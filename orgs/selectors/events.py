"""Events (summits, meetings), who took part in them, and proposals of new organizations."""

from __future__ import annotations

import datetime

from django.db.models import F, Prefetch, Q, QuerySet

from ..models import Country, Event, EventParticipant, Organization, Person, Proposal, Quote
from .organizations import _hide_draft_relations
from .sources import citation_prefetch, quote_list

# --- events ----------------------------------------------------------------------------------


def _visible_participants(preview: bool) -> QuerySet[EventParticipant]:
    """Participants the reader may see: the public sees those whose person, country and
    organization, where given, are published."""
    queryset = EventParticipant.objects.all()
    if not preview:
        queryset = queryset.filter(
            Q(person__isnull=True) | Q(person__is_published=True),
            Q(country__isnull=True) | Q(country__is_published=True),
            Q(organization__isnull=True) | Q(organization__is_published=True),
        )
    return queryset


def _loaded(
    events: QuerySet[Event], *, preview: bool, participant_citations: bool
) -> QuerySet[Event]:
    """Events with organizers, participants and citations: four queries, five with the
    participants' citations."""
    participants = _visible_participants(preview).select_related(
        "person", "country", "organization"
    )
    if participant_citations:
        participants = participants.prefetch_related(citation_prefetch(preview=preview))
    return events.prefetch_related(
        Prefetch("organizers", queryset=Organization.objects.visible(preview).order_by("name")),
        Prefetch("participants", queryset=participants.order_by("pk")),
        citation_prefetch(preview=preview),
    )


def event_list(
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    person: Person | None = None,
    start_after: datetime.date | None = None,
    start_before: datetime.date | None = None,
    detail: bool = False,
    preview: bool = False,
) -> QuerySet[Event]:
    """Events, latest first, with organizers, participants and citations loaded: four queries.

    ``organization`` matches events it organized or took part in; ``country`` events it (or a
    person representing it) took part in; ``start_after``/``start_before`` bound the start.
    With ``detail``, each event comes as the API shows it: with every participant's citations
    and the ids of the quotes said there (six queries).
    """
    events = _loaded(Event.objects.visible(preview), preview=preview, participant_citations=detail)
    if detail:
        said_there = Quote.objects.visible(preview).only("pk", "event_id").order_by("pk")
        events = events.prefetch_related(Prefetch("quotes", queryset=said_there))
    if organization is not None:
        took_part = EventParticipant.objects.filter(organization=organization)
        # Organizers are a join: one event organized by the organization once per row.
        events = events.filter(
            Q(organizers=organization) | Q(pk__in=took_part.values("event_id"))
        ).distinct()
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
    return events.order_by("-start", "name")


def event_get(slug: str, *, preview: bool = False) -> Event:
    """One event with organizers, participants (with their citations), citations and the quotes
    said there (as ``quote_list``, loaded as ``quote_list`` loads them).

    Raises ``Event.DoesNotExist`` for an unknown slug or, for the public, a draft.
    """
    said_there = Prefetch("quotes", queryset=quote_list(preview=preview), to_attr="quote_list")
    return (
        _loaded(Event.objects.visible(preview), preview=preview, participant_citations=True)
        .prefetch_related(said_there)
        .get(slug=slug)
    )


def event_participant_list(*, preview: bool = False) -> QuerySet[EventParticipant]:
    """Participants of events the reader may see, with who took part and their citations loaded."""
    queryset = (
        _visible_participants(preview)
        .select_related("event", "person", "country", "organization")
        .prefetch_related(citation_prefetch(preview=preview))
    )
    if not preview:
        queryset = queryset.filter(event__is_published=True)
    return queryset


def event_participant_options(
    *, preview: bool = False
) -> tuple[list[Organization], list[Country], list[Person]]:
    """Who organized or took part in an event the reader may see: (organizations, countries,
    people), each by name."""
    events = Event.objects.visible(preview)
    took_part = EventParticipant.objects.filter(event__in=events)
    organizations = Organization.objects.visible(preview).filter(
        Q(pk__in=took_part.values("organization_id")) | Q(events__in=events)
    )
    countries = Country.objects.visible(preview).filter(pk__in=took_part.values("country_id"))
    people = Person.objects.visible(preview).filter(pk__in=took_part.values("person_id"))
    return (
        list(organizations.distinct().order_by("name")),
        list(countries.order_by("name")),
        list(people.order_by("name")),
    )


# --- proposals -------------------------------------------------------------------------------


def proposal_queryset(*, preview: bool = False) -> QuerySet[Proposal]:
    """Proposals the reader may see, with who proposed them, what they concern and their
    citations loaded: the QuerySet the API filters, orders and pages."""
    proposals: QuerySet[Proposal] = (
        Proposal.objects.visible(preview)
        .select_related("proposed_by_person", "proposed_by_organization", "organization")
        .prefetch_related(
            Prefetch(
                "proposed_by_countries", queryset=Country.objects.visible(preview).order_by("name")
            ),
            citation_prefetch(preview=preview),
        )
    )
    return proposals


def proposal_list(
    *,
    organization: Organization | None = None,
    country: Country | None = None,
    person: Person | None = None,
    preview: bool = False,
) -> list[Proposal]:
    """Proposals (ideas that are not themselves organizations) as a page shows them: three
    queries. ``organization`` matches what it concerns or proposed. The public sees no draft
    proposer and no draft organization the proposal concerns."""
    proposals = proposal_queryset(preview=preview)
    if organization is not None:
        proposals = proposals.filter(
            Q(organization=organization) | Q(proposed_by_organization=organization)
        )
    if country is not None:
        proposals = proposals.filter(proposed_by_countries=country)
    if person is not None:
        proposals = proposals.filter(proposed_by_person=person)
    result = list(proposals.distinct().order_by(F("proposed_on").asc(nulls_last=True), "title"))
    if not preview:
        _hide_draft_relations(
            result, "proposed_by_person", "proposed_by_organization", "organization"
        )
    return result
