"""The whole published atlas as one file: a Frictionless Data Package with NDJSON and SQLite.

``atlas-<day>.zip`` holds:

- ``datapackage.json``: one resource per table, each with its Table Schema (field types,
  primary key) so that frictionless, pandas or R read the columns with the right types;
- one CSV per table, with the API's CSV columns (partial dates as first day, precision and last
  day; citations as source ids), and ``citations.csv``, every citation in long form (which
  source supports which claim, and where);
- ``ndjson/<table>.ndjson``: each record as the API answers it, one JSON object a line;
- ``atlas.sqlite``: the CSV tables in one SQLite file, for Datasette or ``pandas.read_sql``.

The rows are the API's own: the same serializers, the same published records an anonymous
caller reads, so a snapshot and the API never disagree. URLs in them start with ``SITE_URL``.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.request import Request

from orgs.api import views
from orgs.api.http import LinkRequest
from orgs.api.renderers import _cell, _columns, csv_text

# (table, viewset): every table a researcher may want, in the API's order.
TABLES = [
    ("organizations", views.OrganizationViewSet),
    ("countries", views.CountryViewSet),
    ("people", views.PersonViewSet),
    ("sources", views.SourceViewSet),
    ("citations", views.CitationViewSet),
    ("memberships", views.MembershipViewSet),
    ("applications", views.ApplicationViewSet),
    ("agreements", views.AgreementViewSet),
    ("agreement_stages", views.AgreementStageViewSet),
    ("agreement_parties", views.AgreementPartyViewSet),
    ("events", views.EventViewSet),
    ("event_participants", views.EventParticipantViewSet),
    ("proposals", views.ProposalViewSet),
    ("quotes", views.QuoteViewSet),
]
LATEST = "atlas-latest.zip"
NAME = re.compile(r"^atlas-(\d{4}-\d{2}-\d{2})\.zip$")

_INTEGER = re.compile(r"^-?\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$")


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[list[str]]
    records: list[dict]


def _reader_request():
    """An anonymous GET of the site's address: what the public reads, with the site's URLs."""
    site = settings.SITE_URL.rstrip("/")
    scheme, host = site.split("://", 1)
    request = RequestFactory().get("/api/v1/", secure=scheme == "https", HTTP_HOST=host)
    request.user = AnonymousUser()
    return Request(request)


def _table(name: str, viewset_class, request) -> Table:
    view = viewset_class(request=request, format_kwarg=None, action="list", kwargs={})
    view.headers = {}
    if viewset_class is views.AgreementViewSet:
        from orgs import selectors

        records = selectors.agreement_list(None, preview=False)
    else:
        records = view.get_queryset()
        if getattr(view, "ordering", None):
            records = records.order_by(*view.ordering)
    serializer = view.get_serializer_class()(
        records, many=True, context={"request": LinkRequest(request), "view": view}
    )
    data = serializer.data
    columns = list(_columns(view.get_serializer_class()(context={"request": request})))
    header = [column for column, _extract in columns]
    rows = [[_cell(extract(record)) for _column, extract in columns] for record in data]
    return Table(name, header, rows, [json.loads(json.dumps(record)) for record in data])


def _field_type(values: list[str]) -> str:
    given = [value for value in values if value != ""]
    if not given:
        return "string"
    for kind, pattern in (("integer", _INTEGER), ("date", _DATE), ("datetime", _DATETIME)):
        if all(pattern.match(value) for value in given):
            return kind
    if all(value in ("true", "false") for value in given):
        return "boolean"
    return "string"


def _schema(table: Table) -> dict:
    fields = [
        {"name": column, "type": _field_type([row[index] for row in table.rows])}
        for index, column in enumerate(table.header)
    ]
    schema: dict = {"fields": fields, "missingValues": [""]}
    if "id" in table.header:
        schema["primaryKey"] = ["id"]
    return schema


SQLITE_TYPES = {"integer": "INTEGER", "boolean": "INTEGER"}


def _sqlite(tables: list[Table], schemas: dict[str, dict]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "atlas.sqlite"
        connection = sqlite3.connect(path)
        for table in tables:
            fields = schemas[table.name]["fields"]
            columns = ", ".join(
                f'"{field["name"]}" {SQLITE_TYPES.get(field["type"], "TEXT")}' for field in fields
            )
            connection.execute(f'CREATE TABLE "{table.name}" ({columns})')
            kinds = [field["type"] for field in fields]
            connection.executemany(
                f'INSERT INTO "{table.name}" VALUES ({", ".join("?" * len(fields))})',
                [
                    [_sqlite_value(value, kind) for value, kind in zip(row, kinds, strict=True)]
                    for row in table.rows
                ],
            )
        connection.commit()
        connection.close()
        return path.read_bytes()


def _sqlite_value(value: str, kind: str):
    if value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return 1 if value == "true" else 0
    return value


def snapshot_bytes(on: datetime.date | None = None) -> bytes:
    """The snapshot of the published atlas as a zip file's bytes."""
    on = on or timezone.localdate()
    request = _reader_request()
    tables = [_table(name, viewset, request) for name, viewset in TABLES]
    schemas = {table.name: _schema(table) for table in tables}
    package = {
        "name": "eurasia-atlas",
        "title": "Eurasia Atlas",
        "description": "International organizations in Eurasia, the countries and organizations "
        "in them (membership spells with partial dates), applications, agreements, events, "
        "quotes, and the sources every fact cites. Published records only.",
        "version": on.isoformat(),
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "homepage": settings.SITE_URL,
        "resources": [
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schemas[table.name],
            }
            for table in tables
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
        for table in tables:
            archive.writestr(f"{table.name}.csv", csv_text(table.header, table.rows))
            lines = "".join(
                json.dumps(record, ensure_ascii=False) + "\n" for record in table.records
            )
            archive.writestr(f"ndjson/{table.name}.ndjson", lines)
        archive.writestr("atlas.sqlite", _sqlite(tables, schemas))
    return buffer.getvalue()


def snapshot_folder() -> Path:
    folder = Path(settings.SNAPSHOT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def snapshot_write(on: datetime.date | None = None) -> Path:
    """Write today's snapshot and make it the latest; older dated ones stay (the last
    ``SNAPSHOT_KEEP``)."""
    on = on or timezone.localdate()
    folder = snapshot_folder()
    content = snapshot_bytes(on)
    dated = folder / f"atlas-{on.isoformat()}.zip"
    for path, data in ((dated, content), (folder / LATEST, content)):
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)  # readers never see half a file
    for old in snapshot_list()[settings.SNAPSHOT_KEEP :]:
        old.unlink(missing_ok=True)
    return dated


def snapshot_list() -> list[Path]:
    """The dated snapshots, newest first."""
    folder = Path(settings.SNAPSHOT_DIR)
    if not folder.is_dir():
        return []
    return sorted(
        (path for path in folder.iterdir() if NAME.match(path.name)),
        key=lambda path: path.name,
        reverse=True,
    )
