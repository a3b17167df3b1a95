"""On PostgreSQL, let the database itself refuse overlapping spells.

``Membership.clean()`` gives editors a readable error on every database; this exclusion
constraint is the backstop for two editors saving at once, which no form check can see.
A spell whose start and end are the same day covers that one day. Deprecated spells (competing
claims kept for the record) are exempt, as they are from "as of" answers.
SQLite has no exclusion constraints; there the check in ``clean()`` is the guard.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE orgs_membership ADD CONSTRAINT membership_no_overlapping_spells EXCLUDE USING gist (
    organization_id WITH =,
    (COALESCE(member_country_id, 0)) WITH =,
    (COALESCE(member_organization_id, 0)) WITH =,
    daterange(
        "start",
        CASE WHEN "end" = "start" THEN "start" + 1 ELSE "end" END,
        '[)'
    ) WITH &&
) WHERE (rank <> 'deprecated');
"""

DROP = "ALTER TABLE orgs_membership DROP CONSTRAINT IF EXISTS membership_no_overlapping_spells;"


def create_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [migrations.RunPython(create_constraint, drop_constraint, elidable=False)]
