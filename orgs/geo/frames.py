"""Which part of the world a map shows: framed on a set of countries, or the whole world.

A frame is a rectangle in map units (see ``shapes``); the SVG's ``viewBox`` is the frame, so
the path data stays the same whatever is shown, and only the shapes inside are written out,
cut at the frame's edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .shapes import LEVELS, WORLD_HEIGHT, WORLD_WIDTH, Box, to_map, world

# The world without Antarctica: from 84° N, above Greenland, to 57° S, below Cape Horn.
WORLD_TOP = to_map(0, 84)[1]
WORLD_BOTTOM = to_map(0, -57)[1]

# Frames keep to these proportions (width / height), so the page's layout does not jump.
NARROWEST, WIDEST = 1.3, 2.0
# A frame wider than this share of the world shows the whole world instead.
SPREAD_OUT = 0.6
# Around the countries framed, this share of the larger side; never narrower than MIN_WIDTH.
PADDING = 0.06
MIN_WIDTH = WORLD_WIDTH / 9
# A locator map shows a country with about its size again around it, at least this wide.
LOCATOR_PADDING, LOCATOR_MIN_WIDTH = 0.7, WORLD_WIDTH / 10

# The width in pixels a map is drawn for, by which line widths and dot sizes are chosen.
NOMINAL_WIDTH = 1000


@dataclass(frozen=True)
class Frame:
    x: float
    y: float
    width: float
    height: float

    @property
    def zoom(self) -> float:
        return WORLD_WIDTH / self.width

    @property
    def pixel(self) -> float:
        """One pixel of the nominal drawing, in map units."""
        return self.width / NOMINAL_WIDTH

    @property
    def level(self) -> int:
        """The coarsest level of detail that still looks smooth at this zoom."""
        wanted = LEVELS[0] / self.zoom
        for index, tolerance in enumerate(LEVELS):
            if tolerance <= wanted * 1.01:
                return index
        return len(LEVELS) - 1

    @property
    def box(self) -> Box:
        return self.x, self.y, self.x + self.width, self.y + self.height

    @property
    def view_box(self) -> str:
        return f"{self.x:.0f} {self.y:.0f} {self.width:.0f} {self.height:.0f}"

    def overlaps(self, box: Box) -> bool:
        return not (
            box[2] < self.x
            or box[0] > self.x + self.width
            or box[3] < self.y
            or box[1] > self.y + self.height
        )

    def contains(self, box: Box) -> bool:
        return (
            box[0] >= self.x
            and box[2] <= self.x + self.width
            and box[1] >= self.y
            and box[3] <= self.y + self.height
        )


WORLD = Frame(0, WORLD_TOP, WORLD_WIDTH, WORLD_BOTTOM - WORLD_TOP)
WHOLE_GLOBE = Frame(0, 0, WORLD_WIDTH, WORLD_HEIGHT)


def extent(codes: Iterable[str]) -> Box | None:
    """The box around the main parts of these countries (dots for those without an outline)."""
    data = world()
    boxes = []
    for code in codes:
        code = code.upper()
        if code in data.shapes:
            boxes.append(data.shapes[code].main_box)
        elif code in data.positions:
            x, y = data.positions[code]
            boxes.append((x, y, x, y))
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def frame(codes: Iterable[str], *, padding: float = PADDING, min_width: float = MIN_WIDTH) -> Frame:
    """A frame around these countries, or the world when they are spread out or unknown."""
    codes = [code.upper() for code in codes]
    box = extent(codes)
    if box is None:
        return WORLD
    whole = WHOLE_GLOBE if "AQ" in codes else WORLD
    x0, y0, x1, y1 = box
    margin = padding * max(x1 - x0, y1 - y0)
    x0, y0, x1, y1 = x0 - margin, y0 - margin, x1 + margin, y1 + margin
    width, height = max(x1 - x0, min_width), y1 - y0
    if width > SPREAD_OUT * WORLD_WIDTH:
        return whole
    height = max(height, width / WIDEST)
    width = max(width, height * NARROWEST)
    if width > SPREAD_OUT * WORLD_WIDTH:
        return whole
    centre_x, centre_y = (x0 + x1) / 2, (y0 + y1) / 2
    x = min(max(centre_x - width / 2, 0), WORLD_WIDTH - width)
    y = min(max(centre_y - height / 2, whole.y), whole.y + whole.height - height)
    return Frame(round(x), round(y), round(width), round(height))


def locator(code: str) -> Frame:
    """A frame on one country with its surroundings, so a reader sees where it lies."""
    return frame([code], padding=LOCATOR_PADDING, min_width=LOCATOR_MIN_WIDTH)


def clip(points: Sequence[tuple[int, int]], box: Box) -> list[tuple[int, int]]:
    """A closed ring cut to a rectangle (Sutherland–Hodgman); empty when nothing is inside.

    Where the ring leaves and comes back, the cut runs along the rectangle's edge, which the
    caller puts outside the visible frame.
    """
    west, north, east, south = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= north, lambda a, b: _at_y(a, b, north)),
        (lambda p: p[1] <= south, lambda a, b: _at_y(a, b, south)),
    )
    output = list(points[:-1])
    for inside, cross in edges:
        if not output:
            break
        current, output = output, []
        previous = current[-1]
        for point in current:
            if inside(point):
                if not inside(previous):
                    output.append(cross(previous, point))
                output.append(point)
            elif inside(previous):
                output.append(cross(previous, point))
            previous = point
    if len(set(output)) < 3:
        return []
    return [*output, output[0]]


def _at_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return round(x), round(a[1] + t * (b[1] - a[1]))


def _at_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return round(a[0] + t * (b[0] - a[0])), round(y)
