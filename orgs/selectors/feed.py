"""What changed in the atlas as records, for mirrors: the change feed and the last change.

Read from the records' history (django-simple-history keeps one row per save and delete), as
the public saw it: a record *published* (created published, or a draft published), *changed*
while published, *withdrawn* (turned back into a draft) or *deleted* while published. Edits of
drafts are not public and are left out. Records without a published state of their own
(citations, agreement parties, event participants) are listed when they are visible now, and
their deletions always, as a type and an id only.

Each model costs one query, whatever the length of its history: the state before each row is
read with a window function (LAG), not row by row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import connections, router
from django.db.models import F, Max, Model, QuerySet, Value, Window
from django.db.models.functions import Lag
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..models import AgreementParty, Citation, Curated, EventParticipant
from .agreements import agreement_party_list
from .events import event_participant_list

PUBLISHED, CHANGED, WITHDRAWN, DELETED = "published", "changed", "withdrawn", "deleted"
TOMBSTONES = (WITHDRAWN, DELETED)


def _public_dependents(model: type[Model]) -> Any:
    """The records of a model without a published state of its own that the public sees now."""
    if model is Citation:
        return Citation.objects.visible(False)
    if model is AgreementParty:
        return agreement_party_list()
    return event_participant_list()


DEPENDENT_MODELS: tuple[type[Model], ...] = (Citation, AgreementParty, EventParticipant)


@dataclass(frozen=True)
class RecordChange:
    model: type[Model]
    record_id: int
    kind: str
    at: datetime.datetime
    history_id: int

    @property
    def record_type(self) -> str:
        return str(self.model._meta.model_name)

    @property
    def is_tombstone(self) -> bool:
        return self.kind in TOMBSTONES


def _tracked_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_app_config("orgs").get_models()
        if hasattr(model, "history") and not model.__name__.startswith("Historical")
    ]


def _curated_changes(model: type[Model], since: datetime.datetime | None) -> list[RecordChange]:
    rows = model.history.annotate(  # type: ignore[attr-defined]
        was_published=Window(
            Lag("is_published"), partition_by=[F("id")], order_by=[F("history_id").asc()]
        )
    ).values_list(
        "id", "history_id", "history_date", "history_type", "is_published", "was_published"
    )
    changes = []
    for record_id, history_id, at, action, published, was_published in rows:
        if since is not None and at < since:
            continue  # filtered here: in SQL the filter would hide the rows LAG reads
        kind = None
        if action == "+" and published:
            kind = PUBLISHED
        elif action == "~" and published:
            kind = CHANGED if was_published else PUBLISHED
        elif action == "~" and was_published:
            kind = WITHDRAWN
        elif action == "-" and published:
            kind = DELETED
        if kind is not None:
            changes.append(RecordChange(model, record_id, kind, at, history_id))
    return changes


def _dependent_changes(model: type[Model], since: datetime.datetime | None) -> list[RecordChange]:
    rows = model.history.values_list("id", "history_id", "history_date", "history_type")  # type: ignore[attr-defined]
    if since is not None:
        rows = rows.filter(history_date__gte=since)
    rows = list(rows)
    visible = _public_dependents(model)
    public = set(
        visible.filter(pk__in={row[0] for row in rows if row[3] != "-"}).values_list(
            "pk", flat=True
        )
    )
    changes = []
    for record_id, history_id, at, action in rows:
        if action == "-":
            changes.append(RecordChange(model, record_id, DELETED, at, history_id))
        elif record_id in public:
            kind = PUBLISHED if action == "+" else CHANGED
            changes.append(RecordChange(model, record_id, kind, at, history_id))
    return changes


def atlas_record_changes(*, since: datetime.datetime | None = None) -> list[RecordChange]:
    """Public changes to every record of the atlas, oldest first; from ``since`` on."""
    changes: list[RecordChange] = []
    for model in _tracked_models():
        if issubclass(model, Curated):
            changes += _curated_changes(model, since)
        elif model in DEPENDENT_MODELS:
            changes += _dependent_changes(model, since)
    changes.sort(key=lambda change: (change.at, change.record_type, change.history_id))
    return changes


def _latest_change_query() -> QuerySet[Any]:
    """A UNION of one MAX per table: the latest save or delete of any record."""
    parts: list[Any] = []
    for model in _tracked_models():
        tables = [(model.history, "history_date")]  # type: ignore[attr-defined]
        if issubclass(model, Curated):
            tables.append((model.objects, "updated_at"))
        for manager, field in tables:
            parts.append(
                manager.order_by()
                .annotate(one=Value(1))
                .values("one")
                .annotate(at=Max(field))
                .values_list("at", flat=True)
            )
    first, *others = parts
    union: QuerySet[Any] = first.union(*others, all=True)
    return union


# The statement is the same for every request: building it through the ORM (some thirty
# querysets and history managers) took longer than running it, so it is compiled once per
# process and database engine.
_compiled_latest_change: dict[str, tuple[str, tuple[Any, ...]]] = {}


def _latest_change() -> datetime.datetime | None:
    """The latest save or delete of any record: one query."""
    connection = connections[router.db_for_read(Citation)]
    if connection.vendor not in _compiled_latest_change:
        query = _latest_change_query().query
        _compiled_latest_change[connection.vendor] = query.sql_with_params()
    sql, params = _compiled_latest_change[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = [_moment(moment) for (moment,) in cursor.fetchall() if moment is not None]
    return max(found) if found else None


def _moment(value: Any) -> datetime.datetime:
    """A moment as the database gave it (SQLite: text), made an aware UTC datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    moment: datetime.datetime = value
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


def atlas_last_modified(version: int) -> datetime.datetime | None:
    """When the atlas last changed (any save or delete), remembered per cache version
    (``eurasia.cache.atlas_version``), which every change raises."""
    key = f"atlas:last-modified:{version}"
    stored = cache.get(key)
    if stored is None:
        latest = _latest_change()
        stored = latest.timestamp() if latest else 0.0
        cache.set(key, stored, 60 * 60 * 24)
    if not stored:
        return None
    return datetime.datetime.fromtimestamp(stored, tz=datetime.UTC)
