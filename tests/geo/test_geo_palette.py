"""The maps' colours stay apart for readers with a colour-vision deficiency.

Each palette is passed through the Machado, Oliveira and Fernandes (2009) simulation of
protanopia, deuteranopia and tritanopia at full severity, and every pair of colours (the grey
of countries with no status included) must stay at least ``MIN_DISTANCE`` apart in CIEDE2000,
several times the just-noticeable difference of about 2.3.
"""

import itertools
import math

import pytest

from orgs.geo.svg import LAND
from orgs.pages.charts import STATUS_COLOURS
from orgs.pages.maps import HERE_COLOUR, combination_colour

MIN_DISTANCE = 9.0

SIMULATIONS = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
    "normal vision": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(colour: str, matrix) -> tuple[float, float, float]:
    rgb = [_linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    r, g, b = (min(max(sum(m * v for m, v in zip(row, rgb, strict=True)), 0), 1) for row in matrix)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _ciede2000(first, second) -> float:
    (l1, a1, b1), (l2, a2, b2) = first, second
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2 - c1
    d_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_bar, c_bar = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_bar = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_bar = (h1 + h2) / 2
    else:
        h_bar = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_bar, 1 + 0.015 * c_bar * t
    r_c = 2 * math.sqrt(c_bar**7 / (c_bar**7 + 25**7))
    r_t = -math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2)))) * r_c
    return math.sqrt(
        (d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h)
    )


def test_the_colour_difference_is_ciede2000():
    # Sharma, Wu and Dalal (2005), test pairs 1 and 17.
    assert _ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert _ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)


def _combinations(total):
    return {
        combination_colour(positions, total)
        for size in range(1, total + 1)
        for positions in itertools.combinations(range(total), size)
    }


PALETTES = {
    "statuses": set(STATUS_COLOURS.values()),
    "two organizations": _combinations(2),
    "three organizations": _combinations(3),
    **{f"{n} organizations": _combinations(n) for n in (4, 5, 6)},
    "locator": {HERE_COLOUR},
}


@pytest.mark.parametrize("simulation", SIMULATIONS)
@pytest.mark.parametrize("palette", PALETTES)
def test_every_pair_of_colours_stays_apart(palette, simulation):
    colours = sorted(PALETTES[palette] | {LAND})
    matrix = SIMULATIONS[simulation]
    for first, second in itertools.combinations(colours, 2):
        distance = _ciede2000(_lab(first, matrix), _lab(second, matrix))
        assert distance >= MIN_DISTANCE, (palette, simulation, first, second, distance)


def test_combinations_of_three_have_seven_colours_and_counts_are_ordered():
    assert len(_combinations(3)) == 7
    assert len(_combinations(6)) == 6
