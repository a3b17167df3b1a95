"""Profiles page their long lists: a country in hundreds of organizations, an organization with
hundreds of quotes. Each list pages by a parameter of its own and keeps the page's others."""

import re

import pytest

from orgs.pages.mixins import PAGE_SIZE
from tests.makers import (
    make_application,
    make_country,
    make_membership,
    make_organization,
    make_person,
    make_quote,
)

pytestmark = pytest.mark.django_db

MORE = PAGE_SIZE + 5


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


@pytest.fixture
def belarus_everywhere():
    """Belarus a member of MORE organizations since 2000, with a footnote for each spell."""
    belarus = make_country()
    organizations = [
        make_organization(f"club-{number:03d}", f"Club {number:03d}") for number in range(MORE)
    ]
    for organization in organizations:
        make_membership(organization, belarus, "2000-01-01")
        make_application(
            organization, belarus, "1999-06-01", decided_on="1999-12-01", outcome="granted"
        )
    return belarus


def test_a_country_pages_its_organizations_and_its_spells(client, belarus_everywhere):
    html = client.get("/countries/by/?as_of=2020-01-01").content.decode()
    memberships = section(html, "memberships-heading")
    assert memberships.count('<th scope="row">') == PAGE_SIZE
    assert f"Page 1 of 2 ({MORE} in all)" in memberships
    assert 'href="?as_of=2020-01-01&amp;memberships=2" rel="next"' in memberships
    history = section(html, "history-heading")
    assert history.count('<th scope="row">') == PAGE_SIZE
    assert 'href="?as_of=2020-01-01&amp;spells=2" rel="next"' in history

    second = client.get("/countries/by/?as_of=2020-01-01&spells=2").content.decode()
    history = section(second, "history-heading")
    assert history.count('<th scope="row">') == MORE - PAGE_SIZE
    assert 'href="?as_of=2020-01-01&amp;spells=1" rel="prev"' in history
    # The other list stays on its first page.
    assert section(second, "memberships-heading").count('<th scope="row">') == PAGE_SIZE


def test_a_country_cites_only_what_its_page_shows(client, belarus_everywhere):
    html = client.get("/countries/by/?spells=2").content.decode()
    shown = len(re.findall(r'<li id="fn-\d+"', html))
    # One source per spell and application: the first page of memberships and of
    # applications, the second page of spells.
    assert shown == PAGE_SIZE + PAGE_SIZE + (MORE - PAGE_SIZE)
    assert 'class="unsourced"' not in html


def test_a_country_pages_its_applications(client, belarus_everywhere):
    html = client.get("/countries/by/?applications=2").content.decode()
    applications = section(html, "applications-heading")
    assert applications.count("<li>") == MORE - PAGE_SIZE
    assert 'href="?applications=1" rel="prev"' in applications


def test_a_page_number_out_of_range_shows_the_last_page(client, belarus_everywhere):
    response = client.get("/countries/by/?spells=99")
    assert response.status_code == 200
    assert "Page 2 of 2" in section(response.content.decode(), "history-heading")


def test_an_organization_pages_its_quotes(client):
    club = make_organization("club", "Club")
    speaker = make_person()
    for day in range(1, MORE + 1):
        make_quote(
            f"Quote number {day}.",
            speaker,
            said_on=f"2020-01-{(day % 28) + 1:02d}",
            about_organizations=[club],
        )
    html = client.get("/organizations/club/").content.decode()
    quotes = section(html, "quotes-heading")
    assert quotes.count("Quote number") == PAGE_SIZE
    assert 'href="?quotes=2" rel="next"' in quotes
    second = section(client.get("/organizations/club/?quotes=2").content.decode(), "quotes-heading")
    assert second.count("Quote number") == MORE - PAGE_SIZE


def test_every_other_organization_is_offered_for_a_comparison(client):
    make_organization("club", "Club")
    make_organization("other", "Other <Club>", acronym="O&C")
    html = client.get("/organizations/club/?as_of=2020-01-01").content.decode()
    links = section(html, "compare-heading")
    assert (
        '<li><a href="/compare/?organizations=club,other&amp;as_of=2020-01-01">'
        "Compare with O&amp;C</a></li>"
    ) in links
    assert '<option value="other">Other &lt;Club&gt; (O&amp;C)</option>' in links
    assert 'value="club"' not in links.split("<select")[1]  # not itself


def test_the_compare_form_ticks_the_chosen_organizations(client):
    make_organization("first", "First")
    make_organization("second", "Second")
    make_organization("third", "Third")
    html = client.get("/compare/?organizations=first,second").content.decode()
    assert '<input type="checkbox" name="organizations" value="first" checked> First' in html
    assert '<input type="checkbox" name="organizations" value="second" checked> Second' in html
    assert '<input type="checkbox" name="organizations" value="third"> Third' in html


def test_the_home_page_pages_its_organizations_and_counts_them_all(client):
    belarus = make_country()
    for number in range(MORE):
        club = make_organization(f"club-{number:03d}", f"Club {number:03d}")
        make_membership(club, belarus, "2000-01-01")
    html = client.get("/").content.decode()
    cards = section(html, "orgs-heading")
    assert cards.count('<li class="card">') == PAGE_SIZE
    assert f"follows {MORE} international organizations" in " ".join(html.split())
    assert "Club 000" in cards
    assert f"Club {PAGE_SIZE:03d}" not in cards
    second = section(client.get("/?page=2").content.decode(), "orgs-heading")
    assert second.count('<li class="card">') == MORE - PAGE_SIZE
    assert f"Club {PAGE_SIZE:03d}" in second
    assert "1 member" in second  # counted on the second page too
