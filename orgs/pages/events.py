"""Events (summits, meetings) and proposals of new organizations."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from orgs import selectors
from orgs.api.filters import EventFilter
from orgs.models import Event
from orgs.params import ParameterError

from .footnotes import Footnotes
from .mixins import AtlasPageMixin, chosen_option, codes_of, filter_list


class EventListView(AtlasPageMixin, TemplateView):
    """Events as the API lists them (``EventFilter``): ``organization`` is an organizer,
    ``participant`` a country, person or organization that took part."""

    template_name = "orgs/event_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = self.preview
        organizations, countries, people = selectors.event_participant_options(preview=preview)
        filterset = filter_list(EventFilter, self.request, selectors.event_list(preview=preview))
        organizer = chosen_option(filterset, "organization", organizations, "organization")
        participant = chosen_option(
            filterset, "participant", [*countries, *people, *organizations], "participant"
        )
        start_after, start_before = (
            filterset.form.cleaned_data.get(name) for name in ("start_after", "start_before")
        )
        if start_after and start_before and start_after > start_before:
            raise ParameterError(
                filterset.parameter("start_after"),
                _("the start of the period is after its end (%(end)s).")
                % {"end": filterset.parameter("start_before")},
            )
        footnotes = Footnotes()
        events = footnotes.mark_all(filterset.qs)
        context.update(
            events=events,
            organizations=organizations,
            countries=countries,
            people=people,
            selected={
                "organization": organizer.slug if organizer else "",
                "participant": codes_of(participant)[0].lower() if participant else "",
                "start_after": start_after,
                "start_before": start_before,
            },
            filtered=any(filterset.form.cleaned_data.values()),
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
            raise Http404(_("No such event.")) from None
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
