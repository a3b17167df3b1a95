"""Admin search that ranks: the autocompletes and the list search of countries, organizations
and people use the atlas's one search (``orgs.selectors.search``), so "Ind" offers India first
and "Росс" finds Russia."""

from __future__ import annotations

from django.contrib.admin.views.main import ORDER_VAR

from ..selectors.search import clean_query


class RankedSearchMixin:
    """``ranked_search`` is the selector that finds and ranks this admin's records, set as
    ``staticmethod(selectors.country_search)``. Results come best match first, unless the
    editor sorted the list by a column."""

    def get_search_results(self, request, queryset, search_term):
        if not clean_query(search_term):
            return super().get_search_results(request, queryset, search_term)
        found = self.ranked_search(queryset, search_term)
        if request.GET.get(ORDER_VAR):
            found = found.order_by(*queryset.query.order_by)
        return found, False
