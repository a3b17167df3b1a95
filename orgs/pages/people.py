"""A person's page: what they said and what they proposed."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from orgs import selectors
from orgs.models import Person

from .footnotes import Footnotes
from .mixins import AtlasPageMixin


class PersonDetailView(AtlasPageMixin, TemplateView):
    template_name = "orgs/person_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = Person.objects.visible(self.preview)
        try:
            person = people.get(slug=self.kwargs["slug"])
        except Person.DoesNotExist:
            raise Http404(_("No such person.")) from None
        footnotes = Footnotes()
        quotes = footnotes.mark_all(
            list(selectors.quote_list(speaker=person, preview=self.preview))
        )
        proposed = person.proposed_organizations.visible(self.preview).order_by("name")
        context.update(
            person=person,
            quotes=quotes,
            proposed=list(proposed),
            roles=list(dict.fromkeys(q.speaker_role for q in quotes if q.speaker_role)),
            footnotes=footnotes.notes,
        )
        return context
