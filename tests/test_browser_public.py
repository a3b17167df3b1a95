"""A reader's path through the public site in Chromium: home → SCO → compare with BRICS → as of
1 January 2023 → a footnote → its source. Screenshots of each page go to test-artifacts/."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture
def seed(transactional_db):
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def console_errors(page):
    """Errors the browser reports while the test runs: console errors and uncaught exceptions."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def test_a_reader_follows_the_sco_to_a_comparison_and_a_source(
    page, live_server, seed, console_errors
):
    page.set_viewport_size({"width": 1440, "height": 900})
    heading = page.get_by_role("heading", level=1)

    page.goto(f"{live_server.url}/")
    expect(heading).to_contain_text("Who is in what, since when, and says who")
    expect(page.get_by_role("searchbox").first).to_be_visible()
    sco_card = page.locator(".card", has_text="Shanghai Cooperation Organisation")
    expect(sco_card).to_contain_text("10 members")
    screenshot(page, "01-home")
    assert console_errors == []

    sco_card.get_by_role("link", name="Shanghai Cooperation Organisation").click()
    expect(heading).to_contain_text("Shanghai Cooperation Organisation")
    expect(page.locator('ul[data-status="member"] > li')).to_have_count(10)
    expect(page.locator("svg.world-map")).to_be_visible()
    expect(page.locator("svg.timeline")).to_be_visible()
    expect(page.locator(".unsourced")).to_have_count(0)
    screenshot(page, "02-sco")
    assert console_errors == []

    page.get_by_role("link", name="Compare with BRICS", exact=True).click()
    expect(page).to_have_url(re.compile(r"/compare/\?organizations=sco,brics$"))
    expect(heading).to_contain_text("SCO · BRICS")
    expect(page.locator("svg.venn")).to_be_visible()
    screenshot(page, "03-compare-today")
    assert console_errors == []

    page.locator("#as-of").fill("2023-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"as_of=2023-01-01"))
    expect(page.locator(".as-of-note")).to_contain_text("Showing 1 January 2023")
    both = page.locator("table.intersections tr", has_text="SCO + BRICS (all)")
    for name in ("China", "India", "Russia"):
        expect(both).to_contain_text(name)
    expect(both).not_to_contain_text("Iran")  # joined the SCO in July 2023, BRICS in 2024
    screenshot(page, "04-compare-2023")
    assert console_errors == []

    china = page.locator("table.matrix tr", has_text="China")
    china.locator(".fn-ref a").first.click()
    expect(page).to_have_url(re.compile(r"#fn-\d+$"))
    footnote_id = page.url.rsplit("#", 1)[1]
    footnote = page.locator(f"#{footnote_id}")
    expect(footnote).to_be_visible()
    title = footnote.locator("cite a").inner_text()
    footnote.locator("cite a").click()
    expect(page).to_have_url(re.compile(r"/sources/\d+/$"))
    expect(heading).to_have_text(title)
    expect(
        page.get_by_role("heading", name=re.compile("Claims in the atlas citing"))
    ).to_be_visible()
    memberships = page.locator("h3", has_text="Memberships").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(memberships).to_contain_text("China")
    screenshot(page, "05-source")
    assert console_errors == []


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/", "home"),
        ("/organizations/sco/?as_of=2024-07-05", "sco"),
        ("/compare/?organizations=sco,brics,cis&as_of=2025-07-01", "compare"),
        ("/countries/by/", "belarus"),
    ],
)
def test_pages_fit_a_375_pixel_wide_phone(page, live_server, seed, console_errors, path, name):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    screenshot(page, f"mobile-{name}")
    assert console_errors == []


def test_the_keyboard_focus_is_visible(page, live_server, seed):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
