"""Sources and the citations that tie them to claims; the citation inline every claim shows."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.urls import reverse
from django.utils.html import format_html

from ..models import Citation, Source
from .editorial import CitedAdminMixin, EditorialAdmin, SafeAutocompleteMixin
from .forms import SourceForm
from .imports import AtlasImportExportMixin, CitationResource, SourceResource


class CitationInline(SafeAutocompleteMixin, GenericTabularInline):
    """The sources of a claim. Prefix ``orgs-citation-content_type-object_id`` in POST data."""

    model = Citation
    fields = ["source", "claim_field", "excerpt", "locator", "position"]
    autocomplete_fields = ["source"]
    extra = 1
    verbose_name = "citation"
    verbose_name_plural = "citations (sources supporting this record)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class ArchivedFilter(admin.SimpleListFilter):
    title = "archive copy"
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("yes", "has an archive URL"), ("no", "no archive URL")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(archive_url="")
        if self.value() == "no":
            return queryset.filter(archive_url="")
        return queryset


@admin.register(Source)
class SourceAdmin(AtlasImportExportMixin, CitedAdminMixin, EditorialAdmin):
    resource_classes = [SourceResource]
    ordering = Source._meta.ordering
    form = SourceForm
    list_display = ["title", "publisher", "kind", "published", "language", "cited", "is_published"]
    list_filter = ["kind", "language", "is_published", "is_disputed", ArchivedFilter]
    search_fields = ["title", "publisher", "author", "key", "url"]
    autocomplete_fields = []
    list_select_related = []

    @admin.display(description="published", ordering="published_on")
    def published(self, obj):
        return obj.published_on_partial or "—"

    # A source's citations are the claims it supports, hence its own header.
    @admin.display(description="cited by", ordering="citation_count")
    def cited(self, obj):
        return obj.citation_count


@admin.register(Citation)
class CitationAdmin(AtlasImportExportMixin, EditorialAdmin):
    resource_classes = [CitationResource]
    list_display = ["source", "claim_link", "claim_field", "locator", "position"]
    list_filter = ["content_type", "source__kind"]
    search_fields = ["source__title", "source__publisher", "excerpt", "locator"]
    autocomplete_fields = ["source"]
    list_select_related = ["source", "content_type"]

    @admin.display(description="claim", ordering="content_type")
    def claim_link(self, obj):
        # A link by type and id: following the generic key would cost a query per row.
        url = reverse(
            f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change",
            args=[obj.object_id],
        )
        return format_html('<a href="{}">{} #{}</a>', url, obj.content_type.model, obj.object_id)
