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

import contextlib
import copy
import datetime
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import pycountry
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from eurasia.cache import ALL, invalidation_suppressed, raise_versions

from ..dates import PartialDate, PartialDateError
from ..models import (
    ChangeSet,
    Citation,
    Country,
    Membership,
    Organization,
    Rank,
    Source,
    Status,
    country_code,
    is_user_assigned,
    spells_overlap,
)
from ..services import review
from ..spreadsheets import neutralised, unguarded

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


@dataclass(frozen=True)
class ImportProblem:
    line: int | None  # in the file, the header being line 1
    column: str
    message: str


class ImportLookups:
    """The organizations, countries and spells a file names, read once per import instead of
    once per row and column: a preview of thousands of rows is then about one query a row (the
    row's own insert or update, rolled back)."""

    def __init__(self):
        self.organizations = {o.slug: o for o in Organization.objects.all()}
        self.countries = {c.iso2: c for c in Country.objects.all()}
        self.organizations_by_pk = {o.pk: o for o in self.organizations.values()}
        self.countries_by_pk = {c.pk: c for c in self.countries.values()}
        self._spells: SpellIndex | None = None
        self._sources: SourceIndex | None = None
        self._citations: CitationIndex | None = None

    # Each read on first use: a sources file needs no spells, a spells file no citations.
    @property
    def spells(self) -> SpellIndex:
        if self._spells is None:
            self._spells = SpellIndex(self)
        return self._spells

    @property
    def sources(self) -> SourceIndex:
        if self._sources is None:
            self._sources = SourceIndex()
        return self._sources

    @property
    def citations(self) -> CitationIndex:
        if self._citations is None:
            self._citations = CitationIndex(self.sources)
        return self._citations


class SourceIndex:
    """The atlas's sources by key, number and URL (or archive URL), as a citations file names
    them; the first in the sources' own order where two share a URL."""

    def __init__(self):
        self.by_pk: dict[int, Source] = {}
        self.by_key: dict[str, Source] = {}
        self.by_url: dict[str, Source] = {}
        for source in Source.objects.all():
            self.by_pk[source.pk] = source
            if source.key:
                self.by_key[source.key] = source
            for url in (source.url, source.archive_url):
                if url:
                    self.by_url.setdefault(url, source)


class CitationIndex:
    """The citations of spells by spell, source and fact, kept up to date with those the import
    saves: a row's citation is found without a query."""

    def __init__(self, sources: SourceIndex):
        self.sources = sources
        self.by_key: dict[tuple, Citation] = {}
        spells = ContentType.objects.get_for_model(Membership)
        for citation in Citation.objects.filter(content_type=spells).order_by("position", "pk"):
            self.by_key.setdefault(self._key(citation), citation)

    @staticmethod
    def _key(citation: Citation) -> tuple:
        return (int(citation.object_id), citation.source_id, citation.claim_field)

    def find(self, spell: Membership, source: Source, claim_field: str) -> Citation | None:
        citation = self.by_key.get((spell.pk, source.pk, claim_field))
        if citation is None:
            return None
        citation = copy.copy(citation)  # the row edits its copy, not the stored version
        citation.claim, citation.source = spell, source
        return citation

    def saved(self, citation: Citation) -> None:
        stored = self.by_key.get(self._key(citation))
        if stored is None or stored.pk == citation.pk:
            self.by_key[self._key(citation)] = copy.copy(citation)


class SpellIndex:
    """The atlas's spells as stored, by organization and member, kept up to date with the
    spells the import saves: a row's spell is found, and its overlaps checked, without a query.
    Changes only proposed for review leave the stored spells, and so this index, as they were."""

    def __init__(self, lookups: ImportLookups):
        self.lookups = lookups
        self.by_member: dict[tuple, list[Membership]] = {}
        self.keys: dict[int, tuple] = {}  # where each spell is filed, by id
        for spell in Membership.objects.order_by("pk"):
            self._attach(spell)
            self._file(spell)

    def _file(self, spell: Membership) -> None:
        self.keys[spell.pk] = self._key(spell)
        self.by_member.setdefault(self.keys[spell.pk], []).append(spell)

    def _attach(self, spell: Membership) -> None:
        """Give ``spell`` its organization and member from the lookups, as if selected with it."""
        organizations, countries = self.lookups.organizations_by_pk, self.lookups.countries_by_pk
        if spell.organization_id in organizations:
            spell.organization = organizations[spell.organization_id]
        if spell.member_country_id in countries:
            spell.member_country = countries[spell.member_country_id]
        if spell.member_organization_id in organizations:
            spell.member_organization = organizations[spell.member_organization_id]

    @staticmethod
    def _key(spell: Membership) -> tuple:
        return (spell.organization_id, spell.member_country_id, spell.member_organization_id)

    def find(self, lookup: dict) -> Membership | None:
        """A copy of the stored spell ``spell_natural_key`` names (the first by id), or None."""
        member_country = lookup.get("member_country")
        member_organization = lookup.get("member_organization")
        key = (
            lookup["organization"].pk,
            member_country.pk if member_country else None,
            member_organization.pk if member_organization else None,
        )
        for spell in self.by_member.get(key, []):
            if (spell.status, spell.start, spell.start_precision) == (
                lookup["status"],
                lookup["start"],
                lookup["start_precision"],
            ):
                return copy.copy(spell)  # the row edits its copy, not the stored version
        return None

    def same_member(self, spell: Membership) -> list[Membership]:
        """The stored spells of ``spell``'s member in its organization, by start then id (the
        order ``overlapping_spells`` reports the first clash in)."""
        spells = self.by_member.get(self._key(spell), [])
        return sorted(spells, key=lambda other: (other.start, other.pk))

    def saved(self, spell: Membership) -> None:
        self.deleted(spell)
        self._file(copy.copy(spell))

    def deleted(self, spell: Membership) -> None:
        key = self.keys.pop(spell.pk, None)
        if key is not None:
            self.by_member[key] = [other for other in self.by_member[key] if other.pk != spell.pk]


class _OverlapsAmong:
    """What ``Membership.overlapping_spells(...).first()`` answers, from spells already read:
    the same rule (``spells_overlap``), the same order, without a query."""

    def __init__(self, spell: Membership, candidates: list[Membership], ignore_pks=()):
        self.found = next(
            (
                other
                for other in candidates
                if other.pk != spell.pk
                and other.pk not in ignore_pks
                and other.rank != Rank.DEPRECATED
                and spell.start is not None
                and spells_overlap(spell.start, spell.end, other.start, other.end)
            ),
            None,
        )

    def first(self) -> Membership | None:
        return self.found


_lookups: ContextVar[ImportLookups | None] = ContextVar("import_lookups", default=None)


@contextlib.contextmanager
def import_lookups():
    token = _lookups.set(ImportLookups())
    try:
        yield
    finally:
        _lookups.reset(token)


def organization_by_slug(slug: str) -> Organization | None:
    lookups = _lookups.get()
    if lookups is not None:
        return lookups.organizations.get(slug)
    return Organization.objects.filter(slug=slug).first()


def country_by_iso2(iso2: str) -> Country | None:
    lookups = _lookups.get()
    if lookups is not None:
        return lookups.countries.get(iso2)
    return Country.objects.filter(iso2=iso2).first()


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
        lookups = _lookups.get()
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
        lookups = _lookups.get()
        if isinstance(instance, Membership) and lookups is not None:
            lookups.spells.saved(instance)
        if isinstance(instance, Citation) and lookups is not None and lookups._citations:
            lookups.citations.saved(instance)

    def delete_instance(self, instance, row, **kwargs):
        collector = getattr(self, "change_collector", None)
        if collector is not None and collector.delete(instance):
            return
        super().delete_instance(instance, row, **kwargs)
        lookups = _lookups.get()
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


# --- widgets -------------------------------------------------------------------------------


class PartialDateWidget(widgets.Widget):
    """``2015``, ``2015-07``, ``2015-07-08`` or ``≤2025-06-09``, as editors type them."""

    def clean(self, value, row=None, **kwargs) -> PartialDate | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):  # an XLSX date cell
            value = value.date()
        if isinstance(value, datetime.date):
            return PartialDate(value)
        if isinstance(value, float) and value.is_integer():  # an XLSX number cell: 2015
            value = int(value)
        text = str(value).strip()
        try:
            return PartialDate.parse(text)
        except PartialDateError as error:
            raise ValueError(
                gettext("Bad date “%(text)s”: %(error)s") % {"text": text, "error": error}
            ) from None

    def render(self, value, obj=None, **kwargs) -> str:
        return value.iso if value else ""


class ChoiceWidget(widgets.Widget):
    """A value of a vocabulary, given as stored (``dialogue_partner``) or as read (``dialogue
    partner``); an empty cell takes the model's default."""

    def __init__(self, name: str, choices, default: str = ""):
        super().__init__()
        self.name, self.choices, self.default = name, list(choices), default

    def clean(self, value, row=None, **kwargs) -> str:
        text = str(value or "").strip()
        if not text:
            return self.default
        for stored, label in self.choices:
            if text.lower() in (stored.lower(), str(label).lower()):
                return stored
        allowed = ", ".join(stored for stored, _ in self.choices)
        raise ValueError(
            gettext("The %(name)s “%(text)s” is not one of: %(allowed)s.")
            % {"name": self.name, "text": text, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs) -> str:
        return value or ""


class SlugWidget(widgets.Widget):
    """An organization by its slug (``sco``, ``brics``)."""

    def clean(self, value, row=None, **kwargs) -> Organization | None:
        slug = str(value or "").strip().lower()
        if not slug:
            return None
        organization = organization_by_slug(slug)
        if organization is None:
            raise ValueError(
                gettext("No organization has the slug “%(slug)s”: add it first.") % {"slug": slug}
            )
        return organization

    def render(self, value, obj=None, **kwargs) -> str:
        return value.slug if value else ""


class SourceKeyWidget(widgets.Widget):
    """A source by its key, its number in the atlas (the id in its admin address) or its URL:
    editors who leave the key empty still name the source they mean."""

    def clean(self, value, row=None, **kwargs) -> Source | None:
        if isinstance(value, float) and value.is_integer():  # an XLSX number cell
            value = int(value)
        given = str(value or "").strip()
        if not given:
            return None
        source = self.find(given)
        if source is None:
            raise ValueError(
                gettext(
                    "No source has the key, number or URL “%(given)s”: "
                    "import or add the source first."
                )
                % {"given": given}
            )
        return source

    @staticmethod
    def find(given: str) -> Source | None:
        lookups = _lookups.get()
        is_url = given.lower().startswith(("http://", "https://"))
        if lookups is not None:
            sources = lookups.sources
            source = sources.by_key.get(given)
            if source is None and given.isdigit():
                source = sources.by_pk.get(int(given))
            if source is None and is_url:
                source = sources.by_url.get(given)
            return source
        source = Source.objects.filter(key=given).first()
        if source is None and given.isdigit():
            source = Source.objects.filter(pk=int(given)).first()
        if source is None and is_url:
            source = Source.objects.filter(Q(url=given) | Q(archive_url=given)).first()
        return source

    def render(self, value, obj=None, **kwargs) -> str:
        return value.key if value else ""


def find_member(kind: str, code: str) -> Country | Organization:
    """The member a row names, or a ValueError an editor can act on."""
    kind = (kind or "country").strip().lower()
    code = (code or "").strip()
    if not code:
        raise ValueError(
            gettext("Give the member: an ISO alpha-2 code (BY) or an organization slug.")
        )
    if kind == "country":
        iso2 = country_code(code)
        if pycountry.countries.get(alpha_2=iso2) is None and not is_user_assigned(iso2):
            raise ValueError(
                gettext("Unknown ISO code “%(code)s”: give the ISO 3166-1 alpha-2 code, e.g. BY.")
                % {"code": code}
            )
        country = country_by_iso2(iso2)
        if country is None:
            raise ValueError(
                gettext("%(code)s is not in the atlas yet: add the country first.") % {"code": iso2}
            )
        return country
    if kind == "organization":
        organization = SlugWidget().clean(code)
        assert organization is not None  # the code is not empty
        return organization
    raise ValueError(
        gettext("member_kind is “country” or “organization”, not “%(kind)s”.") % {"kind": kind}
    )


class MemberField(fields.Field):
    """The member as a code: ISO alpha-2 for a country, slug for an organization.

    The ``member_kind`` column says which; it defaults to country.
    """

    def __init__(self, **kwargs):
        super().__init__(attribute="member", column_name="member", **kwargs)

    def clean(self, row, **kwargs):
        return find_member(row.get("member_kind") or "country", row.get(self.column_name))

    def save(self, instance, row, is_m2m=False, **kwargs):
        member = self.clean(row)
        is_country = isinstance(member, Country)
        instance.member_country = member if is_country else None
        instance.member_organization = None if is_country else member

    def export(self, instance, **kwargs) -> str:
        member = instance.member
        if member is None:
            return ""
        return member.iso2 if isinstance(member, Country) else member.slug


def spell_natural_key(row) -> dict | None:
    """The lookup of the spell a row names, or None when the row does not name one fully."""
    try:
        organization = SlugWidget().clean(row.get("organization"))
        member = find_member(row.get("member_kind") or "country", row.get("member"))
        start = PartialDateWidget().clean(row.get("start"))
        status = ChoiceWidget("status", Status.choices, Status.MEMBER).clean(row.get("status"))
    except ValueError:
        return None  # the row's own fields report the error
    if organization is None or start is None:
        return None
    member_field = "member_country" if isinstance(member, Country) else "member_organization"
    return {
        "organization": organization,
        member_field: member,
        "status": status,
        "start": start.earliest,
        "start_precision": start.precision,
    }


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
        lookups = _lookups.get()
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
        lookups = _lookups.get()
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
        lookups = _lookups.get()
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
