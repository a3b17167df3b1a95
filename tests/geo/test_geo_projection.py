"""The Equal Earth projection: its extent, its symmetry and that it keeps areas."""

import itertools
import math

import pytest

from orgs.geo.projection import HALF_HEIGHT, HALF_WIDTH, equal_earth


def test_the_centre_stays_put():
    assert equal_earth(0, 0) == (0.0, 0.0)


def test_the_extent_is_the_published_one():
    # Šavrič et al. give the map's extent on the unit sphere as ±2.7066 by ±1.3174.
    assert pytest.approx(2.706629, abs=1e-6) == HALF_WIDTH
    assert pytest.approx(1.317363, abs=1e-6) == HALF_HEIGHT
    x, y = equal_earth(180, 90)
    assert y == pytest.approx(HALF_HEIGHT)
    # The pole is a line, shorter than the equator (about 0.59 of it).
    assert x / HALF_WIDTH == pytest.approx(0.59, abs=0.01)


def test_the_map_is_symmetric():
    x, y = equal_earth(27.5, 53.7)  # Minsk
    assert equal_earth(-27.5, 53.7) == pytest.approx((-x, y))
    assert equal_earth(27.5, -53.7) == pytest.approx((x, -y))
    assert x > 0
    assert y > 0


def test_meridians_are_evenly_spaced_along_a_parallel():
    x10, _ = equal_earth(10, 40)
    x20, _ = equal_earth(20, 40)
    assert x20 == pytest.approx(2 * x10)


def _projected_area(west, south, east, north, steps=40):
    points = [equal_earth(west + (east - west) * i / steps, south) for i in range(steps)]
    points += [equal_earth(east, south + (north - south) * i / steps) for i in range(steps)]
    points += [equal_earth(east - (east - west) * i / steps, north) for i in range(steps)]
    points += [equal_earth(west, north - (north - south) * i / steps) for i in range(steps)]
    points.append(points[0])
    pairs = itertools.pairwise(points)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


@pytest.mark.parametrize("south", [0, 30, 55, 75])
def test_equal_areas_on_the_sphere_stay_equal_on_the_map(south):
    # A cell of 10° by 5° on the unit sphere has area Δλ (sin φ2 − sin φ1).
    sphere = math.radians(10) * (math.sin(math.radians(south + 5)) - math.sin(math.radians(south)))
    assert _projected_area(0, south, 10, south + 5) == pytest.approx(sphere, rel=1e-3)
