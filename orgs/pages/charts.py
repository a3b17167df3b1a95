"""Server-rendered SVG: a tile-grid world map, timelines of spells, Venn and UpSet overlaps.

Every chart is plain SVG markup built from data the selectors return; each mark carries a
``<title>`` and every chart an ``aria-label``, so the information is there without colour and
without JavaScript. Functions return ``SafeString``s ready for a template.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from orgs.models import STATUS_ORDER, Status

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
DARK_TEXT_STATUSES = {"associate_member", "observer", "participant"}
NONE_COLOUR = "#e3e3e3"
SET_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]


def _attr(value) -> str:
    return escape(str(value), {'"': "&quot;"})


def _text(value) -> str:
    return escape(str(value))


def status_label(status: str) -> str:
    return Status(status).label


# --- world map -------------------------------------------------------------------------------

# Approximate centre (latitude, longitude) of every ISO 3166-1 country, rounded to whole
# degrees: enough to place one tile per country near where it is. Written for this chart; no
# boundary data is used or downloaded.
CENTRES = """
AF 33 66 AX 60 20 AL 41 20 DZ 28 3 AS -14 -170 AD 42 1 AO -12 18 AI 18 -63 AQ -80 0 AG 17 -62
AR -34 -64 AM 40 45 AW 12 -70 AU -25 134 AT 47 14 AZ 40 48 BS 24 -76 BH 26 50 BD 24 90
BB 13 -60 BY 53 28 BE 51 4 BZ 17 -89 BJ 9 2 BM 32 -65 BT 27 90 BO -17 -65 BQ 12 -68 BA 44 18
BW -22 24 BV -54 3 BR -10 -52 IO -6 72 BN 4 115 BG 43 25 BF 12 -2 BI -3 30 CV 16 -24
KH 13 105 CM 6 12 CA 60 -100 KY 19 -81 CF 7 21 TD 15 19 CL -30 -71 CN 35 103 CX -10 106
CC -12 97 CO 4 -73 KM -12 44 CG -1 15 CD -3 23 CK -21 -160 CR 10 -84 CI 8 -5 HR 45 16
CU 22 -79 CW 12 -69 CY 35 33 CZ 50 15 DK 56 10 DJ 12 43 DM 15 -61 DO 19 -70 EC -2 -78
EG 27 30 SV 14 -89 GQ 2 10 ER 15 39 EE 59 26 SZ -27 31 ET 9 39 FK -52 -59 FO 62 -7 FJ -18 178
FI 64 26 FR 46 2 GF 4 -53 PF -17 -150 TF -49 69 GA -1 12 GM 13 -15 GE 42 44 DE 51 10 GH 8 -1
GI 36 -5 GR 39 22 GL 72 -40 GD 12 -62 GP 16 -62 GU 13 145 GT 15 -90 GG 49 -3 GN 10 -11
GW 12 -15 GY 5 -59 HT 19 -72 HM -53 73 VA 42 12 HN 15 -87 HK 22 114 HU 47 19 IS 65 -19
IN 22 79 ID -2 118 IR 32 53 IQ 33 44 IE 53 -8 IM 54 -5 IL 31 35 IT 43 12 JM 18 -77 JP 36 138
JE 49 -2 JO 31 36 KZ 48 67 KE 0 38 KI 1 173 KP 40 127 KR 36 128 KW 29 48 KG 41 75 LA 18 103
LV 57 25 LB 34 36 LS -29 28 LR 6 -9 LY 27 17 LI 47 10 LT 55 24 LU 50 6 MO 22 114 MG -19 47
MW -13 34 MY 3 102 MV 3 73 ML 17 -4 MT 36 14 MH 7 171 MQ 15 -61 MR 20 -10 MU -20 57
YT -13 45 MX 23 -102 FM 7 158 MD 47 29 MC 44 7 MN 47 104 ME 43 19 MS 17 -62 MA 32 -6
MZ -18 35 MM 21 96 NA -22 17 NR -1 167 NP 28 84 NL 52 5 NC -21 165 NZ -41 174 NI 13 -85
NE 17 9 NG 9 8 NU -19 -170 NF -29 168 MK 41 22 MP 15 146 NO 62 10 OM 21 57 PK 30 70
PW 7 134 PS 32 35 PA 9 -80 PG -6 145 PY -23 -58 PE -10 -76 PH 12 122 PN -25 -130 PL 52 19
PT 39 -8 PR 18 -66 QA 25 51 RE -21 55 RO 46 25 RU 61 100 RW -2 30 BL 18 -63 SH -16 -6
KN 17 -63 LC 14 -61 MF 18 -63 PM 47 -56 VC 13 -61 WS -14 -172 SM 44 12 ST 0 7 SA 24 45
SN 14 -14 RS 44 21 SC -5 55 SL 8 -12 SG 1 104 SX 18 -63 SK 49 19 SI 46 15 SB -9 160 SO 6 46
ZA -29 25 GS -54 -37 SS 7 30 ES 40 -4 LK 8 81 SD 15 30 SR 4 -56 SJ 78 16 SE 62 15 CH 47 8
SY 35 38 TW 24 121 TJ 39 71 TZ -6 35 TH 15 101 TL -9 126 TG 8 1 TK -9 -172 TO -21 -175
TT 11 -61 TN 34 9 TR 39 35 TM 39 59 TC 22 -72 TV -8 178 UG 1 32 UA 49 32 AE 24 54 GB 54 -2
US 39 -98 UM 19 167 UY -33 -56 UZ 41 64 VU -16 167 VE 7 -66 VN 16 107 VG 18 -64 VI 18 -65
WF -14 -177 EH 24 -13 YE 15 48 ZM -14 28 ZW -19 30 XK 43 21
"""

# One tile per grid cell: 7.5° of longitude by 6° of latitude, from 84° N down to 60° S.
CELL_LONGITUDE, CELL_LATITUDE, NORTH = 7.5, 6.0, 84
COLUMNS, ROWS = 48, 24
TILE, GAP = 20, 2


def _centres() -> dict[str, tuple[float, float]]:
    numbers = CENTRES.split()
    return {
        numbers[i]: (float(numbers[i + 1]), float(numbers[i + 2]))
        for i in range(0, len(numbers), 3)
    }


def _tile_positions() -> dict[str, tuple[int, int]]:
    """Each country's tile: the free cell nearest its centre, the most crowded countries first.

    Crowded countries (Europe, the Caribbean) choose first, so they stay together; isolated ones
    rarely compete for a cell anyway. This ordering moved tiles least in total among those tried.
    """
    centres = _centres()
    ideal = {
        code: ((lon + 180) / CELL_LONGITUDE, (NORTH - lat) / CELL_LATITUDE)
        for code, (lat, lon) in centres.items()
    }
    crowding = {
        code: sum(
            1
            for other, (ox, oy) in ideal.items()
            if other != code and abs(ox - x) + abs(oy - y) < 2
        )
        for code, (x, y) in ideal.items()
    }
    taken: set[tuple[int, int]] = set()
    positions: dict[str, tuple[int, int]] = {}
    cells = [(column, row) for column in range(COLUMNS) for row in range(ROWS)]
    for code in sorted(ideal, key=lambda c: (-crowding[c], c)):
        x, y = ideal[code]
        best = min(
            (cell for cell in cells if cell not in taken),
            key=lambda cell: ((cell[0] + 0.5 - x) ** 2 + (cell[1] + 0.5 - y) ** 2, cell),
        )
        taken.add(best)
        positions[code] = best
    return positions


_POSITIONS: dict[str, tuple[int, int]] | None = None


def tile_positions() -> dict[str, tuple[int, int]]:
    global _POSITIONS
    if _POSITIONS is None:
        _POSITIONS = _tile_positions()
    return _POSITIONS


@dataclass
class MapEntry:
    iso2: str
    name: str
    status: str
    certain: bool = True
    note: str = ""


def world_map(entries: list[MapEntry], *, names: dict[str, str], title: str) -> SafeString:
    """A tile-grid map: one square per country near its approximate centre, coloured by status.

    ``names`` maps every known alpha-2 code to a country name for the tiles' titles; ``entries``
    colour the tiles of the countries that hold a status.
    """
    positions = tile_positions()
    by_code = {entry.iso2.upper(): entry for entry in entries}
    width, height = COLUMNS * (TILE + GAP), ROWS * (TILE + GAP)
    legend_height = 28
    parts = [
        f'<svg class="chart world-map" viewBox="0 0 {width} {height + legend_height}" '
        f'role="img" aria-labelledby="map-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="map-title">{_text(title)}</title>',
        '<defs><pattern id="uncertain-hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="2" height="4" fill="#fff" '
        'fill-opacity="0.6"/></pattern></defs>',
    ]
    for code, (column, row) in sorted(positions.items()):
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        entry = by_code.get(code)
        name = names.get(code) or code
        if entry is None:
            parts.append(
                f'<g class="tile"><title>{_text(name)}: no status</title>'
                f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" fill="{NONE_COLOUR}"/>'
                f'<text x="{x + TILE / 2}" y="{y + TILE / 2 + 3.5}" fill="#8a8a8a" '
                f'text-anchor="middle" font-size="8">{_text(code)}</text></g>'
            )
            continue
        label = status_label(entry.status)
        if not entry.certain:
            label += " (uncertain on this date)"
        if entry.note:
            label += f", {entry.note}"
        ink = "#111" if entry.status in DARK_TEXT_STATUSES else "#fff"
        parts.append(
            f'<g class="tile tile-{entry.status}"><title>{_text(entry.name)}: {_text(label)}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" '
            f'fill="{STATUS_COLOURS[entry.status]}"/>'
            + (
                f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" '
                'fill="url(#uncertain-hatch)"/>'
                if not entry.certain
                else ""
            )
            + f'<text x="{x + TILE / 2}" y="{y + TILE / 2 + 3.5}" fill="{ink}" '
            f'text-anchor="middle" font-size="9">{_text(code)}</text></g>'
        )
    statuses = [s for s in STATUS_ORDER if any(e.status == s for e in entries)]
    parts.append(_legend(statuses, y=height + 8, with_none=True))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _legend(statuses: list[str], *, y: float, with_none: bool = False, x: float = 0) -> str:
    items = [(STATUS_COLOURS[s], status_label(s)) for s in statuses]
    if with_none:
        items.append((NONE_COLOUR, "no status"))
    parts = ['<g class="legend" aria-hidden="true">']
    for colour, label in items:
        parts.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}"/>'
            f'<text x="{x + 19}" y="{y + 11.5}" font-size="13">{_text(label)}</text>'
        )
        x += 34 + 8 * len(label)
    parts.append("</g>")
    return "".join(parts)


def countries_not_on_map(entries: list[MapEntry]) -> list[MapEntry]:
    positions = tile_positions()
    return [entry for entry in entries if entry.iso2.upper() not in positions]


# --- timelines -------------------------------------------------------------------------------


@dataclass
class TimelineRow:
    label: str
    href: str
    spells: list = field(default_factory=list)


def timeline_rows(spells, *, by: str) -> list[TimelineRow]:
    """Group spells into rows: one per member (``by="member"``) or per organization."""
    rows: dict[tuple, TimelineRow] = {}
    for spell in spells:
        if by == "member":
            shown = spell.member
            key = (spell.member_kind, shown.pk)
            label = shown.name if spell.member_country_id else shown.short_name
        else:
            shown = spell.organization
            key = ("organization", shown.pk)
            label = shown.short_name
        rows.setdefault(key, TimelineRow(label, shown.get_absolute_url())).spells.append(spell)
    return list(rows.values())


def _year_fraction(day: datetime.date) -> float:
    start = datetime.date(day.year, 1, 1)
    length = (datetime.date(day.year + 1, 1, 1) - start).days
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
        f'<svg class="chart timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_text(title)}</title>",
    ]
    step = 1 if span <= 12 else 2 if span <= 24 else 5 if span <= 60 else 10
    for year in range(first_year, last_year + 1):
        if (year - first_year) % step:
            continue
        x = x_of(datetime.date(year, 1, 1))
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 34}" class="grid"/>'
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
            label = f"{row.label}: {spell.get_status_display()}"
            if spell.qualifier:
                label += f" ({spell.qualifier})"
            label += f", {spell.period}"
            if spell.rank == "deprecated":
                label += " — a competing claim the atlas does not follow"
            if spell.continues_id and spell.continues is not None:
                # The organization renamed or merged its statuses: not an exit and an accession.
                label += f" — reclassified from {spell.continues.get_status_display()}"
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
        f'class="as-of-line"/>'
    )
    statuses = [s for s in STATUS_ORDER if any(sp.status == s for r in rows for sp in r.spells)]
    parts.append(_legend(statuses, y=height - 22, x=label_width))
    parts.append("</svg>")
    return mark_safe("".join(parts))


# --- overlaps --------------------------------------------------------------------------------

# Label positions for the regions of two and three circles, keyed by the bit mask of the sets
# a region belongs to.
_VENN_TWO = {
    "circles": [(230, 170), (370, 170)],
    "radius": 130,
    "labels": {1: (165, 175), 2: (435, 175), 3: (300, 175)},
    "names": [(150, 28), (450, 28)],
    "size": (600, 320),
}
_VENN_THREE = {
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
    names = ", ".join(o.short_name for o in organizations)
    title = f"Venn diagram of {names}: the number of members in each exact combination"
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
            f'fill="{SET_COLOURS[index]}">{_text(organizations[index].short_name)}</text>'
        )
    for mask, (lx, ly) in layout["labels"].items():
        if mask >= 1 << len(organizations):
            continue
        members = counts.get(mask, [])
        inside = [o.short_name for i, o in enumerate(organizations) if mask & (1 << i)]
        described = " and ".join(inside) if len(inside) < 3 else "all three"
        who = ", ".join(str(m.member) for m in members) or "nobody"
        parts.append(
            f'<g class="venn-region"><title>Only in {_text(described)}: {len(members)} '
            f"({_text(who)})</title>"
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
    title = "Exact intersections: how many members are in exactly each combination"
    parts = [
        f'<svg class="chart upset" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_text(title)}</title>",
    ]
    for index, organization in enumerate(organizations):
        parts.append(
            f'<text x="{index * column + column / 2}" y="{top - 16}" text-anchor="middle" '
            f'font-size="13" font-weight="bold">{_text(organization.short_name)}</text>'
        )
    for row, intersection in enumerate(intersections):
        y = top + row * row_height + row_height / 2
        included = [organizations.index(o) for o in intersection.organizations]
        if row % 2 == 0:
            parts.append(
                f'<rect x="0" y="{y - row_height / 2}" width="{width}" height="{row_height}" '
                'class="stripe"/>'
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
        names = " + ".join(o.short_name for o in intersection.organizations)
        who = ", ".join(str(m.member) for m in intersection.members)
        length = bar_width * intersection.count / biggest
        parts.append(
            f"<g><title>Exactly {_text(names)}: {intersection.count} ({_text(who)})</title>"
            f'<rect x="{bar_left}" y="{y - 8}" width="{length:.1f}" height="16" fill="#0072B2"/>'
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
            label += f" (the stage reached on {on.strftime('%-d %B %Y')})"
        elif not stage.is_reached:
            label += f" (not yet reached on {on.strftime('%-d %B %Y')})"
        if not stage.is_exact:
            label += " (date uncertain)"
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
            f'class="as-of-line"><title>{_text(on.strftime("%-d %B %Y"))}</title></line>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
