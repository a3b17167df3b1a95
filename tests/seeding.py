"""What the committed test database holds between tests: nothing, or the seed data set.

Each test runs in its own transaction and rolls back, so what is committed is shared by every
test. The seed (``fixtures/seed.json``) is committed once, when the first test that asks for it
starts, and stays for the tests after it (the ``seed`` fixture in ``conftest.py``); tests that
do not ask for it are run first, on a database that holds only what the migrations wrote.

Tests that commit (``transactional_db``, ``live_server``) end with a flush, which empties every
table: the seed goes, and so do the Editor and Reviewer groups a data migration created. The
state is put back right after such a test, so no test depends on the order the tests run in.

``load_seed`` inserts the records with one bulk insert per table instead of ``loaddata``'s
one-by-one saves (an UPDATE then an INSERT each). It writes no history rows: a test about the
history of seed records loads them with ``loaddata`` itself.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

# The markers and fixtures that end a test with a flush of every table.
FLUSHING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}
DATABASE_FIXTURES = {"db", "django_db_serialized_rollback", *FLUSHING_FIXTURES}


@functools.cache
def _seed_records() -> tuple[dict, ...]:
    for directory in settings.FIXTURE_DIRS:
        path = f"{directory}/seed.json"
        try:
            with open(path, encoding="utf-8") as handle:
                return tuple(json.load(handle))
        except FileNotFoundError:
            continue
    raise FileNotFoundError("seed.json is in none of FIXTURE_DIRS")


def load_seed() -> None:
    """Insert the seed data set: one query per table and per many-to-many table."""
    by_model: dict = defaultdict(list)
    links: dict = defaultdict(list)
    for deserialized in serializers.deserialize("python", _seed_records()):
        instance = deserialized.object
        by_model[type(instance)].append(instance)
        for name, targets in (deserialized.m2m_data or {}).items():
            field = instance._meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            links[through].extend(
                through(**{f"{source}_id": instance.pk, f"{target}_id": pk}) for pk in targets
            )
    # Foreign keys are checked at commit on SQLite and PostgreSQL, so within one transaction
    # the order of the tables does not matter.
    with transaction.atomic(), _fixture_timestamps(by_model):
        for model, instances in [*by_model.items(), *links.items()]:
            model._base_manager.bulk_create(instances)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(by_model)):
                cursor.execute(sql)


@contextlib.contextmanager
def _fixture_timestamps(models):
    """Keep the ``auto_now`` values the fixture gives, as ``loaddata``'s raw saves do."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False)
    ]
    for field in fields:
        field.auto_now = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now = True


def restore_migrated_data() -> None:
    """Write again what a flush removed and the data migrations wrote: the editorial groups
    and the review permissions they hold.

    Content types and permissions come back by themselves (the flush's post_migrate signal).
    """
    groups = importlib.import_module("orgs.migrations.0005_editorial_groups")
    groups.create_groups(apps, schema_editor=None)
    reviews = importlib.import_module("orgs.migrations.0009_review_permissions")
    reviews.grant(apps, schema_editor=None)


def empty_database() -> None:
    """Leave only what the migrations wrote, as on a freshly migrated database."""
    call_command("flush", interactive=False, verbosity=0)
    restore_migrated_data()


def wants_seed(item) -> bool:
    # ``seed`` and module fixtures built on the seed all depend on ``committed_seed``.
    return "committed_seed" in item.fixturenames


def uses_database(item) -> bool:
    return bool(item.get_closest_marker("django_db")) or bool(
        DATABASE_FIXTURES & set(item.fixturenames)
    )


def flushes_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(FLUSHING_FIXTURES & set(item.fixturenames))


class CommittedState:
    """Whether the seed is committed, and the moves between a test and the next one."""

    def __init__(self):
        self.blocker = None  # pytest-django's, once the test database exists
        self.has_seed = False

    def commit_seed(self) -> None:
        # Inside a test's transaction the insert would roll back with the test.
        if self.has_seed or connection.in_atomic_block:
            return
        with self.blocker.unblock():
            load_seed()
        self.has_seed = True

    def after(self, item, nextitem) -> None:
        """Called when ``item`` and its fixtures are torn down: ready the database for ``nextitem``."""
        if self.blocker is None:
            return
        with self.blocker.unblock():
            if flushes_database(item):
                self.has_seed = False
                restore_migrated_data()
            if nextitem is None or not uses_database(nextitem):
                return
            if wants_seed(nextitem):
                self.commit_seed()
            elif self.has_seed:
                empty_database()
                self.has_seed = False


committed = CommittedState()
