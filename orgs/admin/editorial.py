"""The editorial base every admin of the atlas shares: editors write drafts, reviewers publish
them (``orgs.services``), every change keeps a reason, history can be compared and deleted
records restored, and a save based on an older version of a record is refused."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .. import services
from ..models import ChangeSet, Citation, Cited, Curated
from ..services import review
from ..services.locking import VersionConflict, record_save_checked, record_version_check
from .forms import with_change_reason, with_expected_version


def is_curated_model(model) -> bool:
    return issubclass(model, Curated)


# --- publishing ----------------------------------------------------------------------------


# What the messages of publishing say, by what was done ("published" or "unpublished"): what
# changed, what already was so, and what was refused (the count, the records, the reason).
PUBLISHING_MESSAGES = {
    "published": (
        gettext_lazy("Published %(count)d: %(names)s."),
        gettext_lazy("Already published: %(names)s."),
        gettext_lazy("Not published ({count}): {records} — {reason}."),
    ),
    "unpublished": (
        gettext_lazy("Unpublished %(count)d: %(names)s."),
        gettext_lazy("Already unpublished: %(names)s."),
        gettext_lazy("Not unpublished ({count}): {records} — {reason}."),
    ),
}


def report_publishing(request, result: services.PublishResult, *, verb: str) -> None:
    """Tell the user what was published (or unpublished) and what was refused and why: one
    message per reason, naming and linking what stands in the way (draft sources, or the
    published records a source still supports)."""
    changed_message, unchanged_message, refused_message = PUBLISHING_MESSAGES[verb]
    if result.changed:
        names = "; ".join(str(record) for record in result.changed)
        messages.success(
            request, str(changed_message) % {"count": len(result.changed), "names": names}
        )
    if result.unchanged:
        names = "; ".join(str(record) for record in result.unchanged)
        messages.info(request, str(unchanged_message) % {"names": names})
    by_reason: dict[str, list[services.Refusal]] = {}
    for refusal in result.refused:
        by_reason.setdefault(refusal.reason, []).append(refusal)
    for reason, refusals in by_reason.items():
        records = format_html_join("; ", "{}", ((str(r.record),) for r in refusals))
        blocking = {(type(item), item.pk): item for r in refusals for item in r.blocking}.values()
        links = format_html_join(
            ", ", '<a href="{}">{}</a>', ((_change_url(item), str(item)) for item in blocking)
        )
        text = format_html(
            str(refused_message), count=len(refusals), records=records, reason=reason
        )
        if blocking:
            text = format_html(_("{text} See: {links}."), text=text, links=links)
        messages.error(request, text)


def _change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


@admin.action(description=gettext_lazy("Publish selected records"), permissions=["publish"])
def publish_selected(modeladmin, request, queryset):
    result = services.records_publish(user=request.user, records=queryset)
    report_publishing(request, result, verb="published")


@admin.action(
    description=gettext_lazy("Publish selected records with their draft sources"),
    permissions=["publish"],
)
def publish_selected_with_sources(modeladmin, request, queryset):
    result = services.records_publish(user=request.user, records=queryset, with_sources=True)
    report_publishing(request, result, verb="published")


@admin.action(
    description=gettext_lazy("Unpublish selected records (back to draft)"), permissions=["publish"]
)
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
            key = target.to_python(value)
        except (ValidationError, TypeError, ValueError):
            continue
        if isinstance(key, int) and not -(2**63) <= key < 2**63:
            continue  # past any database's integers: SQLite raised OverflowError on it
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
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing a key past any database's integers as an invalid choice: it
    looks the keys up with ``pk__in``, on which SQLite raised OverflowError (a 500)."""

    def _check_values(self, value):
        for key in value:
            text = str(key).strip()
            if text.lstrip("-").isdigit() and not -(2**63) <= int(text) < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:30]},
                )
        return super()._check_values(value)


# --- ids in the address ---------------------------------------------------------------------


def ids_or_404(*values: str) -> None:
    """404 unless every value is a record's or a version's id (a whole number).

    The history views look the ids up in the history tables as they come, where anything
    else (``/membership/abc/history/``) raised ValueError: a 500.
    """
    for value in values:
        if not (str(value).isascii() and str(value).isdigit() and len(str(value)) <= 18):
            raise Http404(_("No such record or version."))


# --- citations counted once ----------------------------------------------------------------


class CitedAdminMixin:
    """Counts the citations of each row in the list's own query, and shows the count.

    For a claim these are the sources supporting it; for a source, the claims it supports.
    """

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(citation_count=Count("citations", distinct=True))
        )

    @admin.display(description=gettext_lazy("citations"), ordering="citation_count")
    def citation_count(self, obj) -> int:
        return obj.citation_count


# --- claims saved without a citation ---------------------------------------------------------


def uncited_drafts(records) -> list:
    """The draft claims among ``records`` that must cite a source before they are published
    and cite none yet."""
    return [
        record
        for record in records
        if isinstance(record, Curated)
        and isinstance(record, Cited)
        and record.citation_required
        and record.pk is not None
        and not record.is_published
        and not record.citations.exists()
    ]


def warn_uncited(request, records) -> None:
    """Drafts may be saved uncited; the editor is told at once rather than at publishing."""
    uncited = uncited_drafts(records)
    if not uncited:
        return
    links = format_html_join(
        "; ", '<a href="{}#citations">{}</a>', ((_change_url(r), str(r)) for r in uncited)
    )
    messages.warning(
        request,
        format_html(
            _(
                "Saved as a draft without a citation: {links}. "
                "Cite a source before it can be published."
            ),
            links=links,
        ),
    )


# --- an editor's own drafts ----------------------------------------------------------------


def is_own_draft(user, record) -> bool:
    """Whether ``user`` made ``record`` (a curated record, or a citation of one) and it was never
    published: its author may delete it, as a mistake nobody else has seen."""
    if isinstance(record, Citation):
        record = record.claim
    if not isinstance(record, Curated) or record.pk is None or record.is_published:
        return False
    history = type(record).history  # type: ignore[attr-defined]  # added by simple-history
    versions = history.filter(**{record._meta.pk.attname: record.pk})
    first = versions.order_by("history_date", "history_id").first()
    return (
        first is not None
        and first.history_user_id == user.pk
        and not versions.filter(is_published=True).exists()
    )


# --- the editorial base --------------------------------------------------------------------


class EditorialAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    """History with a reason for every change, a compare page, restore of deleted records, and
    for curated records: publish actions and buttons that only reviewers see, and a published
    box that editors cannot tick."""

    object_history_template = "admin/orgs/object_history.html"
    history_list_per_page = 50
    actions = [publish_selected, publish_selected_with_sources, unpublish_selected]

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.form = with_change_reason(self.form)
        if is_curated_model(model):
            self.form = with_expected_version(self.form)

    def has_delete_permission(self, request, obj=None):
        if super().has_delete_permission(request, obj):
            return True
        return obj is not None and is_own_draft(request.user, obj)

    # publishing

    def has_publish_permission(self, request, obj=None) -> bool:
        return is_curated_model(self.model) and services.can_publish(request.user, self.model)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_curated_model(self.model):
            actions.pop("publish_selected", None)
            actions.pop("publish_selected_with_sources", None)
            actions.pop("unpublish_selected", None)
        elif not hasattr(self.model, "citations"):
            actions.pop("publish_selected_with_sources", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if is_curated_model(self.model) and not self.has_publish_permission(request):
            readonly.append("is_published")
        return readonly

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_publish"] = self.has_publish_permission(request)
        context["is_claim"] = is_curated_model(self.model)
        if obj is not None and obj.pk is not None:
            context["pending_changes"] = review.pending_changes_of(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # saving: a Reviewer's write applies; an Editor's write to a published record waits for
    # review in a change set (``orgs.services.review``), so the public sees nothing of it yet

    def change_collector(self, request) -> review.ChangeCollector:
        collector = getattr(request, "change_collector", None)
        if collector is None:
            collector = review.ChangeCollector(
                user=request.user,
                origin=getattr(request, "change_origin", ChangeSet.Origin.ADMIN),
                reason=getattr(request, "change_reason", ""),
            )
            request.change_collector = collector
        return collector

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "") if form.is_bound else ""
        request.change_reason = reason
        if reason:
            obj._change_reason = reason
        request.publish_after_save = None
        if is_curated_model(self.model):
            stored = type(obj).objects.filter(pk=obj.pk).values_list("is_published", flat=True)
            stored_published = bool(obj.pk and stored and stored[0])
            if self.has_publish_permission(request) and obj.is_published != stored_published:
                # The published box goes through the publishing service, after the citations
                # of this same save are in: it refuses what it refuses everywhere else.
                request.publish_after_save = obj.is_published
            obj.is_published = stored_published
        expected = form.cleaned_data.get("expected_version") if form.is_bound else None
        collector = self.change_collector(request)
        if change and collector.needs_review(obj):
            if is_curated_model(self.model):
                record_version_check(instance=obj, expected_version=expected or obj.version)
            m2m = {
                f.name: form.cleaned_data[f.name]
                for f in self.model._meta.many_to_many
                if f.name in form.cleaned_data
            }
            collector.save(obj, m2m=m2m)
            form.save_m2m = lambda: None  # the lists are in the proposal, not on the record
            return
        if not (is_curated_model(self.model) and change):
            super().save_model(request, obj, form, change)
            return
        # Optimistic locking: the form's clean() refused a stale version already; the
        # conditional UPDATE here refuses one that raced past it. changeform_view turns the
        # VersionConflict into a message, and its transaction undoes the rest.
        obj._history_user = request.user  # what SimpleHistoryAdmin.save_model does
        record_save_checked(instance=obj, expected_version=expected or obj.version)

    def save_formset(self, request, form, formset, change):
        reason = getattr(request, "change_reason", "")
        collector = self.change_collector(request)
        records = formset.save(commit=False)  # changed rows first, then new ones
        proposed_beside = False
        to_publish, to_unpublish = [], []
        for record in records:
            if reason:
                record._change_reason = reason
            record._history_user = request.user
            if isinstance(record, Curated) and not record._state.adding:
                # A Reviewer's published box in a row goes through the publishing service too.
                stored = (
                    type(record).objects.filter(pk=record.pk).values_list("is_published", flat=True)
                )
                stored_published = bool(stored and stored[0])
                if record.is_published != stored_published and services.can_publish(
                    request.user, type(record)
                ):
                    (to_publish if record.is_published else to_unpublish).append(record)
                record.is_published = stored_published
            elif isinstance(record, Curated) and record.is_published:
                record.is_published = False
                if services.can_publish(request.user, type(record)):
                    to_publish.append(record)
            if record._state.adding and proposed_beside:
                # The rows were checked against each other as submitted: a new row that fits
                # only beside a change waiting for review waits with it.
                collector.propose_create(record)
            elif collector.save(record):
                proposed_beside = True
            else:
                record.save()
        for record in formset.deleted_objects:
            if not collector.delete(record):
                record._history_user = request.user
                record.delete()
        formset.save_m2m()
        for records_, service, verb in [
            (to_publish, services.records_publish, "published"),
            (to_unpublish, services.records_unpublish, "unpublished"),
        ]:
            live = [record for record in records_ if record.pk is not None]
            if live:
                fresh = list(type(live[0]).objects.filter(pk__in=[r.pk for r in live]))
                report_publishing(request, service(user=request.user, records=fresh), verb=verb)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        publish = getattr(request, "publish_after_save", None)
        if publish is not None:
            service = services.records_publish if publish else services.records_unpublish
            result = service(user=request.user, records=[form.instance])
            report_publishing(request, result, verb="published" if publish else "unpublished")
        saved = [form.instance]
        for formset in formsets:
            saved += getattr(formset, "new_objects", [])
            saved += [record for record, _ in getattr(formset, "changed_objects", [])]
        warn_uncited(request, saved)

    def delete_model(self, request, obj):
        reason = getattr(request, "change_reason", "")
        if reason:
            obj._change_reason = reason
        if not self.change_collector(request).delete(obj):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        collector = self.change_collector(request)
        for obj in queryset:
            if not collector.delete(obj):
                obj._history_user = request.user
                obj.delete()

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        collector = getattr(request, "change_collector", None)
        if collector is not None and collector.proposed and level == messages.SUCCESS:
            return  # "changed successfully" would be untrue: say what waits for review instead
        super().message_user(request, message, level, *args, **kwargs)

    def _report_proposals(self, request) -> None:
        collector = getattr(request, "change_collector", None)
        if collector is None or not collector.proposed:
            return
        links = format_html_join(
            ", ",
            _('<a href="{}">change set #{}</a>'),
            (
                (change_set.get_absolute_url(), change_set.pk)
                for change_set in collector.change_sets
            ),
        )
        messages.info(
            request,
            format_html(
                _(
                    "Your changes to published records wait for a Reviewer ({links}); the "
                    "public sees them once they are approved. Drafts you changed are saved."
                ),
                links=links,
            ),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._saving(
            request,
            lambda: super(EditorialAdmin, self).changeform_view(
                request, object_id, form_url, extra_context
            ),
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        ids_or_404(object_id, version_id)
        request.change_origin = ChangeSet.Origin.REVERT
        return self._saving(
            request,
            lambda: super(EditorialAdmin, self).history_form_view(
                request, object_id, version_id, extra_context
            ),
        )

    def _saving(self, request, view):
        """Run a view that saves. A stale version, or a review or citation rule refusing after
        the form was valid, comes back to the form as a message; the view's transaction rolled
        back whatever the save had written."""
        try:
            return view()
        except VersionConflict as conflict:
            return self._refuse_stale_save(request, conflict)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST":
            request.change_reason = request.POST.get("change_reason", "").strip()[:100]
        try:
            response = super().delete_view(request, object_id, extra_context)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return HttpResponseRedirect(self.admin_url("change", object_id))
        self._report_proposals(request)
        return response

    def _refuse_stale_save(self, request, conflict: VersionConflict):
        # Raised by record_save_checked before anything of this save was written; the change
        # form's transaction rolled back. Back to the form the editor came from, with why.
        messages.error(request, conflict.message)
        if conflict.current is None:
            return HttpResponseRedirect(self.admin_url("changelist"))
        return HttpResponseRedirect(request.get_full_path())

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
        self._report_proposals(request)
        return self._publish_from_form(request, obj) or super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        self._report_proposals(request)
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
        ids_or_404(object_id)
        latest = list(
            self.model.history.filter(**{self.opts.pk.attname: object_id})
            .order_by("-history_date", "-history_id")
            .values_list("history_id", flat=True)[:2]
        )
        extra_context = {
            **(extra_context or {}),
            "compare_url": self.admin_url("history_compare", object_id),
            # The compare boxes start on the two latest versions, older first.
            "compare_to": latest[0] if latest else None,
            "compare_from": latest[1] if len(latest) > 1 else None,
            "related_changes": self.related_history(object_id),
        }
        return super().history_view(request, object_id, extra_context)

    def related_history(self, object_id) -> list:
        """Changes to records edited from this record's page; none by default."""
        return []

    def history_compare_view(self, request, object_id):
        """Fields that differ between two versions: ``?from=<history_id>&to=<history_id>``."""
        ids_or_404(object_id)
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
            "title": _("Compare versions: %(record)s") % {"record": newer.instance},
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
            "title": _("Deleted %(records)s") % {"records": self.opts.verbose_name_plural},
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
            messages.error(
                request, _("Not restored: %(reasons)s") % {"reasons": " ".join(error.messages)}
            )
            return HttpResponseRedirect(self.admin_url("deleted"))
        if hasattr(record, "citations"):
            count = record.citations.count()
            restored = ngettext(
                "Restored %(record)s with %(count)d citation.",
                "Restored %(record)s with %(count)d citations.",
                count,
            ) % {"record": record, "count": count}
        else:
            restored = _("Restored %(record)s.") % {"record": record}
        messages.success(request, restored)
        return HttpResponseRedirect(self.admin_url("change", record.pk))
