"""GET /api/v1/overlap/: exact intersections and pairwise counts from selectors.organizations_overlap (issue 4)."""

import pytest
from rest_framework.test import APIClient

from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.django_db


def test_sco_and_brics_share_china_india_iran_and_russia_on_1_july_2025(seed):
    response = APIClient().get(
        "/api/v1/overlap/",
        {"organizations": "sco,brics", "as_of": "2025-07-01", "statuses": "member"},
    )
    assert response.status_code == 200
    data = response.json()
    both = next(i for i in data["intersections"] if i["organizations"] == ["sco", "brics"])
    assert [member["name"] for member in both["members"]] == ["China", "India", "Iran", "Russia"]
    assert data["pairwise"] == [{"organizations": ["sco", "brics"], "count": 4}]
    china = both["members"][0]
    assert [(m["organization"], m["status"]) for m in china["memberships"]] == [
        ("sco", "member"),
        ("brics", "member"),
    ]


def test_each_member_has_its_status_in_each_organization():
    sco, brics = make_organization("sco"), make_organization("brics")
    belarus = make_country()
    make_membership(sco, belarus, "2024-07-04")
    make_membership(brics, belarus, "2025-01-01", status="partner")
    data = (
        APIClient()
        .get("/api/v1/overlap/", {"organizations": "brics,sco", "as_of": "2025-07-01"})
        .json()
    )
    [intersection] = data["intersections"]
    assert intersection["organizations"] == ["brics", "sco"]
    [member] = intersection["members"]
    assert member["code"] == "BY"
    assert member["url"].endswith("/countries/by/")
    assert [(m["organization"], m["status"], m["is_certain"]) for m in member["memberships"]] == [
        ("brics", "partner", True),
        ("sco", "member", True),
    ]
    assert data["as_of"] == "2025-07-01"
    assert [o["slug"] for o in data["organizations"]] == ["brics", "sco"]


def test_unpublished_organizations_are_unknown_to_anonymous_callers():
    make_organization("sco")
    hidden = make_organization("hidden")
    hidden.is_published = False
    hidden.save()
    response = APIClient().get("/api/v1/overlap/", {"organizations": "sco,hidden"})
    assert response.status_code == 400
    assert "hidden" in response.json()["errors"]["organizations"][0]
