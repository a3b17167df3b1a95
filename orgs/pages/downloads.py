"""Every chart as a file: standalone SVG with a credit line, the data behind it as CSV, the map
as PNG for sharing.

Each download asks the same selectors as its page and draws with the same functions, so a file
says what the page said on that date. ``?as_of`` and the compare page's parameters are read the
same way too, and a bad one is the same 400.
"""

from __future__ import annotations

import csv
import io
import re
from xml.sax.saxutils import escape

import resvg_py
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views import View

from orgs import selectors
from orgs.dates import PartialDate
from orgs.models import Country, Organization
from orgs.spreadsheets import neutralised

from . import charts, maps
from .compare import chosen_overlap
from .mixins import AtlasPageMixin

FONTS = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
INK, MUTED = "#111111", "#555555"
# The map's PNG: the width Open Graph previews use.
PNG_WIDTH = 1200


def _text(value) -> str:
    return escape(str(value))


# --- standalone SVG documents -----------------------------------------------------------------


def _legend_rows(items, *, x0: float, width: float, y: float) -> tuple[list[str], float]:
    """Legend keys left to right, wrapping at ``width``; returns the markup and the next y."""
    parts, x = [], x0
    for item in items:
        # DejaVu Sans at 14 px averages about 8.5 px a character; leave room to spare.
        advance = 44 + 8.5 * len(item.label)
        if x > x0 and x + advance > x0 + width:
            x, y = x0, y + 24
        parts.append(f'<g transform="translate({x:.0f} {y:.0f})">{maps.swatch(item)}')
        parts.append(
            f'<text x="20" y="12" font-size="14" fill="{INK}">{_text(item.label)}</text></g>'
        )
        x += advance
    return parts, y + 24


def standalone(
    chart: str,
    *,
    title: str,
    credit: str,
    legend=(),
    width: float | None = None,
    url: str = "",
) -> str:
    """A self-contained SVG file: title, the chart, its legend, and a credit line.

    ``chart`` is an ``<svg>`` with a ``viewBox``; it is nested at its own proportions. No
    stylesheet is needed: colours, lines and fonts are attributes.
    """
    box = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"', chart)
    if box is None:
        raise ValueError("the chart has no viewBox")
    chart_width, chart_height = float(box[3]), float(box[4])
    margin = 24
    width = width or max(chart_width + 2 * margin, 640)
    inner_width = width - 2 * margin
    inner_height = inner_width * chart_height / chart_width
    top = 64
    placed = chart.replace(
        "<svg ",
        f'<svg x="{margin}" y="{top}" width="{inner_width:.0f}" height="{inner_height:.0f}" ',
        1,
    )
    if legend:
        legend_parts, y = _legend_rows(
            legend, x0=margin, width=inner_width, y=top + inner_height + 16
        )
        y += 8
    else:
        legend_parts, y = [], top + inner_height + 16
    height = y + (34 if url else 16)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONTS}">',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        f'<text x="{margin}" y="40" font-size="22" font-weight="bold" fill="{INK}">'
        f"{_text(title)}</text>",
        placed,
        *legend_parts,
        f'<text x="{margin}" y="{y + 4:.0f}" font-size="13" fill="{MUTED}">{_text(credit)}</text>',
    ]
    if url:
        parts.append(
            f'<text x="{margin}" y="{y + 22:.0f}" font-size="13" fill="{MUTED}">{_text(url)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def credit_line(on, *, outlines: bool) -> str:
    words = {"site": _("Eurasia Atlas"), "day": PartialDate(on).display}
    if outlines:
        return _("%(site)s, as of %(day)s. Borders: Natural Earth (public domain).") % words
    return _("%(site)s, as of %(day)s.") % words


# --- responses --------------------------------------------------------------------------------


def svg_response(document: str, filename: str) -> HttpResponse:
    response = HttpResponse(document, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def png_response(document: str, filename: str) -> HttpResponse:
    # Rendered from the same SVG as the download; the page cache keeps the bytes, so this runs
    # once per map and date until the atlas changes.
    png = resvg_py.svg_to_bytes(svg_string=document, width=PNG_WIDTH)
    response = HttpResponse(bytes(png), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def csv_response(header: list[str], rows, filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    # Names a spreadsheet would run as a formula are guarded (orgs.spreadsheets).
    writer.writerows([neutralised(cell) for cell in row] for row in rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _date(partial) -> str:
    return partial.display if partial else ""


def spell_rows(spells, *, by: str):
    """The rows of a timeline's CSV: one per spell, as the chart draws it."""
    for spell in spells:
        if by == "member":
            member = spell.member
            code = member.iso2 if spell.member_country_id else member.slug
            name = member.name if spell.member_country_id else member.short_name
        else:
            code, name = spell.organization.slug, spell.organization.short_name
        yield [
            code,
            name,
            spell.status,
            spell.qualifier,
            _date(spell.start_partial),
            _date(spell.end_partial),
            spell.rank,
        ]


SPELL_HEADER = ["code", "name", "status", "qualifier", "start", "end", "rank"]


class Download(AtlasPageMixin, View):
    """``?as_of`` and draft preview as on the pages; ``kind`` picks the file."""

    kind = "svg"

    def absolute(self, country) -> str:
        return self.request.build_absolute_uri(country.get_absolute_url())

    def stamp(self) -> str:
        return self.on.isoformat()


# --- organization -----------------------------------------------------------------------------


class OrganizationDownload(Download):
    def organization(self):
        try:
            return selectors.organization_get(self.kwargs["slug"], preview=self.preview)
        except Organization.DoesNotExist:
            raise Http404(_("No such organization.")) from None


class OrganizationMapDownload(OrganizationDownload):
    def get(self, request, *args, **kwargs):
        organization = self.organization()
        groups = selectors.organization_members_as_of(organization, self.on, preview=self.preview)
        spells = [spell for group in groups for spell in group.spells]
        name = f"{organization.slug}-map-{self.stamp()}"
        if self.kind == "csv":
            rows = [
                [
                    spell.member_country.iso2,
                    spell.member_country.name,
                    spell.status,
                    spell.qualifier,
                    _date(spell.start_partial),
                    "yes" if spell.is_certain else "no",
                ]
                for spell in maps.shown_spells(spells)
            ]
            header = ["iso2", "country", "status", "qualifier", "since", "certain_on_date"]
            return csv_response(header, rows, f"{name}.csv")
        drawn = maps.organization_map(
            organization,
            spells,
            on=self.on,
            names=maps.country_names(preview=self.preview),
            link=self.absolute,
        )
        document = standalone(
            drawn.svg,
            title=drawn.title,
            credit=credit_line(self.on, outlines=True),
            legend=drawn.legend,
            width=PNG_WIDTH,
            url=self.request.build_absolute_uri(organization.get_absolute_url()),
        )
        if self.kind == "png":
            return png_response(document, f"{name}.png")
        return svg_response(document, f"{name}.svg")


class OrganizationTimelineDownload(OrganizationDownload):
    def get(self, request, *args, **kwargs):
        organization = self.organization()
        history = selectors.membership_history(organization=organization, preview=self.preview)
        name = f"{organization.slug}-timeline-{self.stamp()}"
        if self.kind == "csv":
            return csv_response(SPELL_HEADER, spell_rows(history, by="member"), f"{name}.csv")
        title = _("Timeline of %(organization)s: accessions, status changes and exits") % {
            "organization": organization.localized_short_name
        }
        chart = charts.timeline(charts.timeline_rows(history, by="member"), on=self.on, title=title)
        if not chart:
            raise Http404(_("No spells to draw."))
        document = standalone(
            chart,
            title=title,
            credit=credit_line(self.on, outlines=False),
            url=self.request.build_absolute_uri(organization.get_absolute_url()),
        )
        return svg_response(document, f"{name}.svg")


# --- country ----------------------------------------------------------------------------------


class CountryDownload(Download):
    def country(self):
        try:
            return selectors.country_get(self.kwargs["iso2"], preview=self.preview)
        except Country.DoesNotExist:
            raise Http404(_("No such country.")) from None


class CountryMapDownload(CountryDownload):
    def get(self, request, *args, **kwargs):
        country = self.country()
        drawn = maps.country_map(country, link=self.absolute)
        document = standalone(
            drawn.svg,
            title=drawn.title,
            credit=credit_line(self.on, outlines=True),
            legend=drawn.legend,
            width=PNG_WIDTH,
            url=self.absolute(country),
        )
        return svg_response(document, f"{country.iso2.lower()}-map.svg")


class CountryTimelineDownload(CountryDownload):
    def get(self, request, *args, **kwargs):
        country = self.country()
        history = selectors.membership_history(country=country, preview=self.preview)
        name = f"{country.iso2.lower()}-timeline-{self.stamp()}"
        if self.kind == "csv":
            rows = spell_rows(history, by="organization")
            return csv_response(SPELL_HEADER, rows, f"{name}.csv")
        title = _("Timeline of %(country)s's statuses in international organizations") % {
            "country": country.localized_name
        }
        chart = charts.timeline(
            charts.timeline_rows(history, by="organization"), on=self.on, title=title
        )
        if not chart:
            raise Http404(_("No spells to draw."))
        document = standalone(
            chart,
            title=title,
            credit=credit_line(self.on, outlines=False),
            url=self.absolute(country),
        )
        return svg_response(document, f"{name}.svg")


# --- compare ----------------------------------------------------------------------------------


class CompareDownload(Download):
    """``?organizations=`` and ``?statuses=`` read as the compare page reads them."""

    def get(self, request, *args, **kwargs):
        result = chosen_overlap(request, self.on, preview=self.preview)
        if result is None:
            raise Http404(_("Choose organizations to compare."))
        slugs = "-".join(o.slug for o in result.organizations)
        name = f"compare-{slugs}-{self.kind}-{self.stamp()}"
        if self.kind == "csv":
            return self.table(result, f"{name}.csv")
        if self.kind == "map":
            drawn = maps.compare_map(result, link=self.absolute)
            chart, title, legend, width = drawn.svg, drawn.title, drawn.legend, PNG_WIDTH
        elif self.kind == "venn":
            chart, legend, width = charts.venn(result), (), None
            title = _("Members in each exact combination of %(organizations)s") % {
                "organizations": ", ".join(o.localized_short_name for o in result.organizations)
            }
        else:
            chart, legend, width = charts.upset(result), (), None
            title = _("Exact intersections of %(organizations)s") % {
                "organizations": ", ".join(o.localized_short_name for o in result.organizations)
            }
        if not chart:
            raise Http404(_("This chart needs two or three organizations."))
        document = standalone(
            chart,
            title=title,
            credit=credit_line(self.on, outlines=self.kind == "map"),
            legend=legend,
            width=width,
            url=request.build_absolute_uri(),
        )
        return svg_response(document, f"{name}.svg")

    def table(self, result, filename):
        organizations = result.organizations
        header = ["code", "member", "combination"] + [o.slug for o in organizations]
        rows = []
        for entry in result.members:
            member = entry.member
            in_these = [o for o in organizations if entry.spells_in(o)]
            code = member.iso2 if entry.kind == "country" else member.slug
            cells = ["; ".join(spell.status for spell in entry.spells_in(o)) for o in organizations]
            rows.append([code, str(member), "+".join(o.slug for o in in_these), *cells])
        return csv_response(header, rows, filename)
