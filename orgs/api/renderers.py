"""``?format=csv``: the rows of a list as a flat CSV table, one row per record.

Columns follow the serializer's fields: a partial date becomes two columns (its first day and
its precision), a nested object one column per key (``member_kind``, ``member_name``…), a list
of objects its count and the first one's URL (``citations_count``, ``citations_first_url``),
a list of values the values joined by "; ", a related record its slug or code and name.
"""

from __future__ import annotations

import csv
import io

from rest_framework import renderers, serializers


def _columns(serializer: serializers.Serializer):
    """(header, extractor) pairs for the fields of one record."""
    from .serializers.base import LinkedField, PartialDateField

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
            yield name, lambda row, n=name, k=key: "; ".join(v[k] for v in row.get(n) or [])
        elif isinstance(field, PartialDateField):
            yield name, lambda row, n=name: (row.get(n) or {}).get("date", "")
            yield f"{name}_precision", lambda row, n=name: (row.get(n) or {}).get("precision", "")
        elif isinstance(field, serializers.ListSerializer):
            url_key = getattr(field.child, "csv_url_key", "url")
            yield f"{name}_count", lambda row, n=name: len(row.get(n) or [])
            yield (
                f"{name}_first_url",
                lambda row, n=name, k=url_key: ((row.get(n) or [{}])[0] or {}).get(k, ""),
            )
        elif isinstance(field, serializers.ManyRelatedField | serializers.ListField):
            yield name, lambda row, n=name: "; ".join(str(v) for v in row.get(n) or [])
        elif isinstance(field, serializers.Serializer):
            for sub, subfield in field.fields.items():
                if isinstance(subfield, PartialDateField):
                    yield (
                        f"{name}_{sub}",
                        lambda row, n=name, s=sub: ((row.get(n) or {}).get(s) or {}).get("date"),
                    )
                    yield (
                        f"{name}_{sub}_precision",
                        lambda row, n=name, s=sub: ((row.get(n) or {}).get(s) or {}).get(
                            "precision"
                        ),
                    )
                else:
                    yield f"{name}_{sub}", lambda row, n=name, s=sub: (row.get(n) or {}).get(s, "")
        else:
            yield name, lambda row, n=name: row.get(n)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        response = renderer_context.get("response")
        output = io.StringIO()
        writer = csv.writer(output, lineterminator="\r\n")
        if (response is not None and response.status_code >= 400) or view is None:
            # An error: one row per message, so a spreadsheet still shows why.
            writer.writerow(["parameter", "message"])
            for key, messages in (data or {}).items():
                for message in messages if isinstance(messages, list) else [messages]:
                    writer.writerow([key, message])
            return output.getvalue().encode(self.charset)
        rows = data if isinstance(data, list) else [data]
        columns = list(_columns(view.get_serializer()))
        writer.writerow([header for header, _ in columns])
        for row in rows:
            writer.writerow([_cell(extract(row)) for _, extract in columns])
        return output.getvalue().encode(self.charset)
