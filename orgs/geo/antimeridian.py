"""Cutting rings that cross the 180th meridian, so a flat map can draw them.

Natural Earth's topology is spherical: Chukotka, Wrangel Island and a Fijian island run across
180°, and Antarctica's coast goes once round the South Pole. Drawn flat, such a ring would jump
from one edge of the map to the other. Here the arcs that cross are split where they meet the
meridian, and each ring is rebuilt from closed pieces, one per side: a ring crossing twice is
closed along the meridian on each side, a ring crossing once (round a pole) along the meridian
and the pole. Only arcs are added; the indexes of the topology's arcs stay valid.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .topology import Point, arc_points

# Spacing (degrees) of the points added along the meridian: it is curved in Equal Earth.
STEP = 1.0


def _crosses(a: Point, b: Point) -> bool:
    return abs(b[0] - a[0]) > 180


def split_arc(points: Sequence[Point]) -> list[list[Point]]:
    """The arc in pieces, each ending (and the next starting) on the meridian where it crosses."""
    pieces = [[points[0]]]
    for a, b in itertools.pairwise(points):
        if _crosses(a, b):
            side = 180.0 if a[0] > 0 else -180.0
            b_lon = b[0] + 360 if a[0] > 0 else b[0] - 360
            # A point already on the meridian is the crossing itself.
            t = (side - a[0]) / (b_lon - a[0]) if b_lon != a[0] else 0.0
            latitude = a[1] + t * (b[1] - a[1])
            if pieces[-1][-1] != (side, latitude):
                pieces[-1].append((side, latitude))
            pieces.append([(-side, latitude)])
        if b != pieces[-1][-1]:
            pieces[-1].append(b)
    return pieces


def _along(longitude: float, start: float, end: float) -> list[Point]:
    """Points on a meridian from one latitude to another, both ends included."""
    count = max(1, int(abs(end - start) / STEP))
    return [(longitude, start + (end - start) * i / count) for i in range(count + 1)]


class Cutter:
    """Rebuilds rings of arc indexes so no arc crosses 180°, appending the arcs it needs."""

    def __init__(self, arcs: list[list[Point]]):
        self.arcs = list(arcs)
        self.pieces: dict[int, list[int]] = {}
        for index, points in enumerate(arcs):
            if any(_crosses(a, b) for a, b in itertools.pairwise(points)):
                self.pieces[index] = [self._add(piece) for piece in split_arc(points)]

    def _add(self, points: list[Point]) -> int:
        self.arcs.append(points)
        return len(self.arcs) - 1

    def _expand(self, indexes: Sequence[int]) -> list[int]:
        expanded = []
        for index in indexes:
            if index >= 0 and index in self.pieces:
                expanded.extend(self.pieces[index])
            elif index < 0 and ~index in self.pieces:
                expanded.extend(~piece for piece in reversed(self.pieces[~index]))
            else:
                expanded.append(index)
        return expanded

    def _start(self, index: int) -> Point:
        return arc_points(self.arcs, index)[0]

    def _end(self, index: int) -> Point:
        return arc_points(self.arcs, index)[-1]

    def ring(self, indexes: Sequence[int]) -> list[list[int]]:
        """The ring as one or more rings of arc indexes, none of them crossing 180°."""
        expanded = self._expand(indexes)
        breaks = [
            position
            for position in range(len(expanded))
            if _jumps(self._end(expanded[position - 1]), self._start(expanded[position]))
        ]
        if not breaks:
            return [expanded]
        chains = []
        for number, position in enumerate(breaks):
            following = breaks[(number + 1) % len(breaks)]
            if following > position:
                chains.append(expanded[position:following])
            else:
                chains.append(expanded[position:] + expanded[:following])
        if len(chains) == 1:
            return [chains[0] + [self._round_the_pole(chains[0])]]
        if len(chains) == 2:
            return [[*chain, self._down_the_meridian(chain)] for chain in chains]
        raise ValueError(f"a ring crosses 180° {len(chains)} times; only 1 or 2 are handled")

    def _down_the_meridian(self, chain: list[int]) -> int:
        (start_lon, start_lat), (end_lon, end_lat) = self._start(chain[0]), self._end(chain[-1])
        if start_lon != end_lon:
            raise ValueError("a ring crossing 180° twice should start and end on one side")
        points = _along(end_lon, end_lat, start_lat)
        points[0], points[-1] = (end_lon, end_lat), (start_lon, start_lat)
        return self._add(points)

    def _round_the_pole(self, chain: list[int]) -> int:
        start, end = self._start(chain[0]), self._end(chain[-1])
        latitudes = [p[1] for index in chain for p in arc_points(self.arcs, index)]
        pole = -90.0 if sum(latitudes) < 0 else 90.0
        points = _along(end[0], end[1], pole) + _along(start[0], pole, start[1])
        points[0], points[-1] = end, start
        return self._add(points)


def _jumps(a: Point, b: Point) -> bool:
    """Two consecutive points on opposite sides of the map, at the same place on 180°."""
    return abs(a[0]) == 180 and a[0] == -b[0] and a[1] == b[1]


def at_pole(points: Sequence[Point]) -> bool:
    """A ring drawn along a pole: in this projection a line, with nothing to fill."""
    return all(abs(lat) > 89.9 for _, lat in points)
