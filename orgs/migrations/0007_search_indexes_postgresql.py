"""Indexes for search on PostgreSQL: trigram GIN indexes serve both the full-text/trigram
search and the case-insensitive containment (``icontains`` is ``UPPER(col) LIKE UPPER(%q%)``)
that the search selector uses, in any script (ШОС, СНГ). SQLite has no such index type; its
search is a plain scan, which the seed-sized atlas does not notice.

Which hot query each index serves:
- organization name / acronym / other names, country name / other names, person name: /search/
  and the API's ``q`` filters;
- quote text: /search/ and the quotes filter ``q``.
"""

from django.db import migrations

INDEXES = [
    ("orgs_organization", "name"),
    ("orgs_organization", "acronym"),
    ("orgs_organization", "other_names"),
    ("orgs_country", "name"),
    ("orgs_country", "other_names"),
    ("orgs_person", "name"),
    ("orgs_quote", "text"),
]


def index_name(table, column):
    return f"{table}_{column}_upper_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index_name(table, column)} ON {table} "
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(table, column)}")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0006_claim_version")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
