"""Chromium enforces the CSP and reports no violation on a page, the admin and the API docs
(issue 8)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.browser


@pytest.fixture
def violations(page):
    """CSP violations the browser reports (console errors name the refused directive)."""
    found = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and found.append(message.text)
        ),
    )
    return found


@pytest.fixture
def atlas(transactional_db):
    sco = make_organization("sco", acronym="SCO", name="Shanghai Cooperation Organisation")
    make_membership(sco, make_country(), "2024-07-04")


def test_the_public_pages_run_under_the_csp(page, live_server, atlas, violations):
    for path in ["/", "/organizations/sco/", "/compare/?organizations=sco", "/countries/by/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_swagger_docs_render_under_the_csp(page, live_server, atlas, violations):
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_text("Eurasia Atlas API").first).to_be_visible(timeout=15000)
    expect(page.locator(".opblock").first).to_be_visible()
    assert violations == []


def log_in(page, live_server, next_path):
    get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-1")
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()


def test_the_admin_runs_under_the_csp(page, live_server, atlas, violations):
    log_in(page, live_server, "/admin/orgs/membership/")
    for path in [
        "/admin/orgs/membership/add/",
        "/admin/orgs/quote/add/",
        "/admin/orgs/source/add/",
        "/admin/orgs/organization/",
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_admin_index_runs_under_the_csp(page, live_server, atlas, violations):
    log_in(page, live_server, "/admin/")
    page.wait_for_load_state("networkidle")
    assert violations == []
