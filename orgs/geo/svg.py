"""The outline map as SVG markup: countries filled, titled and linked, small states as dots.

Colours and line widths are presentation attributes, not ``style``: they pass the site's strict
Content-Security-Policy, and a downloaded file or the PNG renderer draws them with no
stylesheet. The stylesheet only adds focus rings and hover.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .frames import Frame, clip
from .shapes import country_paths, path_data, rings_at, world

SEA = "#f4f7fa"
LAND = "#dcdcdc"
BORDER = "#ffffff"
DOT_RING = "#222222"

# A country drawn smaller than this (in square pixels of the nominal drawing) gets a dot too,
# so that Bahrain or Singapore can be seen and clicked. Qatar and Lebanon are about this size
# on a map of Eurasia.
DOT_AREA = 80.0
DOT_RADIUS = 4.5  # nominal pixels


@dataclass(frozen=True)
class Mark:
    """How one country looks on a map: its fill, what its title says, where it links."""

    code: str
    fill: str
    title: str
    href: str = ""
    hatched: bool = False
    highlighted: bool = False


def _attr(value) -> str:
    return escape(str(value), {'"': "&quot;"})


def _text(value) -> str:
    return escape(str(value))


def _path(code: str, frame: Frame, edge: tuple) -> str:
    """A country's path data inside the frame: whole if it fits, cut at the edge if not."""
    shape = world().shapes[code]
    if frame.contains(shape.box):
        return country_paths(frame.level)[code]
    return _cut_path(code, frame.level, edge)


@functools.lru_cache(maxsize=2048)
def _cut_path(code: str, level: int, edge: tuple) -> str:
    # Frames repeat (one per organization and date, at most), so each cut is made once.
    data = world()
    shape = data.shapes[code] if code in data.shapes else _unassigned(code)
    return _cut(rings_at(shape, level), edge)


def _unassigned(name: str):
    return next(shape for shape in world().unassigned if shape.name == name)


def _cut(rings: Iterable[Sequence[tuple[int, int]]], edge: tuple) -> str:
    west, north, east, south = edge
    kept = []
    for points in rings:
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        if max(xs) < west or min(xs) > east or max(ys) < north or min(ys) > south:
            continue
        if min(xs) >= west and max(xs) <= east and min(ys) >= north and max(ys) <= south:
            kept.append(points)
            continue
        part = clip(points, edge)
        if part:
            kept.append(part)
    return path_data(kept) if kept else ""


def needs_dot(code: str, frame: Frame) -> bool:
    """Too small to see or to click at this frame's scale, or with no outline at all."""
    shape = world().shapes.get(code)
    if shape is None:
        return code in world().positions
    return shape.area / (frame.pixel * frame.pixel) < DOT_AREA


def dot_position(code: str) -> tuple[float, float] | None:
    data = world()
    if code in data.shapes:
        return data.shapes[code].centre
    return data.positions.get(code)


def outline_map(
    marks: Iterable[Mark],
    *,
    frame: Frame,
    title: str,
    names: dict[str, str] | None = None,
    ident: str = "map",
    description: str = "",
) -> str:
    """An ``<svg>`` of the frame: marked countries filled and linked, the rest grey.

    ``names`` (alpha-2 to name) titles the grey countries; ISO 3166-1's name stands in for a
    code it lacks. ``ident`` prefixes the ids in the markup, unique on a page. Marked countries
    are focusable links when they have an ``href``; their ``<title>`` names them for screen
    readers and as a tooltip.
    """
    marked = {mark.code.upper(): mark for mark in marks}
    data = world()
    pixel = frame.pixel
    # Cut a little outside the frame, so the cut edges stay out of sight.
    margin = 10 * pixel
    edge = (
        frame.x - margin,
        frame.y - margin,
        frame.x + frame.width + margin,
        frame.y + frame.height + margin,
    )
    hatch = f"{ident}-hatch"
    parts = [
        f'<svg class="chart outline-map" viewBox="{frame.view_box}" role="group" '
        f'aria-labelledby="{ident}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{_text(title)}</title>',
    ]
    if description:
        parts.append(f"<desc>{_text(description)}</desc>")
    step = 4 * pixel
    parts.append(
        f'<defs><pattern id="{hatch}" width="{step:.1f}" height="{step:.1f}" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="{step / 2:.1f}" height="{step:.1f}" fill="#fff" fill-opacity="0.7"/>'
        "</pattern></defs>",
    )
    parts.append(
        f'<rect class="sea" x="{frame.x:.0f}" y="{frame.y:.0f}" width="{frame.width:.0f}" '
        f'height="{frame.height:.0f}" fill="{SEA}"/>'
    )
    border = f'stroke="{BORDER}" stroke-width="{0.6 * pixel:.1f}" stroke-linejoin="round"'
    parts.append(f'<g class="land" fill="{LAND}" {border} fill-rule="evenodd">')
    for shape in data.unassigned:
        if frame.overlaps(shape.box):
            d = _cut_path(shape.name, frame.level, edge)
            if d:
                parts.append(f'<path d="{d}"><title>{_text(shape.name)}</title></path>')
    for code, shape in sorted(data.shapes.items()):
        if code in marked or not frame.overlaps(shape.box):
            continue
        d = _path(code, frame, edge)
        if not d:
            continue
        name = (names or {}).get(code) or shape.name
        parts.append(f'<path d="{d}"><title>{_text(name)}</title></path>')
    parts.append("</g>")

    dots = []
    parts.append(f'<g class="marked" {border} fill-rule="evenodd">')
    for code, mark in sorted(marked.items(), key=lambda item: item[1].highlighted):
        outline = data.shapes.get(code)
        d = _path(code, frame, edge) if outline and frame.overlaps(outline.box) else ""
        position = dot_position(code) if needs_dot(code, frame) else None
        if position and frame.overlaps((*position, *position)):
            # The dot is the link; the outline, if any shows, is only colour.
            dots.append((mark, position))
            if d:
                parts.append(f'<path d="{d}" fill="{mark.fill}" aria-hidden="true"/>')
            continue
        if not d:
            continue
        parts.append(_open(mark, "country"))
        parts.append(f'<path d="{d}" fill="{mark.fill}"/>')
        if mark.hatched:
            parts.append(f'<path d="{d}" fill="url(#{hatch})"/>')
        if mark.highlighted:
            parts.append(
                f'<path d="{d}" fill="none" stroke="{DOT_RING}" stroke-width="{1.5 * pixel:.1f}"/>'
            )
        parts.append(_close(mark))
    parts.append("</g>")

    if dots:
        radius = DOT_RADIUS * pixel
        parts.append(f'<g class="dots" stroke="{DOT_RING}" stroke-width="{1.2 * pixel:.1f}">')
        for mark, (x, y) in dots:
            circle = f'cx="{x:.0f}" cy="{y:.0f}" r="{radius:.1f}"'
            parts.append(_open(mark, "dot"))
            parts.append(f'<circle {circle} fill="{mark.fill}"/>')
            if mark.hatched:
                parts.append(f'<circle {circle} fill="url(#{hatch})"/>')
            parts.append(_close(mark))
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _open(mark: Mark, kind: str) -> str:
    title = f"<title>{_text(mark.title)}</title>"
    classes = kind + (" hatched" if mark.hatched else "") + (" here" if mark.highlighted else "")
    data = f'data-code="{mark.code}"'
    if mark.href:
        return f'<a href="{_attr(mark.href)}" class="{classes}" {data}>{title}'
    return f'<g class="{classes}" {data}>{title}'


def _close(mark: Mark) -> str:
    return "</a>" if mark.href else "</g>"


def missing(codes: Iterable[str]) -> list[str]:
    """Codes the map cannot show at all: no outline and no known position."""
    data = world()
    return [c for c in codes if c.upper() not in data.shapes and c.upper() not in data.positions]
