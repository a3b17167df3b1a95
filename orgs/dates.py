"""Partial dates: a day, a month or a year, stored as its earliest day plus a precision.

"2024" spans 2024-01-01..2024-12-31, "2024-07" spans July 2024, "2024-07-04" is one day.
A fourth precision, "by", records a date on which a fact is known to have held already
while its real beginning is earlier and unknown ("pending by 9 June 2025").

Models keep two columns per partial date (``start`` and ``start_precision``); this module
parses what editors and API clients type, prints a date at its precision, and turns a
precision window into the bounds that "as of" queries compare against.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils.dates import MONTHS, MONTHS_ALT
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from .languages import MONTHS_IN_SMALL_LETTERS, active_language


class Precision(models.TextChoices):
    DAY = "day", pgettext_lazy("date precision", "day")
    MONTH = "month", pgettext_lazy("date precision", "month")
    YEAR = "year", pgettext_lazy("date precision", "year")
    BY = "by", pgettext_lazy("date precision", "on or before")


PARTIAL_DATE_HELP = gettext_lazy(
    "Type 2024, 2024-07 or 2024-07-04: as precise as the source allows. "
    "Prefix with ≤ (for example ≤2025-06-09) when the source only says the fact held by then."
)

# The last year a partial date may fall in: the day after any date must still be a date.
LAST_YEAR = 9998

_PATTERN = re.compile(
    r"^(?P<by>≤|<=|by\s+)?(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$"
)


class PartialDateError(ValueError):
    """Raised with a message an editor can act on."""


@dataclass(frozen=True, order=True)
class PartialDate:
    earliest: datetime.date
    precision: str = Precision.DAY

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``2024``, ``2024-07``, ``2024-07-04`` (or ``≤2024-07-04``)."""
        value = (text or "").strip()
        match = _PATTERN.match(value)
        if not match:
            # The typed text is a value, never part of the format: it may hold a "%".
            raise PartialDateError(
                _(
                    "“%(value)s” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, "
                    "for example 2024-07-04."
                )
                % {"value": value[:40]}
            )
        year = int(match["year"])
        if not 1 <= year <= LAST_YEAR:
            # Spells, charts and "as of" look at the day after a date, which the last year
            # Python's dates hold does not have.
            raise PartialDateError(
                _("Year %(year)d is out of range: give a year from 1 to %(last)d.")
                % {"year": year, "last": LAST_YEAR}
            )
        if match["month"] is None:
            if match["by"]:
                raise PartialDateError(
                    _("“on or before” needs a full date, for example ≤2025-06-09.")
                )
            return cls(datetime.date(year, 1, 1), Precision.YEAR)
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PartialDateError(
                _("Month %(month)d does not exist: months run from 01 to 12.") % {"month": month}
            )
        if match["day"] is None:
            if match["by"]:
                raise PartialDateError(
                    _("“on or before” needs a full date, for example ≤2025-06-09.")
                )
            return cls(datetime.date(year, month, 1), Precision.MONTH)
        day = int(match["day"])
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise PartialDateError(
                _("%(month)s %(year)d has no day %(day)d.")
                % {"month": MONTHS[month], "year": year, "day": day}
            )
        precision = Precision.BY if match["by"] else Precision.DAY
        return cls(datetime.date(year, month, day), precision)

    @classmethod
    def from_fields(
        cls, earliest: datetime.date | None, precision: str | None
    ) -> PartialDate | None:
        if earliest is None:
            return None
        return cls(earliest, precision or Precision.DAY)

    @property
    def latest(self) -> datetime.date:
        """The last day the partial date may stand for."""
        if self.precision == Precision.YEAR:
            return datetime.date(self.earliest.year, 12, 31)
        if self.precision == Precision.MONTH:
            last = calendar.monthrange(self.earliest.year, self.earliest.month)[1]
            return self.earliest.replace(day=last)
        return self.earliest

    @property
    def iso(self) -> str:
        """The form editors type and the API returns: 2024, 2024-07, 2024-07-04, ≤2025-06-09."""
        if self.precision == Precision.YEAR:
            return f"{self.earliest.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.earliest.year:04d}-{self.earliest.month:02d}"
        if self.precision == Precision.BY:
            return f"≤{self.earliest.isoformat()}"
        return self.earliest.isoformat()

    @property
    def display(self) -> str:
        """The form readers see, in the active language: 2024, July 2024, 4 July 2024,
        by 9 June 2025; in Russian 2024, июль 2024, 4 июля 2024, к 9 июня 2025.

        Month names are Django's own: the nominative for a month (``MONTHS``), the form a day
        takes (``MONTHS_ALT``, Russian's genitive: 4 июля)."""
        d = self.earliest
        if self.precision == Precision.YEAR:
            return str(d.year)
        if self.precision == Precision.MONTH:
            return f"{month_name(d.month)} {d.year}"
        text = f"{d.day} {MONTHS_ALT[d.month]} {d.year}"
        if self.precision == Precision.BY:
            return pgettext("a partial date: the fact held by this day", "by %(day)s") % {
                "day": text
            }
        return text

    def __str__(self) -> str:
        return self.display

    def coarser_than_or_equal(self, other: PartialDate) -> str:
        """The coarser of two precisions, for comparing two partial dates fairly."""
        order: list[str] = [Precision.DAY, Precision.MONTH, Precision.YEAR]
        mine = order.index(self.precision) if self.precision in order else 0
        theirs = order.index(other.precision) if other.precision in order else 0
        return order[max(mine, theirs)]


def since(start: PartialDate) -> str:
    """An open-ended period from ``start``, in the active language: since 2024, since July 2024,
    since 4 July 2024, since by 9 June 2025; in Russian с 2024, с июля 2024, с 4 июля 2024,
    уже к 9 июня 2025 (a month after "since" takes the form a day takes: Russian's genitive)."""
    d = start.earliest
    if start.precision == Precision.MONTH:
        return _("since %(month)s %(year)d") % {"month": MONTHS_ALT[d.month], "year": d.year}
    if start.precision == Precision.BY:
        return _("since by %(day)s") % {"day": f"{d.day} {MONTHS_ALT[d.month]} {d.year}"}
    return _("since %(start)s") % {"start": start.display}


def month_name(month: int) -> str:
    """A month's name as a month-and-year date writes it in the active language: July in
    English, июль in Russian (Django's catalogue capitalizes it, as for a calendar heading)."""
    name = str(MONTHS[month])
    return name.lower() if active_language() in MONTHS_IN_SMALL_LETTERS else name


def truncate(day: datetime.date, precision: str) -> datetime.date:
    if precision == Precision.YEAR:
        return day.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return day.replace(day=1)
    return day


def is_before(end: PartialDate, start: PartialDate) -> bool:
    """True when ``end`` is certainly before ``start``, compared at the coarser precision.

    "2024-05" to "2024" is not an error at year precision, but the stored earliest days would
    then run backwards, so such an end must be given at least as precisely as the start.
    """
    precision = end.coarser_than_or_equal(start)
    return truncate(end.earliest, precision) < truncate(start.earliest, precision)


def window_floor(day: datetime.date, precision: str) -> datetime.date:
    """First day of the period of ``precision`` that contains the day after ``day``.

    A spell whose start is known to month M has certainly started by ``day`` exactly when
    M < month(day + 1): the stored first day of M is then before this floor.
    """
    return truncate(day + datetime.timedelta(days=1), precision)
