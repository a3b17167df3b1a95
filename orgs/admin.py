"""Curation: every model with history and revert, citations on every claim, spells where editors
need them (on the organization and on the country)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .forms import (
    ApplicationForm,
    CountryForm,
    MembershipCitingForm,
    MembershipForm,
    MembershipInlineFormSet,
    OrganizationForm,
    QuoteForm,
    SourceForm,
)
from .models import (
    Application,
    Citation,
    Country,
    Membership,
    Organization,
    Person,
    Quote,
    Source,
)

admin.site.site_header = "Eurasia Atlas — curation"
admin.site.site_title = "Eurasia Atlas curation"
admin.site.index_title = "Records"


def citation_count_column(obj) -> int:
    return obj.citation_count


citation_count_column.short_description = "citations"
citation_count_column.admin_order_field = "citation_count"


# --- inlines -------------------------------------------------------------------------------


class CitationInline(GenericTabularInline):
    """The sources of a claim. Prefix ``orgs-citation-content_type-object_id`` in POST data."""

    model = Citation
    fields = ["source", "claim_field", "excerpt", "locator", "position"]
    autocomplete_fields = ["source"]
    extra = 1
    verbose_name = "citation"
    verbose_name_plural = "citations (sources supporting this record)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class MembershipInlineBase(admin.TabularInline):
    """Spells in an inline; each row may cite a source, saved by ``save_citations``."""

    model = Membership
    form = MembershipCitingForm
    formset = MembershipInlineFormSet
    extra = 1
    show_change_link = True
    readonly_fields = ["citations_link"]
    citation_fields = ["source", "excerpt", "locator", "citations_link"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_related()
            .annotate(citation_count=Count("citations", distinct=True))
        )

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


class FormatInline(admin.TabularInline):
    """Formats and bodies of this organization (BRICS+ under BRICS), read only."""

    model = Organization
    fk_name = "parent"
    fields = ["name", "acronym", "kind", "lifecycle"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name = "format or body"
    verbose_name_plural = "formats and bodies of this organization"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    # Count() annotations drop Meta.ordering (GROUP BY); keep it, autocomplete pages too.
    ordering = Country._meta.ordering
    form = CountryForm
    list_display = ["name", "iso2", "iso3", "region", "spell_count", "is_published"]
    list_filter = ["is_published", "region", "is_disputed"]
    search_fields = ["name", "official_name", "other_names", "iso2", "iso3"]
    autocomplete_fields = []
    list_select_related = []
    inlines = [CountryMembershipInline, CitationInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(spell_count=Count("memberships", distinct=True))
        )

    @admin.display(description="spells", ordering="spell_count")
    def spell_count(self, obj):
        return obj.spell_count

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        save_citations(formset)


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
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
        "spell_count",
        "is_published",
    ]
    list_filter = ["kind", "lifecycle", "is_published", "is_disputed"]
    search_fields = ["name", "acronym", "slug", "other_names"]
    autocomplete_fields = ["parent", "proposed_by"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [OrganizationMembershipInline, FormatInline, CitationInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(spell_count=Count("memberships", distinct=True))
        )

    @admin.display(description="founded", ordering="founded_on")
    def founded(self, obj):
        return obj.founded_on_partial or "—"

    @admin.display(description="member spells", ordering="spell_count")
    def spell_count(self, obj):
        return obj.spell_count

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        save_citations(formset)


def save_citations(formset):
    """Create the citations typed into spell rows; runs inside the admin's transaction."""
    for form in formset.forms:
        if not hasattr(form, "save_citation") or not hasattr(form, "cleaned_data"):
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        form.save_citation()


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "native_name", "slug", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "native_name", "slug"]
    autocomplete_fields = []
    list_select_related = []
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    ordering = Source._meta.ordering
    form = SourceForm
    list_display = ["title", "publisher", "kind", "published", "language", "cited", "is_published"]
    list_filter = ["kind", "language", "is_published"]
    search_fields = ["title", "publisher", "author", "key", "url"]
    autocomplete_fields = []
    list_select_related = []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description="published", ordering="published_on")
    def published(self, obj):
        return obj.published_on_partial or "—"

    @admin.display(description="cited by", ordering="citation_count")
    def cited(self, obj):
        return obj.citation_count


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
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


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    ordering = Membership._meta.ordering
    form = MembershipForm
    list_display = [
        "member",
        "organization",
        "status",
        "qualifier",
        "period",
        "is_published",
        citation_count_column,
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
    autocomplete_fields = ["organization", "member_country", "member_organization"]
    list_select_related = ["organization", "member_country", "member_organization"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_related()
            .annotate(citation_count=Count("citations", distinct=True))
        )

    @admin.display(description="member")
    def member(self, obj):
        return obj.member

    @admin.display(description="period", ordering="start")
    def period(self, obj):
        return obj.period


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
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
        citation_count_column,
    ]
    list_filter = ["outcome", "kind", "requested_status", "organization", "is_published"]
    search_fields = [
        "applicant_country__name",
        "applicant_country__iso2",
        "applicant_country__iso3",
        "applicant_organization__name",
        "applicant_organization__acronym",
        "organization__name",
        "organization__acronym",
    ]
    autocomplete_fields = ["organization", "applicant_country", "applicant_organization"]
    list_select_related = ["organization", "applicant_country", "applicant_organization"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related)
            .annotate(citation_count=Count("citations", distinct=True))
        )

    @admin.display(description="applicant")
    def applicant(self, obj):
        return obj.applicant

    @admin.display(description="filed", ordering="filed_on")
    def filed(self, obj):
        return obj.filed_on_partial or "—"

    @admin.display(description="decided", ordering="decided_on")
    def decided(self, obj):
        return obj.decided_on_partial or "—"


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    ordering = Quote._meta.ordering
    form = QuoteForm
    list_display = [
        "short_text",
        "speaker",
        "speaker_organization",
        "said",
        "kind",
        "is_published",
        citation_count_column,
    ]
    list_filter = ["kind", "is_published", "speaker_organization"]
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
        "about_organizations",
        "about_countries",
    ]
    list_select_related = ["speaker", "speaker_organization"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related)
            .annotate(citation_count=Count("citations", distinct=True))
        )

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 80 else obj.text[:77] + "…"

    @admin.display(description="said", ordering="said_on")
    def said(self, obj):
        return obj.said_on_partial or "—"
