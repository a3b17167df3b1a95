"""Events and who took part, the quotes said at them or elsewhere, and proposals."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy

from ..models import Event, EventParticipant, Proposal, Quote
from .citing import CiteSelectedMixin
from .editorial import CitedAdminMixin, EditorialAdmin, SafeAutocompleteMixin
from .forms import EventForm, ProposalForm, QuoteForm
from .formsets import EventParticipantFormSet
from .sources import CitationInline

# --- events --------------------------------------------------------------------------------


class EventParticipantInline(SafeAutocompleteMixin, admin.TabularInline):
    model = EventParticipant
    formset = EventParticipantFormSet
    fields = ["person", "country", "organization", "role", "note"]
    autocomplete_fields = ["person", "country", "organization"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})},
    }
    extra = 1


@admin.register(Event)
class EventAdmin(EditorialAdmin):
    ordering = Event._meta.ordering
    form = EventForm
    list_display = ["name", "kind", "when", "place", "is_published"]
    list_filter = ["kind", "is_published", "is_disputed"]
    search_fields = ["name", "name_ru", "slug", "place"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organizers"]
    inlines = [EventParticipantInline, CitationInline]

    @admin.display(description=gettext_lazy("when"), ordering="start")
    def when(self, obj):
        return obj.period


# --- quotes --------------------------------------------------------------------------------


@admin.register(Quote)
class QuoteAdmin(CiteSelectedMixin, CitedAdminMixin, EditorialAdmin):
    ordering = Quote._meta.ordering
    form = QuoteForm
    list_display = [
        "short_text",
        "speaker",
        "speaker_organization",
        "said",
        "kind",
        "is_published",
        "citation_count",
    ]
    list_filter = ["kind", "is_published", "is_disputed", "speaker_organization"]
    search_fields = [
        "text",
        "original_text",
        "speaker__name",
        "speaker__native_name",
        "speaker_role",
    ]
    autocomplete_fields = [
        "speaker",
        "speaker_organization",
        "event",
        "about_organizations",
        "about_countries",
    ]
    list_select_related = ["speaker", "speaker_organization"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description=pgettext_lazy("quote", "text"))
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 80 else obj.text[:77] + "…"

    @admin.display(description=gettext_lazy("said"), ordering="said_on")
    def said(self, obj):
        return obj.said_on_partial or "—"


# --- proposals -----------------------------------------------------------------------------


@admin.register(Proposal)
class ProposalAdmin(EditorialAdmin):
    ordering = Proposal._meta.ordering
    form = ProposalForm
    list_display = ["title", "proposed_by_person", "proposed", "is_published"]
    list_filter = ["is_published", "is_disputed"]
    search_fields = ["title", "slug", "stage", "outcome"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "proposed_by_person",
        "proposed_by_countries",
        "proposed_by_organization",
        "organization",
    ]
    list_select_related = ["proposed_by_person"]
    inlines = [CitationInline]

    @admin.display(description=pgettext_lazy("column", "proposed"), ordering="proposed_on")
    def proposed(self, obj):
        return obj.proposed_on_partial or "—"
