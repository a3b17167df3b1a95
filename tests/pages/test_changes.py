"""The changes view: who joined, changed status or left between two dates."""

import pytest

from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.django_db


def test_it_lists_who_joined_changed_status_or_left_between_two_dates(client):
    club = make_organization("club", "Club")
    belarus, georgia = make_country(), make_country("GE", "GEO", "Georgia")
    make_membership(club, belarus, "2015-07-10", "2024-07-04", status="observer")
    make_membership(club, belarus, "2024-07-04")
    make_membership(club, georgia, "2000", "2024-03-01")
    make_membership(club, make_country("RU", "RUS", "Russia"), "2024-02-01")
    html = client.get("/changes/?since=2024-01-01&until=2024-12-31").content.decode()
    assert "Belarus became member of the Club (was observer)" in html
    assert "Georgia left the Club (was member)" in html
    assert "Russia joined the Club as member" in html
    assert "Belarus joined" not in html  # 2015 is outside the period


def test_the_seed_shows_belarus_joining_the_sco_in_2024(client, seed):
    html = client.get("/changes/?since=2024-07-01&until=2024-07-31").content.decode()
    assert "Belarus became member of the SCO (was observer)" in html
    assert 'class="unsourced"' not in html


@pytest.mark.parametrize("query", ["since=2024-13-45", "since=2025-01-01&until=2024-01-01"])
def test_bad_dates_are_a_400(client, query):
    response = client.get(f"/changes/?{query}")
    assert response.status_code == 400
    assert "The since parameter is invalid" in response.content.decode()


def test_without_since_it_shows_the_last_year(client):
    assert client.get("/changes/").status_code == 200
