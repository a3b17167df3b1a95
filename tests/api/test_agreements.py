"""Agreements, their stages and parties through the API: the stage as of a day comes from
``selectors.agreement_list``, bad timelines are refused field by field (issue 6)."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from orgs.models import Agreement, AgreementParty, AgreementStage, Citation
from tests.makers import (
    make_agreement,
    make_agreement_party,
    make_agreement_stage,
    make_country,
    make_organization,
    make_source,
    make_staff,
    token_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def editor_api():
    return token_client(make_staff("Editor", "editor"))


def unpublish(*records):
    # save(), not update(): the page cache (eurasia.middleware) is dropped on save signals.
    for record in records:
        record.is_published = False
        record.save()


def stages_by_slug(response) -> dict:
    return {
        row["slug"]: (row["current_stage"] or {}).get("stage") for row in response.json()["results"]
    }


def test_the_eaeu_agreements_with_mongolia_and_the_uae_are_signed_on_1_july_2025(seed, api):
    response = api.get("/api/v1/agreements/", {"party": "eaeu", "as_of": "2025-07-01"})
    assert response.status_code == 200
    stages = stages_by_slug(response)
    assert stages["eaeu-mongolia"] == "signed"
    assert stages["eaeu-uae"] == "signed"
    mongolia = next(r for r in response.json()["results"] if r["slug"] == "eaeu-mongolia")
    assert mongolia["current_stage"]["date"]["display"] == "27 June 2025"
    assert mongolia["current_stage"]["is_certain"] is True
    assert {party["code"] for party in mongolia["parties"]} == {"eaeu", "MN"}
    assert [stage["stage"] for stage in mongolia["stages"]] == ["negotiations_launched", "signed"]
    assert all(stage["citations"] for stage in mongolia["stages"])
    assert mongolia["citations"]


def test_on_1_june_2025_the_same_agreements_were_under_negotiation(seed, api):
    response = api.get("/api/v1/agreements/", {"party": "EAEU", "as_of": "2025-06-01"})
    stages = stages_by_slug(response)
    assert stages["eaeu-mongolia"] == "negotiations_launched"
    assert stages["eaeu-uae"] == "negotiations_launched"


def test_the_stage_filter_is_the_stage_reached_on_as_of(seed, api):
    signed = api.get("/api/v1/agreements/", {"stage": "signed", "as_of": "2025-07-01"})
    assert sorted(stages_by_slug(signed)) == ["eaeu-mongolia", "eaeu-singapore", "eaeu-uae"]
    negotiating = api.get(
        "/api/v1/agreements/", {"stage": "negotiations_launched", "as_of": "2025-06-01"}
    )
    assert sorted(stages_by_slug(negotiating)) == [
        "eaeu-egypt",
        "eaeu-indonesia",
        "eaeu-israel",
        "eaeu-mongolia",
        "eaeu-uae",
    ]


def test_agreements_by_country_code_in_any_case_and_kind(seed, api):
    for code in ("mn", "MN", "mng"):
        response = api.get("/api/v1/agreements/", {"party": code})
        assert list(stages_by_slug(response)) == ["eaeu-mongolia"], code
    free_trade = api.get("/api/v1/agreements/", {"kind": "free_trade"})
    assert sorted(stages_by_slug(free_trade)) == [
        "eaeu-egypt",
        "eaeu-india",
        "eaeu-indonesia",
        "eaeu-iran",
        "eaeu-israel",
        "eaeu-serbia",
        "eaeu-singapore",
        "eaeu-vietnam",
    ]


def test_one_agreement_as_of_a_day(seed, api):
    row = api.get("/api/v1/agreements/eaeu-uae/", {"as_of": "2025-06-01"}).json()
    assert row["current_stage"]["stage"] == "negotiations_launched"
    assert row["current_stage"]["date"]["precision"] == "by"
    today = api.get("/api/v1/agreements/eaeu-uae/").json()
    assert today["current_stage"]["stage"] == "signed"
    before = api.get("/api/v1/agreements/eaeu-uae/", {"as_of": "2020-01-01"}).json()
    assert before["current_stage"] is None
    assert api.get("/api/v1/agreements/nothing/").status_code == 404


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/agreements/?as_of=yesterday", "as_of"),
        ("/api/v1/agreements/?stage=bogus", "stage"),
        ("/api/v1/agreements/?kind=planet", "kind"),
        ("/api/v1/agreements/eaeu-uae/?as_of=2025-02-30", "as_of"),
        ("/api/v1/agreements/?page=0", "page"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(seed, api, url, parameter):
    response = api.get(url)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


def test_agreements_answer_csv_with_the_current_stage(seed, api):
    response = api.get(
        "/api/v1/agreements/", {"party": "eaeu", "as_of": "2025-07-01", "format": "csv"}
    )
    assert response.status_code == 200
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert len(rows) == 13  # the EAEU's agreements in the seed
    assert rows["eaeu-mongolia"]["current_stage_stage"] == "signed"
    assert rows["eaeu-mongolia"]["current_stage_date"] == "2025-06-27"
    assert rows["eaeu-mongolia"]["current_stage_date_precision"] == "day"
    assert rows["eaeu-mongolia"]["stages_count"] == "2"


def test_draft_agreements_and_stages_are_hidden_from_the_public(api):
    agreement = make_cited_agreement(stages=[("negotiations_launched", "2024-05-08")])
    unpublish(*AgreementStage.objects.all())
    row = api.get(f"/api/v1/agreements/{agreement.slug}/").json()
    assert row["stages"] == []
    assert row["current_stage"] is None
    unpublish(agreement)
    assert api.get("/api/v1/agreements/").json()["count"] == 0
    assert api.get(f"/api/v1/agreements/{agreement.slug}/").status_code == 404
    staff = get_user_model().objects.create_user("staff", is_staff=True)
    api.force_authenticate(staff)
    drafts = api.get("/api/v1/agreements/", {"drafts": "1"}).json()["results"]
    assert [row["current_stage"]["stage"] for row in drafts] == ["negotiations_launched"]


def test_a_read_can_be_revalidated_with_its_etag(api):
    make_cited_agreement()
    first = api.get("/api/v1/agreements/")
    assert first["ETag"]
    assert api.get("/api/v1/agreements/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


# --- writes --------------------------------------------------------------------------------


def make_cited_agreement(slug="eaeu-mongolia", stages=(), parties=()):
    agreement = make_agreement(slug, slug.upper())
    for stage, date in stages:
        make_agreement_stage(agreement, stage, date)
    for party in parties:
        make_agreement_party(agreement, party)
    return agreement


def test_an_editor_creates_an_agreement_then_adds_parties_and_stages(editor_api):
    make_organization("eaeu", "Eurasian Economic Union")
    make_country("MN", "MNG", "Mongolia")
    response = editor_api.post(
        "/api/v1/agreements/",
        {"slug": "eaeu-mongolia", "title": "EAEU–Mongolia", "kind": "interim_trade"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["is_published"] is False
    assert response.json()["stages"] == []
    for party in ({"organization": "eaeu"}, {"country": "mn"}):
        added = editor_api.post(
            "/api/v1/agreement-parties/", {"agreement": "eaeu-mongolia", **party}
        )
        assert added.status_code == 201, added.json()
    for stage, date in (("negotiations_launched", "2024-05-08"), ("signed", "2025-06-27")):
        added = editor_api.post(
            "/api/v1/agreement-stages/",
            {"agreement": "eaeu-mongolia", "stage": stage, "date": date, "place": "Minsk"},
        )
        assert added.status_code == 201, added.json()
    row = editor_api.get("/api/v1/agreements/eaeu-mongolia/", {"drafts": "1"}).json()
    assert {party["code"] for party in row["parties"]} == {"eaeu", "MN"}
    assert row["current_stage"]["stage"] == "signed"
    patched = editor_api.patch("/api/v1/agreements/eaeu-mongolia/", {"note": "Interim."})
    assert patched.status_code == 200
    assert patched.json()["current_stage"]["stage"] == "signed"
    assert Agreement.objects.get().history.count() == 2


def test_a_stage_dated_before_the_previous_stage_is_refused_and_nothing_written(editor_api):
    make_cited_agreement(stages=[("negotiations_launched", "2024-05-08")])
    response = editor_api.post(
        "/api/v1/agreement-stages/",
        {"agreement": "eaeu-mongolia", "stage": "signed", "date": "2023-06"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "date": ["“signed” (June 2023) is dated before “negotiations launched” (8 May 2024)."]
    }
    assert AgreementStage.objects.count() == 1
    again = editor_api.post(
        "/api/v1/agreement-stages/",
        {"agreement": "eaeu-mongolia", "stage": "negotiations_launched", "date": "2024-06"},
    )
    assert again.status_code == 400
    assert "already has that stage" in str(again.json())


def test_a_party_listed_twice_is_refused_under_its_field(editor_api):
    mongolia = make_country("MN", "MNG", "Mongolia")
    eaeu = make_organization("eaeu")
    make_cited_agreement(parties=[mongolia, eaeu])
    for party, field in (
        ({"country": "MN"}, "country"),
        ({"organization": "eaeu"}, "organization"),
    ):
        response = editor_api.post(
            "/api/v1/agreement-parties/", {"agreement": "eaeu-mongolia", **party}
        )
        assert response.status_code == 400
        assert "already a party to the agreement" in response.json()["errors"][field][0]
    neither = editor_api.post("/api/v1/agreement-parties/", {"agreement": "eaeu-mongolia"})
    assert neither.status_code == 400
    assert "country" in neither.json()["errors"]
    assert AgreementParty.objects.count() == 2


def test_bad_agreements_answer_400_per_field(editor_api):
    make_cited_agreement()
    taken = editor_api.post("/api/v1/agreements/", {"slug": "eaeu-mongolia", "title": "Again"})
    assert taken.status_code == 400
    assert "slug" in taken.json()["errors"]
    kind = editor_api.post("/api/v1/agreements/", {"slug": "x", "title": "X", "kind": "treaty"})
    assert kind.status_code == 400
    assert "kind" in kind.json()["errors"]
    bad_date = editor_api.post(
        "/api/v1/agreement-stages/",
        {"agreement": "eaeu-mongolia", "stage": "signed", "date": "2025-13"},
    )
    assert bad_date.status_code == 400
    assert "Month 13" in bad_date.json()["errors"]["date"][0]
    assert Agreement.objects.count() == 1
    assert AgreementStage.objects.count() == 0


def test_a_reviewer_deletes_an_agreement_an_editor_may_not(editor_api):
    make_cited_agreement(stages=[("proposed", "2024")])
    assert editor_api.delete("/api/v1/agreements/eaeu-mongolia/").status_code == 403
    reviewer_api = token_client(make_staff("Reviewer", "reviewer"))
    assert reviewer_api.delete("/api/v1/agreements/eaeu-mongolia/").status_code == 204
    assert not Agreement.objects.exists()
    assert not AgreementStage.objects.exists()


def test_anonymous_writes_are_refused():
    response = APIClient().post("/api/v1/agreements/", {"slug": "x", "title": "X"})
    assert response.status_code == 401
    assert not Agreement.objects.exists()


# --- a fixed number of queries -------------------------------------------------------------


def make_many_agreements(count):
    eaeu = make_organization("eaeu")
    countries = [make_country(a, b, a) for a, b in (("MN", "MNG"), ("AE", "ARE"), ("IN", "IND"))]
    source = make_source("Shared source")
    for number in range(count):
        agreement = make_cited_agreement(
            f"agreement-{number}", parties=[eaeu, countries[number % 3]]
        )
        Citation.objects.create(claim=agreement, source=source)
        for stage, date in (("negotiations_launched", "2024-05"), ("signed", "2025-06-27")):
            row = AgreementStage(agreement=agreement, stage=stage, is_published=True)
            row.date_partial = date
            row.save()
            Citation.objects.create(claim=row, source=source)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agreements/?page_size=100",
        "/api/v1/agreements/?party=eaeu&stage=signed&as_of=2025-07-01&page_size=100",
        "/api/v1/agreements/?format=csv",
        "/api/v1/agreement-stages/?page_size=100",
        "/api/v1/agreement-parties/?page_size=100",
    ],
)
@pytest.mark.parametrize("rows", [3, 30])
def test_an_agreement_list_costs_the_same_queries_for_3_or_30_rows(
    api, django_assert_max_num_queries, url, rows
):
    make_many_agreements(rows)
    # The ids, then agreement_list; the atlas's last change (Last-Modified); the party checked.
    with django_assert_max_num_queries(8):
        response = api.get(url)
    assert response.status_code == 200
    if "page_size" in url and "stages" not in url and "parties" not in url:
        assert response.json()["count"] == rows


def test_the_browsable_api_shows_an_agreement_and_its_edit_form_to_an_editor():
    make_cited_agreement(parties=[make_organization("eaeu", "EAEU")], stages=[("signed", "2025")])
    client = APIClient()
    client.force_authenticate(make_staff("Editor", "editor"))
    for url in ("/api/v1/agreements/", "/api/v1/agreements/eaeu-mongolia/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        assert "EAEU-MONGOLIA" in response.content.decode()
    stages = client.get("/api/v1/agreement-stages/", HTTP_ACCEPT="text/html")
    assert stages.status_code == 200
    assert '<option value="eaeu-mongolia"' in stages.content.decode()
