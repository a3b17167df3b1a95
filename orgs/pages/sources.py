"""Sources, what each one supports, and the quotes the atlas records."""

from __future__ import annotations

from django.http import Http404
from django.views.generic import TemplateView

from orgs import selectors
from orgs.models import Country, Organization, Person, Source
from orgs.params import ParameterError

from .footnotes import Footnotes
from .mixins import AtlasPageMixin, paginate


class SourceListView(AtlasPageMixin, TemplateView):
    template_name = "orgs/source_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = paginate(self.request, selectors.source_list(preview=self.preview))
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
            raise Http404("No such source.") from None
        groups = selectors.source_claims(source, preview=self.preview)
        context.update(
            source=source,
            groups=groups,
            claim_count=sum(len(citations) for _, citations in groups),
        )
        return context


class QuoteListView(AtlasPageMixin, TemplateView):
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
        params = self.request.GET
        filters = {}
        for parameter, options, key in (
            ("speaker", people, "slug"),
            ("organization", organizations, "slug"),
            ("country", countries, "iso2"),
        ):
            value = (params.get(parameter) or "").strip()
            if not value:
                continue
            match = next(
                (o for o in options if getattr(o, key).lower() == value.lower()),
                None,
            )
            if match is None:
                raise ParameterError(parameter, f"nothing called “{value[:40]}” has quotes here.")
            filters[parameter] = match
        footnotes = Footnotes()
        page = paginate(self.request, selectors.quote_list(preview=preview, **filters))
        quotes = footnotes.mark_all(list(page.object_list))
        context.update(
            page_obj=page,
            quotes=quotes,
            people=people,
            organizations=organizations,
            countries=countries,
            selected={
                name: (params.get(name) or "").strip().lower()
                for name in ("speaker", "organization", "country")
            },
            filters=filters,
            footnotes=footnotes.notes,
        )
        return context
