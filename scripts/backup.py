"""Back up and restore the atlas database: ``make backup`` and ``make restore FILE=…``.

PostgreSQL: ``pg_dump`` in the custom format, restored with ``pg_restore --clean`` in one
transaction, so a failed restore leaves the database as it was. SQLite: a consistent copy made
with SQLite's online backup API (safe while the site is running), copied back the same way.

The database is the one the settings name (``DATABASE_URL``, else db.sqlite3). Backups go to
``backups/`` (not in git) as ``eurasia-<engine>-<UTC time>.<dump|sqlite3>``.

A backup holds everything in the database, secrets included: API tokens, password hashes and
sessions, in plain text. It is written readable by its owner only (0600, in a 0700 folder).

A restore makes every cached page and API answer stale (``eurasia.cache``), so the cache never
serves records the restored database no longer has. A restore that fails says why in a
sentence and exits 1; the database is as it was.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKUPS = ROOT / "backups"


def is_postgresql(database: dict) -> bool:
    return database["ENGINE"] == "django.db.backends.postgresql"


def pg_environment(database: dict) -> dict:
    """libpq's variables for the database: no password on a command line."""
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if database.get(key):
            env[variable] = str(database[key])
    return env


def default_path(database: dict) -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    if is_postgresql(database):
        return BACKUPS / f"eurasia-postgresql-{stamp}.dump"
    return BACKUPS / f"eurasia-sqlite-{stamp}.sqlite3"


PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def backup(database: dict, path: Path | None = None) -> Path:
    path = Path(path or default_path(database))
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=PRIVATE_FOLDER)
    partial = path.with_name(path.name + ".partial")
    # Created private before a byte is written: tokens and password hashes are in it.
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    if is_postgresql(database):
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", partial],
            env=pg_environment(database),
            check=True,
        )
    else:
        source = sqlite3.connect(database["NAME"])
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    partial.chmod(PRIVATE_FILE)
    partial.replace(path)  # a backup file is complete or absent, never half written
    return path


class RestoreFailed(Exception):
    """A restore that did not happen, with the sentence that says why."""


def restore(database: dict, path: Path) -> None:
    path = Path(path)
    if not path.is_file():
        raise RestoreFailed(f"There is no backup at {path}.")
    if is_postgresql(database):
        result = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                database["NAME"],
                path,
            ],
            env=pg_environment(database),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
            raise RestoreFailed(
                f"pg_restore could not restore {path} into {database['NAME']}, which is "
                f"unchanged: {reason or 'it gave no reason'}."
            )
    else:
        try:
            source = sqlite3.connect(path)
            try:
                source.execute("SELECT count(*) FROM sqlite_master").fetchone()
                target = sqlite3.connect(database["NAME"])
                try:
                    source.backup(target)
                finally:
                    target.close()
            finally:
                source.close()
        except sqlite3.DatabaseError as error:
            raise RestoreFailed(
                f"{path} is not a SQLite backup the atlas can restore ({error}); "
                f"{database['NAME']} is unchanged."
            ) from None
    forget_cached_answers()


def forget_cached_answers() -> None:
    """Make every cached page and answer stale: they describe the database before the restore.

    Raises the version every cached answer depends on (in Redis when ``REDIS_URL`` is set,
    where every worker reads it); nothing to do while the cache is down, which serves nothing
    then either.
    """
    import django

    django.setup()
    from eurasia.cache import ALL, raise_versions

    raise_versions({ALL})


def latest_backup(database: dict) -> Path | None:
    suffix = ".dump" if is_postgresql(database) else ".sqlite3"
    candidates = sorted(BACKUPS.glob(f"eurasia-*{suffix}"))
    return candidates[-1] if candidates else None


def configured_database() -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eurasia.settings")
    from django.conf import settings

    return settings.DATABASES["default"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write a backup to backups/ (or --output)")
    make.add_argument("--output", type=Path)
    back = commands.add_parser("restore", help="replace the database with a backup")
    back.add_argument("file", nargs="?", type=Path, help="default: the newest in backups/")
    back.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    args = parser.parse_args(argv)

    database = configured_database()
    where = database["NAME"] if not is_postgresql(database) else f"PostgreSQL {database['NAME']}"
    if args.command == "backup":
        path = backup(database, args.output)
        print(f"Backed up {where} to {path} ({path.stat().st_size / 1024:.0f} KiB).")
        return 0
    path = args.file or latest_backup(database)
    if path is None:
        print("No backup in backups/: give a FILE.", file=sys.stderr)
        return 1
    if not args.yes:
        if not sys.stdin.isatty():
            print("Refusing to restore without --yes when not interactive.", file=sys.stderr)
            return 1
        answer = input(f"Replace everything in {where} with {path}? Type yes: ")
        if answer.strip().lower() != "yes":
            print("Nothing restored.")
            return 1
    try:
        restore(database, path)
    except RestoreFailed as error:
        print(f"Nothing restored. {error}", file=sys.stderr)
        return 1
    print(f"Restored {where} from {path}.")
    return 0


if __name__ == "__main__":
    if shutil.which("pg_dump") is None and "postgres" in os.environ.get("DATABASE_URL", ""):
        print("pg_dump is not installed (Debian: postgresql-client).", file=sys.stderr)
        sys.exit(1)
    sys.exit(main())
