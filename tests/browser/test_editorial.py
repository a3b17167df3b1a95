"""Issue 5 in Chromium: an editor adds a cited spell as a draft, a reviewer publishes it, and the
public organization page shows it. Screenshots go to test-artifacts/editorial-*.png."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from orgs.models import Membership
from tests.makers import make_country, make_organization, make_source, make_user

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

pytestmark = pytest.mark.browser


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"editorial-{name}.png", full_page=True)


def log_in(page, live_server, username, password):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_contain_text("Eurasia Atlas")


def choose(page, select_id, term, option_text):
    """Pick a value in one of the admin's autocomplete (select2) boxes."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(term)
    page.locator(".select2-results__option", has_text=option_text).first.click()


def test_an_editor_adds_a_cited_spell_and_a_reviewer_publishes_it(
    page, live_server, transactional_db
):
    page.set_viewport_size({"width": 1440, "height": 1000})
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    make_country()
    make_source("Belarus officially becomes SCO member", publisher="News.Az")
    editor, editor_password = make_user("Editor", "elena")
    reviewer, reviewer_password = make_user("Reviewer", "roman")

    # The editor records Belarus's membership with its source, on the spell's add page.
    log_in(page, live_server, editor.username, editor_password)
    page.goto(f"{live_server.url}/admin/orgs/membership/add/")
    expect(page.locator('input[name="is_published"]')).to_have_count(0)
    choose(page, "id_organization", "SCO", "Shanghai Cooperation")
    choose(page, "id_member_country", "Bel", "Belarus")
    page.fill("#id_start", "2024-07-04")
    page.fill("#id_change_reason", "Admitted at the Astana summit")
    citation_row = "orgs-citation-content_type-object_id-0"
    choose(page, f"id_{citation_row}-source", "SCO", "News.Az")
    page.fill(f"#id_{citation_row}-excerpt", "Belarus officially becomes SCO member")
    page.fill(f"#id_{citation_row}-locator", "headline")
    screenshot(page, "1-editor-adds-spell")
    page.click('input[name="_save"]')
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    spell = Membership.objects.get()
    assert not spell.is_published
    assert spell.citations.get().locator == "headline"
    assert spell.history.get().history_change_reason == "Admitted at the Astana summit"
    expect(page.locator('select[name="action"] option[value="publish_selected"]')).to_have_count(0)
    screenshot(page, "2-editor-sees-draft")

    # The public does not see the draft.
    page.goto(f"{live_server.url}/organizations/{sco.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Shanghai Cooperation")
    expect(page.locator('ul[data-status="member"]')).to_have_count(0)

    # The reviewer publishes it from the list.
    log_in(page, live_server, reviewer.username, reviewer_password)
    page.goto(f"{live_server.url}/admin/orgs/membership/")
    page.locator(f'input[name="_selected_action"][value="{spell.pk}"]').check()
    page.select_option('select[name="action"]', "publish_selected")
    page.click('button[name="index"]')
    expect(page.locator(".messagelist .success")).to_contain_text("Published 1: Belarus")
    screenshot(page, "3-reviewer-published")
    spell.refresh_from_db()
    assert spell.is_published

    # Now the organization page shows it.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/organizations/{sco.slug}/")
    expect(page.locator('ul[data-status="member"]')).to_contain_text("Belarus")
    screenshot(page, "4-public-page")
