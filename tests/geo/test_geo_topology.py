"""Decoding TopoJSON and cutting at 180°, on topologies small enough to check by hand."""

import itertools

import pytest

from orgs.geo.antimeridian import Cutter, at_pole, split_arc
from orgs.geo.topology import decode_arcs, features, ring, stitch

# Two unit squares side by side, sharing the arc x = 1, quantized in steps of (0.5, 0.25)
# from (10, 20). Arc 0: the shared side, going up; arc 1: the left square's other three sides;
# arc 2: the right square's other three sides.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
    "arcs": [
        [[2, 0], [0, 4]],
        [[2, 4], [-2, 0], [0, -4], [2, 0]],
        [[2, 0], [2, 0], [0, 4], [-2, 0]],
    ],
    "objects": {
        "shapes": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "1", "arcs": [[0, 1]], "properties": {"name": "West"}},
                {"type": "Polygon", "id": "2", "arcs": [[2, -1]], "properties": {"name": "East"}},
                {"type": "Point", "id": "3", "coordinates": [0, 0]},
                {"type": "MultiPolygon", "arcs": [[[0, 1]], [[2, -1]]]},
            ],
        }
    },
}


def test_arcs_are_delta_decoded_and_transformed():
    arcs = decode_arcs(TOPOLOGY)
    assert arcs[0] == [(11.0, 20.0), (11.0, 21.0)]
    assert arcs[1] == [(11.0, 21.0), (10.0, 21.0), (10.0, 20.0), (11.0, 20.0)]
    assert arcs[2] == [(11.0, 20.0), (12.0, 20.0), (12.0, 21.0), (11.0, 21.0)]


def test_a_topology_without_transform_is_read_as_is():
    arcs = decode_arcs({"arcs": [[[1.5, 2.5], [3, 4]]]})
    assert arcs == [[(1.5, 2.5), (3.0, 4.0)]]


def test_features_keep_polygons_and_skip_other_geometries():
    found = list(features(TOPOLOGY, "shapes"))
    assert [(f.id, f.properties.get("name")) for f in found] == [
        ("1", "West"),
        ("2", "East"),
        (None, None),
    ]
    assert found[0].polygons == [[[0, 1]]]
    assert found[2].polygons == [[[0, 1]], [[2, -1]]]


def test_a_ring_joins_its_arcs_and_walks_negative_ones_backwards():
    arcs = decode_arcs(TOPOLOGY)
    west = ring(arcs, [0, 1])
    assert west == [(11.0, 20.0), (11.0, 21.0), (10.0, 21.0), (10.0, 20.0), (11.0, 20.0)]
    east = ring(arcs, [2, -1])  # ~0: the shared side, downwards
    assert east == [(11.0, 20.0), (12.0, 20.0), (12.0, 21.0), (11.0, 21.0), (11.0, 20.0)]


def test_stitching_two_features_drops_the_border_between_them():
    arcs = decode_arcs(TOPOLOGY)
    rings = stitch([0, 1, 2, -1], arcs)
    assert rings == [[1, 2]]
    outline = ring(arcs, rings[0])
    assert outline[0] == outline[-1]
    assert set(outline) == {
        (11.0, 21.0),
        (10.0, 21.0),
        (10.0, 20.0),
        (12.0, 20.0),
        (12.0, 21.0),
        (11.0, 20.0),
    }


def test_an_arc_crossing_180_is_split_on_the_meridian():
    pieces = split_arc([(170.0, 10.0), (-170.0, 30.0), (-160.0, 30.0)])
    assert pieces == [
        [(170.0, 10.0), (180.0, 20.0)],
        [(-180.0, 20.0), (-170.0, 30.0), (-160.0, 30.0)],
    ]


def test_a_ring_crossing_twice_becomes_one_closed_ring_on_each_side():
    # A box from 170° E to 170° W, as one closed arc.
    arcs = [[(170.0, 0.0), (-170.0, 0.0), (-170.0, 10.0), (170.0, 10.0), (170.0, 0.0)]]
    cutter = Cutter(arcs)
    rings = cutter.ring([0])
    assert len(rings) == 2
    for indexes in rings:
        points = ring(cutter.arcs, indexes)
        assert points[0] == points[-1]
        longitudes = {lon for lon, _ in points}
        assert longitudes <= {170.0, 180.0} or longitudes <= {-170.0, -180.0}
        assert all(abs(b[0] - a[0]) <= 180 for a, b in itertools.pairwise(points))


def test_a_ring_round_the_pole_is_closed_along_the_pole():
    arcs = [[(-180.0, -70.0), (-60.0, -75.0), (60.0, -72.0), (180.0, -70.0)]]
    # The ring's one arc ends where it starts, on the other side of the map.
    arcs[0].append((-180.0, -70.0))
    cutter = Cutter(arcs)
    (indexes,) = cutter.ring([0])
    points = ring(cutter.arcs, indexes)
    assert points[0] == points[-1]
    assert min(lat for _, lat in points) == -90.0
    # Only along the pole (a straight line in this projection) does it go across the map.
    jumps = [(a, b) for a, b in itertools.pairwise(points) if abs(b[0] - a[0]) > 180]
    assert jumps == [((180.0, -90.0), (-180.0, -90.0))]


def test_rings_along_a_pole_are_recognised():
    assert at_pole([(-180.0, -89.999), (0.0, -89.999), (180.0, -89.999)])
    assert not at_pole([(0.0, -89.999), (0.0, -80.0)])


def test_more_than_two_crossings_are_refused_rather_than_drawn_wrong():
    arcs = [
        [(170.0, 0.0), (-170.0, 0.0), (170.0, 5.0), (-170.0, 10.0), (170.0, 10.0), (170.0, 0.0)]
    ]
    with pytest.raises(ValueError, match="crosses 180"):
        Cutter(arcs).ring([0])
