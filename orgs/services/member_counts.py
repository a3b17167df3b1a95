"""The member counts summary (``MemberCount``): filled by ``with_member_counts``, kept in step
with the spells.

- A spell saved or deleted (the admin, the API, an approved review, publishing, an import, a
  restore, ``loaddata``) deletes its organization's rows in the same transaction, so no one
  reads a count that transaction changed (the pages count that organization live meanwhile),
  and recounts that organization once the transaction commits.
- A count holds until the first day after the day counted on which a spell of the organization
  starts or ends (``valid_until``); from that day the pages count that organization live until
  ``manage.py refresh_member_counts`` (daily, for speed only) or its next edit recounts it.
- ``generate_atlas`` writes spells without saving them one by one, and recounts everything
  at its end.
"""

from __future__ import annotations

import calendar
import datetime
import threading
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..models import STATUS_ORDER, MemberCount, Membership, Organization, Rank
from ..models.member_counts import holds_on_q

# One refresh at a time: a refresh deletes, counts and writes, and one that counted before
# another transaction's commit must not write after the refresh that counted after it.
LOCK_KEY = 7_401_516


def _next_month(day: datetime.date) -> datetime.date:
    first = day.replace(day=1)
    return (
        first + datetime.timedelta(days=calendar.monthrange(first.year, first.month)[1])
    ).replace(day=1)


def spell_changes(start: datetime.date, end: datetime.date | None) -> list[datetime.date]:
    """The days on which ``spell_as_of_q`` may answer differently for a spell than the day
    before: its start; and its end, the day after it (a one-day spell), and the last and first
    days around the end of the month and year its end falls in (an end known to the month or
    year holds until that month's or year's last day). A superset, so a count is never kept
    past a day it changes on."""
    days = [start]
    if end is not None:
        one = datetime.timedelta(days=1)
        month, year = _next_month(end), datetime.date(end.year + 1, 1, 1)
        days += [end, end + one, month - one, month, year - one, year]
    return days


def valid_until(
    on: datetime.date, organization_ids: Iterable[int] | None = None
) -> dict[int, datetime.date]:
    """For each organization with a counted spell that starts or ends after ``on``, the first
    day after ``on`` its counts may differ; organizations missing here keep theirs."""
    spells = (
        Membership.objects.filter(is_published=True)
        .exclude(rank=Rank.DEPRECATED)
        # Only spells that start later or end this year or later can change a count after ``on``.
        .filter(Q(start__gt=on) | Q(end__gte=on.replace(month=1, day=1)))
    )
    if organization_ids is not None:
        spells = spells.filter(organization_id__in=list(organization_ids))
    until: dict[int, datetime.date] = {}
    for organization_id, start, end in spells.values_list("organization_id", "start", "end"):
        later = [day for day in spell_changes(start, end) if day > on]
        if later:
            first = min(later)
            if organization_id not in until or first < until[organization_id]:
                until[organization_id] = first
    return until


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def refresh_member_counts(
    organization_ids: Iterable[int] | None = None, *, on: datetime.date | None = None
) -> int:
    """Count the members of ``organization_ids`` (every organization when None) by status as
    of ``on`` (today) with ``with_member_counts`` and store the counts with the day they stop
    holding. Returns the number of organizations counted."""
    on = on or timezone.localdate()
    ids = None if organization_ids is None else sorted(set(organization_ids))
    if ids == []:
        return 0
    with transaction.atomic():
        _lock()
        stored = MemberCount.objects.all()
        organizations = Organization.objects.all()
        if ids is not None:
            stored = stored.filter(organization_id__in=ids)
            organizations = organizations.filter(pk__in=ids)
        stored.delete()
        counted = list(
            organizations.with_member_counts(on).values_list(
                "pk", *(f"{status}_count" for status in STATUS_ORDER)
            )
        )
        until = valid_until(on, ids)
        MemberCount.objects.bulk_create(
            [
                MemberCount(
                    organization_id=row[0],
                    status=status,
                    count=count,
                    counted_on=on,
                    valid_until=until.get(row[0]),
                )
                for row in counted
                for status, count in zip(STATUS_ORDER, row[1:], strict=True)
            ],
            batch_size=5000,
        )
    if ids is None and connection.vendor == "postgresql":
        # Fresh statistics, so the pages' join reads the new rows by hash, not row by row.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {MemberCount._meta.db_table}")
    return len(counted)


def stale_organization_ids(on: datetime.date | None = None) -> list[int]:
    """The organizations with a status whose summary row is missing or no longer holds on ``on``."""
    on = on or timezone.localdate()
    fresh = (
        MemberCount.objects.filter(holds_on_q(on))
        .values("organization_id")
        .order_by()
        .annotate(rows=Count("pk"))
        .filter(rows=len(STATUS_ORDER))
        .values("organization_id")
    )
    return list(
        Organization.objects.exclude(pk__in=fresh).order_by("pk").values_list("pk", flat=True)
    )


# --- keeping the summary in step with the spells ----------------------------------------------

_pending = threading.local()


def _pending_ids() -> set[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    ids: set[int] = _pending.ids
    return ids


def _refresh_pending() -> None:
    ids = _pending_ids()
    if not ids:
        return  # an earlier callback of the same commit recounted them
    taken = set(ids)
    ids.clear()
    refresh_member_counts(taken)


def organizations_changed(organization_ids: Iterable[int | None]) -> None:
    """Forget the counts of ``organization_ids`` now, in the caller's transaction, and recount
    them once it commits (at once outside a transaction). A rolled-back transaction keeps its
    rows, which still hold; the ids it left pending are recounted with the next commit."""
    ids = {pk for pk in organization_ids if pk is not None}
    if not ids:
        return
    MemberCount.objects.filter(organization_id__in=ids).delete()
    _pending_ids().update(ids)
    transaction.on_commit(_refresh_pending, robust=True)


def _spell_saving(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    # A spell moved to another organization changes the counts of the one it leaves too.
    instance._counted_in = (  # type: ignore[attr-defined]
        Membership.objects.filter(pk=instance.pk)
        .exclude(organization_id=instance.organization_id)
        .values_list("organization_id", flat=True)
        .first()
        if instance.pk
        else None
    )


def _spell_saved(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    organizations_changed([instance.organization_id, getattr(instance, "_counted_in", None)])


def _spell_deleted(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    organizations_changed([instance.organization_id])


def connect_member_counts() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    uid = "member-counts-membership"
    pre_save.connect(_spell_saving, sender=Membership, dispatch_uid=f"{uid}-saving")
    post_save.connect(_spell_saved, sender=Membership, dispatch_uid=f"{uid}-saved")
    post_delete.connect(_spell_deleted, sender=Membership, dispatch_uid=f"{uid}-deleted")
