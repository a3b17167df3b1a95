"""Search across organizations, countries, people, quotes, agreements and events."""

from __future__ import annotations

from django.views.generic import TemplateView

from orgs import selectors

from .mixins import AtlasPageMixin


class SearchView(AtlasPageMixin, TemplateView):
    template_name = "orgs/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        context["results"] = selectors.atlas_search(query, preview=self.preview)
        return context
