"""Agreements: their parties and the timeline of stages, each stage cited on its own page."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy

from ..models import Agreement, AgreementParty, AgreementStage
from .citing import CiteSelectedMixin
from .editorial import CitedAdminMixin, EditorialAdmin, SafeAutocompleteMixin
from .forms import AgreementStageForm
from .formsets import AgreementPartyFormSet, AgreementStageFormSet
from .sources import CitationInline


class AgreementPartyInline(SafeAutocompleteMixin, admin.TabularInline):
    model = AgreementParty
    formset = AgreementPartyFormSet
    fields = ["country", "organization"]
    autocomplete_fields = ["country", "organization"]
    extra = 1


class AgreementStageInline(SafeAutocompleteMixin, admin.TabularInline):
    """The timeline; each stage is cited on its own page (follow "change")."""

    model = AgreementStage
    formset = AgreementStageFormSet
    fields = ["stage", "date", "place", "is_published"]
    readonly_fields = ["is_published"]
    show_change_link = True
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = AgreementStageForm
        return super().get_formset(request, obj, **kwargs)


@admin.register(Agreement)
class AgreementAdmin(CitedAdminMixin, EditorialAdmin):
    list_display = ["title", "kind", "is_disputed", "is_published", "citation_count"]
    list_filter = ["kind", "is_published", "is_disputed"]
    search_fields = ["title", "title_ru", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AgreementPartyInline, AgreementStageInline, CitationInline]


@admin.register(AgreementStage)
class AgreementStageAdmin(CiteSelectedMixin, CitedAdminMixin, EditorialAdmin):
    ordering = AgreementStage._meta.ordering
    form = AgreementStageForm
    list_display = [
        "agreement",
        "stage",
        "when",
        "is_disputed",
        "is_published",
        "citation_count",
    ]
    list_filter = ["stage", "is_published", "is_disputed"]
    search_fields = ["agreement__title", "place", "note"]
    autocomplete_fields = ["agreement"]
    list_select_related = ["agreement"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agreement")

    @admin.display(description=gettext_lazy("date"), ordering="date")
    def when(self, obj):
        return obj.date_partial or "—"
