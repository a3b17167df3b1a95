"""Property-based: no filter value, JSON body or field of any API resource answers 5xx.

Every resource the router registers is covered, with every parameter its FilterSet declares,
the shared ones (ordering, paging, format, drafts) and every field its serializer writes, so a
resource or filter added later is fuzzed without a change here. Each parameter and field gets a
value of every class that broke the API before, then random ones (``tests/fuzzing.py``).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orgs.api.urls import router
from tests.fuzzing import (
    CLASS_VALUES,
    assert_no_server_error,
    fuzz_settings,
    fuzzed,
    json_body,
    json_values,
    query_string,
    query_value,
    raw_query_values,
    rolled_back,
    with_examples,
)

SHARED_PARAMETERS = ["ordering", "page", "page_size", "format", "drafts", "as_of", "q"]
RESOURCES = {prefix: viewset for prefix, viewset, _basename in router.registry}


def filter_names(viewset) -> list[str]:
    filterset = getattr(viewset, "filterset_class", None)
    names = list(filterset.base_filters) if filterset else []
    return sorted(set(names + SHARED_PARAMETERS))


def writable_fields(viewset) -> list[str]:
    serializer = viewset.serializer_class()
    return sorted(name for name, field in serializer.fields.items() if not field.read_only)


def writable(value):
    """What a client sends back of what it read: linked records by key, the rest as read."""
    if isinstance(value, list):
        return [writable(item) for item in value]
    if isinstance(value, dict) and "url" in value:
        for key in ("slug", "iso2", "id"):
            if key in value:
                return value[key]
    return value


@pytest.fixture
def api(seed):
    user = get_user_model().objects.create_superuser("fuzz", "fuzz@example.org", "x")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def first_record(api, resource) -> dict | None:
    response = api.get(f"/api/v1/{resource}/", {"drafts": "1"})
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    results = data.get("results", data) if isinstance(data, dict) else data
    return results[0] if results else None


FILTERS = [
    (resource, name) for resource, viewset in RESOURCES.items() for name in filter_names(viewset)
]


@fuzzed
@pytest.mark.parametrize(("resource", "name"), FILTERS)
def test_no_filter_value_answers_a_server_error(api, client, resource, name):
    """One parameter at a time, so a value that passes validation reaches the database."""

    @fuzz_settings(scale=0.25)
    @with_examples([query_value(value) for value in CLASS_VALUES], "value")
    @given(value=raw_query_values)
    def check(value):
        path = f"/api/v1/{resource}/?{query_string([(name, value)])}"
        with rolled_back():
            for caller in (client, api):
                response = caller.get(path)
                assert_no_server_error(response, f"GET {path}")

    check()


FIELDS = [
    (resource, name) for resource, viewset in RESOURCES.items() for name in writable_fields(viewset)
]


@fuzzed
@pytest.mark.parametrize(("resource", "field"), FIELDS)
def test_no_json_field_answers_a_server_error(api, resource, field):
    """Each field changed alone on a seed record, so the rest of the record stays valid and the
    value reaches the model's own checks and the database."""
    record = first_record(api, resource)
    if record is None:
        pytest.skip(f"the seed has no {resource}")

    @fuzz_settings(scale=0.25)
    @with_examples([*CLASS_VALUES, 2**70, -1, 1.5, None, True, [], {}], "value")
    @given(value=json_values)
    def check(value):
        with rolled_back():
            changed = api.generic(
                "PATCH", record["url"], json_body({field: value}), "application/json"
            )
        assert_no_server_error(changed, f"PATCH {record['url']} {field}={value!r}")

    check()


def bodies(resource, base: dict):
    fields = writable_fields(RESOURCES[resource])
    changes = st.dictionaries(st.sampled_from(fields), json_values, min_size=1, max_size=3)
    return st.one_of(
        changes.map(lambda changed: {**base, **changed}),
        json_values,
    )


@fuzzed
@pytest.mark.parametrize("resource", RESOURCES)
def test_no_json_body_answers_a_server_error(api, resource):
    """Whole bodies: a seed record sent back with a few fields changed, or any JSON at all."""
    record = first_record(api, resource)
    base = {name: writable(value) for name, value in (record or {}).items()}

    @fuzz_settings(scale=2)
    @given(body=bodies(resource, base))
    def check(body):
        with rolled_back():
            created = api.generic(
                "POST", f"/api/v1/{resource}/", json_body(body), "application/json"
            )
        assert_no_server_error(created, f"POST /api/v1/{resource}/ {body!r}")

    check()
