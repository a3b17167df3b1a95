"""What every seed record shares: its timestamps and published state, and small text helpers."""

from __future__ import annotations

# Every record was last changed at the same moment, so rebuilding changes no byte: the day the
# facts were compiled (records an update adds or changes: the day it was compiled).
TIMESTAMP = "2026-11-27T00:00:00Z"


def join_lines(values) -> str:
    seen, lines = set(), []
    for value in values:
        value = (value or "").strip()
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            lines.append(value)
    return "\n".join(lines)


def curated_fields(**fields) -> dict:
    return {
        "is_published": True,
        "is_disputed": False,
        "dispute_note": "",
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        **fields,
    }


def from_update(record: dict) -> bool:
    return bool(record.get("_from_update"))
