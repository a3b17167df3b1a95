"""Sources and the citations that tie them to claims; the citation inline every claim shows."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.contenttypes.admin import GenericStackedInline
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy, pgettext_lazy

from ..models import Citation, Source
from ..models.sources import citable_fields
from .editorial import (
    CitedAdminMixin,
    EditorialAdmin,
    SafeAutocompleteMixin,
    SafeAutocompleteSelect,
)
from .forms import SourceForm
from .imports import AtlasImportExportMixin, CitationResource, SourceResource


def source_choice_field(admin_site, request, **kwargs) -> forms.ModelChoiceField:
    """A source box that searches as the editor types, with the "+" that adds a new source in
    a popup (for editors who may add sources)."""
    source_field = Citation._meta.get_field("source")
    source_admin = admin_site.get_model_admin(Source)
    widget = RelatedFieldWidgetWrapper(
        SafeAutocompleteSelect(source_field, admin_site),
        source_field.remote_field,
        admin_site,
        can_add_related=source_admin.has_add_permission(request),
    )
    kwargs.setdefault("required", False)
    kwargs.setdefault("label", gettext_lazy("Source"))
    return forms.ModelChoiceField(queryset=Source.objects.all(), widget=widget, **kwargs)


class CitationInline(SafeAutocompleteMixin, GenericStackedInline):
    """The sources of a claim, one compact row each. Prefix
    ``orgs-citation-content_type-object_id`` in POST data.

    "Fact" is a choice of the facts of the record it is shown on, the whole record first.
    """

    model = Citation
    template = "admin/orgs/edit_inline/compact_rows.html"
    fieldsets = [
        (
            None,
            {
                "fields": [("source", "claim_field", "excerpt", "locator", "position")],
                "classes": ["compact-line"],
            },
        )
    ]
    autocomplete_fields = ["source"]
    extra = 1
    anchor = "citations"  # what links to a record's citations point at
    verbose_name = gettext_lazy("citation")
    verbose_name_plural = gettext_lazy("citations (sources supporting this record)")

    class Media:
        css = {"all": ["admin_atlas/compact_rows.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "claim_field":
            return forms.ChoiceField(
                label=gettext_lazy("Fact"),
                required=False,
                choices=[
                    ("", gettext_lazy("the whole record")),
                    *citable_fields(self.parent_model),
                ],
                help_text=gettext_lazy(
                    "What the source supports: the whole record (its title and every "
                    "fact), or one fact of it."
                ),
            )
        if db_field.name == "excerpt":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 36})
        elif db_field.name == "locator":
            kwargs["widget"] = forms.TextInput(attrs={"size": 14})
        elif db_field.name == "position":
            kwargs["widget"] = forms.NumberInput(attrs={"class": "vIntegerField atlas-narrow"})
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            # "+" adds a source; editing or viewing one is a link away on its own page.
            formfield.widget.can_change_related = False
            formfield.widget.can_view_related = False
        return formfield

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class ArchivedFilter(admin.SimpleListFilter):
    title = gettext_lazy("archive copy")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("has an archive URL")), ("no", gettext_lazy("no archive URL"))]

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
    autocomplete_fields: list[str] = []
    list_select_related: list[str] = []

    @admin.display(description=pgettext_lazy("source", "published"), ordering="published_on")
    def published(self, obj):
        return obj.published_on_partial or "—"

    # A source's citations are the claims it supports, hence its own header.
    @admin.display(description=gettext_lazy("cited by"), ordering="citation_count")
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

    @admin.display(description=gettext_lazy("claim"), ordering="content_type")
    def claim_link(self, obj):
        # A link by type and id: following the generic key would cost a query per row.
        url = reverse(
            f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change",
            args=[obj.object_id],
        )
        model = obj.content_type.model_class()
        label = model._meta.verbose_name if model else obj.content_type.model
        return format_html('<a href="{}">{} #{}</a>', url, label, obj.object_id)
