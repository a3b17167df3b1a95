"""Server-rendered SVG: timelines of spells, Venn and UpSet overlaps (the maps: ``maps.py``).

Every chart is plain SVG markup built from data the selectors return; each mark carries a
``<title>`` and every chart an ``aria-label``, so the information is there without colour and
without JavaScript. Functions return ``SafeString``s ready for a template.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from orgs.dates import PartialDate
from orgs.models import STATUS_ORDER, Status

from .addresses import Addresses

# Okabe–Ito colours, readable by people with the common colour-vision deficiencies. Charts
# never rely on colour alone: every mark has a title, and the pages list the same facts as text.
STATUS_COLOURS = {
    "member": "#0072B2",
    "associate_member": "#56B4E9",
    "observer": "#E69F00",
    "partner": "#009E73",
    "dialogue_partner": "#CC79A7",
    "participant": "#F0E442",
    # Okabe–Ito has no eighth colour: Paul Tol's wine, apart from all of them and from the grey
    # of "no status" for every common colour-vision deficiency (tests/geo/test_geo_palette.py).
    "signatory": "#882255",
    "suspended": "#D55E00",
}
SET_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]

# Combinations of two or three compared organizations, by the positions of the organizations in
# them: each organization alone has its Venn colour; pairs and "all of them" take the other
# Okabe–Ito colours, so no two combinations share one. The UpSet bars and the compare map agree.
PAIR_COLOURS = {(0, 1): "#CC79A7", (0, 2): "#56B4E9", (1, 2): "#F0E442"}
ALL_COLOUR = "#D55E00"
# From four organizations on there are too many combinations to tell apart by colour: what
# counts is in how many a member is, on the viridis ramp (light: one, dark: all), which stays
# ordered for readers with any of the common colour-vision deficiencies.
COUNT_COLOURS = ["#FDE725", "#7AD151", "#22A884", "#2A788E", "#414487", "#440154"]


def combination_colour(positions, total: int) -> str:
    """The colour of a combination of ``total`` compared organizations, given their positions."""
    positions = tuple(sorted(positions))
    if total <= 3:
        if len(positions) == 1:
            return SET_COLOURS[positions[0]]
        if len(positions) == total:
            return ALL_COLOUR
        return PAIR_COLOURS[positions]
    step = (len(COUNT_COLOURS) - 1) / (total - 1)
    return COUNT_COLOURS[round((len(positions) - 1) * step)]


def _attr(value) -> str:
    return escape(str(value), {'"': "&quot;"})


def _text(value) -> str:
    return escape(str(value))


def status_label(status: str) -> str:
    """A status as ``get_status_display()`` words it, without that method's lookup, which
    translates every label of the field to hash it, on every call: rows call this by the
    thousand."""
    return str(Status(status).label)


def _day(on: datetime.date) -> str:
    """A day as readers see it in the active language: 4 July 2024, 4 июля 2024."""
    return PartialDate(on).display


def _legend(statuses: list[str], *, y: float, x: float = 0) -> str:
    items = [(STATUS_COLOURS[s], status_label(s)) for s in statuses]
    parts = ['<g class="legend" aria-hidden="true">']
    for colour, label in items:
        parts.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}"/>'
            f'<text x="{x + 19}" y="{y + 11.5}" font-size="13">{_text(label)}</text>'
        )
        x += 34 + 8 * len(label)
    parts.append("</g>")
    return "".join(parts)


# --- timelines -------------------------------------------------------------------------------


@dataclass
class TimelineRow:
    label: str
    href: str
    spells: list = field(default_factory=list)


def timeline_rows(spells, *, by: str) -> list[TimelineRow]:
    """Group spells into rows: one per member (``by="member"``) or per organization."""
    addresses = Addresses()
    rows: dict[tuple, TimelineRow] = {}
    for spell in spells:
        if by == "member":
            shown = spell.member
            key = (spell.member_kind, shown.pk)
        else:
            shown = spell.organization
            key = ("organization", shown.pk)
        if key in rows:
            rows[key].spells.append(spell)
        elif by == "member" and spell.member_country_id:
            rows[key] = TimelineRow(shown.localized_name, addresses.country(shown), [spell])
        else:
            rows[key] = TimelineRow(
                shown.localized_short_name, addresses.organization(shown), [spell]
            )
    return list(rows.values())


def _year_fraction(day: datetime.date) -> float:
    start = datetime.date(day.year, 1, 1)
    # Counted to 31 December: the year after 9999 is past what Python's dates hold.
    length = (datetime.date(day.year, 12, 31) - start).days + 1
    return day.year + (day - start).days / length


def timeline(rows: list[TimelineRow], *, on: datetime.date, title: str) -> SafeString:
    """Horizontal bars per row from each spell's start to its end (or to today), by status.

    The window of a partial date (a start known only to the year, say) is drawn paler, so a
    reader sees how precisely a date is known.
    """
    today = datetime.date.today()
    if not rows:
        return mark_safe("")
    starts = [spell.start for row in rows for spell in row.spells]
    first_year = min(starts).year
    last_year = max(today.year, on.year) + 1
    label_width, chart_width, row_height, top = 150, 760, 24, 26
    width = label_width + chart_width + 20
    height = top + row_height * len(rows) + 40
    span = last_year - first_year

    def x_of(day: datetime.date) -> float:
        return label_width + (_year_fraction(day) - first_year) / span * chart_width

    parts = [
        # A group, not an image: its row labels are links (an image may not hold any).
        f'<svg class="chart timeline" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="{_attr(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_text(title)}</title>",
    ]
    step = 1 if span <= 12 else 2 if span <= 24 else 5 if span <= 60 else 10
    for year in range(first_year, last_year + 1):
        if (year - first_year) % step:
            continue
        x = x_of(datetime.date(year, 1, 1))
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 34}" class="grid" stroke="#e5e5e5"/>'
            f'<text x="{x:.1f}" y="{top - 10}" font-size="11" text-anchor="middle">{year}</text>'
        )
    for index, row in enumerate(rows):
        y = top + index * row_height
        parts.append(
            f'<a href="{_attr(row.href)}"><text x="{label_width - 8}" y="{y + 16}" font-size="12" '
            f'text-anchor="end" class="row-label">{_text(row.label)}</text></a>'
        )
        for spell in row.spells:
            start, end = spell.start_partial, spell.end_partial
            bar_end = end.earliest if end else max(today, on)
            x1, x2 = x_of(start.earliest), x_of(bar_end)
            if end and x2 - x1 < 3:
                x2 = x1 + 3
            colour = STATUS_COLOURS.get(spell.status, "#777")
            label = f"{row.label}: {status_label(spell.status)}"
            if spell.qualifier:
                label += f" ({spell.qualifier})"
            label += f", {spell.period}"
            if spell.rank == "deprecated":
                label += " — " + _("a competing claim the atlas does not follow")
            if spell.continues_id and spell.continues is not None:
                # The organization renamed or merged its statuses: not an exit and an accession.
                label += " — " + _("reclassified from %(status)s") % {
                    "status": status_label(spell.continues.status)
                }
            parts.append(f"<g><title>{_text(label)}</title>")
            opacity = ' fill-opacity="0.35"' if spell.rank == "deprecated" else ""
            parts.append(
                f'<rect x="{x1:.1f}" y="{y + 5}" width="{max(x2 - x1, 1):.1f}" height="14" '
                f'fill="{colour}"{opacity}/>'
            )
            for partial in (start, end):
                if partial and partial.latest > partial.earliest:
                    wx1, wx2 = x_of(partial.earliest), x_of(partial.latest)
                    parts.append(
                        f'<rect x="{wx1:.1f}" y="{y + 5}" width="{max(wx2 - wx1, 1):.1f}" '
                        f'height="14" fill="#fff" fill-opacity="0.55"/>'
                    )
            parts.append("</g>")
    on_x = x_of(on)
    parts.append(
        f'<line x1="{on_x:.1f}" y1="{top - 4}" x2="{on_x:.1f}" y2="{height - 34}" '
        f'class="as-of-line" stroke="#c00" stroke-width="2" stroke-dasharray="4 3"/>'
    )
    statuses = [s for s in STATUS_ORDER if any(sp.status == s for r in rows for sp in r.spells)]
    parts.append(_legend(statuses, y=height - 22, x=label_width))
    parts.append("</svg>")
    return mark_safe("".join(parts))


# --- overlaps --------------------------------------------------------------------------------

# Label positions for the regions of two and three circles, keyed by the bit mask of the sets
# a region belongs to.
_VENN_TWO: dict[str, Any] = {
    "circles": [(230, 170), (370, 170)],
    "radius": 130,
    "labels": {1: (165, 175), 2: (435, 175), 3: (300, 175)},
    "names": [(150, 28), (450, 28)],
    "size": (600, 320),
}
_VENN_THREE: dict[str, Any] = {
    "circles": [(240, 170), (380, 170), (310, 290)],
    "radius": 125,
    "labels": {
        1: (185, 140),
        2: (435, 140),
        4: (310, 355),
        3: (310, 120),
        5: (240, 265),
        6: (380, 265),
        7: (310, 210),
    },
    "names": [(130, 28), (490, 28), (310, 438)],
    "size": (620, 450),
}


def venn(overlap) -> SafeString:
    """Two or three circles with every region labelled by its exact count (not to scale)."""
    organizations = overlap.organizations
    if len(organizations) not in (2, 3):
        return mark_safe("")
    layout = _VENN_TWO if len(organizations) == 2 else _VENN_THREE
    counts: dict[int, list] = {}
    for intersection in overlap.intersections:
        mask = sum(1 << organizations.index(o) for o in intersection.organizations)
        counts[mask] = intersection.members
    width, height = layout["size"]
    names = ", ".join(o.localized_short_name for o in organizations)
    title = _("Venn diagram of %(names)s: the number of members in each exact combination") % {
        "names": names
    }
    parts = [
        f'<svg class="chart venn" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_text(title)}</title>",
    ]
    for index, (cx, cy) in enumerate(layout["circles"]):
        parts.append(
            f'<circle cx="{cx}" cy="{cy}" r="{layout["radius"]}" fill="{SET_COLOURS[index]}" '
            f'fill-opacity="0.22" stroke="{SET_COLOURS[index]}" stroke-width="2"/>'
        )
        nx, ny = layout["names"][index]
        parts.append(
            f'<text x="{nx}" y="{ny}" text-anchor="middle" font-size="18" font-weight="bold" '
            f'fill="{SET_COLOURS[index]}">{_text(organizations[index].localized_short_name)}</text>'
        )
    for mask, (lx, ly) in layout["labels"].items():
        if mask >= 1 << len(organizations):
            continue
        members = counts.get(mask, [])
        inside = [o.localized_short_name for i, o in enumerate(organizations) if mask & (1 << i)]
        described = (
            _("%(first)s and %(second)s") % {"first": inside[0], "second": inside[1]}
            if len(inside) == 2
            else inside[0]
            if len(inside) == 1
            else _("all three")
        )
        who = ", ".join(str(m.member) for m in members) or _("nobody")
        region = _("Only in %(organizations)s: %(count)d (%(members)s)") % {
            "organizations": described,
            "count": len(members),
            "members": who,
        }
        parts.append(
            f'<g class="venn-region"><title>{_text(region)}</title>'
            f'<text x="{lx}" y="{ly}" text-anchor="middle" font-size="24" '
            f'font-weight="bold">{len(members)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def upset(overlap) -> SafeString:
    """UpSet chart: one row per exact combination, dots for its organizations, a bar for its size."""
    organizations, intersections = overlap.organizations, overlap.intersections
    if not intersections:
        return mark_safe("")
    column, row_height, top = 56, 26, 44
    dots_width = column * len(organizations)
    bar_left, bar_width = dots_width + 20, 360
    width, height = bar_left + bar_width + 60, top + row_height * len(intersections) + 10
    biggest = max(i.count for i in intersections) or 1
    title = _("Exact intersections: how many members are in exactly each combination")
    parts = [
        f'<svg class="chart upset" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_text(title)}</title>",
    ]
    for index, organization in enumerate(organizations):
        parts.append(
            f'<text x="{index * column + column / 2}" y="{top - 16}" text-anchor="middle" '
            f'font-size="13" font-weight="bold">{_text(organization.localized_short_name)}</text>'
        )
    for row, intersection in enumerate(intersections):
        y = top + row * row_height + row_height / 2
        included = [organizations.index(o) for o in intersection.organizations]
        if row % 2 == 0:
            parts.append(
                f'<rect x="0" y="{y - row_height / 2}" width="{width}" height="{row_height}" '
                'class="stripe" fill="#f5f5f5"/>'
            )
        if len(included) > 1:
            parts.append(
                f'<line x1="{min(included) * column + column / 2}" y1="{y}" '
                f'x2="{max(included) * column + column / 2}" y2="{y}" stroke="#333" '
                'stroke-width="3"/>'
            )
        for index in range(len(organizations)):
            filled = index in included
            parts.append(
                f'<circle cx="{index * column + column / 2}" cy="{y}" r="7" '
                f'fill="{"#333" if filled else "#d0d0d0"}"/>'
            )
        names = " + ".join(o.localized_short_name for o in intersection.organizations)
        who = ", ".join(str(m.member) for m in intersection.members)
        length = bar_width * intersection.count / biggest
        exactly = _("Exactly %(organizations)s: %(count)d (%(members)s)") % {
            "organizations": names,
            "count": intersection.count,
            "members": who,
        }
        parts.append(
            f"<g><title>{_text(exactly)}</title>"
            f'<rect x="{bar_left}" y="{y - 8}" width="{length:.1f}" height="16" '
            f'fill="{combination_colour(included, len(organizations))}"/>'
            f'<text x="{bar_left + length + 6:.1f}" y="{y + 5}" font-size="13">'
            f"{intersection.count}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


# --- agreement stages ------------------------------------------------------------------------

STAGE_COLOUR, STAGE_PENDING_COLOUR, STAGE_CURRENT_COLOUR = "#0072B2", "#9a9a9a", "#D55E00"


def stage_timeline(stages, *, on: datetime.date, title: str) -> SafeString:
    """An agreement's stages as points on a time axis, each labelled with its name and date.

    Stages come from ``selectors.agreement_get``, marked ``is_reached``, ``is_current`` and
    ``is_exact``. The current stage on ``on`` is drawn larger in its own colour; stages not yet
    reached on ``on`` are grey; a date known only to the month (or "by" a day) is drawn as a
    hollow, dashed point with its window as a band. Labels alternate above and below the axis.
    """
    if not stages:
        return mark_safe("")
    today = datetime.date.today()
    first = min(stage.date for stage in stages)
    last = max(max(stage.date_partial.latest for stage in stages), on)
    first_year = _year_fraction(first) - 0.25
    last_year = max(_year_fraction(last), _year_fraction(min(today, last))) + 0.25
    span = max(last_year - first_year, 1.0)
    left, chart_width, axis_y = 30, 740, 78
    width, height = left + chart_width + 30, 164

    def x_of(day: datetime.date) -> float:
        return left + (_year_fraction(day) - first_year) / span * chart_width

    parts = [
        f'<svg class="chart stage-timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_text(title)}</title>",
        f'<line x1="{left}" y1="{axis_y}" x2="{left + chart_width}" y2="{axis_y}" class="axis"/>',
    ]
    step = 1 if span <= 8 else 2 if span <= 16 else 5
    for year in range(int(first_year) + 1, int(last_year) + 1):
        if year % step:
            continue
        x = x_of(datetime.date(year, 1, 1))
        parts.append(
            f'<line x1="{x:.1f}" y1="{axis_y - 4}" x2="{x:.1f}" y2="{axis_y + 4}" class="tick"/>'
            f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
            f'class="year">{year}</text>'
        )
    for index, stage in enumerate(sorted(stages, key=lambda s: (s.date, s.pk))):
        x = x_of(stage.date)
        above = index % 2 == 0
        colour = (
            STAGE_CURRENT_COLOUR
            if stage.is_current
            else STAGE_COLOUR
            if stage.is_reached
            else STAGE_PENDING_COLOUR
        )
        date_text = stage.date_partial.display
        label = f"{stage.get_stage_display().capitalize()}: {date_text}"
        if stage.place:
            label += f", {stage.place}"
        if stage.is_current:
            label += " " + _("(the stage reached on %(day)s)") % {"day": _day(on)}
        elif not stage.is_reached:
            label += " " + _("(not yet reached on %(day)s)") % {"day": _day(on)}
        if not stage.is_exact:
            label += " " + _("(date uncertain)")
        classes = ["stage"]
        if stage.is_current:
            classes.append("current")
        if not stage.is_reached:
            classes.append("pending")
        if not stage.is_exact:
            classes.append("uncertain")
        parts.append(f'<g class="{" ".join(classes)}"><title>{_text(label)}</title>')
        window_end = stage.date_partial.latest
        if window_end > stage.date:
            parts.append(
                f'<rect x="{x:.1f}" y="{axis_y - 6}" '
                f'width="{max(x_of(window_end) - x, 2):.1f}" height="12" fill="{colour}" '
                f'fill-opacity="0.25"/>'
            )
        radius = 9 if stage.is_current else 6
        if stage.is_exact:
            parts.append(f'<circle cx="{x:.1f}" cy="{axis_y}" r="{radius}" fill="{colour}"/>')
        else:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{axis_y}" r="{radius}" fill="#fff" '
                f'stroke="{colour}" stroke-width="2.5" stroke-dasharray="3 2"/>'
            )
        if stage.is_current:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{axis_y}" r="{radius + 4}" fill="none" '
                f'stroke="{colour}" stroke-width="1.5"/>'
            )
        name_y, date_y = (axis_y - 44, axis_y - 28) if above else (axis_y + 34, axis_y + 50)
        stem_y = axis_y - 22 if above else axis_y + 20
        anchor = "start" if x < left + 60 else "end" if x > left + chart_width - 60 else "middle"
        weight = ' font-weight="700"' if stage.is_current else ""
        suffix = "" if stage.is_exact else " ?"
        parts.append(
            f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{stem_y}" stroke="{colour}"/>'
            f'<text x="{x:.1f}" y="{name_y}" font-size="13" text-anchor="{anchor}"{weight}>'
            f"{_text(stage.get_stage_display())}</text>"
            f'<text x="{x:.1f}" y="{date_y}" font-size="11" text-anchor="{anchor}" '
            f'class="stage-date">{_text(date_text)}{suffix}</text></g>'
        )
    if first <= on <= last:
        on_x = x_of(on)
        parts.append(
            f'<line x1="{on_x:.1f}" y1="{axis_y - 60}" x2="{on_x:.1f}" y2="{axis_y + 62}" '
            f'class="as-of-line"><title>{_text(_day(on))}</title></line>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
