"""Proposals (issue 6): who proposed an organization or an idea, when, and what came of it."""

import pytest

from orgs.models import Proposal
from tests.page_text import section, text_of

pytestmark = pytest.mark.django_db


def test_cis_plus_shows_it_was_proposed_by_tokayev(client, seed):
    html = client.get("/organizations/cis-plus/").content.decode()
    assert "proposed by Kassym-Jomart Tokayev" in text_of(html)
    assert 'href="/people/kassym-jomart-tokayev/"' in html


def test_the_proposals_page_lists_proposed_formats_and_other_proposals(client, seed):
    response = client.get("/proposals/")
    html = response.content.decode()
    assert response.status_code == 200
    formats = text_of(section(html, "proposed-orgs-heading"))
    assert "CIS Plus (CIS+) Kassym-Jomart Tokayev 8 October 2024" in formats
    assert "Greater Eurasian Partnership Vladimir Putin 2015" in formats
    others = text_of(section(html, "proposals-heading"))
    assert "Eurasian Charter on (of) Diversity and Multipolarity" in others
    assert "proposed by Belarus and Russia" in others
    assert "proposed by the SCO Secretariat, by 9 June 2025" in others
    assert "Stage: invitation to dialogue to develop the charter" in others
    assert 'class="unsourced"' not in html
    assert section(html, "proposals-heading").count('href="#fn-') >= 3


def test_proposals_appear_on_the_pages_of_what_they_concern_and_who_made_them(client, seed):
    html = client.get("/organizations/cis/").content.decode()
    assert "SCO (member states or organization) joining CIS Plus" in section(
        html, "proposals-heading"
    )
    html = client.get("/countries/by/").content.decode()
    assert "Eurasian Charter" in section(html, "proposals-heading")


def test_draft_proposals_are_not_shown_to_the_public(client, seed):
    Proposal.objects.update(is_published=False)
    html = client.get("/proposals/").content.decode()
    assert "Eurasian Charter" not in html
    assert "Eurasian Charter" not in client.get("/countries/by/").content.decode()


def test_the_proposals_page_runs_a_fixed_number_of_queries(
    client, seed, django_assert_max_num_queries
):
    client.get("/")
    with django_assert_max_num_queries(5):
        assert client.get("/proposals/").status_code == 200
