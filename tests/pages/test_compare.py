"""The compare page: exact intersections, a Venn diagram, a status matrix, a members-only toggle."""

import re

import pytest

from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.django_db


def matrix_row(html: str, name: str) -> str:
    table = html.split('<table class="matrix">')[1].split("</table>")[0]
    return table.split(f">{name}</a></th>")[1].split("</tr>")[0]


def test_china_india_iran_and_russia_are_members_of_both_the_sco_and_brics(client, seed):
    response = client.get("/compare/?organizations=sco,brics&as_of=2025-07-01&statuses=member")
    html = response.content.decode()
    assert response.status_code == 200
    both = html.split('<table class="intersections">')[1].split("</tr>")[1]
    assert "SCO + BRICS (all)" in both
    for name in ("China", "India", "Iran", "Russia"):
        assert name in both
        cells = re.findall(r"<td[^>]*>(.*?)</td>", matrix_row(html, name), re.S)
        assert len(cells) == 2
        for cell in cells:
            assert "member" in cell
            assert re.search(r'href="#fn-\d+"', cell), f"{name} has no footnote"
    assert 'class="unsourced"' not in html


def test_every_status_shows_partners_and_observers_too(client, seed):
    html = client.get("/compare/?organizations=sco,brics&as_of=2025-07-01").content.decode()
    assert "partner" in matrix_row(html, "Belarus")
    assert "Full members only</a>" in html


def test_the_toggle_links_between_full_members_and_every_status(client, seed):
    html = client.get("/compare/?organizations=sco,brics&as_of=2025-07-01").content.decode()
    assert 'href="?organizations=sco,brics&amp;as_of=2025-07-01&amp;statuses=member"' in html
    html = client.get(
        "/compare/?organizations=sco,brics&as_of=2025-07-01&statuses=member"
    ).content.decode()
    assert "<strong>Full members only</strong>" in html
    assert "partner" not in matrix_row(html, "Belarus")


def test_a_venn_diagram_for_two_or_three_and_none_for_more(client, seed):
    html = client.get("/compare/?organizations=sco,brics,cis").content.decode()
    assert '<svg class="chart venn"' in html
    assert '<svg class="chart upset"' in html
    html = client.get("/compare/?organizations=sco,brics,cis,eaeu").content.decode()
    assert '<svg class="chart venn"' not in html
    assert '<svg class="chart upset"' in html


def test_repeated_organizations_parameters_are_accepted_from_the_form(client, seed):
    response = client.get("/compare/?organizations=sco&organizations=brics")
    assert response.status_code == 200
    assert "SCO · BRICS" in response.content.decode()


def test_exact_intersections_count_each_member_once(client):
    first = make_organization("first", "First")
    second = make_organization("second", "Second")
    both, only_first = make_country(), make_country("RU", "RUS", "Russia")
    make_membership(first, both, "2000")
    make_membership(second, both, "2001")
    make_membership(first, only_first, "2000")
    html = client.get("/compare/?organizations=first,second").content.decode()
    table = html.split('<table class="intersections">')[1]
    assert re.search(r"First \+ Second \(all\)</th>\s*<td class=\"num\">1</td>", table)
    assert re.search(r"First</th>\s*<td class=\"num\">1</td>", table)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("organizations=sco", "organizations"),
        ("organizations=a,b,c,d,e,f,g", "organizations"),
        ("organizations=sco,nowhere", "organizations"),
        ("organizations=sco,brics&statuses=king", "statuses"),
        ("organizations=sco,brics&as_of=2024-13-45", "as_of"),
    ],
)
def test_bad_parameters_are_a_400_page_naming_the_parameter(client, seed, query, parameter):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    assert f"The {parameter} parameter is invalid" in response.content.decode()


def test_without_organizations_it_shows_the_form(client, seed):
    response = client.get("/compare/")
    assert response.status_code == 200
    assert 'name="organizations"' in response.content.decode()
