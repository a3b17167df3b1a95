"""Organizations, with their member spells and the formats and bodies under them."""

from __future__ import annotations

from functools import partial

from django.contrib import admin
from django.db.models import Count
from django.urls import path
from django.utils.translation import gettext_lazy

from .. import selectors
from ..models import Organization
from .editorial import EditorialAdmin, SafeAutocompleteMixin
from .forms import OrganizationForm
from .history import related_changes
from .memberships import OrganizationMembershipInline, SpellEditorMixin
from .reclassification import reclassify_view
from .search import RankedSearchMixin
from .sources import CitationInline


class FormatInline(SafeAutocompleteMixin, admin.TabularInline):
    """Formats and bodies of this organization (BRICS+ under BRICS), read only."""

    model = Organization
    fk_name = "parent"
    fields = ["name", "acronym", "kind", "lifecycle"]
    readonly_fields = fields  # type: ignore[assignment]  # the stubs type `fields` more widely
    extra = 0
    show_change_link = True
    verbose_name = gettext_lazy("format or body")
    verbose_name_plural = gettext_lazy("formats and bodies of this organization")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(SpellEditorMixin, RankedSearchMixin, EditorialAdmin):
    ordering = Organization._meta.ordering
    form = OrganizationForm
    list_display = [
        "name",
        "acronym",
        "slug",
        "kind",
        "lifecycle",
        "parent",
        "founded",
        "reviewed_through",
        "spell_count",
        "is_published",
    ]
    list_filter = ["kind", "lifecycle", "is_published", "is_disputed", "reviewed_through"]
    search_fields = ["name", "acronym", "name_ru", "acronym_ru", "slug", "other_names"]
    ranked_search = staticmethod(selectors.organization_search)
    autocomplete_fields = ["parent", "successor", "proposed_by", "proposed_by_country"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [OrganizationMembershipInline, FormatInline, CitationInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(spell_count=Count("memberships", distinct=True))
        )

    def get_urls(self):
        reclassify = path(
            "<path:object_id>/reclassify/",
            self.admin_site.admin_view(partial(reclassify_view, self)),
            name="orgs_organization_reclassify",
        )
        return [reclassify, *super().get_urls()]

    @admin.display(description=gettext_lazy("founded"), ordering="founded_on")
    def founded(self, obj):
        return obj.founded_on_partial or "—"

    @admin.display(description=gettext_lazy("member spells"), ordering="spell_count")
    def spell_count(self, obj):
        return obj.spell_count

    def related_history(self, object_id) -> list:
        record = Organization.objects.filter(pk=object_id).first()
        return related_changes(record) if record is not None else []
