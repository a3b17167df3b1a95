"""The Equal Earth projection (Šavrič, Patterson and Jenny, 2018).

An equal-area pseudocylindrical projection: the sizes of countries compare truly, which matters
on a map that colours them, and the shapes near the poles stay believable. Formulas from the
paper (International Journal of Geographical Information Science 33(3), 2019), in the form
d3-geo uses: with θ = asin(√3/2 · sin φ),

    x = λ cos θ / (√3/2 · (A1 + 3 A2 θ² + θ⁶ (7 A3 + 9 A4 θ²)))
    y = θ (A1 + A2 θ² + θ⁶ (A3 + A4 θ²))

for a sphere of radius 1. Output has y pointing north; SVG flips it.
"""

from __future__ import annotations

import math

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(longitude: float, latitude: float) -> tuple[float, float]:
    """(x, y) on the unit sphere's plane for a position in degrees."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


# Half the width (at the equator, 180°) and half the height (at the pole) of the whole map.
HALF_WIDTH = equal_earth(180, 0)[0]
HALF_HEIGHT = equal_earth(0, 90)[1]
