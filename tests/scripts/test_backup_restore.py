"""Backup and restore round-trip the seed data: the API answers the same before and after
(issue 8). SQLite always; PostgreSQL when pg_dump and a server are there, in a throwaway
database of its own."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

# The API answers compared before and after; with the seed they hold every kind of record.
API_SNAPSHOT = """
import json
from django.test import Client
client = Client()
paths = [
    "/api/v1/organizations/?format=json&page_size=1000",
    "/api/v1/countries/?format=json&page_size=1000",
    "/api/v1/memberships/?format=csv",
    "/api/v1/sources/?format=csv",
    "/api/v1/quotes/?format=csv",
    "/api/v1/memberships/?format=json&as_of=2024-01-01&page_size=1000",
]
print("SNAPSHOT" + json.dumps({path: client.get(path).content.decode() for path in paths}))
"""


def manage(*args, database_url):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "TEST_DATABASE_NAME", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(DATABASE_URL=database_url, TESTING="1", REDIS_URL="")
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout


def snapshot(database_url):
    data = manage(
        "dumpdata", "orgs", "--natural-foreign", "--indent", "0", database_url=database_url
    )
    api = manage("shell", "-c", API_SNAPSHOT, database_url=database_url)
    api = json.loads(api[api.index("SNAPSHOT") + len("SNAPSHOT") :])
    records = json.loads(data)
    assert len(records) > 100, "the seed did not load"
    assert all(len(body) > 200 for body in api.values()), api
    return records, api


def backup_script(*args, database_url):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url, TESTING="1")
    result = subprocess.run(
        [sys.executable, "scripts/backup.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def round_trip(database_url, backup_file, wipe):
    manage("migrate", "--no-input", database_url=database_url)
    manage("loaddata", "seed", database_url=database_url)
    before = snapshot(database_url)

    output = backup_script("backup", "--output", str(backup_file), database_url=database_url)
    assert backup_file.is_file(), output
    assert backup_file.stat().st_size > 10_000, output

    wipe()
    backup_script("restore", "--yes", str(backup_file), database_url=database_url)
    after = snapshot(database_url)
    assert after[0] == before[0]
    assert after[1] == before[1]


def test_sqlite_backup_and_restore_round_trip_the_seed(tmp_path):
    database = tmp_path / "atlas.sqlite3"
    database_url = f"sqlite:///{database}"

    def wipe():
        database.unlink()
        manage("migrate", "--no-input", database_url=database_url)  # an empty atlas

    round_trip(database_url, tmp_path / "atlas-backup.sqlite3", wipe)


def test_restore_refuses_without_confirmation(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'atlas.sqlite3'}"
    backup = tmp_path / "missing.sqlite3"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url, TESTING="1")
    result = subprocess.run(
        [sys.executable, "scripts/backup.py", "restore", str(backup)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode != 0


def postgres_available() -> bool:
    if shutil.which("pg_dump") is None or shutil.which("psql") is None:
        return False
    result = subprocess.run(
        ["psql", f"{PG_SERVER}/postgres", "-Atc", "select 1"], capture_output=True, timeout=10
    )
    return result.returncode == 0


@pytest.mark.skipif(not postgres_available(), reason="needs pg_dump and PostgreSQL on 127.0.0.1")
def test_postgresql_backup_and_restore_round_trip_the_seed(tmp_path):
    name = f"test_eurasia_backup_{uuid.uuid4().hex[:8]}"
    database_url = f"{PG_SERVER}/{name}"

    def psql(sql):
        subprocess.run(["psql", f"{PG_SERVER}/postgres", "-qc", sql], check=True, timeout=60)

    psql(f'CREATE DATABASE "{name}"')
    try:

        def wipe():
            manage("flush", "--no-input", database_url=database_url)

        round_trip(database_url, tmp_path / "atlas.dump", wipe)
    finally:
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- secrets, failures and the cache ---------------------------------------------------------


def run_backup_script(*args, database_url):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url, TESTING="1", REDIS_URL="")
    return subprocess.run(
        [sys.executable, "scripts/backup.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_a_backup_is_readable_by_its_owner_only(tmp_path):
    """It holds API tokens, password hashes and sessions in plain text."""
    database_url = f"sqlite:///{tmp_path / 'atlas.sqlite3'}"
    manage("migrate", "--no-input", database_url=database_url)
    backup_file = tmp_path / "private" / "atlas-backup.sqlite3"
    result = run_backup_script("backup", "--output", str(backup_file), database_url=database_url)
    assert result.returncode == 0, result.stderr
    assert backup_file.stat().st_mode & 0o777 == 0o600
    assert backup_file.parent.stat().st_mode & 0o777 == 0o700


def test_a_failed_restore_says_why_in_a_sentence_not_a_traceback(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'atlas.sqlite3'}"
    garbage = tmp_path / "not-a-backup.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    result = run_backup_script("restore", "--yes", str(garbage), database_url=database_url)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Nothing restored.")
    assert "not a SQLite backup" in result.stderr
    missing = run_backup_script(
        "restore", "--yes", str(tmp_path / "missing"), database_url=database_url
    )
    assert missing.returncode == 1
    assert "Traceback" not in missing.stderr
    assert "There is no backup at" in missing.stderr


@pytest.mark.django_db
def test_a_restore_makes_every_cached_answer_stale(tmp_path, client):
    """After a restore the page cache must not serve records the database no longer has."""
    from eurasia.cache import atlas_version
    from scripts import backup as backup_script_module

    source, target = tmp_path / "backup.sqlite3", tmp_path / "atlas.sqlite3"
    for path in (source, target):
        sqlite3.connect(path).close()
    assert client.get("/organizations/")["X-Atlas-Cache"] == "miss"
    assert client.get("/organizations/")["X-Atlas-Cache"] == "hit"
    before = atlas_version()
    backup_script_module.restore({"ENGINE": "django.db.backends.sqlite3", "NAME": target}, source)
    assert atlas_version() > before
    assert client.get("/organizations/")["X-Atlas-Cache"] == "miss"
