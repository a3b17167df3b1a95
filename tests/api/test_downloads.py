"""The bulk snapshot (a Frictionless Data Package with NDJSON and SQLite), /downloads/, the
change feed and updated_since, and the pandas example in docs/ run against the API."""

import datetime
import importlib.util
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import frictionless
import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from orgs.models import Membership, Organization
from tests.makers import make_country, make_membership, make_organization

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "sco_members.py"


@pytest.fixture
def snapshots(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    return settings.SNAPSHOT_DIR


def read_through(client):
    def read(url):
        response = client.get(url.replace("http://testserver", ""))
        assert response.status_code == 200, (url, response.status_code)
        return b"".join(response.streaming_content) if response.streaming else response.content

    return read


@pytest.mark.slow
def test_export_atlas_writes_a_valid_data_package(seed, snapshots, tmp_path):
    call_command("export_atlas", stdout=io.StringIO())
    latest = snapshots / "atlas-latest.zip"
    assert (snapshots / f"atlas-{datetime.date.today().isoformat()}.zip").exists()
    folder = tmp_path / "unzipped"
    zipfile.ZipFile(latest).extractall(folder)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]
    package = json.loads((folder / "datapackage.json").read_text())
    names = [resource["name"] for resource in package["resources"]]
    assert {"memberships", "citations", "sources", "organizations", "countries"} <= set(names)
    spells = next(r for r in package["resources"] if r["name"] == "memberships")
    types = {field["name"]: field["type"] for field in spells["schema"]["fields"]}
    assert types["id"] == "integer"
    assert types["start"] == "date"
    assert types["is_founding"] == "boolean"
    # The long form of citations: which source supports which claim.
    citations = (folder / "citations.csv").read_text().splitlines()[0].split(",")
    assert {"claim_type", "claim_id", "claim_field", "source"} <= set(citations)
    # NDJSON and SQLite hold the same rows as the CSV.
    ndjson = (folder / "ndjson" / "memberships.ndjson").read_text().splitlines()
    assert len(ndjson) == Membership.objects.filter(is_published=True).count()
    assert json.loads(ndjson[0])["url"].startswith("http")
    database = sqlite3.connect(folder / "atlas.sqlite")
    assert database.execute("select count(*) from memberships").fetchone()[0] == len(ndjson)


@pytest.mark.slow
def test_the_pandas_example_counts_the_sco_members_per_year_and_loads_the_snapshot(
    seed, snapshots, capsys
):
    spec = importlib.util.spec_from_file_location("sco_members", EXAMPLE)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    read = read_through(Client())
    per_year = example.members_per_year("http://testserver", read)
    counts = dict(zip(per_year["year"], per_year["member"], strict=True))
    assert counts[2001] == 6
    assert counts[2017] == 8
    example.main("http://testserver", read)
    printed = capsys.readouterr().out
    assert "spells" in printed
    assert "citations" in printed


@pytest.mark.django_db
def test_downloads_lists_the_snapshots_and_rebuilds_the_latest_after_a_change(snapshots):
    sco = make_organization("sco")
    make_membership(sco, make_country(), "2024")
    client = Client()
    assert b'href="/downloads/"' in client.get("/").content  # the home page links to it
    page = client.get("/downloads/")
    assert page.status_code == 200
    assert b"atlas-latest.zip" in page.content
    first = b"".join(client.get("/downloads/atlas-latest.zip").streaming_content)
    assert "organizations.csv" in zipfile.ZipFile(io.BytesIO(first)).namelist()
    make_organization("brics")
    after = b"".join(client.get("/downloads/atlas-latest.zip").streaming_content)
    rows = zipfile.ZipFile(io.BytesIO(after)).read("organizations.csv").decode()
    assert "brics" in rows
    assert client.get("/downloads/atlas-1999-01-01.zip").status_code == 404
    assert client.get("/downloads/../settings.py").status_code == 404


@pytest.mark.django_db
def test_the_change_feed_lists_publications_changes_and_tombstones():
    api = APIClient()
    start = api.get("/api/v1/changes/").json()["count"]
    sco = make_organization("sco")
    spell = make_membership(sco, make_country(), "2024")
    moment = datetime.datetime.now(datetime.UTC).isoformat()
    spell.note = "Checked."
    spell.save()
    Organization.objects.filter(pk=sco.pk)  # unchanged
    draft = make_organization("later", is_published=False)
    draft.name = "Still a draft"
    draft.save()
    spell.is_published = False
    spell.save()
    feed = api.get("/api/v1/changes/", {"page_size": 100}).json()
    entries = [(e["type"], e["id"], e["change"]) for e in feed["results"]]
    assert feed["count"] > start
    assert ("organization", sco.pk, "published") in entries
    assert ("membership", spell.pk, "published") in entries
    assert ("membership", spell.pk, "changed") in entries
    assert ("membership", spell.pk, "withdrawn") in entries
    assert not any(entry[1] == draft.pk and entry[0] == "organization" for entry in entries)
    withdrawn = next(e for e in feed["results"] if e["change"] == "withdrawn")
    assert withdrawn["url"] is None
    since = api.get("/api/v1/changes/", {"since": moment}).json()["results"]
    assert {e["change"] for e in since} <= {"changed", "withdrawn"}
    deleted_id = sco.pk
    Membership.objects.filter(organization=sco).delete()
    sco.delete()
    tombstones = api.get("/api/v1/changes/", {"since": moment, "page_size": 100}).json()
    assert ("organization", deleted_id, "deleted") in [
        (e["type"], e["id"], e["change"]) for e in tombstones["results"]
    ]


@pytest.mark.django_db
def test_every_list_takes_updated_since():
    sco = make_organization("sco")
    make_membership(sco, make_country(), "2024")
    later = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).isoformat()
    api = APIClient()
    for resource in ("organizations", "memberships", "countries", "citations", "sources"):
        assert api.get(f"/api/v1/{resource}/", {"updated_since": "2000-01-01"}).json()["count"]
        assert api.get(f"/api/v1/{resource}/", {"updated_since": later}).json()["count"] == 0
    # Any offset RFC 3339 allows is read (PostgreSQL itself refuses those past ±15:59).
    odd = api.get("/api/v1/memberships/", {"updated_since": "2000-01-01T00:00:00+20:49"})
    assert odd.status_code == 200
