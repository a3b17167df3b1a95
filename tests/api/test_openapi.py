"""Real answers match the schema: every list and every detail of the seed, validated with
openapi-core (a validator other than the one that wrote the schema), and the schema says what a
client needs: anonymous reads, every real status, CSV, orderings, public descriptions."""

import json

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from rest_framework.test import APIClient

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
MORE = [
    "/api/v1/memberships/?organization=sco&as_of=2025-07-01&page_size=200",
    "/api/v1/countries/?member_of=sco&as_of=2025-07-01&page_size=200",
    "/api/v1/countries/?member_of=sco&page_size=200",
    "/api/v1/agreements/?as_of=2025-07-01&page_size=200",
    "/api/v1/overlap/?organizations=sco,brics,eaeu&as_of=2025-07-01",
    "/api/v1/organizations/sco/timeline/?from=2001-06-15&step=year",
    "/api/v1/changes/",
    "/api/v1/problems/",
    "/api/v1/problems/unknown-record/",
]
ERRORS = [
    "/api/v1/memberships/?organisation=sco",
    "/api/v1/memberships/?organization=nato",
    "/api/v1/memberships/?as_of=%25",
    "/api/v1/memberships/?page=999",
    "/api/v1/organizations/nothing/",
    "/api/v1/overlap/?organizations=",
]


@pytest.fixture(scope="module")
def spec(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/v1/schema/", {"format": "json"}).json()


@pytest.fixture(scope="module")
def validator(spec):
    problems = {"application/problem+json": json.loads}
    return OpenAPI.from_dict(spec, config=Config(extra_media_type_deserializers=problems))


@pytest.fixture
def openapi(validator, seed):
    return validator


def validated(openapi, url: str, status: int = 200):
    response = APIClient().get(url)
    assert response.status_code == status, (url, response.content[:300])
    try:
        openapi.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )
    except Exception as error:  # its message holds the whole body: say only what is wrong
        found = getattr(error.__cause__, "schema_errors", None) or [error]
        messages = sorted({str(getattr(e, "message", e))[:200] for e in found})
        raise AssertionError(f"{url}: {messages[:5]}") from None
    return response


@pytest.mark.slow
def test_every_list_and_detail_matches_the_schema(openapi):
    details = []
    for resource in LISTS:
        response = validated(openapi, f"/api/v1/{resource}/?page_size=500")
        rows = response.json()["results"]
        assert rows, resource
        details += [rows[0]["url"], rows[-1]["url"]]
    for url in details:
        validated(openapi, url.removeprefix("http://testserver"))


@pytest.mark.slow
@pytest.mark.parametrize("url", MORE)
def test_computed_answers_match_the_schema(openapi, url):
    validated(openapi, url)


@pytest.mark.slow
@pytest.mark.parametrize("url", ERRORS)
def test_problems_match_the_schema(openapi, url):
    status = 404 if "999" in url or "nothing/" in url else 400
    response = validated(openapi, url, status)
    assert response["Content-Type"] == "application/problem+json"


def test_the_schema_tells_a_client_what_the_api_does(spec):
    memberships = spec["paths"]["/api/v1/memberships/"]["get"]
    # Anonymous reads: a generated client needs no credentials for them.
    assert {} in memberships["security"]
    assert {} not in spec["paths"]["/api/v1/memberships/"]["post"]["security"]
    # Every status the list answers, errors as problem details.
    assert {"200", "400", "401", "403", "404", "406", "429"} <= memberships["responses"].keys()
    problem = memberships["responses"]["400"]["content"]["application/problem+json"]
    assert problem["schema"]["$ref"].endswith("/Problem")
    # CSV: the format parameter and its media type.
    parameters = {p["name"]: p for p in memberships["parameters"]}
    assert parameters["format"]["schema"]["enum"] == ["json", "csv"]
    assert "text/csv" in memberships["responses"]["200"]["content"]
    # Orderings as an enum; statuses under both names.
    assert "-start" in parameters["ordering"]["schema"]["items"]["enum"]
    assert {"status", "statuses", "lang", "updated_since", "certain"} <= parameters.keys()
    # Descriptions for the API's users, not the code's docstrings.
    assert memberships["description"].startswith("Membership spells")
    assert "``" not in str(spec["paths"])
    # A write documents the review answer and the optimistic-locking refusals.
    patch = spec["paths"]["/api/v1/memberships/{id}/"]["patch"]["responses"]
    assert {"202", "409", "412"} <= patch.keys()
