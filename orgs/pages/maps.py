"""The outline maps of the organization, country and compare pages.

Each map is built from what the page's selectors already returned (the spells of the date, the
overlap of the compared organizations), so a map and the lists beside it always agree, and the
downloads (``downloads.py``) build the same maps with the same functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from orgs.dates import PartialDate, since
from orgs.geo import frames, svg
from orgs.geo.svg import LAND, Mark
from orgs.languages import active_language, country_name_in
from orgs.models import STATUS_ORDER, Country, Status

from .charts import STATUS_COLOURS, combination_colour, status_label

# The country a locator map is about (Okabe–Ito vermilion, apart from every status colour).
HERE_COLOUR = "#D55E00"


@dataclass
class LegendItem:
    colour: str
    label: str
    hatched: bool = False
    dot: bool = False


@dataclass
class Map:
    """A map ready for a page: the SVG, its legend, and who could not be drawn."""

    svg: SafeString
    legend: list[LegendItem] = field(default_factory=list)
    frame: frames.Frame = frames.WORLD
    not_drawn: list[str] = field(default_factory=list)
    title: str = ""
    caption: str = ""
    downloads: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return self.svg

    @property
    def legend_html(self) -> SafeString:
        return legend_html(self.legend)


# --- organization map -------------------------------------------------------------------------


def country_link(country) -> str:
    return country.get_absolute_url()


def shown_spells(spells: Iterable) -> list:
    """The spell each country is drawn by: its first status in STATUS_ORDER on the date."""
    order = {status: index for index, status in enumerate(STATUS_ORDER)}
    shown: dict[str, object] = {}
    for spell in sorted(spells, key=lambda s: order.get(s.status, len(order))):
        if spell.member_country_id and spell.member_country.iso2 not in shown:
            shown[spell.member_country.iso2] = spell
    return list(shown.values())


def status_marks(spells: Iterable, *, link=country_link) -> list[Mark]:
    """One mark per country: the colour of its status, hatched where uncertain, titled."""
    marks = []
    for spell in shown_spells(spells):
        country = spell.member_country
        label = status_label(spell.status)
        if spell.qualifier:
            label += f" ({spell.qualifier})"
        title = _("%(country)s: %(status)s, %(since)s") % {
            "country": country.localized_name,
            "status": label,
            "since": since(spell.start_partial),
        }
        if spell.end_partial:
            title += " " + _("(until %(end)s)") % {"end": spell.end_partial.display}
        if not spell.is_certain:
            title += " " + _("(uncertain on this date)")
        marks.append(
            Mark(
                country.iso2,
                STATUS_COLOURS[spell.status],
                title,
                href=link(country),
                hatched=not spell.is_certain,
            )
        )
    return marks


def status_legend(spells: Sequence) -> list[LegendItem]:
    present = {spell.status for spell in spells if spell.member_country_id}
    items = [
        LegendItem(STATUS_COLOURS[s], str(Status(s).label)) for s in STATUS_ORDER if s in present
    ]
    if any(not spell.is_certain for spell in spells if spell.member_country_id):
        items.append(LegendItem("#8a8a8a", _("uncertain on this date"), hatched=True))
    items.append(LegendItem(LAND, _("no status")))
    return items


def organization_map(
    organization,
    spells: Sequence,
    *,
    on,
    names: dict[str, str],
    ident: str = "map",
    link=country_link,
) -> Map:
    """Countries filled by their status on ``on``, framed on them; small states as dots."""
    marks = status_marks(spells, link=link)
    view = frames.frame(mark.code for mark in marks)
    title = _("Map of %(organization)s members and partners by status as of %(day)s") % {
        "organization": organization.localized_short_name,
        "day": PartialDate(on).display,
    }
    drawn = _map(marks, view, title, names, status_legend(spells), ident)
    drawn.caption = _(
        "Countries by their status on this date, the others grey; hatched where the status is "
        "uncertain on this date. Small countries are marked with a dot. Hover over or focus a "
        "country for its status and since when; follow it to its page."
    )
    return drawn


# --- country map ------------------------------------------------------------------------------


def country_map(country, *, ident: str = "map", link=country_link) -> Map:
    """A locator map: the country highlighted among its neighbours."""
    mark = Mark(
        country.iso2, HERE_COLOUR, country.localized_name, href=link(country), highlighted=True
    )
    title = _("Where %(country)s lies") % {"country": country.localized_name}
    drawn = _map([mark], frames.locator(country.iso2), title, {}, [], ident)
    drawn.caption = _("%(country)s (highlighted) and its surroundings.") % {
        "country": country.localized_name
    }
    return drawn


# --- compare map ------------------------------------------------------------------------------


def overlap_marks(overlap, *, link=country_link) -> list[Mark]:
    """Each country coloured by the combination of compared organizations it is in."""
    organizations = overlap.organizations
    total = len(organizations)
    marks = []
    for entry in overlap.members:
        if entry.kind != "country":
            continue
        country = entry.member
        positions = [i for i, o in enumerate(organizations) if entry.spells_in(o)]
        if not positions:
            continue
        names = " + ".join(organizations[i].localized_short_name for i in positions)
        spells = [spell for o in organizations for spell in entry.spells_in(o)]
        certain = all(spell.is_certain for spell in spells)
        if total <= 3:
            title = _("%(country)s: in %(organizations)s") % {
                "country": country.localized_name,
                "organizations": names,
            }
        else:
            title = _("%(country)s: in %(count)d of %(total)d (%(organizations)s)") % {
                "country": country.localized_name,
                "count": len(positions),
                "total": total,
                "organizations": names,
            }
        if not certain:
            title += " " + _("(uncertain on this date)")
        marks.append(
            Mark(
                country.iso2,
                combination_colour(positions, total),
                title,
                href=link(country),
                hatched=not certain,
            )
        )
    return marks


def overlap_legend(overlap, marks: Sequence[Mark]) -> list[LegendItem]:
    organizations = overlap.organizations
    total = len(organizations)
    items = []
    if total <= 3:
        for intersection in overlap.intersections:
            positions = [organizations.index(o) for o in intersection.organizations]
            label = " + ".join(o.localized_short_name for o in intersection.organizations)
            # "only" as in the UpSet chart: exactly these organizations, none of the others.
            items.append(
                LegendItem(
                    combination_colour(positions, total),
                    _("%(organizations)s only") % {"organizations": label},
                )
            )
    else:
        for count in range(1, total + 1):
            colour = combination_colour(range(count), total)
            items.append(
                LegendItem(
                    colour,
                    _("in %(count)d of %(total)d") % {"count": count, "total": total},
                )
            )
    if any(mark.hatched for mark in marks):
        items.append(LegendItem("#8a8a8a", _("uncertain on this date"), hatched=True))
    items.append(LegendItem(LAND, _("in none")))
    return items


def compare_map(
    overlap, *, names: dict[str, str] | None = None, ident: str = "map", link=country_link
) -> Map:
    marks = overlap_marks(overlap, link=link)
    short = ", ".join(o.localized_short_name for o in overlap.organizations)
    words = {"organizations": short, "day": PartialDate(overlap.on).display}
    title = (
        _("Map of the full members of %(organizations)s as of %(day)s") % words
        if overlap.statuses == ["member"]
        else _("Map of the members and partners of %(organizations)s as of %(day)s") % words
    )
    view = frames.frame(mark.code for mark in marks)
    drawn = _map(marks, view, title, names or {}, overlap_legend(overlap, marks), ident)
    if len(overlap.organizations) <= 3:
        drawn.caption = _(
            "Each country in the colour of the exact combination of these organizations it is "
            "in, as in the UpSet chart; hatched where a status is uncertain on this date."
        )
    else:
        drawn.caption = _(
            "Each country by how many of these organizations it is in, lighter for fewer; "
            "hatched where a status is uncertain on this date."
        )
    return drawn


# --- shared -----------------------------------------------------------------------------------


def country_names(*, preview: bool) -> dict[str, str]:
    """Every country's name by alpha-2 in the page's language (English where there is none),
    for the titles of the grey countries: one query."""
    language = active_language()
    return {
        iso2: country_name_in(iso2, name, language) or name
        for iso2, name in Country.objects.visible(preview).values_list("iso2", "name")
    }


def _map(marks, view, title, names, legend, ident) -> Map:
    markup = svg.outline_map(marks, frame=view, title=title, names=names, ident=ident)
    missing = set(svg.missing(mark.code for mark in marks))
    not_drawn = [mark.title for mark in marks if mark.code in missing]
    if any(svg.needs_dot(mark.code, view) for mark in marks):
        legend = [*legend, LegendItem("#ffffff", _("small country (drawn as a dot)"), dot=True)]
    return Map(mark_safe(markup), legend, view, not_drawn, title)


def swatch(item: LegendItem, *, size: int = 14) -> str:
    """A legend key as a small inline SVG: colours as attributes, so the CSP allows them."""
    half = size / 2
    if item.dot:
        shape = (
            f'<circle cx="{half}" cy="{half}" r="{half - 2}" fill="{item.colour}" '
            f'stroke="{svg.DOT_RING}" stroke-width="1.5"/>'
        )
    else:
        shape = (
            f'<rect width="{size}" height="{size}" fill="{item.colour}" stroke="#8a8a8a" '
            'stroke-width="0.5"/>'
        )
    if item.hatched:
        shape += "".join(
            f'<line x1="{x}" y1="{size}" x2="{x + size}" y2="0" stroke="#fff" stroke-width="2"/>'
            for x in range(-size, size, 4)
        )
    return (
        f'<svg class="swatch" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
        f'aria-hidden="true" focusable="false">{shape}</svg>'
    )


def legend_html(items: Sequence[LegendItem]) -> SafeString:
    """The legend as an HTML list under the map: it reflows at any width, unlike SVG text."""
    if not items:
        return mark_safe("")
    rows = "".join(f"<li>{swatch(item)} {escape(item.label)}</li>" for item in items)
    return mark_safe(f'<ul class="map-legend">{rows}</ul>')


def download_links(request, *files: tuple[str, str, list]) -> list[tuple[str, str]]:
    """(label, address) of each file, carrying the page's parameters (the date, the choices)."""
    query = request.GET.urlencode()
    return [
        (label, reverse(name, args=args) + (f"?{query}" if query else ""))
        for label, name, args in files
    ]
