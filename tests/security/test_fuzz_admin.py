"""Property-based: no admin form field, list parameter or history address answers 5xx.

Every model the admin registers for the atlas is covered: its add form and the change form of
a seed record (inline rows and management forms included, as a browser would post them), its
list's filters, search and ordering, its history pages and the autocomplete. A model or field
added later is fuzzed without a change here.
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import (
    assert_no_server_error,
    fuzz_settings,
    fuzzed,
    hostile_text,
    query_string,
    query_value,
    raw_query_values,
    rolled_back,
    with_examples,
    with_examples_of,
)
from tests.security.test_hostile_input import FormFields

# The classes every list parameter and every form field is sent (the rest come at random).
LIST_CLASS_VALUES = ["%", "\x00", "\ud800", "9999-12-31", "99999999999999999999999"]
FORM_CLASS_VALUES = ["%", "%(name)s", "\x00", "9999-12-31", "\u202eBY", "99999999999999999999999"]
MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")

MODELS = sorted(
    model._meta.model_name for model in admin.site._registry if model._meta.app_label == "orgs"
)
# Text a form field may receive from a browser: anything but a lone surrogate, which a browser
# cannot send (Django decodes such bytes to U+FFFD).
form_text = hostile_text.map(lambda text: text.encode("utf-8", "replace").decode("utf-8"))


@pytest.fixture
def superuser_client(client, seed):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "x"))
    return client


def model_class(model: str):
    return next(m for m in admin.site._registry if m._meta.model_name == model)


def form_data(client, url: str, model: str) -> dict | None:
    page = client.get(url)
    if page.status_code == 403:
        return None  # nobody adds this kind of record by hand (change sets)
    assert page.status_code == 200, (url, page.status_code)
    parser = FormFields(f"{model}_form")
    parser.feed(page.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}


def form_urls(model: str) -> list[str]:
    urls = [f"/admin/orgs/{model}/add/"]
    record = model_class(model).objects.order_by("pk").first()
    if record is not None:
        urls.append(f"/admin/orgs/{model}/{record.pk}/change/")
    return urls


@fuzzed
@pytest.mark.parametrize("model", MODELS)
def test_no_admin_form_field_answers_a_server_error(superuser_client, model):
    forms = {url: form_data(superuser_client, url, model) for url in form_urls(model)}
    forms = {url: data for url, data in forms.items() if data is not None}
    if not forms:
        pytest.skip(f"no {model} form to fill in: none can be added and the seed has none")
    names = sorted({name for data in forms.values() for name in data})
    # Each class in every field of a form at once (management forms left as they are, so the
    # inline rows are validated too), then a few fields at a time at random.
    every_field = [
        {"url": url, "changes": {name: value for name in data if not name.endswith(MANAGEMENT)}}
        for url, data in forms.items()
        for value in FORM_CLASS_VALUES
    ]

    @fuzz_settings()
    @with_examples_of(every_field)
    @given(
        url=st.sampled_from(sorted(forms)),
        changes=st.dictionaries(st.sampled_from(names), form_text, min_size=1, max_size=3),
    )
    def check(url, changes):
        data = {**forms[url], **changes, "_save": "Save"}
        with rolled_back():
            response = superuser_client.post(url, data)
        assert_no_server_error(response, f"POST {url} {changes!r}")

    check()


def list_parameters(client, model: str) -> list[str]:
    """The parameters the list's own links use (its filters), and the admin's own."""
    page = client.get(f"/admin/orgs/{model}/")
    assert page.status_code == 200
    found = set(re.findall(r'href="\?([^"=&#]+)=', page.content.decode()))
    return sorted(found | {"q", "o", "p", "all", "e", "_to_field", "_popup", "drafts"})


@fuzzed
@pytest.mark.parametrize("model", MODELS)
def test_no_admin_list_parameter_answers_a_server_error(superuser_client, model):
    names = list_parameters(superuser_client, model)
    each_class = [(name, query_value(value)) for name in names for value in LIST_CLASS_VALUES]

    @fuzz_settings()
    @with_examples([[pair] for pair in each_class], "pairs")
    @given(
        pairs=st.lists(st.tuples(st.sampled_from(names), raw_query_values), min_size=1, max_size=3)
    )
    def check(pairs):
        path = f"/admin/orgs/{model}/?{query_string(pairs)}"
        with rolled_back():
            response = superuser_client.get(path)
        assert_no_server_error(response, f"GET {path}")

    check()


ids = st.one_of(
    st.sampled_from(["abc", "1.5", "-1", "0", "99999999999999999999", "1%00", "%25", "sco"]),
    raw_query_values,
)


@fuzzed
@pytest.mark.parametrize("model", MODELS)
def test_no_admin_history_address_answers_a_server_error(superuser_client, model):
    record = model_class(model).objects.order_by("pk").first()
    real = str(record.pk) if record else "1"

    @fuzz_settings()
    @given(
        object_id=st.one_of(st.just(real), ids),
        version=ids,
        shape=st.sampled_from(
            ["history/", "history/{version}/", "history/compare/?from={version}&to={version}"]
        ),
    )
    def check(object_id, version, shape):
        path = f"/admin/orgs/{model}/{object_id}/{shape.format(version=version)}"
        with rolled_back():
            response = superuser_client.get(path)
        assert_no_server_error(response, f"GET {path}")

    check()


@fuzzed
def test_no_autocomplete_term_answers_a_server_error(superuser_client):
    fields = [
        ("membership", "organization"),
        ("membership", "member_country"),
        ("quote", "speaker"),
        ("citation", "source"),
    ]

    @fuzz_settings(scale=2)
    @given(
        field=st.sampled_from(fields),
        term=raw_query_values,
        page=st.sampled_from(["1", "x", "-5", "%00"]),
    )
    def check(field, term, page):
        model, name = field
        path = (
            f"/admin/autocomplete/?app_label=orgs&model_name={model}&field_name={name}"
            f"&term={term}&page={page}"
        )
        response = superuser_client.get(path)
        assert_no_server_error(response, f"GET {path}")

    check()
