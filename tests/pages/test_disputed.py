"""Disputed claims on public pages (issue 5): the preferred spell is shown and counted, the
competing deprecated spell beneath it as "disputed: …" with its own footnotes; a deprecated
spell with nothing preferred to compete with (Saudi Arabia in BRICS) is listed apart, never
counted."""

import re

import pytest

from orgs.models import Membership, Rank
from tests.page_text import section, text_of

pytestmark = pytest.mark.django_db


def member_items(html: str, status: str) -> dict[str, str]:
    """Member name → the markup of its list item, under one status heading."""
    match = re.search(rf'<ul class="member-list" data-status="{status}">(.*?)</ul>', html, re.S)
    items = re.findall(r"<li><a [^>]*>([^<]+)</a>(.*?)</li>", match.group(1), re.S)
    return dict(items)


def test_brics_has_10_members_on_1_july_2025_without_saudi_arabia(client, seed):
    html = client.get("/organizations/brics/?as_of=2025-07-01").content.decode()
    members = member_items(html, "member")
    assert len(members) == 10
    assert "Saudi Arabia" not in members
    assert "10 members" in html
    assert "Saudi Arabia" not in text_of(section(html, "members-heading"))


def test_brics_lists_saudi_arabias_claimed_membership_as_a_disputed_claim(client, seed):
    html = client.get("/organizations/brics/?as_of=2025-07-01").content.decode()
    disputed = section(html, "disputed-heading")
    text = text_of(disputed)
    assert "Saudi Arabia: member from 1 January 2024" in text
    assert "disputed: Saudi Arabia's BRICS status" in text
    assert re.search(r'href="#fn-\d+"', disputed)
    # Before the claimed accession there is nothing to dispute.
    html = client.get("/organizations/brics/?as_of=2023-06-01").content.decode()
    assert section(html, "disputed-heading") == ""


def test_indonesia_is_a_member_with_the_partner_claim_shown_as_disputed(client, seed):
    html = client.get("/organizations/brics/?as_of=2025-07-01").content.decode()
    indonesia = member_items(html, "member")["Indonesia"]
    competing = text_of(re.search(r'<p class="competing">.*?</p>', indonesia, re.S).group(0))
    assert competing.startswith("disputed: partner from 1 January 2025")
    assert "Indonesia: BRICS partner or member in January 2025" in competing
    assert re.search(r'<p class="competing">.*?href="#fn-\d+".*?</p>', indonesia, re.S)
    assert "Indonesia" not in member_items(html, "partner")


def test_the_founders_show_the_2009_start_as_disputed(client, seed):
    html = client.get("/organizations/brics/?as_of=2025-07-01").content.decode()
    members = member_items(html, "member")
    for name in ["Brazil", "Russia", "India", "China"]:
        assert "disputed: member from 16 June 2009" in text_of(members[name]), name
    assert "disputed: member from" not in text_of(members["Egypt"])


def test_a_disputed_claim_shows_its_note(client, seed):
    html = client.get("/organizations/brics/?as_of=2025-07-01").content.decode()
    brazil = member_items(html, "member")["Brazil"]
    assert '<details class="dispute-note"><summary>disputed: Founding member.' in brazil


def test_the_country_pages_show_disputed_claims_too(client, seed):
    html = client.get("/countries/id/?as_of=2025-07-01").content.decode()
    table = text_of(section(html, "memberships-heading"))
    assert "member" in table
    assert "disputed: partner from 1 January 2025" in table
    html = client.get("/countries/sa/?as_of=2025-07-01").content.decode()
    assert "BRICS" not in text_of(section(html, "memberships-heading")).replace("BRICS+", "")
    assert "BRICS: member from 1 January 2024" in text_of(section(html, "disputed-heading"))


def test_the_competing_claims_cost_no_query_per_member(client, seed, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(26):
        client.get("/organizations/brics/?as_of=2025-07-01")
    # Every member gets a competing claim: the page still runs the same queries.
    for spell in Membership.objects.filter(organization__slug="brics", rank=Rank.NORMAL):
        Membership.objects.create(
            organization=spell.organization,
            member_country=spell.member_country,
            member_organization=spell.member_organization,
            status=spell.status,
            start=spell.start,
            rank=Rank.DEPRECATED,
            rank_reason="A later source disagrees",
            is_published=True,
        )
    with django_assert_max_num_queries(26):
        html = client.get("/organizations/brics/?as_of=2025-07-01").content.decode()
    assert html.count("A later source disagrees") >= 10
