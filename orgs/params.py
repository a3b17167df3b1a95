"""Query parameters that pages and the API both accept, parsed once with errors that name them.

A bad parameter raises ``ParameterError``; pages answer it with a 400 page and the API with a
400 JSON body, both saying which parameter was wrong and why.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from .models import Status

MIN_COMPARED = 2
MAX_COMPARED = 6
# "As of" arithmetic looks at the day after the date asked about, so the last days are refused.
LATEST_DATE_ASKED = datetime.date(9998, 12, 31)
# What ``?drafts=`` may say to ask for drafts, on pages and in the API alike.
PREVIEW_WORDS = ("1", "true", "yes")


class ParameterError(ValueError):
    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


def preview_requested(request) -> bool:
    """Whether the request asks to see drafts: staff only, with ``?drafts=1``, ``true`` or ``yes``.

    Anyone else asking gets the published atlas, as if they had not asked.
    """
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        return False
    return request.GET.get("drafts", "").lower() in PREVIEW_WORDS


def parse_date(value: str | None, parameter: str = "as_of") -> datetime.date | None:
    """An ISO day (YYYY-MM-DD) or None when the parameter is absent or empty."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise ParameterError(parameter, _not_a_date(text)) from None
    if len(text) != 10:
        raise ParameterError(parameter, _not_a_date(text))
    if day > LATEST_DATE_ASKED:
        raise ParameterError(
            parameter,
            _("%(value)s is out of range; give a date before the year 9999.") % {"value": text},
        )
    return day


def _not_a_date(text: str) -> str:
    # What was typed is a value of the message, never part of its format: it may hold a "%".
    return _("“%(value)s” is not a valid date; use YYYY-MM-DD, for example 2025-07-01.") % {
        "value": text[:40]
    }


def parse_slugs(
    value: str | None,
    parameter: str = "organizations",
    *,
    minimum: int = MIN_COMPARED,
    maximum: int = MAX_COMPARED,
) -> list[str]:
    """A comma-separated list of distinct slugs, in the order given."""
    slugs: list[str] = []
    for raw in (value or "").split(","):
        slug = raw.strip().lower()
        if slug and slug not in slugs:
            slugs.append(slug)
    if not minimum <= len(slugs) <= maximum:
        raise ParameterError(
            parameter,
            _(
                "give between %(minimum)d and %(maximum)d organizations separated by commas, "
                "for example sco,brics (got %(count)d)."
            )
            % {"minimum": minimum, "maximum": maximum, "count": len(slugs)},
        )
    return slugs


def parse_statuses(value: str | None, parameter: str = "statuses") -> list[str] | None:
    """A comma-separated list of statuses, or None (every status) when absent."""
    if value is None or not value.strip():
        return None
    statuses = []
    for raw in value.split(","):
        status = raw.strip().lower().replace(" ", "_").replace("-", "_")
        if not status:
            continue
        if status not in Status.values:
            raise ParameterError(
                parameter,
                _("“%(value)s” is not a status; use one of %(statuses)s.")
                % {"value": raw.strip()[:40], "statuses": ", ".join(Status.values)},
            )
        if status not in statuses:
            statuses.append(status)
    return statuses or None
