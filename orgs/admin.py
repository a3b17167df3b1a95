"""Curation: every model with history and revert, citations on every claim, spells where editors
need them (on the organization and on the country), and the editorial workflow: editors write
drafts, reviewers publish them (``orgs.services``), every change keeps a reason, deleted records
can be restored, and a "Needs attention" page lists what to fix."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import selectors, services
from .forms import (
    AgreementPartyFormSet,
    AgreementStageForm,
    AgreementStageFormSet,
    ApplicationForm,
    AtlasImportForm,
    CountryForm,
    EventForm,
    EventParticipantFormSet,
    MembershipCitingForm,
    MembershipForm,
    MembershipInlineFormSet,
    OrganizationForm,
    ProposalForm,
    QuoteForm,
    SourceForm,
    with_change_reason,
    with_expected_version,
)
from .locking import VersionConflict, claim_save_checked
from .models import (
    Agreement,
    AgreementParty,
    AgreementStage,
    Application,
    Citation,
    Country,
    Curated,
    Event,
    EventParticipant,
    Membership,
    Organization,
    Person,
    Proposal,
    Quote,
    Source,
)
from .resources import CitationResource, MembershipResource, SourceResource

admin.site.site_header = "Eurasia Atlas — curation"
admin.site.site_title = "Eurasia Atlas curation"
admin.site.index_title = "Records"


def citation_count_column(obj) -> int:
    return obj.citation_count


citation_count_column.short_description = "citations"
citation_count_column.admin_order_field = "citation_count"


# --- the editorial workflow ----------------------------------------------------------------


def is_claim_model(model) -> bool:
    return issubclass(model, Curated)


def report_publishing(request, result: services.PublishResult, *, verb: str) -> None:
    """Tell the user what was published (or unpublished) and, by name, what was refused and why."""
    if result.changed:
        names = "; ".join(str(record) for record in result.changed)
        messages.success(request, f"{capfirst(verb)} {len(result.changed)}: {names}.")
    if result.unchanged:
        names = "; ".join(str(record) for record in result.unchanged)
        messages.info(request, f"Already {verb}: {names}.")
    for refusal in result.refused:
        messages.error(request, f"Not {verb}: {refusal.record} — {refusal.reason}.")


@admin.action(description="Publish selected records", permissions=["publish"])
def publish_selected(modeladmin, request, queryset):
    result = services.claims_publish(user=request.user, records=queryset)
    report_publishing(request, result, verb="published")


@admin.action(description="Unpublish selected records (back to draft)", permissions=["publish"])
def unpublish_selected(modeladmin, request, queryset):
    result = services.claims_unpublish(user=request.user, records=queryset)
    report_publishing(request, result, verb="unpublished")


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, minus a 500: when a refused form is shown again it looks up
    the submitted values as they are, and a value that is not a key (``1 OR 1=1``) raised
    ValueError. Values the target field cannot read are dropped; the form already says
    "Select a valid choice"."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _readable_keys(self.field, value), attr)


class SafeAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _readable_keys(self.field, value), attr)


def _readable_keys(db_field, values):
    related = db_field.remote_field.model._meta
    if db_field.many_to_many:
        target = related.pk
    else:
        target = related.get_field(db_field.remote_field.field_name)
    readable = []
    for value in values:
        try:
            target.to_python(value)
        except (ValidationError, TypeError, ValueError):
            continue
        readable.append(value)
    return readable


class SafeAutocompleteMixin:
    """Used by every ModelAdmin and inline of the atlas."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class EditorialAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    """History with a reason for every change, a compare page, restore of deleted records, and
    for claims: publish actions and buttons that only reviewers see, and a published box that
    editors cannot tick."""

    object_history_template = "admin/orgs/object_history.html"
    history_list_per_page = 50
    actions = [publish_selected, unpublish_selected]

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.form = with_change_reason(self.form)
        if is_claim_model(model):
            self.form = with_expected_version(self.form)

    # publishing

    def has_publish_permission(self, request, obj=None) -> bool:
        return is_claim_model(self.model) and services.can_publish(request.user, self.model)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_claim_model(self.model):
            actions.pop("publish_selected", None)
            actions.pop("unpublish_selected", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if is_claim_model(self.model) and not self.has_publish_permission(request):
            readonly.append("is_published")
        return readonly

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_publish"] = self.has_publish_permission(request)
        context["is_claim"] = is_claim_model(self.model)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "") if form.is_bound else ""
        request.change_reason = reason
        if reason:
            obj._change_reason = reason
        if is_claim_model(self.model) and not self.has_publish_permission(request):
            # Only reviewers change the published state, whatever the form (or a revert) says.
            stored = type(obj).objects.filter(pk=obj.pk).values_list("is_published", flat=True)
            obj.is_published = bool(obj.pk and stored and stored[0])
        if not (is_claim_model(self.model) and change):
            super().save_model(request, obj, form, change)
            return
        # Optimistic locking (issue 8): the form's clean() refused a stale version already;
        # the conditional UPDATE here refuses one that raced past it. changeform_view turns
        # the VersionConflict into a message, and its transaction undoes the rest.
        expected = form.cleaned_data.get("expected_version") if form.is_bound else None
        obj._history_user = request.user  # what SimpleHistoryAdmin.save_model does
        claim_save_checked(instance=obj, expected_version=expected or obj.version)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except VersionConflict as conflict:
            return self._refuse_stale_save(request, conflict)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except VersionConflict as conflict:
            return self._refuse_stale_save(request, conflict)

    def _refuse_stale_save(self, request, conflict: VersionConflict):
        # Raised by claim_save_checked before anything of this save was written; the change
        # form's transaction rolled back. Back to the form the editor came from, with why.
        messages.error(request, conflict.message)
        if conflict.current is None:
            return HttpResponseRedirect(self.admin_url("changelist"))
        return HttpResponseRedirect(request.get_full_path())

    def save_formset(self, request, form, formset, change):
        reason = getattr(request, "change_reason", "")
        if reason:
            for inline_form in formset.forms:
                inline_form.instance._change_reason = reason
        super().save_formset(request, form, formset, change)

    def _publish_from_form(self, request, obj):
        for button, service, verb in [
            ("_publish", services.claims_publish, "published"),
            ("_unpublish", services.claims_unpublish, "unpublished"),
        ]:
            if button in request.POST:
                if not self.has_publish_permission(request):
                    raise PermissionDenied
                result = service(user=request.user, records=[obj])
                report_publishing(request, result, verb=verb)
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change",
                        args=[obj.pk],
                    )
                )
        return None

    def response_change(self, request, obj):
        return self._publish_from_form(request, obj) or super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self._publish_from_form(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    # history: compare two versions, list and restore deleted records

    def admin_url(self, view: str, *args) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}", args=args)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        own = [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.history_compare_view),
                name=f"{prefix}_history_compare",
            ),
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name=f"{prefix}_deleted",
            ),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name=f"{prefix}_restore",
            ),
        ]
        return own + super().get_urls()

    def history_view(self, request, object_id, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "compare_url": self.admin_url("history_compare", object_id),
        }
        return super().history_view(request, object_id, extra_context)

    def history_compare_view(self, request, object_id):
        """Fields that differ between two versions: ``?from=<history_id>&to=<history_id>``."""
        versions = list(
            self.model.history.filter(**{self.opts.pk.attname: object_id})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        if not versions:
            raise Http404
        if not self.has_view_history_or_change_history_permission(request):
            raise PermissionDenied
        by_id = {str(version.history_id): version for version in versions}
        newer = by_id.get(request.GET.get("to", ""), versions[0])
        older = by_id.get(request.GET.get("from", ""), versions[1] if len(versions) > 1 else newer)
        if older.history_date > newer.history_date:
            older, newer = newer, older
        delta = newer.diff_against(older, foreign_keys_are_objs=True)
        helper = HistoricalRecordContextHelper(self.model, newer)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Compare versions: {newer.instance}",
            "object_id": object_id,
            "record": newer.instance,
            "versions": versions,
            "older": older,
            "newer": newer,
            "changes": helper.context_for_delta_changes(delta),
            "history_url": self.admin_url("history", object_id),
        }
        return TemplateResponse(request, "admin/orgs/history_compare.html", context)

    def deleted_view(self, request):
        """Records deleted and not restored yet, with the version each would come back as."""
        if not self.has_view_history_or_change_history_permission(request):
            raise PermissionDenied
        deleted = services.deleted_records(self.model).select_related("history_user")[:200]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Deleted {self.opts.verbose_name_plural}",
            "deleted": deleted,
            "can_restore": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/orgs/deleted_records.html", context)

    def restore_view(self, request, history_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            record = services.record_restore(
                model=self.model, history_id=history_id, user=request.user
            )
        except ValidationError as error:
            messages.error(request, "Not restored: " + " ".join(error.messages))
            return HttpResponseRedirect(self.admin_url("deleted"))
        cited = ""
        if hasattr(record, "citations"):
            count = record.citations.count()
            cited = f" with {count} citation{'' if count == 1 else 's'}"
        messages.success(request, f"Restored {record}{cited}.")
        return HttpResponseRedirect(self.admin_url("change", record.pk))


class AtlasImportExportMixin(ImportExportMixin):
    """CSV and XLSX in and out; importing needs the rights to add and change the records."""

    import_form_class = AtlasImportForm
    formats = [CSV, XLSX]
    import_error_display = ("message", "row")

    def get_import_formats(self):
        return [file_format for file_format in self.formats if file_format().can_import()]

    def get_export_formats(self):
        return [file_format for file_format in self.formats if file_format().can_export()]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)


def needs_attention_view(request):
    """The editors' dashboard: what to cite, publish, check or fix, one query per section."""
    context = {
        **admin.site.each_context(request),
        "title": "Needs attention",
        "sections": selectors.needs_attention(),
    }
    return TemplateResponse(request, "admin/orgs/needs_attention.html", context)


# --- inlines -------------------------------------------------------------------------------


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


class MembershipInlineBase(SafeAutocompleteMixin, admin.TabularInline):
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


class FormatInline(SafeAutocompleteMixin, admin.TabularInline):
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


# --- model admins --------------------------------------------------------------------------


@admin.register(Country)
class CountryAdmin(EditorialAdmin):
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
class OrganizationAdmin(EditorialAdmin):
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
class PersonAdmin(EditorialAdmin):
    list_display = ["name", "native_name", "slug", "is_published"]
    list_filter = ["is_published", "is_disputed"]
    search_fields = ["name", "native_name", "slug"]
    autocomplete_fields = []
    list_select_related = []
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(AtlasImportExportMixin, EditorialAdmin):
    resource_classes = [SourceResource]
    ordering = Source._meta.ordering
    form = SourceForm
    list_display = ["title", "publisher", "kind", "published", "language", "cited", "is_published"]
    list_filter = ["kind", "language", "is_published", "is_disputed", ArchivedFilter]
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


@admin.register(Membership)
class MembershipAdmin(AtlasImportExportMixin, EditorialAdmin):
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

    def get_urls(self):
        # The dashboard lives here because it is mostly about spells; its name is site-wide.
        dashboard = path(
            "needs-attention/",
            self.admin_site.admin_view(needs_attention_view),
            name="needs_attention",
        )
        return [dashboard, *super().get_urls()]


@admin.register(Application)
class ApplicationAdmin(EditorialAdmin):
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
class QuoteAdmin(EditorialAdmin):
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


# --- agreements, events, proposals ---------------------------------------------------------


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
class AgreementAdmin(EditorialAdmin):
    list_display = ["title", "kind", "is_disputed", "is_published", citation_count_column]
    list_filter = ["kind", "is_published", "is_disputed"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AgreementPartyInline, AgreementStageInline, CitationInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(citation_count=Count("citations", distinct=True))
        )


@admin.register(AgreementStage)
class AgreementStageAdmin(EditorialAdmin):
    ordering = AgreementStage._meta.ordering
    form = AgreementStageForm
    list_display = [
        "agreement",
        "stage",
        "when",
        "is_disputed",
        "is_published",
        citation_count_column,
    ]
    list_filter = ["stage", "is_published", "is_disputed"]
    search_fields = ["agreement__title", "place", "note"]
    autocomplete_fields = ["agreement"]
    list_select_related = ["agreement"]
    inlines = [CitationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("agreement")
            .annotate(citation_count=Count("citations", distinct=True))
        )

    @admin.display(description="date", ordering="date")
    def when(self, obj):
        return obj.date_partial or "—"


class EventParticipantInline(SafeAutocompleteMixin, admin.TabularInline):
    model = EventParticipant
    formset = EventParticipantFormSet
    fields = ["person", "country", "organization", "role"]
    autocomplete_fields = ["person", "country", "organization"]
    extra = 1


@admin.register(Event)
class EventAdmin(EditorialAdmin):
    ordering = Event._meta.ordering
    form = EventForm
    list_display = ["name", "kind", "when", "place", "is_published"]
    list_filter = ["kind", "is_published", "is_disputed"]
    search_fields = ["name", "slug", "place"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organizers"]
    inlines = [EventParticipantInline, CitationInline]

    @admin.display(description="when", ordering="start")
    def when(self, obj):
        return obj.period


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

    @admin.display(description="proposed", ordering="proposed_on")
    def proposed(self, obj):
        return obj.proposed_on_partial or "—"
