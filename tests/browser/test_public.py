"""A reader's path through the public site in Chromium: home → SCO → compare with BRICS → as of
1 January 2023 → a footnote → its source. Screenshots of each page go to test-artifacts/."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

pytestmark = pytest.mark.browser


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
    expect(page.locator("svg.outline-map")).to_be_visible()
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
        ("/agreements/eaeu-mongolia/?as_of=2025-06-01", "agreement"),
        ("/events/xvi-brics-summit-kazan-with-outreachbrics-meeting/", "event"),
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


def test_a_reader_follows_the_eaeu_to_an_agreement_and_the_brics_disputed_claims(
    page, live_server, seed, console_errors
):
    page.set_viewport_size({"width": 1440, "height": 900})
    heading = page.get_by_role("heading", level=1)

    page.goto(f"{live_server.url}/organizations/eaeu/?as_of=2025-06-01")
    mongolia = page.locator('tr[data-agreement="eaeu-mongolia"]')
    expect(mongolia).to_contain_text("negotiations launched 8 May 2024")
    mongolia.get_by_role("link", name="EAEU–Mongolia interim trade agreement").click()
    expect(heading).to_contain_text("EAEU–Mongolia interim trade agreement")
    expect(page).to_have_url(re.compile(r"/agreements/eaeu-mongolia/\?as_of=2025-06-01$"))
    expect(page.locator("svg.stage-timeline")).to_be_visible()
    expect(page.locator("svg.stage-timeline g.stage.current")).to_have_count(1)
    expect(page.locator(".stage-list li.current")).to_contain_text("Negotiations launched")
    screenshot(page, "06-agreement-2025-06-01")
    assert console_errors == []

    page.locator("#as-of").fill("2025-07-01")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".stage-list li.current")).to_contain_text("Signed")
    screenshot(page, "07-agreement-2025-07-01")

    page.goto(f"{live_server.url}/events/xvi-brics-summit-kazan-with-outreachbrics-meeting/")
    expect(page.locator("table.participants tbody tr")).to_have_count(6)
    expect(page.locator("table.participants")).to_contain_text("Ilham Aliyev")
    screenshot(page, "08-event-kazan")

    page.goto(f"{live_server.url}/organizations/brics/?as_of=2025-07-01")
    expect(page.locator('ul[data-status="member"] > li')).to_have_count(10)
    disputed = page.locator("section.disputed-claims")
    expect(disputed).to_contain_text("Saudi Arabia")
    indonesia = page.locator('ul[data-status="member"] > li', has_text="Indonesia")
    expect(indonesia.locator(".competing")).to_contain_text("disputed: partner from 1 January 2025")
    indonesia.locator("details.dispute-note summary").click()
    expect(indonesia.locator("details.dispute-note")).to_have_attribute("open", "")
    screenshot(page, "09-brics")
    members = page.locator('section[aria-labelledby="members-heading"]')
    members.screenshot(path=ARTIFACTS / "10-brics-members-with-disputes.png")
    disputed.screenshot(path=ARTIFACTS / "11-brics-disputed-claims.png")
    assert console_errors == []
