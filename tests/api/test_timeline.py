"""Time series in one call: an organization's members by status at each step, who joined,
changed or left, computed by the database in one query whatever the number of steps; and each
country's spell under countries/?member_of=."""

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from rest_framework.test import APIClient

from tests.makers import make_country, make_membership, make_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def sco():
    sco = make_organization("sco", "Shanghai Cooperation Organisation", founded_on="2001-06-15")
    russia, belarus = make_country("RU", "RUS", "Russia"), make_country()
    make_membership(sco, russia, "2001-06-15")
    make_membership(sco, belarus, "2015", "2022-09-16", status="dialogue_partner")
    make_membership(sco, belarus, "2022-09-16", "2024-07-04", status="observer")
    make_membership(sco, belarus, "2024-07-04")
    make_membership(sco, make_country("UZ", "UZB", "Uzbekistan"), "2001-06-15", "2012-01-01")
    return sco


def steps(**params):
    response = APIClient().get("/api/v1/organizations/sco/timeline/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_members_by_status_each_year_with_who_joined_changed_or_left(sco):
    answer = steps(**{"from": "2014-06-15", "to": "2024-06-15"})
    by_year = {step["date"][:4]: step for step in answer["steps"]}
    assert len(by_year) == 11
    assert by_year["2014"]["counts"]["member"] == 1
    assert by_year["2014"]["total"] == 1
    # Belarus's dialogue partnership began in "2015": in June 2015 it may or may not have.
    assert by_year["2015"]["counts"]["dialogue_partner"] == 1
    assert by_year["2015"]["uncertain"] == 1
    assert [m["code"] for m in by_year["2015"]["joined"]] == ["BY"]
    changed = by_year["2023"]["changed"]
    assert changed == [
        {
            "kind": "country",
            "code": "BY",
            "name": "Belarus",
            "from": "dialogue_partner",
            "to": "observer",
        }
    ]
    assert by_year["2024"]["counts"]["observer"] == 1


def test_the_default_period_runs_from_the_founding_to_today(sco):
    answer = steps()
    assert answer["from"] == "2001-06-15"
    first, *_ = answer["steps"]
    assert first["counts"]["member"] == 2
    left = [step for step in answer["steps"] if step["left"]]
    assert [(s["date"], s["left"][0]["code"]) for s in left] == [("2012-06-15", "UZ")]


def test_month_and_day_steps_cost_one_query_for_the_counts(sco, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):  # organization, counts, members' names, last change
        answer = steps(**{"from": "2024-01-01", "to": "2024-12-31", "step": "day"})
    assert len(answer["steps"]) == 366
    july = next(s for s in answer["steps"] if s["date"] == "2024-07-04")
    assert july["changed"][0]["to"] == "member"
    months = steps(**{"from": "2024-01-31", "to": "2024-12-31", "step": "month"})["steps"]
    assert [s["date"] for s in months[:2]] == ["2024-01-31", "2024-02-29"]


def test_a_long_period_continues_at_next(sco):
    answer = steps(**{"from": "2000-01-01", "to": "2003-12-31", "step": "day"})
    assert len(answer["steps"]) == 500
    assert "from=2001-05-15" in answer["next"]
    assert steps(**{"from": "2024-01-01", "to": "2023-01-01"})["steps"] == []


def test_the_statuses_counted_and_refusals(sco):
    answer = steps(**{"from": "2023-06-15", "to": "2023-06-15", "statuses": "observer"})
    assert answer["steps"][0]["counts"]["observer"] == 1
    assert answer["steps"][0]["counts"]["member"] == 0
    for params in ({"step": "week"}, {"from": "2024"}, {"status": "nobody"}, {"every": "1"}):
        response = APIClient().get("/api/v1/organizations/sco/timeline/", params)
        assert response.status_code == 400, params
        assert response["Content-Type"] == "application/problem+json"
    assert APIClient().get("/api/v1/organizations/nato/timeline/").status_code == 404


def test_countries_member_of_carry_their_status_since_and_certainty(sco):
    rows = (
        APIClient()
        .get("/api/v1/countries/", {"member_of": "sco", "as_of": "2015-06-01"})
        .json()["results"]
    )
    by_code = {row["iso2"]: row["membership"] for row in rows}
    assert by_code["RU"]["status"] == "member"
    assert by_code["RU"]["is_certain"] is True
    assert by_code["BY"]["status"] == "dialogue_partner"
    assert by_code["BY"]["since"]["display"] == "2015"
    assert by_code["BY"]["is_certain"] is False
    everyone = APIClient().get("/api/v1/countries/").json()["results"]
    assert all(row["membership"] is None for row in everyone)


def test_a_client_generated_from_the_schema_works_without_credentials(sco, tmp_path):
    schema = tmp_path / "schema.json"
    schema.write_bytes(APIClient().get("/api/v1/schema/", {"format": "json"}).content)
    generator = [sys.executable, "-m", "openapi_python_client", "generate"]
    subprocess.run(
        [
            *generator,
            "--path",
            str(schema),
            "--output-path",
            str(tmp_path / "atlas_client"),
            "--meta",
            "none",
        ],
        check=True,
        capture_output=True,
        # Its post-hooks format the client with ruff, which sits beside this Python.
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
    )
    sys.path.insert(0, str(tmp_path))
    try:
        from atlas_client import Client
        from atlas_client.api.memberships import memberships_list
        from atlas_client.api.organizations import organizations_timeline_retrieve

        # Over WSGI, request_started/finished would close the test's own connection on
        # PostgreSQL (its transaction holds the test data): not for this test.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        transport = httpx.WSGITransport(app=get_wsgi_application())
        client = Client(base_url="http://testserver", httpx_args={"transport": transport})
        page = memberships_list.sync(client=client, organization="sco")
        assert page.count == 5
        assert {row.member.code for row in page.results} == {"RU", "BY", "UZ"}
        timeline = organizations_timeline_retrieve.sync(client=client, slug="sco")
        assert timeline.steps[0].counts.member == 2
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.startswith("atlas_client")]:
            del sys.modules[name]
