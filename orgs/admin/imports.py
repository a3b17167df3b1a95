"""CSV and XLSX import and export of memberships, sources and citations in the admin
(django-import-export).

Rows find their record by natural key, never by database id, so a file exported from one
atlas imports into another and importing the same file twice changes nothing:

- a membership spell by organization slug, member (ISO alpha-2 code or organization slug),
  status and start;
- a source by its key;
- a citation by its spell's natural key, the source key and the fact it supports.

Every row is validated like an admin form (``full_clean``: unknown codes, bad dates and
overlapping spells are reported in plain words), and one bad row refuses the whole file.
New records are drafts: a reviewer publishes them.

Exports guard text a spreadsheet would run as a formula (``orgs.spreadsheets``); imports take
the guard off again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from eurasia.cache import ALL, invalidation_suppressed, raise_versions

from ..models import (
    ChangeSet,
    Citation,
    Membership,
    Rank,
    Source,
    Status,
)
from ..services import review
from ..spreadsheets import neutralised, unguarded
from .import_fields import (
    ChoiceWidget,
    MemberField,
    PartialDateWidget,
    SlugWidget,
    SourceKeyWidget,
    find_member,
    spell_natural_key,
)
from .import_lookups import ImportProblem, _OverlapsAmong, current_lookups, import_lookups

# --- in the admin --------------------------------------------------------------------------

# One decision, stated on the import page and in the README: a file of up to SYNC_IMPORT_ROWS
# rows is previewed and imported in the request (3,000 new spells preview in about 7 s on a
# busy two-core machine, so 5,000 stay well inside the server's 30 s timeout); a larger file,
# up to MAX_IMPORT_ROWS, is imported by a background job, all rows or none, with its progress
# on a page of its own; a file over MAX_IMPORT_ROWS is refused and nothing is written.
SYNC_IMPORT_ROWS = 5000
MAX_IMPORT_ROWS = 50_000
# 50,000 membership rows are about 3.5 MB; a file far larger is a mistake.
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def import_limits_help() -> str:
    """The decision above in the editor's words, shown on every import page."""
    return gettext(
        "A file of up to %(sync)s rows is previewed here before you confirm it. A larger file, "
        "up to %(max)s rows and %(mb)s MB, is imported in the background without a preview: a "
        "page shows how far it got, and one bad row leaves the whole file unimported, with every "
        "problem listed by line. Larger files are refused: split them."
    ) % {
        "sync": f"{SYNC_IMPORT_ROWS:,}",
        "max": f"{MAX_IMPORT_ROWS:,}",
        "mb": MAX_IMPORT_BYTES // 1024 // 1024,
    }


class TooManyRows(ValueError):
    pass


class SpreadsheetFormat:
    """A file format that refuses files longer than ``MAX_IMPORT_ROWS`` and exports every cell
    through ``neutralised``."""

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        if dataset.height > MAX_IMPORT_ROWS:
            raise TooManyRows(
                gettext(
                    "The file has %(rows)s rows; an import takes up to %(limit)s rows at a "
                    "time. Split it into smaller files; nothing was imported."
                )
                % {"rows": f"{dataset.height:,}", "limit": f"{MAX_IMPORT_ROWS:,}"}
            )
        return _each_cell(dataset, unguarded)

    def export_data(self, dataset, **kwargs):
        return super().export_data(_each_cell(dataset, neutralised), **kwargs)


def _each_cell(dataset, function):
    """``dataset`` with ``function`` applied to every cell, rows kept in order."""
    for _row in range(dataset.height):
        dataset.append([function(cell) for cell in dataset.lpop()])
    return dataset


class SafeCSV(SpreadsheetFormat, CSV):
    pass


class SafeXLSX(SpreadsheetFormat, XLSX):
    pass


def read_import_file(format_name: str, content: bytes, encoding: str = "utf-8-sig"):
    """The rows of an uploaded file (``csv`` or ``xlsx``), as the import page reads them:
    TooManyRows over the hard cap, any other error for a file that cannot be read."""
    file_format: Any = {"csv": SafeCSV, "xlsx": SafeXLSX}[format_name]()
    return file_format.create_dataset(
        content if file_format.is_binary() else content.decode(encoding)
    )


class AtlasImportForm(ImportForm):
    """django-import-export's upload form, refusing files too large to preview."""

    def clean_import_file(self):
        import_file = self.cleaned_data["import_file"]
        if import_file.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                gettext(
                    "“%(name)s” is %(size).1f MB; an import takes files up to %(limit)d MB. "
                    "Split it into smaller files."
                )
                % {
                    "name": import_file.name,
                    "size": import_file.size / 1024 / 1024,
                    "limit": MAX_IMPORT_BYTES // 1024 // 1024,
                }
            )
        return import_file


class AtlasImportExportMixin(ImportExportMixin):
    """CSV and XLSX in and out; importing needs the rights to add and change the records."""

    import_form_class = AtlasImportForm
    import_template_name = "admin/orgs/import.html"
    formats = [SafeCSV, SafeXLSX]
    import_error_display = ("message", "row")

    def import_action(self, request, **kwargs):
        """Files of up to ``SYNC_IMPORT_ROWS`` rows are previewed in the request as before; a
        larger one (up to ``MAX_IMPORT_ROWS``) becomes a background job, whose page the editor
        is sent to."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                job = self.start_background_import(request, form)
                if job is not None:
                    messages.info(
                        request,
                        gettext(
                            "“%(file)s” has %(rows)s rows, more than a preview takes (%(sync)s): "
                            "it is being imported in the background, all rows or none. This "
                            "page shows how far it got."
                        )
                        % {
                            "file": job.file_name,
                            "rows": f"{job.rows_total:,}",
                            "sync": f"{SYNC_IMPORT_ROWS:,}",
                        },
                    )
                    return HttpResponseRedirect(job.get_absolute_url())
        return super().import_action(request, **kwargs)

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["import_limits_help"] = import_limits_help()
        return context

    def start_background_import(self, request, form):
        """A queued job for a file over ``SYNC_IMPORT_ROWS`` rows, or None: a smaller file, or
        one the preview will refuse with its own message (unreadable, over the hard cap)."""
        from ..services.import_jobs import start_import_job

        file_format = self.get_import_formats()[int(form.cleaned_data["format"])]
        import_file = form.cleaned_data["import_file"]
        import_file.seek(0)
        content = b"".join(import_file.chunks())
        import_file.seek(0)
        format_name = file_format.__name__.removeprefix("Safe").lower()
        try:
            height = read_import_file(format_name, content, self.from_encoding).height
        except Exception:  # the preview reports unreadable and oversized files in its words
            return None
        if height <= SYNC_IMPORT_ROWS:
            return None
        return start_import_job(
            user=request.user,
            kind=self.model._meta.model_name,
            file_name=import_file.name,
            file_format=format_name,
            content=content,
            rows_total=height,
        )

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, TooManyRows):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_import_formats(self):
        return [file_format for file_format in self.formats if file_format().can_import()]

    def get_export_formats(self):
        return [file_format for file_format in self.formats if file_format().can_export()]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def add_success_message(self, result, request):
        super().add_success_message(result, request)
        change_sets = getattr(result, "change_sets", [])
        if change_sets:
            links = format_html_join(
                ", ",
                gettext('<a href="{}">change set #{}</a>'),
                ((change_set.get_absolute_url(), change_set.pk) for change_set in change_sets),
            )
            messages.info(
                request,
                format_html(
                    gettext(
                        "Rows that change published records wait for a Reviewer ({links}); "
                        "the public sees them once approved."
                    ),
                    links=links,
                ),
            )


# --- validation, transactions and history --------------------------------------------------


class AtlasResource(resources.ModelResource):
    """Validation, transactions and history shared by every import."""

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        skip_html_diff = False

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        # Long texts read like short ones: an empty cell is an empty note, never NULL.
        if isinstance(f, models.TextField):
            return widgets.CharWidget
        return super().widget_from_django_field(f, default)

    @classmethod
    def widget_kwargs_for_field(cls, field_name, django_field):
        kwargs = super().widget_kwargs_for_field(field_name, django_field)
        if isinstance(django_field, models.TextField):
            kwargs.update({"coerce_to_string": True, "allow_blank": True})
        return kwargs

    def import_data(self, dataset, **kwargs):
        # One failing row refuses the whole file, in the preview and in the real import.
        kwargs["rollback_on_validation_errors"] = True
        # One file is one change set: its rows that change published records wait for review.
        self.change_collector = None
        user = kwargs.get("user")
        if user is not None:
            reason = f"imported from {kwargs.get('file_name') or 'a file'}"
            self.change_collector = review.ChangeCollector(
                user=user, origin=ChangeSet.Origin.IMPORT, reason=reason
            )
        # The public's cached pages are made stale once at the end, not by each row (a preview
        # makes nothing stale: it is rolled back).
        with import_lookups(), invalidation_suppressed():
            result = super().import_data(dataset, **kwargs)
        written = not (kwargs.get("dry_run") or result.has_errors())
        if written and not result.has_validation_errors() and self.changed_anything(result):
            raise_versions({ALL})
        result.change_sets = self.change_collector.change_sets if self.change_collector else []
        result.problems = self.problems(result)
        return result

    # Called after each row, read or refused (a background job counts its progress with it).
    row_imported: Callable[[], None] | None = None

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if self.row_imported is not None:
            row_result.diff = None  # nobody previews a background job's rows: spare the memory
            self.row_imported()
        return row_result

    @staticmethod
    def changed_anything(result) -> bool:
        return any(result.totals.get(kind) for kind in ("new", "update", "delete"))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """A row whose cells cannot be read reports only that: the record's own checks would
        add knock-on errors ("give a member") about what the editor has to fix anyway. The
        database constraints are not asked one query each: the model's ``clean()`` checks the
        same rules in words, and the database still enforces them on saving."""
        if import_validation_errors:
            raise ValidationError(import_validation_errors)
        # A related record the resource looked up itself exists: no query to check it again.
        looked_up = [
            field.name
            for field in instance._meta.concrete_fields
            if field.is_relation and field.is_cached(instance)
        ]
        lookups = current_lookups.get()
        if isinstance(instance, Membership) and lookups is not None:
            # Overlaps with the spells read at the start and those saved since, not a query a row.
            candidates = lookups.spells.same_member(instance)
            instance.overlapping_spells = lambda ignore_pks=(): _OverlapsAmong(
                instance, candidates, ignore_pks
            )
        try:
            instance.full_clean(
                exclude=looked_up, validate_unique=validate_unique, validate_constraints=False
            )
        finally:
            instance.__dict__.pop("overlapping_spells", None)

    def problems(self, result) -> list[ImportProblem]:
        """Every error of ``result`` as the editor reads the file: the line (the header is line
        1), the column and what is wrong."""
        columns = {field.attribute: field.column_name for field in self.get_fields()}
        found = []
        for row in result.invalid_rows:
            for name, messages_ in row.error_dict.items():
                column = "" if name == NON_FIELD_ERRORS else columns.get(name, name)
                found += [ImportProblem(row.number + 1, column, text) for text in messages_]
        for number, errors in result.row_errors():
            found += [ImportProblem(number + 1, "", str(error.error)) for error in errors]
        found += [ImportProblem(None, "", str(error.error)) for error in result.base_errors]
        return found

    def do_instance_save(self, instance, is_create):
        collector = getattr(self, "change_collector", None)
        if collector is not None and collector.save(instance):
            return  # proposed for review; the live record is unchanged
        super().do_instance_save(instance, is_create)
        lookups = current_lookups.get()
        if isinstance(instance, Membership) and lookups is not None:
            lookups.spells.saved(instance)
        if isinstance(instance, Citation) and lookups is not None and lookups._citations:
            lookups.citations.saved(instance)

    def delete_instance(self, instance, row, **kwargs):
        collector = getattr(self, "change_collector", None)
        if collector is not None and collector.delete(instance):
            return
        super().delete_instance(instance, row, **kwargs)
        lookups = current_lookups.get()
        if isinstance(instance, Membership) and lookups is not None:
            lookups.spells.deleted(instance)

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            # A preview is rolled back whole: writing each row's history is wasted work.
            instance.skip_history_when_saving = True
        super().save_instance(instance, is_create, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        file_name = kwargs.get("file_name") or "a file"
        instance._change_reason = f"imported from {file_name}"[:100]
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]


# --- resources -----------------------------------------------------------------------------


class MembershipResource(AtlasResource):
    """One row per spell: ``organization,member,member_kind,status,qualifier,start,end,…``."""

    organization = fields.Field(
        attribute="organization", column_name="organization", widget=SlugWidget()
    )
    member = MemberField()
    member_kind = fields.Field(attribute="member_kind", column_name="member_kind", readonly=True)
    status = fields.Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget("status", Status.choices, Status.MEMBER),
    )
    rank = fields.Field(
        attribute="rank", column_name="rank", widget=ChoiceWidget("rank", Rank.choices, Rank.NORMAL)
    )
    start = fields.Field(attribute="start_partial", column_name="start", widget=PartialDateWidget())
    end = fields.Field(
        attribute="end_partial",
        column_name="end",
        widget=PartialDateWidget(),
        saves_null_values=True,
    )

    class Meta(AtlasResource.Meta):
        model = Membership
        name = gettext_lazy("Membership spells")
        fields = [
            "organization",
            "member",
            "member_kind",
            "status",
            "qualifier",
            "start",
            "end",
            "is_founding",
            "rank",
            "rank_reason",
            "confidence",
            "unsourced",
            "is_disputed",
            "dispute_note",
            "note",
        ]
        import_order = fields
        export_order = fields
        import_id_fields = ["organization", "member", "status", "start"]

    def get_instance(self, instance_loader, row):
        lookup = spell_natural_key(row)
        if lookup is None:
            return None
        lookups = current_lookups.get()
        if lookups is not None:
            return lookups.spells.find(lookup)
        # By id, not the model's ordering: no join to the organizations for one row.
        return Membership.objects.filter(**lookup).order_by("pk").first()

    def get_queryset(self):
        return Membership.objects.with_related().order_by("organization__slug", "start", "pk")


class SourceResource(AtlasResource):
    """One row per source, found again by its key."""

    kind = fields.Field(
        attribute="kind",
        column_name="kind",
        widget=ChoiceWidget("kind", Source.Kind.choices, Source.Kind.NEWS_ARTICLE),
    )
    published_on = fields.Field(
        attribute="published_on_partial",
        column_name="published_on",
        widget=PartialDateWidget(),
        saves_null_values=True,
    )
    retrieved_on = fields.Field(
        attribute="retrieved_on",
        column_name="retrieved_on",
        widget=widgets.DateWidget(format="%Y-%m-%d"),
    )

    class Meta(AtlasResource.Meta):
        model = Source
        name = "Sources"
        fields = [
            "key",
            "kind",
            "title",
            "publisher",
            "author",
            "url",
            "archive_url",
            "published_on",
            "retrieved_on",
            "language",
            "translation_note",
            "notes",
        ]
        import_order = fields
        export_order = fields
        import_id_fields = ["key"]

    def get_instance(self, instance_loader, row):
        key = str(row.get("key") or "").strip()
        return Source.objects.filter(key=key).first() if key else None

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.key:
            raise ValidationError(
                {
                    "key": gettext(
                        "Give every imported source a key, so a second import finds it again."
                    )
                }
            )


class SpellKeyField(fields.Field):
    """One column of the cited spell's natural key, read from the citation's claim: in an
    export, and in an import's preview, which so shows the spell each row cites."""

    def __init__(self, column_name: str, read):
        super().__init__(column_name=column_name, readonly=True)
        self.read = read

    def export(self, instance, **kwargs) -> str:
        spell = getattr(instance, "claim", None) if instance is not None else None
        return self.read(spell) if isinstance(spell, Membership) else ""


class CitationResource(AtlasResource):
    """One row per citation of a spell: the spell's natural key, the source (its key, number or
    URL), the excerpt."""

    organization = SpellKeyField("organization", lambda spell: spell.organization.slug)
    member = SpellKeyField("member", lambda spell: MemberField().export(spell))
    member_kind = SpellKeyField("member_kind", lambda spell: spell.member_kind)
    status = SpellKeyField("status", lambda spell: spell.status)
    start = SpellKeyField("start", lambda spell: spell.start_partial.iso)
    source = fields.Field(attribute="source", column_name="source", widget=SourceKeyWidget())

    class Meta(AtlasResource.Meta):
        model = Citation
        name = gettext_lazy("Citations of membership spells")
        fields = [
            "organization",
            "member",
            "member_kind",
            "status",
            "start",
            "source",
            "claim_field",
            "excerpt",
            "locator",
            "position",
        ]
        import_order = fields
        export_order = fields
        import_id_fields = ["source"]

    def get_queryset(self):
        return (
            Citation.objects.filter(content_type=ContentType.objects.get_for_model(Membership))
            .select_related("source")
            .prefetch_related(GenericPrefetch("claim", [Membership.objects.with_related()]))
        )

    def _spell(self, row) -> Membership | None:
        lookup = spell_natural_key(row)
        if lookup is None:
            return None
        lookups = current_lookups.get()
        if lookups is not None:
            return lookups.spells.find(lookup)
        return Membership.objects.filter(**lookup).order_by("pk").first()

    def get_instance(self, instance_loader, row):
        spell = self._spell(row)
        try:
            source = SourceKeyWidget().clean(row.get("source"))
        except ValueError:
            return None  # the source column reports it
        if spell is None or source is None:
            return None
        claim_field = (row.get("claim_field") or "").strip()
        lookups = current_lookups.get()
        if lookups is not None:
            return lookups.citations.find(spell, source, claim_field)
        return spell.citations.filter(source=source, claim_field=claim_field).first()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        problems = []
        for check in (
            lambda: SlugWidget().clean(row.get("organization")),
            lambda: find_member(row.get("member_kind") or "country", row.get("member")),
            lambda: PartialDateWidget().clean(row.get("start")),
        ):
            try:
                check()
            except ValueError as error:
                problems.append(str(error))
        if not problems:
            spell = self._spell(row)
            if spell is None:
                problems.append(
                    gettext(
                        "No spell matches this organization, member, status and start: "
                        "import the memberships first."
                    )
                )
            else:
                instance.claim = spell
        if problems:
            errors["spell"] = [ValidationError(" ".join(problems))]
        if instance.source_id is None and "source" not in errors:
            errors["source"] = [
                ValidationError(gettext("Give the source cited: its key, its number or its URL."))
            ]
        if errors:
            raise ValidationError(errors)


# The resource a background job imports with, by the model it imports (``ImportJob.kind``).
RESOURCES = {
    "membership": MembershipResource,
    "source": SourceResource,
    "citation": CitationResource,
}
