"""Load the seed fixture fast: what ``loaddata seed`` writes, in one bulk insert per table.

``loaddata`` saves the ~1,000 seed records one by one (an UPDATE then an INSERT each), which
took about two seconds per test. Here the JSON is read once per test session and each test
inserts the records with ``bulk_create`` inside its own transaction, so every test still
starts from exactly the seed and rolls back on its own. Natural keys (content types) are
resolved afresh on every load, so a flush by a transactional test in between is harmless.

Unlike ``loaddata`` it writes no history rows: use ``loaddata`` in tests about history.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict

from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction


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
    # the order of the tables does not matter (a transactional test has no outer transaction).
    with transaction.atomic():
        for model, instances in [*by_model.items(), *links.items()]:
            model._base_manager.bulk_create(instances)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(by_model)):
                cursor.execute(sql)
