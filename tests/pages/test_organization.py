"""The organization page: facts, members by status as of a date, footnotes, map and timeline."""

import re

import pytest

from orgs.models import Membership
from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.django_db


def members_with_status(html: str, status: str) -> list[str]:
    """Names listed under one status heading of the members section."""
    match = re.search(rf'<ul class="member-list" data-status="{status}">(.*?)</ul>', html, re.S)
    if not match:
        return []
    return re.findall(r"<li><a [^>]*>([^<]+)</a>", match.group(1))


def test_the_sco_had_8_members_on_1_january_2023(client, seed):
    response = client.get("/organizations/sco/?as_of=2023-01-01")
    html = response.content.decode()
    assert response.status_code == 200
    members = members_with_status(html, "member")
    assert len(members) == 8
    assert "Iran" not in members
    assert "Belarus" not in members
    assert "8 members" in html


def test_the_sco_had_10_members_on_5_july_2024(client, seed):
    html = client.get("/organizations/sco/?as_of=2024-07-05").content.decode()
    members = members_with_status(html, "member")
    assert len(members) == 10
    assert {"Belarus", "Iran", "India", "Pakistan"} <= set(members)


def test_it_shows_since_when_at_the_dates_precision(client, seed):
    html = client.get("/organizations/sco/?as_of=2023-01-01").content.decode()
    # The late-2025 update dates Belarus's observer status to the Ufa summit (issue 14).
    assert 'Belarus</a> <span class="since">since 10 July 2015</span>' in html
    assert 'China</a> <span class="since">since 15 June 2001</span>' in html
    assert "(de jure)" in html


def test_every_fact_on_the_seed_is_footnoted_and_nothing_is_unsourced(client, seed):
    html = client.get("/organizations/sco/").content.decode()
    assert 'class="unsourced"' not in html
    assert '<section class="footnotes"' in html
    footnotes = re.findall(r'<li id="fn-(\d+)">', html)
    assert footnotes == [str(n) for n in range(1, len(footnotes) + 1)]
    assert re.search(r'href="/sources/\d+/"', html)
    for number in set(re.findall(r'href="#fn-(\d+)"', html)):
        assert number in footnotes


def test_cis_plus_shows_its_parent_and_who_proposed_it(client, seed):
    html = client.get("/organizations/cis-plus/").content.decode()
    assert "Part of" in html
    assert 'href="/organizations/cis/"' in html
    assert "Kassym-Jomart Tokayev" in html
    assert 'href="/people/kassym-jomart-tokayev/"' in html
    assert "СНГ плюс" in html


def test_brics_lists_brics_plus_as_a_format(client, seed):
    html = client.get("/organizations/brics/").content.decode()
    assert "Formats and bodies" in html
    assert 'href="/organizations/brics-plus/"' in html


def test_brics_plus_shows_the_cis_taking_part_as_an_organization(client, seed):
    html = client.get("/organizations/brics-plus/?as_of=2024-10-24").content.decode()
    assert "Organizations taking part as organizations" in html
    section = html.split("Organizations taking part as organizations")[1].split("</section>")[0]
    assert "Commonwealth of Independent States" in section


def test_it_lists_pending_applications_and_decided_invitations(client, seed):
    html = client.get("/organizations/brics/?as_of=2025-07-01").content.decode()
    assert "Applications and invitations" in html
    assert "Saudi Arabia" in html
    assert "invited to become member" in html
    assert "declined" in html  # Argentina


def test_it_draws_a_map_and_a_timeline_with_titles(client, seed):
    html = client.get("/organizations/sco/?as_of=2024-07-05").content.decode()
    assert '<svg class="chart outline-map"' in html
    assert "<title>Belarus: member, since 4 July 2024</title>" in html
    assert '<svg class="chart timeline"' in html
    assert "Belarus: dialogue partner" in html
    assert "Belarus: observer" in html


def test_it_offers_to_compare_with_other_organizations(client, seed):
    html = client.get("/organizations/sco/").content.decode()
    assert 'href="/compare/?organizations=sco,brics"' in html
    assert "Compare with BRICS" in html


def test_it_lists_former_members_with_when_they_left(client):
    organization = make_organization("club", "Club")
    make_membership(organization, make_country("GE", "GEO", "Georgia"), "1993-12-03", "2009-08-18")
    html = client.get("/organizations/club/").content.decode()
    assert "Former members and partners" in html
    assert "left 18 August 2009" in html


def test_a_spell_starting_in_the_month_of_the_chosen_date_is_uncertain(client):
    organization = make_organization("club", "Club")
    make_membership(organization, make_country(), "2024-07")
    html = client.get("/organizations/club/?as_of=2024-07-10").content.decode()
    assert 'class="uncertain"' in html
    html = client.get("/organizations/club/?as_of=2024-08-10").content.decode()
    assert 'class="uncertain"' not in html


def test_a_spell_without_a_published_citation_is_marked_unsourced(client):
    organization = make_organization("club", "Club")
    make_membership(organization, make_country(), "2020", cite=False)
    html = client.get("/organizations/club/").content.decode()
    assert 'class="unsourced"' in html


def test_drafts_are_never_shown(client, seed):
    draft = Membership.objects.get(organization__slug="sco", member_country__iso2="BY", end=None)
    draft.is_published = False
    draft.save()
    html = client.get("/organizations/sco/?as_of=2024-07-05").content.decode()
    assert "Belarus" not in members_with_status(html, "member")
    assert len(members_with_status(html, "member")) == 9


def test_an_unpublished_organization_is_not_found(client):
    secret = make_organization("secret", "Secret club")
    secret.is_published = False
    secret.save()
    assert client.get("/organizations/secret/").status_code == 404


def test_an_unknown_slug_is_a_real_404_page(client):
    response = client.get("/organizations/no-such-thing/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()
    assert "<main" in response.content.decode()


def test_an_invalid_date_is_a_400_page_that_says_so(client, seed):
    response = client.get("/organizations/sco/?as_of=2024-13-45")
    html = response.content.decode()
    assert response.status_code == 400
    assert "The date is invalid" in html
    assert "2024-13-45" in html
    assert "as_of" in html


def test_the_organizations_list_counts_members_by_status(client, seed):
    html = client.get("/organizations/?as_of=2023-01-01").content.decode()
    assert "Shanghai Cooperation Organisation" in html
    assert '<th scope="col" class="num">Members</th>' in html
