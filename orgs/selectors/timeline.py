"""An organization's membership over time: who held which status on each step of a period.

One query answers every step: for each member and status, one column per step says whether a
spell of that status may hold on that day, computed by the database with the one rule for "as
of" (``spell_as_of_q``, ``spell_certain_q``). Python only folds those columns into counts and
compares neighbouring steps (who joined, changed status or left). Names of the members take one
more query per kind of member.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Max, Q, Value, When

from ..models import Country, Organization, Status, spell_as_of_q
from ..models.memberships import spell_certain_q
from .memberships import membership_list

STEPS = ("year", "month", "day")
MAX_STEPS = 500

MemberKey = tuple[str, int]  # ("country" or "organization", id)


@dataclass(frozen=True)
class TimelineMember:
    kind: str
    code: str
    name: str


@dataclass
class TimelineStep:
    on: datetime.date
    counts: dict[str, int]
    uncertain: int = 0
    joined: list[tuple[TimelineMember, str]] = field(default_factory=list)
    changed: list[tuple[TimelineMember, str, str]] = field(default_factory=list)
    left: list[tuple[TimelineMember, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def timeline_days(start: datetime.date, end: datetime.date, step: str) -> list[datetime.date]:
    """The days of the period from ``start`` to ``end`` (both included) ``step`` apart, each
    counted from ``start`` (a month step from 31 January gives the last day of February); one
    more than ``MAX_STEPS`` at most, which tells that the period goes on."""
    days: list[datetime.date] = []
    index = 0
    while len(days) <= MAX_STEPS:
        try:
            if step == "day":
                day = start + datetime.timedelta(days=index)
            else:
                day = _add_months(start, index * (12 if step == "year" else 1))
        except (OverflowError, ValueError):  # past the year 9999
            break
        if day > end:
            break
        days.append(day)
        index += 1
    return days


def _holding(on: datetime.date, condition: Q) -> Max:
    return Max(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


def _members(keys: set[MemberKey], preview: bool) -> dict[MemberKey, TimelineMember]:
    countries = Country.objects.filter(pk__in=[pk for kind, pk in keys if kind == "country"])
    organizations = Organization.objects.filter(
        pk__in=[pk for kind, pk in keys if kind == "organization"]
    )
    found: dict[MemberKey, TimelineMember] = {}
    for country in countries:
        found["country", country.pk] = TimelineMember(
            "country", country.iso2, str(country.localized_name)
        )
    for organization in organizations:
        found["organization", organization.pk] = TimelineMember(
            "organization", organization.slug, str(organization.localized_name)
        )
    return found


def organization_timeline(
    organization: Organization,
    days: list[datetime.date],
    *,
    statuses: list[str] | None = None,
    preview: bool = False,
) -> list[TimelineStep]:
    """For each day, the members of ``organization`` by status, and the changes since the day
    before it in the list; spells are those ``membership_list`` shows the reader."""
    spells = membership_list(preview=preview).filter(organization=organization)
    if statuses:
        spells = spells.filter(status__in=statuses)
    columns = {}
    for index, day in enumerate(days):
        holds = spell_as_of_q(day)
        columns[f"may_{index}"] = _holding(day, holds)
        columns[f"sure_{index}"] = _holding(day, holds & spell_certain_q(day))
    rows = list(
        spells.order_by()
        .values("member_country_id", "member_organization_id", "status")
        .annotate(**columns)
    )
    # held[step][member] = status; certain[step] = members that certainly hold it
    held: list[dict[MemberKey, str]] = [{} for _ in days]
    certain: list[set[MemberKey]] = [set() for _ in days]
    for row in rows:
        key: MemberKey = (
            ("country", row["member_country_id"])
            if row["member_country_id"]
            else ("organization", row["member_organization_id"])
        )
        for index in range(len(days)):
            # One annotation per day asked about, named by its index.
            if row[f"may_{index}"]:  # type: ignore[literal-required]
                held[index][key] = row["status"]
            if row[f"sure_{index}"]:  # type: ignore[literal-required]
                certain[index].add(key)
    members = _members({key for step in held for key in step}, preview)
    timeline = []
    for index, day in enumerate(days):
        counts = dict.fromkeys(Status.values, 0)  # the statuses not counted stay 0
        for status in held[index].values():
            counts[status] = counts.get(status, 0) + 1
        step = TimelineStep(day, counts, uncertain=len(set(held[index]) - certain[index]))
        if index:
            before, now = held[index - 1], held[index]
            for key in sorted(now.keys() - before.keys(), key=lambda k: members[k].code):
                step.joined.append((members[key], now[key]))
            for key in sorted(before.keys() - now.keys(), key=lambda k: members[k].code):
                step.left.append((members[key], before[key]))
            for key in sorted(now.keys() & before.keys(), key=lambda k: members[k].code):
                if now[key] != before[key]:
                    step.changed.append((members[key], before[key], now[key]))
        timeline.append(step)
    return timeline
