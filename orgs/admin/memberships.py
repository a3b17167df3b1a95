"""Spells of membership and applications; the spell editor shown on an organization and on a
country: one compact row per spell, citable where it is entered, and one citation for all the
new and changed rows of a save."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from .. import services
from ..models import Application, Citation, Membership
from .citing import CiteSelectedMixin
from .editorial import CitedAdminMixin, EditorialAdmin, SafeAutocompleteMixin
from .forms import ApplicationForm, MembershipForm
from .formsets import (
    ROWS_CITATION_FIELDS,
    MembershipCitingForm,
    MembershipInlineFormSet,
    with_rows_citation,
)
from .imports import AtlasImportExportMixin, MembershipResource
from .sources import CitationInline, source_choice_field

# --- the spell editor ----------------------------------------------------------------------


class MembershipInlineBase(SafeAutocompleteMixin, admin.StackedInline):
    """Spells edited in compact rows (``admin/orgs/edit_inline/compact_rows.html``): what the
    spell is on the first line, note, rank and confidence folded on the second, a new citation
    on the third and the kept ones on the fourth; the citation typed in a row is saved by
    ``save_citations``."""

    model = Membership
    form = MembershipCitingForm
    formset = MembershipInlineFormSet
    template = "admin/orgs/edit_inline/compact_rows.html"
    extra = 1
    show_change_link = True
    shows_rows_citation = True  # the page's citation for all new and changed rows, under them
    readonly_fields = ["kept_citations"]

    class Media:
        css = {"all": ["admin_atlas/compact_rows.css"]}

    details_fields = MembershipCitingForm.details_fields
    citation_fields = ("source", "excerpt", "locator")

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": [self.spell_fields], "classes": ["compact-line"]}),
            (
                "Note, rank, confidence",
                {"fields": [self.details_fields], "classes": ["compact-line compact-details"]},
            ),
            ("Cite", {"fields": [self.citation_fields], "classes": ["compact-line"]}),
            ("Cited", {"fields": ["kept_citations"], "classes": ["compact-line compact-cited"]}),
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            # A row has no room for the edit, add and view icons of the member and organization
            # boxes; their own pages are a link away.
            formfield.widget.can_add_related = False
            formfield.widget.can_change_related = False
            formfield.widget.can_view_related = False
        return formfield

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not services.can_publish(request.user, Membership):
            readonly.append("is_published")
        return readonly

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        source = source_choice_field(
            self.admin_site,
            request,
            help_text=_("A source for this spell, saved with it; “+” adds a new source."),
        )
        formset.form = type(formset.form.__name__, (formset.form,), {"source": source})
        return formset

    def get_queryset(self, request):
        citations = Citation.objects.select_related("source").order_by("position", "pk")
        return (
            super()
            .get_queryset(request)
            .with_related()
            .prefetch_related(Prefetch("citations", queryset=citations))
        )

    @admin.display(description=gettext_lazy("citations"))
    def kept_citations(self, obj):
        """The citations the spell keeps, so the editor sees what the last save recorded."""
        if obj is None or obj.pk is None:
            return "—"
        citations = list(obj.citations.all())
        url = reverse("admin:orgs_membership_change", args=[obj.pk]) + "#citations"
        count = len(citations)
        words = ngettext("%(count)d citation", "%(count)d citations", count) % {"count": count}
        link = format_html('<a href="{}">{}</a>', url, words)
        if not citations:
            return format_html(
                '<span class="uncited">{}</span>', format_html(_("{link} — none yet"), link=link)
            )
        items = format_html_join(
            "",
            "<li>{}{}{}</li>",
            (
                (
                    citation.source.title,
                    format_html(" — “{}”", Truncator(citation.excerpt).chars(90))
                    if citation.excerpt
                    else "",
                    f" ({citation.locator})" if citation.locator else "",
                )
                for citation in citations
            ),
        )
        return format_html('{}: <ul class="kept-citations">{}</ul>', link, items)


class OrganizationMembershipInline(MembershipInlineBase):
    """The spells of members in this organization (Belarus: dialogue partner, observer, member)."""

    fk_name = "organization"
    verbose_name = gettext_lazy("member spell")
    verbose_name_plural = gettext_lazy("member spells (one row per spell of one status)")
    autocomplete_fields = ["member_country", "member_organization"]
    spell_fields = (
        "member_country",
        "member_organization",
        "status",
        "qualifier",
        "start",
        "end",
        "is_founding",
        "is_published",
    )


class CountryMembershipInline(MembershipInlineBase):
    """This country's spells in every organization."""

    fk_name = "member_country"
    verbose_name = gettext_lazy("spell")
    verbose_name_plural = gettext_lazy("memberships (one row per spell of one status)")
    autocomplete_fields = ["organization"]
    spell_fields = (
        "organization",
        "status",
        "qualifier",
        "start",
        "end",
        "is_founding",
        "is_published",
    )


def save_citations(formset, collector=None, *, default=None):
    """Create the citations typed into spell rows, and ``default`` (a ``RowsCitation``) for the
    new and changed rows that name no source of their own; runs inside the admin's
    transaction. Those of published spells go through ``collector``: an Editor's are proposed
    for review."""
    for form in formset.forms:
        if not hasattr(form, "save_citation") or not hasattr(form, "cleaned_data"):
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        form.save_citation(collector, default=default)


class SpellEditorMixin:
    """The organization's and the country's pages: their spells in the spell editor, and one
    citation for all the new and changed rows of a save, shown under the rows."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        source = source_choice_field(
            self.admin_site,
            request,
            label=_("Source"),
            help_text=_("Cites every new or changed spell row that names no source of its own."),
        )
        return with_rows_citation(form, source)

    def get_fields(self, request, obj=None):
        # Shown under the spell rows by the spell editor's template, not in the main form.
        return [
            name for name in super().get_fields(request, obj) if name not in ROWS_CITATION_FIELDS
        ]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if isinstance(formset, MembershipInlineFormSet):
            save_citations(formset, self.change_collector(request), default=form.rows_citation)


# --- filters -------------------------------------------------------------------------------


class CurrentSpellFilter(admin.SimpleListFilter):
    """Whether a spell holds today, by the one "as of" rule in ``MembershipQuerySet``."""

    title = "current on today"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", "yes"), ("no", "no")]

    def queryset(self, request, queryset):
        current = Membership.objects.current().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=current)
        if self.value() == "no":
            return queryset.exclude(pk__in=current)
        return queryset


class MemberKindFilter(admin.SimpleListFilter):
    title = "member kind"
    parameter_name = "member_kind"

    def lookups(self, request, model_admin):
        return [("country", "country"), ("organization", "organization")]

    def queryset(self, request, queryset):
        if self.value() == "country":
            return queryset.of_countries()
        if self.value() == "organization":
            return queryset.of_organizations()
        return queryset


# --- model admins --------------------------------------------------------------------------


@admin.register(Membership)
class MembershipAdmin(AtlasImportExportMixin, CiteSelectedMixin, CitedAdminMixin, EditorialAdmin):
    resource_classes = [MembershipResource]
    ordering = Membership._meta.ordering
    form = MembershipForm
    list_display = [
        "member",
        "organization",
        "status",
        "qualifier",
        "period",
        "rank",
        "is_disputed",
        "is_published",
        "citation_count",
    ]
    list_filter = [
        CurrentSpellFilter,
        "status",
        "organization",
        MemberKindFilter,
        "rank",
        "is_published",
        "is_disputed",
    ]
    search_fields = [
        "member_country__name",
        "member_country__iso2",
        "member_country__iso3",
        "member_organization__name",
        "member_organization__acronym",
        "organization__name",
        "organization__acronym",
    ]
    autocomplete_fields = ["organization", "member_country", "member_organization", "continues"]
    list_select_related = ["organization", "member_country", "member_organization"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_related()

    @admin.display(description=pgettext_lazy("column", "member"))
    def member(self, obj):
        return obj.member

    @admin.display(description=gettext_lazy("period"), ordering="start")
    def period(self, obj):
        return obj.period


@admin.register(Application)
class ApplicationAdmin(CiteSelectedMixin, CitedAdminMixin, EditorialAdmin):
    ordering = Application._meta.ordering
    form = ApplicationForm
    list_display = [
        "applicant",
        "organization",
        "kind",
        "requested_status",
        "filed",
        "decided",
        "outcome",
        "is_published",
        "citation_count",
    ]
    list_filter = [
        "outcome",
        "kind",
        "requested_status",
        "organization",
        "is_published",
        "is_disputed",
    ]
    search_fields = [
        "applicant_country__name",
        "applicant_country__iso2",
        "applicant_country__iso3",
        "applicant_organization__name",
        "applicant_organization__acronym",
        "organization__name",
        "organization__acronym",
    ]
    autocomplete_fields = [
        "organization",
        "applicant_country",
        "applicant_organization",
        "resulting_membership",
    ]
    list_select_related = ["organization", "applicant_country", "applicant_organization"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description=gettext_lazy("applicant"))
    def applicant(self, obj):
        return obj.applicant

    @admin.display(description=gettext_lazy("filed"), ordering="filed_on")
    def filed(self, obj):
        return obj.filed_on_partial or "—"

    @admin.display(description=gettext_lazy("decided"), ordering="decided_on")
    def decided(self, obj):
        return obj.decided_on_partial or "—"
