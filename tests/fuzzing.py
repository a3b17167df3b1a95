"""What the property-based tests send, and how long they may look.

Values come from the classes of input that have broken the atlas before: a ``%`` that reached a
%-formatted message, NUL (which PostgreSQL refuses in text), lone surrogates (which cannot be
encoded as UTF-8), the last years Python's dates can hold, bidi controls, numbers past 64 bits,
markup and SQL; and from plain random text, bytes and JSON around them.

Every parameter and field is sent one value of each class (``CLASS_VALUES``, as explicit
examples: a class is never left to chance), then random ones. The budget of random examples:
``HYPOTHESIS_BUDGET=fuzz`` (``make fuzz``) looks about thirty times as long as the default,
which keeps the suite within CI's time on two cores. CI runs these tests on PostgreSQL only,
where NUL and time-zone offsets fail differently than on SQLite.
"""

from __future__ import annotations

import json
import os
import urllib.parse

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from hypothesis import HealthCheck, example, settings
from hypothesis import strategies as st

BUDGETS = {"ci": 12, "fuzz": 400}
BUDGET = os.environ.get("HYPOTHESIS_BUDGET", "ci")


def fuzz_settings(scale: float = 1.0):
    """The settings of one property test: ``scale`` times the budget's examples, no deadline
    (a request's time depends on the machine's load), every example from the same start."""
    return settings(
        max_examples=max(1, round(BUDGETS[BUDGET] * scale)),
        deadline=None,
        derandomize=BUDGET != "fuzz",
        database=None if BUDGET != "fuzz" else settings.default.database,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
        print_blob=True,
    )


def fuzzed(function):
    """Mark a property test: slow, and in CI run on PostgreSQL only."""
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    postgresql = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skipif(
        in_ci and not postgresql, reason="fuzzed in CI on PostgreSQL, where more can go wrong"
    )
    return pytest.mark.slow(pytest.mark.fuzz(skip(function)))


# --- values ------------------------------------------------------------------------------------

KNOWN_HOSTILE = [
    "%",
    "%25",
    "%s",
    "%(name)s",
    "%d%%",
    "{0}",
    "\x00",
    "sco\x00",
    "\ud800",
    "a\udfffb",
    "\u202e",
    "abc\u202edef",
    "9999",
    "9999-12",
    "9999-12-31",
    "≤9999-12-31",
    "0001-01-01",
    "0000",
    "2024-02-30",
    "2024-07-04+20:49",
    "2024-07-04T00:00:00+99:00",
    "1e309",
    "NaN",
    "-1",
    "0",
    "99999999999999999999999",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "../../etc/passwd",
    '=HYPERLINK("http://x")',
    " ",
    "",
    "true",
    "null",
    "[]",
    "{}",
    "sco,brics",
    "by",
    "BY",
    "member",
    "century",
    "ü" * 300,
]

# One value of each class that has broken the atlas: every parameter and field gets each.
CLASS_VALUES = [
    "%",
    "%(name)s",
    "\x00",
    "by\x00",
    "\ud800",
    "9999-12-31",
    "\u202eBY",
    "-1",
    "99999999999999999999999",
    "",
]

# Any code point, surrogates and NUL included.
_characters = st.characters(codec=None, exclude_categories=())
hostile_text = st.one_of(
    st.sampled_from(CLASS_VALUES),
    st.sampled_from(KNOWN_HOSTILE),
    st.text(_characters, max_size=30),
    st.builds(lambda a, b: a + b, st.sampled_from(KNOWN_HOSTILE), st.text(_characters, max_size=8)),
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.one_of(hostile_text, st.sampled_from(["date", "precision"])), children, max_size=3
        ),
    ),
    max_leaves=6,
)


def json_body(value) -> bytes:
    """JSON as a client may send it: lone surrogates escaped (``"\\ud800"``), as JSON allows."""
    return json.dumps(value, ensure_ascii=True).encode("ascii")


def query_value(text: str) -> str:
    """``text`` percent-encoded for a query string; a lone surrogate as the bytes it would be."""
    return urllib.parse.quote(text.encode("utf-8", "surrogatepass"), safe="")


raw_query_values = st.one_of(
    hostile_text.map(query_value),
    st.binary(max_size=12).map(lambda raw: urllib.parse.quote(raw, safe="")),
)


def with_examples(values, name: str):
    """Decorate a ``@given`` test so it always runs ``name=value`` for each of ``values``."""

    def decorate(test):
        for value in values:
            test = example(**{name: value})(test)
        return test

    return decorate


def with_examples_of(argument_sets):
    """Decorate a ``@given`` test so it always runs with each of ``argument_sets`` (dicts)."""

    def decorate(test):
        for arguments in argument_sets:
            test = example(**arguments)(test)
        return test

    return decorate


def query_string(pairs) -> str:
    return "&".join(f"{urllib.parse.quote(name)}={value}" for name, value in pairs)


# --- checking ----------------------------------------------------------------------------------


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, (
        f"{what} answered {response.status_code}: {response.content[:300]!r}"
    )


class rolled_back:
    """Run one example in a savepoint that is rolled back: each starts from the same data, and a
    database error in one cannot break the test's transaction for the next."""

    def __enter__(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        return self

    def __exit__(self, *exc_info):
        transaction.set_rollback(True)
        return self.atomic.__exit__(*exc_info)
