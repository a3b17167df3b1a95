"""Country outlines keyed by ISO 3166-1 alpha-2, projected and simplified once per process.

The vendored Natural Earth topology (``data/countries-50m.json``) is decoded, every arc is
projected with Equal Earth into map units (the whole world is ``WORLD_WIDTH`` across, y down as
in SVG), and each feature becomes the atlas's alpha-2 code through pycountry. Arcs are simplified
one by one, never whole polygons, so two neighbours keep one identical border at every level of
detail. Everything here is computed on first use and kept for the life of the process.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pycountry

from .antimeridian import Cutter, at_pole
from .projection import HALF_HEIGHT, HALF_WIDTH, equal_earth
from .topology import decode_arcs, features, ring, stitch

DATA = Path(__file__).resolve().parent / "data" / "countries-50m.json"

# Map units: the projected world is this wide. Path data is written in whole units, so one unit
# must stay below a pixel at the largest zoom a page uses (a small country's locator map).
WORLD_WIDTH = 10000
SCALE = WORLD_WIDTH / (2 * HALF_WIDTH)
WORLD_HEIGHT = round(2 * HALF_HEIGHT * SCALE)

# Tolerances (map units) of the levels of detail, coarsest first. The coarsest is about half a
# pixel when the whole world is drawn 1000 px wide; a view zoomed in takes a finer level.
LEVELS = (6.0, 2.0, 0.7)

# A ring this much smaller than its country's largest does not count when framing a view on the
# country: the Aleutians, Hawaii or Chukotka's tip beyond 180° would otherwise widen the view of
# the United States or Russia to the whole world.
MAIN_SHARE = 0.1

# --- which feature is which country -----------------------------------------------------------

# Natural Earth features without an ISO numeric code, and the code the atlas files them under.
# Territories the atlas records on their own take its codes from ISO's user-assigned range:
# Northern Cyprus (XN, an observer in the Organization of Turkic States) and Kosovo (XK, as the
# EU and most atlases write it). Somaliland, which ISO 3166-1 and the UN count within Somalia and
# the atlas does not record, is drawn as Somalia. The Siachen Glacier (disputed by India and
# Pakistan) is left as land of no country.
UNCODED = {
    "Kosovo": "XK",
    "N. Cyprus": "XN",
    "Somaliland": "SO",
    # Christmas Island and the Cocos (Keeling) Islands come as one feature; split below.
    "Indian Ocean Ter.": "CX",
}

# Territories with their own alpha-2 code that Natural Earth draws inside another country's
# feature: (from, to, (west, south, east, north) in degrees). A polygon of ``from`` lying wholly
# inside the box becomes part of ``to``.
TERRITORIES = [
    ("FR", "GF", (-55.0, 1.5, -51.0, 6.0)),  # French Guiana
    ("FR", "GP", (-62.0, 15.8, -61.0, 16.6)),  # Guadeloupe
    ("FR", "MQ", (-61.3, 14.3, -60.7, 15.0)),  # Martinique
    ("FR", "RE", (55.0, -21.6, 56.0, -20.7)),  # Réunion
    ("FR", "YT", (44.9, -13.1, 45.4, -12.5)),  # Mayotte
    ("NO", "SJ", (10.0, 74.0, 35.0, 81.0)),  # Svalbard
    ("NO", "SJ", (-9.5, 70.5, -7.5, 71.5)),  # Jan Mayen
    ("NL", "BQ", (-68.5, 11.9, -62.8, 17.8)),  # Bonaire, Sint Eustatius and Saba
    ("CX", "CC", (96.0, -12.5, 97.5, -11.5)),  # Cocos (Keeling) Islands
]

# Countries and territories the 50m outlines leave out (too small at that scale, or uninhabited
# and unmapped): a position (latitude, longitude) for their dot, the main island or the capital.
POSITIONS = {
    "BV": (-54.42, 3.36),  # Bouvet Island
    "GI": (36.14, -5.35),  # Gibraltar
    "TK": (-9.17, -171.82),  # Tokelau: Fakaofo
    "TV": (-8.52, 179.20),  # Tuvalu: Funafuti
    "UM": (19.29, 166.63),  # United States Minor Outlying Islands: Wake Island
}


def country_name(code: str) -> str:
    """ISO 3166-1's short name, in its common form where it has one ("Laos", "Taiwan")."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return {"XK": "Kosovo", "XN": "Northern Cyprus"}.get(code, code)
    return getattr(country, "common_name", None) or country.name


def alpha2(feature_id: str | None, name: str) -> str | None:
    """The atlas's code for a Natural Earth feature, or None for land of no listed country."""
    if feature_id is None:
        return UNCODED.get(name)
    country = pycountry.countries.get(numeric=feature_id)
    return country.alpha_2 if country else None


# --- projection into map units ----------------------------------------------------------------


def to_map(longitude: float, latitude: float) -> tuple[float, float]:
    """A position in degrees as (x, y) map units, y down."""
    x, y = equal_earth(longitude, latitude)
    return (x + HALF_WIDTH) * SCALE, (HALF_HEIGHT - y) * SCALE


# --- simplification ---------------------------------------------------------------------------


def simplify(points: Sequence[tuple[float, float]], tolerance: float) -> list[tuple[int, int]]:
    """Douglas–Peucker on one arc, ends kept, then rounded to whole map units.

    The ends are shared with the neighbouring arcs, so keeping them keeps the rings closed.
    """
    count = len(points)
    if count <= 2:
        kept = list(range(count))
    else:
        keep = [False] * count
        keep[0] = keep[-1] = True
        square = tolerance * tolerance
        stack = [(0, count - 1)]
        while stack:
            first, last = stack.pop()
            ax, ay = points[first]
            bx, by = points[last]
            dx, dy = bx - ax, by - ay
            length = dx * dx + dy * dy
            farthest, worst = 0, square
            for index in range(first + 1, last):
                px, py = points[index]
                if length:
                    t = ((px - ax) * dx + (py - ay) * dy) / length
                    t = 0.0 if t < 0 else 1.0 if t > 1 else t
                    ex, ey = ax + t * dx - px, ay + t * dy - py
                else:
                    ex, ey = ax - px, ay - py
                distance = ex * ex + ey * ey
                if distance > worst:
                    farthest, worst = index, distance
            if farthest:
                keep[farthest] = True
                stack.append((first, farthest))
                stack.append((farthest, last))
        kept = [index for index in range(count) if keep[index]]
    rounded: list[tuple[int, int]] = []
    for index in kept:
        x, y = points[index]
        point = (round(x), round(y))
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    if len(rounded) == 1 and count > 1:
        rounded.append(rounded[0])
    return rounded


# --- shapes -----------------------------------------------------------------------------------


def ring_area(points: Sequence[tuple[float, float]]) -> float:
    """Signed area (shoelace formula); exteriors and holes have opposite signs."""
    total = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        total += x1 * y2 - x2 * y1
    return total / 2


def ring_centroid(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    area = ring_area(points)
    if not area:
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * area), cy / (6 * area)


Box = tuple[float, float, float, float]


def _box(points: Iterable[tuple[float, float]]) -> Box:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _union(boxes: Iterable[Box]) -> Box:
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


@dataclass(frozen=True)
class Shape:
    """One country's outline, as rings of arc indexes, with its measures in map units."""

    code: str  # alpha-2; empty for land of no listed country
    name: str  # ISO 3166-1's name; Natural Earth's for land of no listed country
    rings: tuple[tuple[int, ...], ...]
    area: float
    box: Box  # every ring
    main_box: Box  # the rings that count when framing a view on the country
    centre: tuple[float, float]  # centroid of the largest ring


@dataclass(frozen=True)
class World:
    arcs: list[list[tuple[float, float]]]  # projected, full detail
    shapes: dict[str, Shape]  # by alpha-2
    unassigned: list[Shape]  # land of no listed country
    positions: dict[str, tuple[float, float]]  # countries without an outline: dot positions


def _inside(points: Sequence[tuple[float, float]], box: Box) -> bool:
    west, south, east, north = box
    return all(west <= lon <= east and south <= lat <= north for lon, lat in points)


def _shape(code: str, name: str, polygons: list, arcs: list, merged: bool) -> Shape:
    if merged:
        # Several features make this country: the borders between them go.
        rings = stitch([index for polygon in polygons for r in polygon for index in r], arcs)
    else:
        rings = [r for polygon in polygons for r in polygon]
    points = [ring(arcs, r) for r in rings]
    areas = [ring_area(p) for p in points]
    largest = max(range(len(points)), key=lambda i: abs(areas[i]))
    main = [
        p for p, a in zip(points, areas, strict=True) if abs(a) >= MAIN_SHARE * abs(areas[largest])
    ]
    return Shape(
        code=code,
        name=name,
        rings=tuple(tuple(r) for r in rings),
        area=abs(sum(areas)),
        box=_union(_box(p) for p in points),
        main_box=_union(_box(p) for p in main),
        centre=ring_centroid(points[largest]),
    )


@functools.cache
def world() -> World:
    """The decoded, projected outlines of every country: computed once per process."""
    topology = json.loads(DATA.read_text(encoding="utf-8"))
    degrees = decode_arcs(topology)
    cutter = Cutter(degrees)
    polygons: dict[str, list] = {}
    sources: dict[str, int] = {}
    uncoded = []
    for feature in features(topology, "countries"):
        name = feature.properties.get("name", "")
        code = alpha2(feature.id, name)
        for polygon in feature.polygons:
            flat = [
                part for r in polygon if not at_pole(ring(degrees, r)) for part in cutter.ring(r)
            ]
            if code is None:
                uncoded.append((name, flat))
                continue
            target = code
            for source, territory, box in TERRITORIES:
                if source == code and _inside(ring(degrees, polygon[0]), box):
                    target = territory
                    break
            polygons.setdefault(target, []).append(flat)
        if code is not None:
            sources[code] = sources.get(code, 0) + 1
    arcs = [[to_map(lon, lat) for lon, lat in arc] for arc in cutter.arcs]
    unassigned = [_shape("", name, [flat], arcs, merged=False) for name, flat in uncoded]
    shapes = {
        code: _shape(code, country_name(code), parts, arcs, merged=sources.get(code, 1) > 1)
        for code, parts in polygons.items()
    }
    positions = {code: to_map(lon, lat) for code, (lat, lon) in POSITIONS.items()}
    return World(arcs, shapes, unassigned, positions)


def position(code: str) -> tuple[float, float] | None:
    """Where a country's dot goes: its largest ring's centroid, or its listed position."""
    data = world()
    shape = data.shapes.get(code.upper())
    if shape is not None:
        return shape.centre
    return data.positions.get(code.upper())


@functools.cache
def simplified_arcs(level: int) -> list[list[tuple[int, int]]]:
    """Every arc at a level of detail, in whole map units."""
    tolerance = LEVELS[level]
    return [simplify(arc, tolerance) for arc in world().arcs]


def rings_at(shape: Shape, level: int) -> list[list[tuple[int, int]]]:
    """The shape's rings at a level of detail; rings that collapse to a line are dropped."""
    arcs = simplified_arcs(level)
    rings = []
    for indexes in shape.rings:
        points = ring(arcs, indexes)
        if len(set(points)) >= 3:
            rings.append(points)
    return rings


def path_data(rings: Iterable[Sequence[tuple[int, int]]]) -> str:
    """SVG path data for closed rings of whole-unit points, in relative steps to keep it short.

    Each ring's last point repeats its first; ``z`` draws that closing side.
    """
    parts: list[str] = []
    x = y = 0
    for points in rings:
        first_x, first_y = points[0]
        parts.append(f"M{first_x} {first_y}" if not parts else f"m{first_x - x} {first_y - y}")
        x, y = first_x, first_y
        steps = []
        for px, py in points[1:-1]:
            if (px, py) != (x, y):
                steps.append(f"{px - x} {py - y}")
                x, y = px, py
        parts.append("l" + " ".join(steps) + "z")
        x, y = first_x, first_y
    # A minus sign separates numbers as well as a space does.
    return "".join(parts).replace(" -", "-")


@functools.cache
def country_paths(level: int) -> dict[str, str]:
    """Path data of every country at a level of detail, by alpha-2 (empty when it vanishes)."""
    return {code: path_data(rings_at(shape, level)) for code, shape in world().shapes.items()}


def prepare() -> None:
    """Decode, project and simplify everything now, so no reader's request waits for it.

    About a second of one core, once per process; the WSGI module calls it as a server starts.
    """
    for level in range(len(LEVELS)):
        country_paths(level)
