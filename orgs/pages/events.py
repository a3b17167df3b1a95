"""Events (summits, meetings) and proposals of new organizations."""

from __future__ import annotations

from django.http import Http404
from django.views.generic import TemplateView

from orgs import selectors
from orgs.models import Country, Event, Organization, Person
from orgs.params import ParameterError, parse_date

from .footnotes import Footnotes
from .mixins import AtlasPageMixin, pick


class EventListView(AtlasPageMixin, TemplateView):
    template_name = "orgs/event_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = self.preview
        params = self.request.GET
        organizations, countries, people = selectors.event_participant_options(preview=preview)
        filters = {}
        organization = (params.get("organization") or "").strip()
        if organization:
            filters["organization"] = pick(
                organizations, organization, lambda o: o.slug, "organization", "organization"
            )
        participant = (params.get("participant") or "").strip()
        if participant:
            chosen = pick(
                [*countries, *people, *organizations],
                participant,
                lambda p: p.iso2.lower() if isinstance(p, Country) else p.slug,
                "participant",
                "participant",
            )
            name = {Country: "country", Person: "person", Organization: "organization"}[
                type(chosen)
            ]
            if name in filters and filters[name] != chosen:
                raise ParameterError(
                    "participant", "give one organization, either as organizer or participant."
                )
            filters[name] = chosen
        start_after = parse_date(params.get("from"), "from")
        start_before = parse_date(params.get("until"), "until")
        if start_after and start_before and start_after > start_before:
            raise ParameterError("from", "the start of the period is after its end (until).")
        footnotes = Footnotes()
        events = footnotes.mark_all(
            selectors.event_list(
                start_after=start_after,
                start_before=start_before,
                preview=preview,
                **filters,
            )
        )
        context.update(
            events=events,
            organizations=organizations,
            countries=countries,
            people=people,
            selected={
                "organization": organization.lower(),
                "participant": participant.lower(),
                "from": start_after,
                "until": start_before,
            },
            filtered=bool(filters or start_after or start_before),
            footnotes=footnotes.notes,
        )
        return context


class EventDetailView(AtlasPageMixin, TemplateView):
    template_name = "orgs/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            event = selectors.event_get(self.kwargs["slug"], preview=self.preview)
        except Event.DoesNotExist:
            raise Http404("No such event.") from None
        footnotes = Footnotes()
        record_marks = footnotes.mark(event)
        participants = footnotes.mark_all(list(event.participants.all()))
        quotes = footnotes.mark_all(event.quote_list)
        context.update(
            event=event,
            record_marks=record_marks,
            participants=participants,
            quotes=quotes,
            footnotes=footnotes.notes,
        )
        return context


class ProposalListView(AtlasPageMixin, TemplateView):
    template_name = "orgs/proposal_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        footnotes = Footnotes()
        organizations = selectors.organization_list_proposed(preview=self.preview)
        for organization in organizations:
            organization.marks = footnotes.mark(organization, "proposed_by")
        proposals = footnotes.mark_all(selectors.proposal_list(preview=self.preview))
        context.update(
            proposed_organizations=organizations,
            proposals=proposals,
            footnotes=footnotes.notes,
        )
        return context
