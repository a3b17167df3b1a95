"""Sources, what each one supports, and the quotes the atlas records."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from orgs import selectors
from orgs.api.filters import QuoteFilter, SourceFilter
from orgs.models import Country, Organization, Person, Source

from .footnotes import Footnotes
from .mixins import AtlasPageMixin, chosen_option, filter_list, paginate


class SourceListView(AtlasPageMixin, TemplateView):
    """Sources as the API lists them (``SourceFilter``), newest first, a page at a time."""

    template_name = "orgs/source_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = filter_list(
            SourceFilter, self.request, selectors.source_list(preview=self.preview)
        )
        page = paginate(self.request, filterset.qs)
        context.update(sources=page.object_list, page_obj=page)
        return context


class SourceDetailView(AtlasPageMixin, TemplateView):
    template_name = "orgs/source_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sources = Source.objects.visible(self.preview)
        try:
            source = sources.get(pk=self.kwargs["pk"])
        except Source.DoesNotExist:
            raise Http404(_("No such source.")) from None
        groups = selectors.source_claims(source, preview=self.preview)
        context.update(
            source=source,
            groups=groups,
            claim_count=sum(len(citations) for _, citations in groups),
        )
        return context


class QuoteListView(AtlasPageMixin, TemplateView):
    """Quotes as the API lists them (``QuoteFilter``); the page's form names the speaker and
    what a quote is about from the records that have quotes."""

    template_name = "orgs/quote_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = self.preview
        people = list(
            Person.objects.visible(preview).filter(quotes__isnull=False).distinct().order_by("name")
        )
        organizations = list(Organization.objects.visible(preview).order_by("name"))
        countries = list(
            Country.objects.visible(preview)
            .filter(quotes_about__isnull=False)
            .distinct()
            .order_by("name")
        )
        filterset = filter_list(QuoteFilter, self.request, selectors.quote_list(preview=preview))
        speaker = chosen_option(filterset, "speaker", people, "speaker with quotes")
        organization = chosen_option(filterset, "about_organization", organizations, "organization")
        country = chosen_option(filterset, "about_country", countries, "country with quotes")
        footnotes = Footnotes()
        page = paginate(self.request, filterset.qs)
        quotes = footnotes.mark_all(list(page.object_list))
        context.update(
            page_obj=page,
            quotes=quotes,
            people=people,
            organizations=organizations,
            countries=countries,
            selected={
                "speaker": speaker.slug if speaker else "",
                "about_organization": organization.slug if organization else "",
                "about_country": country.iso2.lower() if country else "",
            },
            filtered=any(filterset.form.cleaned_data.values()),
            footnotes=footnotes.notes,
        )
        return context
