"""Decoding TopoJSON: shared arcs, quantized and delta-encoded, into rings of coordinates.

A topology stores each border once, as an arc; polygons list the arcs of their rings by index,
``~i`` (that is ``-i - 1``) meaning arc ``i`` walked backwards. In a quantized topology every
arc's first position is absolute and the others are differences from the previous one, in
integer steps of ``transform.scale`` from ``transform.translate``.
See https://github.com/topojson/topojson-specification.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

Point = tuple[float, float]
Ring = list[Point]


@dataclass(frozen=True)
class Feature:
    """One geometry of a topology's object: its id, properties and polygons as arc indexes."""

    id: str | None
    properties: dict
    # Each polygon is a list of rings, each ring a list of arc indexes (exterior first).
    polygons: list[list[list[int]]]


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Every arc as absolute (longitude, latitude) positions."""
    transform = topology.get("transform")
    if transform is None:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def features(topology: dict, name: str) -> Iterator[Feature]:
    """The polygons of the named object, one ``Feature`` per geometry; others are skipped."""
    collection = topology["objects"][name]
    geometries = (
        collection["geometries"] if collection["type"] == "GeometryCollection" else [collection]
    )
    for geometry in geometries:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        yield Feature(geometry.get("id"), geometry.get("properties") or {}, polygons)


def arc_points(arcs: Sequence[Sequence], index: int) -> Sequence:
    """The positions of arc ``index``, reversed for a negative (``~i``) index."""
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring(arcs: Sequence[Sequence], indexes: Sequence[int]) -> list:
    """A closed ring from its arcs: each arc after the first starts where the last one ended."""
    points: list = []
    for index in indexes:
        part = arc_points(arcs, index)
        points.extend(part if not points else part[1:])
    return points


def stitch(indexes: Sequence[int], arcs: Sequence[Sequence]) -> list[list[int]]:
    """Rings from a bag of directed arcs, dropping borders walked both ways.

    When several features become one country (a territory Natural Earth draws apart), the
    border between them appears once in each direction; without it, what is left chains into
    the outline of the whole. An arc whose walk cannot be closed is left out.
    """
    indexes = list(indexes)
    present = set(indexes)
    kept = [i for i in indexes if ~i not in present]
    start_of: dict = {}
    for index in kept:
        start_of.setdefault(arc_points(arcs, index)[0], []).append(index)
    used: set[int] = set()
    rings = []
    for first in kept:
        if first in used:
            continue
        chain, current = [first], first
        used.add(first)
        origin = arc_points(arcs, first)[0]
        while arc_points(arcs, current)[-1] != origin:
            followers = [
                i for i in start_of.get(arc_points(arcs, current)[-1], []) if i not in used
            ]
            if not followers:
                chain = []
                break
            current = followers[0]
            used.add(current)
            chain.append(current)
        if chain:
            rings.append(chain)
    return rings
