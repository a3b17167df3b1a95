"""How answers are written: JSON, problem details, and ``?format=csv`` as researchers load it.

CSV columns follow the serializer's fields, so pandas reads every column with one type:

- a partial date becomes three columns: its first day, its precision and its last day
  (``start``, ``start_precision``, ``start_latest``);
- a related record its slug or code and its name (``organization``, ``organization_name``);
- a nested object one column per key (``member_kind``, ``member_code``…);
- the citations their count and the ids of their sources (``citations_count``,
  ``citations_source_ids``: ``12;15``), the long form being ``citations.csv`` of the snapshot
  or ``/api/v1/citations/?format=csv``;
- other lists their values joined by ``;``; booleans ``true``/``false``; nothing an empty cell.

``?format=csv`` (or ``json``) wins over the Accept header (``FormatFirstNegotiation``): a
session whose default Accept is JSON still gets the CSV it asked for by name.

JSON is written by ``FastJSONRenderer``: orjson, byte for byte what DRF's JSONRenderer writes
(so ETags do not change with the renderer), and DRF's own renderer where orjson would differ
(indented output for the browsable API or ``; indent=``, types orjson does not know).
"""

from __future__ import annotations

import csv
import io

import orjson
from django.utils.translation import gettext as _
from rest_framework import exceptions, renderers, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder

from orgs.spreadsheets import neutralised

from .problems import MEDIA_TYPE as PROBLEM_MEDIA_TYPE

# Dates and times go to DRF's encoder (``…Z`` for UTC, as DRF writes them); dict keys that are
# not strings are written as Python's json writes them.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class FastJSONRenderer(renderers.JSONRenderer):
    """DRF's JSONRenderer written by orjson: the same bytes, several times faster.

    Compact UTF-8 as DRF writes it by default, with U+2028 and U+2029 escaped as DRF escapes
    them. Indented output, settings other than DRF's defaults, and anything orjson refuses are
    left to DRF's renderer.
    """

    _default = staticmethod(JSONEncoder().default)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        simple = self.compact and not self.ensure_ascii and self.strict
        if not simple or self.get_indent(accepted_media_type, renderer_context) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=self._default, option=_ORJSON_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        for raw, escaped in _LINE_SEPARATORS:
            if raw in body:
                body = body.replace(raw, escaped)
        return body


class ProblemJSONRenderer(renderers.JSONRenderer):
    media_type = PROBLEM_MEDIA_TYPE
    format = "problem"


class FormatFirstNegotiation(DefaultContentNegotiation):
    """``?format=`` picks the renderer by itself; an unknown format is a 400 naming it."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if not (wanted or "").strip():  # absent or empty: the Accept header decides
            return super().select_renderer(request, renderers, format_suffix)
        for renderer in renderers:
            if renderer.format == wanted.strip().lower():
                return renderer, renderer.media_type
        from .parameters import ParameterErrors

        formats = ", ".join(renderer.format for renderer in renderers)
        raise ParameterErrors(
            {
                "format": [
                    _("“%(value)s” is not a format here; use %(formats)s.")
                    % {"value": wanted[:20], "formats": formats}
                ]
            }
        )


# --- CSV ---------------------------------------------------------------------------------


def _date_columns(name, read):
    """Three columns for a partial date found by ``read(row)``."""
    yield name, lambda row: (read(row) or {}).get("date")
    yield f"{name}_precision", lambda row: (read(row) or {}).get("precision")
    yield f"{name}_latest", lambda row: (read(row) or {}).get("latest")


def _columns(serializer: serializers.Serializer):
    """(header, extractor) pairs for the fields of one record."""
    from .serializers.base import CitationInlineSerializer, LinkedField, PartialDateField

    for name, field in serializer.fields.items():
        if getattr(field, "write_only", False):
            continue
        if isinstance(field, LinkedField):
            key = field.slug_field
            yield name, lambda row, n=name, k=key: (row.get(n) or {}).get(k, "")
            yield f"{name}_name", lambda row, n=name: (row.get(n) or {}).get("name", "")
        elif isinstance(field, serializers.ManyRelatedField) and isinstance(
            field.child_relation, LinkedField
        ):
            key = field.child_relation.slug_field
            yield name, lambda row, n=name, k=key: ";".join(v[k] for v in row.get(n) or [] if v)
        elif isinstance(field, PartialDateField):
            yield from _date_columns(name, lambda row, n=name: row.get(n))
        elif isinstance(field, serializers.ListSerializer) and isinstance(
            field.child, CitationInlineSerializer
        ):
            yield f"{name}_count", lambda row, n=name: len(row.get(n) or [])
            yield (
                f"{name}_source_ids",
                lambda row, n=name: ";".join(str(c["source_id"]) for c in row.get(n) or []),
            )
        elif isinstance(field, serializers.ListSerializer):
            yield f"{name}_count", lambda row, n=name: len(row.get(n) or [])
        elif isinstance(field, serializers.ManyRelatedField | serializers.ListField):
            yield name, lambda row, n=name: ";".join(str(v) for v in row.get(n) or [])
        elif isinstance(field, serializers.Serializer):
            for sub, subfield in field.fields.items():
                if isinstance(subfield, PartialDateField):
                    yield from _date_columns(
                        f"{name}_{sub}", lambda row, n=name, s=sub: (row.get(n) or {}).get(s)
                    )
                else:
                    yield f"{name}_{sub}", lambda row, n=name, s=sub: (row.get(n) or {}).get(s)
        else:
            yield name, lambda row, n=name: row.get(n)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(_cell(item) for item in value)
    return str(value)


def csv_text(header: list[str], rows) -> str:
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        # Text a spreadsheet would run as a formula is guarded in the file (orgs.spreadsheets);
        # the values themselves (the snapshot's SQLite, say) stay as they are.
        writer.writerow([neutralised(_cell(value)) for value in row])
    return output.getvalue()


class CSVRenderer(renderers.BaseRenderer):
    """Rows of a list (or one record) as a CSV table; a view may write its own rows by giving
    ``csv_table(data) -> (header, rows)`` (the overlap does)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        response = renderer_context.get("response")
        if view is None or (response is not None and response.status_code >= 400):
            raise exceptions.NotAcceptable(_("Errors are answered as problem details, not CSV."))
        if hasattr(view, "csv_table"):
            header, rows = view.csv_table(data)
        else:
            records = data if isinstance(data, list) else [data]
            columns = list(_columns(view.get_serializer()))
            header = [name for name, _extract in columns]
            rows = ([extract(record) for _name, extract in columns] for record in records)
        if response is not None:
            name = getattr(view, "csv_name", None) or getattr(view, "basename", None) or "atlas"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return csv_text(header, rows).encode(self.charset)
