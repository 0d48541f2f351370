"""On PostgreSQL, a member's coaching periods cannot overlap, even in a race.

The service keeps periods apart on every database; this exclusion constraint
makes PostgreSQL refuse an overlap whatever writes it. It needs the
btree_gist extension (to compare member ids inside a GiST index), which the
migration creates when the database user may.
"""

from django.db import migrations

CONSTRAINT = "coaching_period_no_overlap"


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE coaching_coachingperiod ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (member_id WITH =, "
        "daterange(begins_on, ends_on, '[]') WITH &&)"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE coaching_coachingperiod DROP CONSTRAINT IF EXISTS {CONSTRAINT}"
    )


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial")]

    operations = [migrations.RunPython(add_exclusion, drop_exclusion)]
