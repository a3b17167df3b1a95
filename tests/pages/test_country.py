"""The country page: organizations it is in, its whole spell history, applications, quotes."""

import re

import pytest

from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.django_db


def history_rows(html: str) -> list[tuple[str, str]]:
    table = html.split('<table class="history">')[1].split("</table>")[0]
    return re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a></th>\s*<td>([a-z ]+)', table)


def test_belarus_shows_its_sco_spells_in_order(client, seed):
    html = client.get("/countries/by/").content.decode()
    sco = [status.strip() for organization, status in history_rows(html) if organization == "SCO"]
    assert sco == ["dialogue partner", "observer", "member"]


def test_belarus_is_a_brics_partner(client, seed):
    html = client.get("/countries/by/?as_of=2025-07-01").content.decode()
    table = html.split('id="memberships-heading"')[1].split("</table>")[0]
    row = table.split("BRICS</a>")[1].split("</tr>")[0]
    assert "partner" in row
    assert 'class="unsourced"' not in html


def test_it_draws_one_timeline_across_organizations(client, seed):
    html = client.get("/countries/by/").content.decode()
    assert '<svg class="chart timeline"' in html
    assert "SCO: observer" in html
    assert "BRICS: partner" in html


def test_it_links_to_compare_the_organizations_it_is_in(client, seed):
    html = client.get("/countries/by/").content.decode()
    assert "Compare these organizations" in html


def test_it_shows_applications_and_quotes_about_the_country(client, seed):
    html = client.get("/countries/am/").content.decode()  # Armenia applied for SCO observer
    assert "applied for observer status" in html


def test_the_country_list_shows_who_holds_which_status(client, seed):
    html = client.get("/countries/?as_of=2025-07-01").content.decode()
    row = html.split(">Belarus</a></th>")[1].split("</tr>")[0]
    assert "SCO: member" in row
    assert "BRICS: partner" in row


def test_an_upper_case_code_redirects_to_the_lower_case_address(client):
    make_country()
    response = client.get("/countries/BY/?as_of=2020-01-01")
    assert response.status_code == 301
    assert response["Location"] == "/countries/by/?as_of=2020-01-01"


def test_an_unknown_code_is_a_404(client):
    assert client.get("/countries/zz/").status_code == 404
    assert client.get("/countries/blr/").status_code == 404


def test_an_invalid_date_is_a_400(client):
    make_country()
    response = client.get("/countries/by/?as_of=yesterday")
    assert response.status_code == 400
    assert "The date is invalid" in response.content.decode()


def test_unpublished_spells_are_not_shown(client):
    belarus = make_country()
    club = make_organization("club", "Secret Club", acronym="SECRET")
    spell = make_membership(club, belarus, "2020")
    spell.is_published = False
    spell.save()
    html = client.get("/countries/by/").content.decode()
    assert "SECRET" not in html
    assert "Secret Club" not in html
