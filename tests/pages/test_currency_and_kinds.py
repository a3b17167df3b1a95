"""How current the atlas says it is, and what it offers as organizations (issue 14).

Each organization records the day up to which its records were last checked against sources;
a page or API answer about a later day says that later changes may be missing. Only
organizations, unions, groupings and formats are offered as organizations: institutions that
appear as speakers' employers or publishers are not.
"""

import datetime

import pytest
from rest_framework.test import APIClient

from orgs import selectors
from orgs.models import ChangeSet, Organization
from tests.admin.forms import admin_url, organization_data
from tests.makers import make_organization
from tests.page_text import text_of

pytestmark = pytest.mark.django_db

INSTITUTIONS = ["izvestia", "mglu", "valdai", "cis-department-phs", "sco-secretariat"]


# --- reviewed through -------------------------------------------------------------------------


def test_the_sco_page_after_its_review_shows_the_date_and_the_notice(client, seed):
    text = text_of(client.get("/organizations/sco/?as_of=2026-11-01").content.decode())
    assert "Records checked against sources through 31 December 2025" in text
    assert "later changes may be missing" in text


def test_a_page_about_a_day_the_review_covers_has_no_notice(client, seed):
    text = text_of(client.get("/organizations/sco/?as_of=2025-10-01").content.decode())
    assert "Records checked against sources through 31 December 2025" in text
    assert "later changes may be missing" not in text


def test_the_home_page_says_up_to_when_each_organization_was_reviewed(client, seed):
    text = text_of(client.get("/").content.decode())
    assert "Reviewed through 31 December 2025" in text
    assert "Reviewed through 1 July 2025" in text  # CIS Plus: the mid-2025 facts only


def test_the_api_says_when_an_answer_is_about_a_day_after_the_review(seed):
    api = APIClient()
    later = api.get("/api/v1/organizations/sco/?as_of=2026-11-01").json()
    assert later["reviewed_through"] == "2025-12-31"
    assert later["later_changes_may_be_missing"] is True
    covered = api.get("/api/v1/organizations/sco/?as_of=2025-10-01").json()
    assert covered["later_changes_may_be_missing"] is False
    spells = api.get("/api/v1/memberships/?organization=sco&as_of=2026-11-01").json()
    assert {spell["later_changes_may_be_missing"] for spell in spells["results"]} == {True}
    overlap = api.get("/api/v1/overlap/?organizations=sco,brics&as_of=2025-10-01").json()
    assert [o["later_changes_may_be_missing"] for o in overlap["organizations"]] == [False, False]


def test_setting_reviewed_through_is_a_reviewed_change(editor_client):
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")

    response = editor_client.post(
        admin_url("organization", "change", sco.pk),
        organization_data(sco, reviewed_through="2026-11-30", reviewed_by="An Editor"),
    )

    assert response.status_code == 302
    sco.refresh_from_db()
    assert sco.reviewed_through is None  # the public sees nothing before a Reviewer approves
    [change_set] = ChangeSet.objects.pending()
    [change] = change_set.changes.all()
    assert change.after["reviewed_through"] == "2026-11-30"
    assert change.after["reviewed_by"] == "An Editor"


def test_needs_attention_lists_organizations_not_reviewed_for_six_months(db):
    today = datetime.date(2026, 12, 2)
    make_organization("recent", reviewed_through=today - datetime.timedelta(days=30))
    make_organization("stale", reviewed_through=datetime.date(2025, 12, 31))
    make_organization("never")
    make_organization("paper", kind=Organization.Kind.MEDIA)  # an institution: not mapped
    now = datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC)

    [section] = [s for s in selectors.attention_sections(now=now) if s.key == "unreviewed"]

    slugs = [Organization.objects.get(pk=item.pk).slug for item in section.items]
    assert slugs == ["never", "stale"]
    assert section.items[1].detail == "reviewed through 31 December 2025"


# --- what is offered as an organization --------------------------------------------------------


def test_the_compare_chooser_offers_no_publisher_or_think_tank(client, seed):
    choices = client.get("/compare/").context["choices"]
    slugs = {organization.slug for organization in choices}
    assert not slugs & set(INSTITUTIONS)
    assert {"sco", "csto", "asean", "cis-plus"} <= slugs


def test_the_overlap_endpoint_refuses_an_institution(seed):
    response = APIClient().get("/api/v1/overlap/?organizations=sco,izvestia")
    assert response.status_code == 400


def test_the_home_page_and_the_list_show_no_institution_and_no_empty_card(client, seed):
    html = client.get("/").content.decode()
    assert "No members recorded" not in html
    for slug in INSTITUTIONS:
        assert f'href="/organizations/{slug}/"' not in html
    listed = client.get("/organizations/").content.decode()
    assert 'href="/organizations/izvestia/"' not in listed
    # Institutions keep their own pages.
    assert client.get("/organizations/izvestia/").status_code == 200


def test_an_organization_with_no_member_today_says_what_is_recorded(client, seed):
    text = text_of(client.get("/").content.decode())
    assert "Dissolved 15 June 2001, succeeded by the SCO" in text
    assert "Proposed by Kassym-Jomart Tokayev" in text


# --- how sure, and what is unsourced -------------------------------------------------------------


def test_pages_mark_medium_confidence_unsourced_parts_and_reclassifications(client, seed):
    sco = text_of(client.get("/organizations/sco/?as_of=2025-10-01").content.decode())
    assert "medium confidence" in sco
    assert "reclassified from observer" in sco
    csto = text_of(client.get("/organizations/csto/?as_of=2025-07-01").content.decode())
    assert "unsourced: end (day)" in csto
    vietnam = text_of(client.get("/agreements/eaeu-vietnam/").content.decode())
    assert "unsourced: day" in vietnam


def test_a_territory_iso_lists_no_code_for_is_shown_as_such(client, seed):
    text = text_of(client.get("/countries/xn/").content.decode())
    assert "not listed by ISO 3166-1" in text
    assert "contested: Recognised only by Turkey" in text
