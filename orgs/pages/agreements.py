"""Agreements between organizations and countries, and the stages each one reached."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from orgs import selectors
from orgs.api.filters import AgreementFilter
from orgs.dates import PartialDate
from orgs.models import Agreement

from . import charts
from .footnotes import Footnotes
from .mixins import AtlasPageMixin, chosen_option, codes_of, filter_list


class AgreementListView(AtlasPageMixin, TemplateView):
    """Agreements as the API lists them (``AgreementFilter``), each at its stage on ``as_of``."""

    template_name = "orgs/agreement_list.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organizations, countries = selectors.agreement_party_options(preview=self.preview)
        filterset = filter_list(
            AgreementFilter, self.request, Agreement.objects.visible(self.preview)
        )
        chosen = chosen_option(filterset, "party", [*organizations, *countries], "party")
        agreements = filterset.agreements()
        footnotes = Footnotes()
        footnotes.mark_all(agreement.current_stage for agreement in agreements)
        context.update(
            agreements=agreements,
            party_organizations=organizations,
            party_countries=countries,
            chosen_party=chosen,
            chosen_code=codes_of(chosen)[0].lower() if chosen else "",
            footnotes=footnotes.notes,
        )
        return context


class AgreementDetailView(AtlasPageMixin, TemplateView):
    template_name = "orgs/agreement_detail.html"
    time_travel = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            agreement = selectors.agreement_get(self.kwargs["slug"], self.on, preview=self.preview)
        except Agreement.DoesNotExist:
            raise Http404(_("No such agreement.")) from None
        footnotes = Footnotes()
        record_marks = footnotes.mark(agreement)
        footnotes.mark_all(agreement.stage_list)
        context.update(
            agreement=agreement,
            record_marks=record_marks,
            footnotes=footnotes.notes,
            stage_chart=charts.stage_timeline(
                agreement.stage_list,
                on=self.on,
                title=_("Stages of the %(agreement)s on a time axis, as of %(day)s")
                % {"agreement": agreement.localized_title, "day": PartialDate(self.on).display},
            ),
        )
        return context
