"""Agreement pages (issue 6): the list with each agreement's stage as of a date, the profile with
its stage timeline, and agreements on the pages of the organizations and countries party to them."""

import re

import pytest

from orgs.models import Country, Organization
from tests.makers import (
    make_agreement,
    make_agreement_party,
    make_agreement_stage,
    make_citation,
    make_country,
    make_organization,
    make_source,
)
from tests.page_text import section, text_of

pytestmark = pytest.mark.django_db


def agreement_row(html: str, slug: str) -> str:
    match = re.search(rf'<tr data-agreement="{slug}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {slug}"
    return text_of(match.group(1))


def test_the_eaeu_page_lists_mongolia_and_uae_agreements_as_signed_on_27_june_2025(client, seed):
    html = client.get("/organizations/eaeu/?as_of=2025-07-01").content.decode()
    agreements = section(html, "agreements-heading")
    assert "signed 27 June 2025" in agreement_row(agreements, "eaeu-mongolia")
    assert "signed 27 June 2025" in agreement_row(agreements, "eaeu-uae")
    assert "Mongolia" in agreement_row(agreements, "eaeu-mongolia")
    assert "United Arab Emirates" in agreement_row(agreements, "eaeu-uae")


def test_as_of_1_june_2025_the_same_agreements_were_under_negotiation(client, seed):
    html = client.get("/organizations/eaeu/?as_of=2025-06-01").content.decode()
    agreements = section(html, "agreements-heading")
    mongolia, uae = (
        agreement_row(agreements, "eaeu-mongolia"),
        agreement_row(agreements, "eaeu-uae"),
    )
    assert "negotiations launched 8 May 2024" in mongolia
    assert "negotiations launched by 31 August 2024" in uae
    assert "signed" not in mongolia
    assert "signed" not in uae


def test_the_agreement_page_draws_its_stages_and_footnotes_them(client, seed):
    response = client.get("/agreements/eaeu-mongolia/?as_of=2025-06-01")
    html = response.content.decode()
    assert response.status_code == 200
    chart = re.search(r'<svg class="chart stage-timeline".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in chart
    assert "<title>Stages of the EAEU–Mongolia" in chart
    assert (
        "<title>Negotiations launched: 8 May 2024 (the stage reached on 1 June 2025)</title>"
        in (chart)
    )
    assert "Signed: 27 June 2025, Minsk (not yet reached on 1 June 2025)" in chart
    assert '<g class="stage current">' in chart
    assert '<g class="stage pending">' in chart
    stages = text_of(html.split('<ol class="stage-list">')[1].split("</ol>")[0])
    assert "Negotiations launched: 8 May 2024" in stages
    assert "Signed: 27 June 2025, Minsk" in stages
    footnotes = re.findall(r'<li id="fn-(\d+)">', html)
    assert footnotes
    assert footnotes == [str(n) for n in range(1, len(footnotes) + 1)]
    for number in set(re.findall(r'href="#fn-(\d+)"', html)):
        assert number in footnotes
    assert 'class="unsourced"' not in html
    assert "Kind" in html
    assert "Interim trade agreement" in html
    assert 'href="/organizations/eaeu/"' in html
    assert 'href="/countries/mn/"' in html


def test_a_stage_known_only_to_the_month_is_marked_uncertain(client, seed):
    # The launch of negotiations is known to the month; the signature, since the late-2025
    # update, to the day (issue 14).
    html = client.get("/agreements/eaeu-indonesia/?as_of=2023-06-01").content.decode()
    assert '<g class="stage current uncertain">' in html
    assert "Negotiations launched: December 2022" in text_of(html)
    assert "date uncertain" in text_of(html)
    # In December 2022 itself the launch may or may not have happened yet.
    html = client.get("/agreements/eaeu-indonesia/?as_of=2022-12-10").content.decode()
    assert 'class="uncertain"' in html.split('class="current-stage"')[1].split("</dd>")[0]


def test_the_list_shows_parties_and_stage_and_filters_by_party(client, seed):
    html = client.get("/agreements/?as_of=2025-07-01").content.decode()
    assert "signed 27 June 2025" in agreement_row(html, "eaeu-uae")
    assert "EAEU" in agreement_row(html, "eaeu-uae")
    assert html.count("<tr data-agreement=") == 5 + 8  # and the late-2025 update's (issue 14)
    html = client.get("/agreements/?party=mn").content.decode()
    assert html.count("<tr data-agreement=") == 1
    assert "eaeu-mongolia" in html
    html = client.get("/agreements/?party=eaeu").content.decode()
    assert html.count("<tr data-agreement=") == 5 + 8  # and the late-2025 update's (issue 14)


def test_an_unknown_party_is_a_400_that_names_the_parameter(client, seed):
    response = client.get("/agreements/?party=atlantis")
    assert response.status_code == 400
    assert "party" in response.content.decode()


def test_the_country_page_lists_its_agreements(client, seed):
    html = client.get("/countries/mn/?as_of=2025-07-01").content.decode()
    assert "signed 27 June 2025" in agreement_row(
        section(html, "agreements-heading"), "eaeu-mongolia"
    )


def test_search_finds_agreements_and_events(client, seed):
    html = client.get("/search/?q=Mongolia").content.decode()
    assert 'href="/agreements/eaeu-mongolia/"' in html
    html = client.get("/search/?q=Kazan").content.decode()
    assert 'href="/events/xvi-brics-summit-kazan-with-outreachbrics-meeting/"' in html


def test_agreement_stages_are_among_the_changes_and_in_the_feed(client, seed):
    html = client.get("/changes/?since=2025-06-01&until=2025-07-01").content.decode()
    assert "EAEU–Mongolia interim trade agreement: signed" in html
    assert 'href="/agreements/eaeu-mongolia/?as_of=2025-06-27"' in html
    feed = client.get("/changes.atom").content.decode()
    assert "EAEU–Mongolia interim trade agreement: signed" in feed
    assert "/agreements/eaeu-mongolia/" in feed


def test_an_unknown_agreement_is_a_404(client, seed):
    response = client.get("/agreements/no-such-agreement/")
    assert response.status_code == 404
    assert "<main" in response.content.decode()


def test_a_bad_as_of_is_a_400(client, seed):
    for url in ["/agreements/?as_of=2024-13-45", "/agreements/eaeu-mongolia/?as_of=2024-13-45"]:
        response = client.get(url)
        assert response.status_code == 400
        assert "as_of" in response.content.decode()


def make_cited_agreement(slug, parties, stages, *, published=True):
    agreement = make_agreement(slug, slug.title(), is_published=published)
    make_citation(agreement, make_source(f"About {slug}"))
    for party in parties:
        make_agreement_party(agreement, party)
    for kind, date in stages:
        make_agreement_stage(agreement, kind, date, is_published=published)
    return agreement


def test_draft_agreements_are_never_shown_to_the_public(client):
    union = make_organization("union", "Union")
    country = make_country()
    make_cited_agreement(
        "secret-pact", [union, country], [("signed", "2024-01-01")], published=False
    )
    assert client.get("/agreements/secret-pact/").status_code == 404
    assert "secret-pact" not in client.get("/agreements/").content.decode()
    assert "secret-pact" not in client.get("/organizations/union/").content.decode()
    assert "secret-pact" not in client.get("/countries/by/").content.decode()
    assert "secret-pact" not in client.get("/search/?q=secret").content.decode()


PAGES = [
    ("/agreements/", 8),
    # The party named is checked to exist (an unknown one is a 400): one more.
    ("/agreements/?party=eaeu", 9),
    ("/agreements/{slug}/", 5),
    ("/organizations/eaeu/", 26),
    ("/countries/mn/", 16),
]


def add_many_agreements(count=12):
    """More agreements of the EAEU and Mongolia, each with two parties more and two stages."""
    eaeu, mongolia = Organization.objects.get(slug="eaeu"), Country.objects.get(iso2="MN")
    others = Country.objects.published().filter(agreement_parties__isnull=True).order_by("pk")
    for number, country in enumerate(others[:count]):
        make_cited_agreement(
            f"pact-{number}",
            [eaeu, mongolia, country],
            [("negotiations_launched", "2023-05"), ("signed", "2024-02-03")],
        )


@pytest.mark.parametrize("size", ["seed", "seed and more"])
@pytest.mark.parametrize(("url", "maximum"), PAGES)
def test_agreement_pages_run_a_fixed_number_of_queries(
    client, seed, size, url, maximum, django_assert_max_num_queries
):
    if size == "seed and more":
        add_many_agreements()
    client.get("/")  # content types cached, as on a running server
    with django_assert_max_num_queries(maximum):
        response = client.get(url.format(slug="eaeu-mongolia"))
    assert response.status_code == 200
