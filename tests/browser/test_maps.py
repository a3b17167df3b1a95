"""The outline maps in Chromium at a phone's width and a desktop's, under the site's CSP:
drawn, coloured, reachable from the keyboard. Screenshots go to test-artifacts/maps-*.png."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from orgs.pages.charts import STATUS_COLOURS

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

pytestmark = pytest.mark.browser

PAGES = {
    "sco-2025": "/organizations/sco/?as_of=2025-07-01",
    "sco-2016": "/organizations/sco/?as_of=2016-01-01",
    "brics-2025": "/organizations/brics/?as_of=2025-07-01",
    "belarus-2025": "/countries/by/?as_of=2025-07-01",
    "compare-2025": "/compare/?organizations=sco,brics,eaeu&as_of=2025-07-01",
    "compare-2016": "/compare/?organizations=sco,brics,eaeu&as_of=2016-01-01",
}


@pytest.fixture
def console_errors(page):
    """What the browser reports: a style or script the CSP refused shows up here."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.mark.parametrize("width", [375, 1440])
def test_every_map_is_drawn_at_a_phone_and_a_desktop_width(
    page, live_server, seed, console_errors, width
):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    for name, url in PAGES.items():
        page.goto(f"{live_server.url}{url}")
        figure = page.locator(".map-figure")
        expect(figure.locator("svg.outline-map")).to_be_visible()
        # The map fits the page: no sideways scrolling of the whole page on a phone.
        box = figure.locator("svg.outline-map").bounding_box()
        assert box["width"] <= width, name
        assert box["height"] > 0.4 * box["width"], name  # the world is 2.3 to 1
        if not name.startswith("belarus"):  # a locator map needs no legend
            expect(figure.locator(".map-legend li").first).to_be_visible()
        figure.screenshot(path=ARTIFACTS / f"maps-{name}-{width}.png")
        assert console_errors == [], name


def test_the_map_is_coloured_and_its_countries_are_links_from_the_keyboard(
    page, live_server, seed, console_errors
):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/organizations/sco/?as_of=2025-07-01")
    belarus = page.locator('svg.outline-map a[data-code="BY"]')
    fill = belarus.locator("path").first.evaluate("path => getComputedStyle(path).fill")
    assert fill == "rgb(0, 114, 178)"  # the member colour, as the legend has it
    assert STATUS_COLOURS["member"] == "#0072B2"
    belarus.focus()
    expect(belarus).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/countries/by/?as_of=2025-07-01")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Belarus")
    assert console_errors == []
