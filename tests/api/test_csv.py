"""CSV as researchers load it: asked for by name whatever the Accept header, links without
?format=, partial dates in three columns, citations as source ids, a file name, the overlap and
the timeline too, and pandas reading every list with the right types."""

import csv
import io

import pandas as pd
import pytest
from rest_framework.test import APIClient

from orgs.models import Citation
from tests.makers import make_country, make_membership, make_organization, make_source

pytestmark = pytest.mark.django_db

LISTS = [
    "organizations",
    "countries",
    "memberships",
    "applications",
    "people",
    "sources",
    "quotes",
    "citations",
    "agreements",
    "agreement-stages",
    "agreement-parties",
    "events",
    "event-participants",
    "proposals",
]


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def spells():
    sco = make_organization("sco", "Shanghai Cooperation Organisation")
    brics = make_organization("brics", "BRICS")
    belarus, russia = make_country(), make_country("RU", "RUS", "Russia")
    spell = make_membership(sco, belarus, "2024-07")
    Citation.objects.create(claim=spell, source=make_source("Second"), position=1)
    make_membership(sco, russia, "2001-06-15")
    make_membership(brics, russia, "2006")
    return spell


def test_format_csv_wins_over_an_accept_header_asking_for_json(spells):
    api = APIClient(headers={"Accept": "application/json"})
    assert len(rows(api.get("/api/v1/memberships/", {"format": "csv"}))) == 3


def test_links_in_cells_lead_to_the_records_not_to_their_csv(spells):
    text = APIClient().get("/api/v1/memberships/", {"format": "csv"}).content.decode()
    assert "format=" not in text
    assert "/api/v1/memberships/" in text


def test_partial_dates_are_three_columns_and_citations_their_sources_ids(spells):
    [row] = rows(APIClient().get("/api/v1/memberships/", {"member": "by", "format": "csv"}))
    assert (row["start"], row["start_precision"], row["start_latest"]) == (
        "2024-07-01",
        "month",
        "2024-07-31",
    )
    sources = [str(c.source_id) for c in spells.citations.order_by("position", "id")]
    assert row["citations_count"] == "2"
    assert row["citations_source_ids"] == ";".join(sources)


def test_a_csv_answer_is_a_file_with_a_name(spells):
    response = APIClient().get("/api/v1/memberships/", {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="eurasia-atlas-memberships.csv"'
    one = APIClient().get(f"/api/v1/memberships/{spells.pk}/", {"format": "csv"})
    assert f"eurasia-atlas-memberships-{spells.pk}.csv" in one["Content-Disposition"]


def test_the_overlap_is_one_row_per_member_with_its_combination(spells):
    answer = rows(
        APIClient().get(
            "/api/v1/overlap/",
            {"organizations": "sco,brics", "as_of": "2025-07-01", "format": "csv"},
        )
    )
    by_member = {row["member_code"]: row for row in answer}
    assert by_member["RU"]["combination"] == "sco+brics"
    assert by_member["RU"]["sco_status"] == "member"
    assert by_member["RU"]["brics_is_certain"] == "true"
    assert by_member["BY"]["combination"] == "sco"
    assert by_member["BY"]["brics_status"] == ""


def test_errors_stay_problem_details_when_csv_was_asked_for(spells):
    response = APIClient().get("/api/v1/memberships/", {"format": "csv", "as_of": "x"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.slow
def test_pandas_reads_every_list_with_the_right_types(seed):
    api = APIClient()
    for resource in LISTS:
        response = api.get(f"/api/v1/{resource}/", {"format": "csv"})
        table = pd.read_csv(io.BytesIO(response.content))
        assert len(table), resource
        assert table["id"].dtype == "int64", resource
        if "is_published" in table:
            assert table["is_published"].dtype == "bool", resource
        for column in table.columns:
            if column.endswith("_precision") or column.endswith("_latest"):
                assert column.removesuffix("_precision").removesuffix("_latest") in table
        if "start" in table:
            pd.to_datetime(table["start"], format="%Y-%m-%d")  # no other shape of date
    spells = pd.read_csv(
        io.BytesIO(api.get("/api/v1/memberships/", {"format": "csv"}).content),
        parse_dates=["start", "start_latest", "end", "end_latest"],
    )
    assert spells["start"].dtype.kind == "M"
    assert spells["end_latest"].dtype.kind == "M"
    assert spells["citations_count"].dtype == "int64"


def test_the_timeline_is_one_row_per_step(spells):
    answer = rows(
        APIClient().get(
            "/api/v1/organizations/sco/timeline/",
            {"from": "2023-01-01", "to": "2025-01-01", "format": "csv"},
        )
    )
    assert [(row["date"], row["member"], row["joined"]) for row in answer] == [
        ("2023-01-01", "1", ""),
        ("2024-01-01", "1", ""),
        ("2025-01-01", "2", "BY"),
    ]
