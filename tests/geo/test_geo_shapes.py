"""Natural Earth outlines as the atlas's countries: every one drawn, framed and marked."""

import json
from pathlib import Path

import pytest

from orgs.geo import frames, shapes, svg
from orgs.geo.frames import WORLD, clip, frame, locator
from orgs.geo.shapes import alpha2, path_data, world

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed.json"


def seed_codes():
    records = json.loads(SEED.read_text(encoding="utf-8"))
    return sorted(r["fields"]["iso2"] for r in records if r["model"] == "orgs.country")


def test_every_country_of_the_seed_has_an_outline_or_a_dot():
    data = world()
    codes = seed_codes()
    assert len(codes) > 200
    for code in codes:
        if code in data.shapes:
            finest = shapes.country_paths(len(shapes.LEVELS) - 1)[code]
            coarsest = shapes.country_paths(0)[code]
            # Vanishing at the coarsest level is fine if the country then gets a dot.
            assert finest or code == "VA", code
            assert coarsest or svg.needs_dot(code, WORLD), code
        else:
            assert code in data.positions, f"{code} has neither an outline nor a position"
    assert svg.missing(codes) == []


def test_features_without_a_numeric_code_are_filed_explicitly():
    assert alpha2(None, "Kosovo") == "XK"
    assert alpha2(None, "N. Cyprus") == "XN"
    assert alpha2(None, "Somaliland") == "SO"
    assert alpha2(None, "Siachen Glacier") is None
    assert alpha2("112", "Belarus") == "BY"
    assert [s.name for s in world().unassigned] == ["Siachen Glacier"]


def test_merged_features_lose_the_border_between_them():
    # Somalia and Somaliland: one ring, no line across.
    assert len(world().shapes["SO"].rings) == 1
    # Northern Cyprus, which the atlas records on its own, keeps its outline.
    assert len(world().shapes["CY"].rings) == 1
    assert len(world().shapes["XN"].rings) == 1


def test_territories_drawn_inside_other_countries_get_their_own_shapes():
    data = world()
    french_guiana, france = data.shapes["GF"], data.shapes["FR"]
    x, _y = shapes.to_map(-53, 4)
    assert french_guiana.box[0] <= x <= french_guiana.box[2]
    assert france.box[0] > x  # nothing of France is left in South America
    for code in ("GP", "MQ", "RE", "YT", "SJ", "BQ", "CC", "CX"):
        assert code in data.shapes, code


def test_countries_across_180_degrees_are_framed_on_their_main_land():
    russia = world().shapes["RU"]
    assert russia.main_box[2] - russia.main_box[0] < 0.4 * shapes.WORLD_WIDTH
    x, _ = shapes.to_map(37.6, 55.75)  # Moscow
    assert russia.main_box[0] < x < russia.main_box[2]
    # The sliver beyond 180° is still drawn, at the map's left edge.
    assert russia.box[0] < 0.2 * shapes.WORLD_WIDTH


def test_areas_compare_truly():
    data = world()
    # Russia 17.1 million km², China 9.6, Belarus 0.21 (Natural Earth's outlines, roughly).
    assert data.shapes["RU"].area / data.shapes["CN"].area == pytest.approx(17.1 / 9.6, rel=0.05)
    assert data.shapes["BY"].area / data.shapes["CN"].area == pytest.approx(0.207 / 9.6, rel=0.05)


def test_a_region_is_framed_on_its_countries_and_a_spread_set_shows_the_world():
    sco = ["CN", "RU", "IN", "PK", "KZ", "KG", "TJ", "UZ", "IR", "BY"]
    view = frame(sco)
    assert view != WORLD
    for code in sco:
        assert view.contains(world().shapes[code].main_box), code
    assert frames.NARROWEST <= view.width / view.height <= frames.WIDEST + 0.01
    assert frame(["BR", "RU", "IN", "CN", "ZA"]) == WORLD
    assert frame([]) == WORLD


def test_a_locator_shows_a_small_country_with_its_surroundings():
    view = locator("SG")
    assert view.contains(world().shapes["SG"].box)
    assert view.width >= frames.LOCATOR_MIN_WIDTH
    assert view.level == len(shapes.LEVELS) - 1
    assert WORLD.level == 0


def test_path_data_is_relative_and_closed():
    ring = [(10, 10), (20, 10), (20, 15), (10, 15), (10, 10)]
    assert path_data([ring]) == "M10 10l10 0 0 5-10 0z"
    assert path_data([ring, [(30, 30), (31, 30), (31, 31), (30, 30)]]) == (
        "M10 10l10 0 0 5-10 0zm20 20l1 0 0 1z"
    )


def test_clipping_keeps_what_is_inside_a_rectangle():
    square = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    assert clip(square, (5, -5, 20, 20)) == [(5, 0), (10, 0), (10, 10), (5, 10), (5, 0)]
    assert clip(square, (20, 20, 30, 30)) == []


def test_the_map_marks_countries_with_titles_links_and_hatching():
    marks = [
        svg.Mark("BY", "#0072B2", "Belarus: member since 4 July 2024", href="/countries/by/"),
        svg.Mark("IR", "#0072B2", "Iran: member (uncertain)", href="/countries/ir/", hatched=True),
        svg.Mark("BH", "#CC79A7", "Bahrain: dialogue partner", href="/countries/bh/"),
    ]
    view = frame(["BY", "IR", "BH", "CN", "RU"])
    markup = svg.outline_map(marks, frame=view, title="A test map", names={"PL": "Poland"})
    assert markup.startswith("<svg")
    assert markup.endswith("</svg>")
    assert f'viewBox="{view.view_box}"' in markup
    assert '<a href="/countries/by/" class="country" data-code="BY">' in markup
    assert "<title>Belarus: member since 4 July 2024</title>" in markup
    assert 'class="country hatched" data-code="IR"' in markup
    assert 'fill="url(#map-hatch)"' in markup
    # Bahrain is too small to see at this scale: a dot carries its colour and its link.
    assert '<a href="/countries/bh/" class="dot" data-code="BH">' in markup
    assert "<title>Poland</title>" in markup
    # No inline styles: the site's Content-Security-Policy would block them.
    assert "style=" not in markup


def test_a_country_with_no_outline_is_drawn_as_a_dot():
    marks = [svg.Mark("TV", "#0072B2", "Tuvalu", href="/countries/tv/")]
    markup = svg.outline_map(marks, frame=locator("TV"), title="Tuvalu", names={})
    assert 'class="dot" data-code="TV"' in markup
