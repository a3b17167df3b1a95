"""In Chromium: an Editor ends a published SCO spell and cites the source from the SCO page; the
public page is unchanged; the Reviewer opens the queue, sees the diff of both, approves; the
public page shows the new end date with the new footnote. Screenshots go to
test-artifacts/review-*.png."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from orgs.models import ChangeSet, Membership
from tests.browser.test_editorial import choose, log_in
from tests.makers import make_country, make_membership, make_organization, make_source, make_user

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

pytestmark = pytest.mark.browser


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"review-{name}.png", full_page=True)


def test_an_editors_change_waits_for_the_reviewer_and_then_goes_live(
    page, live_server, transactional_db
):
    page.set_viewport_size({"width": 1440, "height": 1000})
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    spell = make_membership(sco, make_country(), "2024-07-04")
    make_source("Belarus leaves the SCO", publisher="Example Wire")
    editor, editor_password = make_user("Editor", "elena")
    reviewer, reviewer_password = make_user("Reviewer", "roman")

    # The Editor ends the spell and cites the source, in the spells table of the SCO page.
    log_in(page, live_server, editor.username, editor_password)
    page.goto(f"{live_server.url}/admin/orgs/organization/{sco.pk}/change/")
    row_id = page.locator(f'input[name$="-id"][value="{spell.pk}"]').get_attribute("name")
    prefix = row_id.removesuffix("-id")
    page.fill(f'[name="{prefix}-end"]', "2025-01")
    choose(page, f"id_{prefix}-source", "leaves", "Belarus leaves the SCO")
    page.fill(f'[name="{prefix}-excerpt"]', "Belarus left the SCO in January 2025.")
    page.fill("#id_change_reason", "Belarus left")
    page.click('input[name="_continue"]')
    expect(page.locator("ul.messagelist:not(#pending-changes)")).to_contain_text(
        "wait for a Reviewer"
    )
    screenshot(page, "1-editor-proposed")

    # The public page is unchanged: Belarus is a member, with one footnote.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/organizations/sco/")
    members = page.locator('ul[data-status="member"]')
    expect(members).to_contain_text("Belarus")
    expect(page.get_by_text("January 2025")).to_have_count(0)

    # The Reviewer finds the set in the queue and sees both changes.
    log_in(page, live_server, reviewer.username, reviewer_password)
    expect(page.locator("#review-queue-link")).to_contain_text("1 change set waiting")
    page.click("#review-queue-link a")
    page.locator("#result_list a", has_text="Change set #").first.click()
    expect(page.locator('tr[data-field="end"]')).to_contain_text("January 2025")
    expect(page.locator('section[data-action="create"]')).to_contain_text("Belarus leaves")
    screenshot(page, "2-reviewer-diff")
    page.fill("#id_reason", "Checked against the source")
    page.click('input[name="_approve"]')
    expect(page.locator(".messagelist")).to_contain_text("it is live")
    assert ChangeSet.objects.get().state == ChangeSet.State.APPROVED

    # The public page shows the new end date, cited by the new source.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/organizations/sco/")
    expect(page.get_by_text("January 2025").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("Belarus leaves the SCO")
    screenshot(page, "3-public-after-approval")
    assert Membership.objects.get(pk=spell.pk).citations.count() == 2
