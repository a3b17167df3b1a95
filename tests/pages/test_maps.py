"""The outline maps on the organization, country and compare pages, and every chart's downloads."""

import csv
import io
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from orgs.geo.frames import WORLD
from orgs.pages.charts import ALL_COLOUR, COUNT_COLOURS, PAIR_COLOURS, SET_COLOURS, STATUS_COLOURS
from orgs.pages.maps import HERE_COLOUR
from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.django_db

MEMBER, OBSERVER = STATUS_COLOURS["member"], STATUS_COLOURS["observer"]


def mark(html: str, code: str) -> str:
    """The markup of one marked country on the map (its link, title and shapes)."""
    found = re.search(rf'<(?:a|g) [^>]*data-code="{code}">(.*?)</(?:a|g)>', html, re.S)
    assert found, f"{code} is not marked on the map"
    return found.group(0)


def fill(html: str, code: str) -> str:
    return re.search(r'fill="(#[0-9A-Fa-f]{6})"', mark(html, code)).group(1)


def the_map(html: str) -> str:
    return re.search(r'<svg class="chart outline-map[^"]*".*?</svg>', html, re.S).group(0)


# --- organization page ------------------------------------------------------------------------


def test_belarus_is_a_member_of_the_sco_in_2025_and_an_observer_in_2020(client, seed):
    html = the_map(client.get("/organizations/sco/?as_of=2025-07-01").content.decode())
    belarus = mark(html, "BY")
    assert fill(html, "BY") == MEMBER
    assert "<title>Belarus: member, since 4 July 2024</title>" in belarus
    # A focusable link to Belarus as of the same date.
    assert 'href="/countries/by/?as_of=2025-07-01"' in belarus

    html = the_map(client.get("/organizations/sco/?as_of=2020-01-01").content.decode())
    assert fill(html, "BY") == OBSERVER
    assert "<title>Belarus: observer, since 10 July 2015 (until 4 July 2024)</title>" in mark(
        html, "BY"
    )


def test_india_and_pakistan_are_observers_in_2016(client, seed):
    html = the_map(client.get("/organizations/sco/?as_of=2016-01-01").content.decode())
    assert fill(html, "IN") == OBSERVER
    assert fill(html, "PK") == OBSERVER
    assert fill(html, "CN") == MEMBER
    assert 'data-code="IR"' in html  # an observer then too
    # Countries with no status are grey, titled, and not links.
    assert "<title>Japan</title>" in html
    assert 'data-code="JP"' not in html


def test_an_uncertain_status_is_hatched(client):
    club = make_organization("club", "Club")
    make_membership(club, make_country(), "2024-07")
    html = the_map(client.get("/organizations/club/?as_of=2024-07-10").content.decode())
    assert 'class="country hatched" data-code="BY"' in html
    assert 'fill="url(#map-hatch)"' in html
    assert "(uncertain on this date)" in mark(html, "BY")
    html = the_map(client.get("/organizations/club/?as_of=2024-08-10").content.decode())
    assert "hatched" not in mark(html, "BY")


def test_small_states_are_dots_and_the_view_is_framed_on_the_members(client, seed):
    page = client.get("/organizations/sco/?as_of=2025-07-01").content.decode()
    html = the_map(page)
    assert 'class="dot" data-code="BH"' in html  # Bahrain
    assert 'class="dot" data-code="MV"' in html  # the Maldives
    assert f'viewBox="{WORLD.view_box}"' not in html  # Eurasia, not the world
    assert "small country (drawn as a dot)" in page
    brics = the_map(client.get("/organizations/brics/?as_of=2025-07-01").content.decode())
    assert f'viewBox="{WORLD.view_box}"' in brics  # Brazil to Indonesia: the world


def test_the_map_is_accessible_and_needs_no_inline_style(client, seed):
    page = client.get("/organizations/sco/?as_of=2025-07-01").content.decode()
    html = the_map(page)
    # Links inside: a group with a name, not an image (axe's nested-interactive).
    assert 'role="group" aria-labelledby="map-title"' in html
    assert 'role="img"' not in html
    assert "style=" not in html
    assert '<ul class="map-legend">' in page
    assert "member" in re.search(r'<ul class="map-legend">.*?</ul>', page, re.S).group(0)


def test_the_page_offers_the_map_and_its_data_and_shares_the_png(client, seed):
    page = client.get("/organizations/sco/?as_of=2025-07-01").content.decode()
    assert 'href="/organizations/sco/map.svg?as_of=2025-07-01"' in page
    assert 'href="/organizations/sco/map.csv?as_of=2025-07-01"' in page
    assert 'href="/organizations/sco/timeline.svg?as_of=2025-07-01"' in page
    assert (
        '<meta property="og:image" '
        'content="http://testserver/organizations/sco/map.png?as_of=2025-07-01">'
    ) in page


# --- country and compare pages ----------------------------------------------------------------


def test_the_country_page_has_a_locator_map(client, seed):
    page = client.get("/countries/by/").content.decode()
    html = the_map(page)
    belarus = mark(html, "BY")
    assert 'class="country here"' in belarus
    assert fill(html, "BY") == HERE_COLOUR
    assert "<title>Poland</title>" in html  # a neighbour, grey
    assert 'href="/countries/by/map.svg"' in page


def test_compare_colours_countries_by_their_combination(client, seed):
    url = "/compare/?organizations=sco,brics,eaeu&as_of=2025-07-01"
    page = client.get(url).content.decode()
    html = the_map(page)
    assert fill(html, "RU") == ALL_COLOUR  # in all three
    assert fill(html, "CN") == PAIR_COLOURS[(0, 1)]  # SCO and BRICS
    assert fill(html, "BR") == SET_COLOURS[1]  # BRICS only
    assert "<title>China: in SCO + BRICS</title>" in mark(html, "CN")
    # The UpSet bar of "all three" has the colour Russia has on the map.
    upset = re.search(r'<svg class="chart upset".*?</svg>', page, re.S).group(0)
    assert f'fill="{ALL_COLOUR}"' in upset


def test_compare_honours_full_members_only(client, seed):
    every = the_map(
        client.get("/compare/?organizations=sco,brics,eaeu&as_of=2025-07-01").content.decode()
    )
    members = the_map(
        client.get(
            "/compare/?organizations=sco,brics,eaeu&as_of=2025-07-01&statuses=member"
        ).content.decode()
    )
    # Belarus is a BRICS partner: in all three with every status, in SCO and EAEU as a member.
    assert fill(every, "BY") == ALL_COLOUR
    assert fill(members, "BY") == PAIR_COLOURS[(0, 2)]
    assert "full members" in members


def test_compare_colours_by_count_from_four_organizations(client, seed):
    url = "/compare/?organizations=sco,brics,eaeu,cis&as_of=2025-07-01"
    html = the_map(client.get(url).content.decode())
    # Russia is in all four; Brazil only in BRICS.
    assert fill(html, "RU") == COUNT_COLOURS[-1]
    assert fill(html, "BR") == COUNT_COLOURS[0]
    assert "in 4 of 4" in mark(html, "RU")


# --- downloads --------------------------------------------------------------------------------


def test_the_map_downloads_as_svg_png_and_csv(client, seed):
    response = client.get("/organizations/sco/map.svg?as_of=2025-07-01")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    document = response.content.decode()
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "Natural Earth" in document
    assert "1 July 2025" in document
    assert "style=" not in document
    assert 'href="http://testserver/countries/by/"' in document  # links work from a file

    response = client.get("/organizations/sco/map.png?as_of=2025-07-01")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")

    response = client.get("/organizations/sco/map.csv?as_of=2025-07-01")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    belarus = next(row for row in rows if row["iso2"] == "BY")
    assert belarus["status"] == "member"
    assert belarus["since"] == "4 July 2024"
    assert len(rows) == len(re.findall(r'data-code="', document))


def test_the_other_charts_download_too(client, seed):
    for url, content_type in [
        ("/organizations/sco/timeline.svg", "image/svg+xml; charset=utf-8"),
        ("/organizations/sco/timeline.csv", "text/csv; charset=utf-8"),
        ("/countries/by/map.svg", "image/svg+xml; charset=utf-8"),
        ("/countries/by/timeline.svg", "image/svg+xml; charset=utf-8"),
        ("/countries/by/timeline.csv", "text/csv; charset=utf-8"),
        ("/compare/map.svg?organizations=sco,brics,eaeu", "image/svg+xml; charset=utf-8"),
        ("/compare/venn.svg?organizations=sco,brics,eaeu", "image/svg+xml; charset=utf-8"),
        ("/compare/upset.svg?organizations=sco,brics,eaeu", "image/svg+xml; charset=utf-8"),
        ("/compare/overlap.csv?organizations=sco,brics,eaeu", "text/csv; charset=utf-8"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == content_type, url
        if url.endswith(".svg") or ".svg?" in url:
            assert "Eurasia Atlas" in response.content.decode(), url


def test_a_bad_download_answers_as_the_pages_do(client, seed):
    assert client.get("/organizations/sco/map.svg?as_of=2025-13-01").status_code == 400
    assert client.get("/organizations/sco/map.png?as_of=yesterday").status_code == 400
    assert client.get("/organizations/nothing/map.svg").status_code == 404
    assert client.get("/countries/zz/map.svg").status_code == 404
    assert client.get("/compare/map.svg").status_code == 404
    assert client.get("/compare/map.svg?organizations=sco,nothing").status_code == 400
    # A Venn diagram needs two or three organizations.
    assert client.get("/compare/venn.svg?organizations=sco,brics,eaeu,cis").status_code == 404


@pytest.fixture
def warm_content_types():
    # As in the pages' query counts: content types are cached once per process.
    ContentType.objects.get_for_models(*apps.get_app_config("orgs").get_models())


# The same counts on a two-country atlas and on the seed: none grows with the data.
DOWNLOADS = [
    ("/organizations/sco/map.svg", 7),  # the organization, its members, every country's name
    ("/organizations/sco/map.png", 7),
    ("/organizations/sco/map.csv", 6),
    ("/organizations/sco/timeline.svg", 6),
    ("/organizations/sco/timeline.csv", 6),
    ("/countries/by/map.svg", 2),
    ("/countries/by/timeline.csv", 4),
    ("/compare/map.svg?organizations=sco,brics", 4),
    ("/compare/overlap.csv?organizations=sco,brics", 4),
]


def small_atlas():
    sco = make_organization("sco", "Shanghai Cooperation Organisation", acronym="SCO")
    brics = make_organization("brics", "BRICS", acronym="BRICS")
    belarus, russia = make_country(), make_country("RU", "RUS", "Russia")
    make_membership(sco, belarus, "2024-07-04")
    make_membership(sco, russia, "2001-06-15")
    make_membership(brics, russia, "2006")


@pytest.mark.parametrize(("url", "maximum"), DOWNLOADS)
@pytest.mark.parametrize("atlas", ["small", "seed"])
def test_downloads_run_a_fixed_number_of_queries(
    client, url, maximum, atlas, request, warm_content_types, django_assert_max_num_queries
):
    if atlas == "seed":
        request.getfixturevalue("seed")
    else:
        small_atlas()
    with django_assert_max_num_queries(maximum):
        assert client.get(url).status_code == 200
