"""Countries, with their spells in every organization, and people."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy

from .. import selectors
from ..models import Country, Person
from .editorial import EditorialAdmin
from .forms import CountryForm
from .history import related_changes
from .memberships import CountryMembershipInline, SpellEditorMixin
from .search import RankedSearchMixin
from .sources import CitationInline


@admin.register(Country)
class CountryAdmin(SpellEditorMixin, RankedSearchMixin, EditorialAdmin):
    # Count() annotations drop Meta.ordering (GROUP BY); keep it, autocomplete pages too.
    ordering = Country._meta.ordering
    form = CountryForm
    list_display = ["name", "iso2", "iso3", "region", "spell_count", "is_published"]
    list_filter = ["is_published", "region", "is_disputed"]
    search_fields = ["name", "official_name", "other_names", "iso2", "iso3"]
    ranked_search = staticmethod(selectors.country_search)
    autocomplete_fields: list[str] = []
    list_select_related: list[str] = []
    inlines = [CountryMembershipInline, CitationInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(spell_count=Count("memberships", distinct=True))
        )

    @admin.display(description=gettext_lazy("spells"), ordering="spell_count")
    def spell_count(self, obj):
        return obj.spell_count

    def related_history(self, object_id) -> list:
        record = Country.objects.filter(pk=object_id).first()
        return related_changes(record) if record is not None else []


@admin.register(Person)
class PersonAdmin(RankedSearchMixin, EditorialAdmin):
    list_display = ["name", "native_name", "slug", "is_published"]
    list_filter = ["is_published", "is_disputed"]
    search_fields = ["name", "native_name", "name_ru", "slug"]
    ranked_search = staticmethod(selectors.person_search)
    autocomplete_fields: list[str] = []
    list_select_related: list[str] = []
    prepopulated_fields = {"slug": ["name"]}
