"""Spells of membership and applications; the spell inlines shown on an organization and on a
country, each row citable where it is entered."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .. import services
from ..models import Application, Membership
from .editorial import CitedAdminMixin, EditorialAdmin, SafeAutocompleteMixin
from .forms import ApplicationForm, MembershipCitingForm, MembershipForm, MembershipInlineFormSet
from .imports import AtlasImportExportMixin, MembershipResource
from .sources import CitationInline

# --- spells in an inline -------------------------------------------------------------------


class MembershipInlineBase(CitedAdminMixin, SafeAutocompleteMixin, admin.TabularInline):
    """Spells in an inline; each row may cite a source, saved by ``save_citations``."""

    model = Membership
    form = MembershipCitingForm
    formset = MembershipInlineFormSet
    extra = 1
    show_change_link = True
    readonly_fields = ["citations_link"]
    citation_fields = ["source", "excerpt", "locator", "citations_link"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not services.can_publish(request.user, Membership):
            readonly.append("is_published")
        return readonly

    def get_queryset(self, request):
        return super().get_queryset(request).with_related()

    @admin.display(description="cited")
    def citations_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        count = getattr(obj, "citation_count", None)
        if count is None:
            count = obj.citations.count()
        url = reverse("admin:orgs_membership_change", args=[obj.pk])
        return format_html(
            '<a href="{}#citations">{} citation{}</a>', url, count, "" if count == 1 else "s"
        )


class OrganizationMembershipInline(MembershipInlineBase):
    """The spells of members in this organization (Belarus: dialogue partner, observer, member)."""

    fk_name = "organization"
    verbose_name = "member spell"
    verbose_name_plural = "members (one row per spell of one status; cite each one)"
    autocomplete_fields = ["member_country", "member_organization"]
    fields = [
        "member_country",
        "member_organization",
        "status",
        "qualifier",
        "start",
        "end",
        "rank",
        "rank_reason",
        "is_published",
        *MembershipInlineBase.citation_fields,
    ]


class CountryMembershipInline(MembershipInlineBase):
    """This country's spells in every organization."""

    fk_name = "member_country"
    verbose_name = "spell"
    verbose_name_plural = "memberships (one row per spell of one status; cite each one)"
    autocomplete_fields = ["organization"]
    fields = [
        "organization",
        "status",
        "qualifier",
        "start",
        "end",
        "rank",
        "rank_reason",
        "is_published",
        *MembershipInlineBase.citation_fields,
    ]


def save_citations(formset, collector=None):
    """Create the citations typed into spell rows; runs inside the admin's transaction. Those
    of published spells go through ``collector``: an Editor's are proposed for review."""
    for form in formset.forms:
        if not hasattr(form, "save_citation") or not hasattr(form, "cleaned_data"):
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        form.save_citation(collector)


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
class MembershipAdmin(AtlasImportExportMixin, CitedAdminMixin, EditorialAdmin):
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

    @admin.display(description="member")
    def member(self, obj):
        return obj.member

    @admin.display(description="period", ordering="start")
    def period(self, obj):
        return obj.period


@admin.register(Application)
class ApplicationAdmin(CitedAdminMixin, EditorialAdmin):
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

    @admin.display(description="applicant")
    def applicant(self, obj):
        return obj.applicant

    @admin.display(description="filed", ordering="filed_on")
    def filed(self, obj):
        return obj.filed_on_partial or "—"

    @admin.display(description="decided", ordering="decided_on")
    def decided(self, obj):
        return obj.decided_on_partial or "—"
