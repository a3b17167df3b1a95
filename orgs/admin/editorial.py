"""The editorial base every admin of the atlas shares: editors write drafts, reviewers publish
them (``orgs.services``), every change keeps a reason, history can be compared and deleted
records restored, and a save based on an older version of a record is refused."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .. import services
from ..models import Curated
from ..services.locking import VersionConflict, record_save_checked
from .forms import with_change_reason, with_expected_version


def is_curated_model(model) -> bool:
    return issubclass(model, Curated)


# --- publishing ----------------------------------------------------------------------------


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
    result = services.records_publish(user=request.user, records=queryset)
    report_publishing(request, result, verb="published")


@admin.action(description="Unpublish selected records (back to draft)", permissions=["publish"])
def unpublish_selected(modeladmin, request, queryset):
    result = services.records_unpublish(user=request.user, records=queryset)
    report_publishing(request, result, verb="unpublished")


# --- autocomplete that survives a hostile value --------------------------------------------


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


# --- citations counted once ----------------------------------------------------------------


class CitedAdminMixin:
    """Counts the citations of each row in the list's own query, and shows the count.

    For a claim these are the sources supporting it; for a source, the claims it supports.
    """

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(citation_count=Count("citations", distinct=True))
        )

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, obj) -> int:
        return obj.citation_count


# --- the editorial base --------------------------------------------------------------------


class EditorialAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    """History with a reason for every change, a compare page, restore of deleted records, and
    for curated records: publish actions and buttons that only reviewers see, and a published
    box that editors cannot tick."""

    object_history_template = "admin/orgs/object_history.html"
    history_list_per_page = 50
    actions = [publish_selected, unpublish_selected]

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.form = with_change_reason(self.form)
        if is_curated_model(model):
            self.form = with_expected_version(self.form)

    # publishing

    def has_publish_permission(self, request, obj=None) -> bool:
        return is_curated_model(self.model) and services.can_publish(request.user, self.model)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_curated_model(self.model):
            actions.pop("publish_selected", None)
            actions.pop("unpublish_selected", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if is_curated_model(self.model) and not self.has_publish_permission(request):
            readonly.append("is_published")
        return readonly

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_publish"] = self.has_publish_permission(request)
        context["is_claim"] = is_curated_model(self.model)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "") if form.is_bound else ""
        request.change_reason = reason
        if reason:
            obj._change_reason = reason
        if is_curated_model(self.model) and not self.has_publish_permission(request):
            # Only reviewers change the published state, whatever the form (or a revert) says.
            stored = type(obj).objects.filter(pk=obj.pk).values_list("is_published", flat=True)
            obj.is_published = bool(obj.pk and stored and stored[0])
        if not (is_curated_model(self.model) and change):
            super().save_model(request, obj, form, change)
            return
        # Optimistic locking: the form's clean() refused a stale version already; the
        # conditional UPDATE here refuses one that raced past it. changeform_view turns the
        # VersionConflict into a message, and its transaction undoes the rest.
        expected = form.cleaned_data.get("expected_version") if form.is_bound else None
        obj._history_user = request.user  # what SimpleHistoryAdmin.save_model does
        record_save_checked(instance=obj, expected_version=expected or obj.version)

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
        # Raised by record_save_checked before anything of this save was written; the change
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
            ("_publish", services.records_publish, "published"),
            ("_unpublish", services.records_unpublish, "unpublished"),
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
