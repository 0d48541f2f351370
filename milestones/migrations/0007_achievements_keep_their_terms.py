"""An achievement is written once and then only voided, whoever writes.

The services never edit an achievement: a wrong one is voided with a
reason (a check constraint since 0003) and the right one logged beside it.
Bills and the monthly cap are worked out from its milestone and date, so
these triggers hold any other writer to the same: its milestone line, job,
date and who recorded it never change; a voided one stays voided; none is
deleted. Both databases raise, and Django reports an IntegrityError. The
flush command (core/management) lifts the triggers for its own transaction.
"""

from django.db import migrations

TABLE = "milestones_milestoneachievement"
TERMS = ["line_id", "job_id", "achieved_on", "recorded_by_id", "recorded_at"]
FIXED = "an achievement is never edited: void it with a reason and log it again"
STAYS_VOIDED = "a voided achievement stays voided"
NO_DELETE = "achievements are never deleted: void them with a reason"


def _changed(columns, operator):
    return " OR ".join(f"NEW.{column} {operator} OLD.{column}" for column in columns)


POSTGRESQL = [
    f"""
    CREATE FUNCTION milestones_achievement_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION '{NO_DELETE}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.voided_at IS NOT NULL AND NEW.voided_at IS NULL THEN
            RAISE EXCEPTION '{STAYS_VOIDED}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF {_changed(TERMS, "IS DISTINCT FROM")} THEN
            RAISE EXCEPTION '{FIXED}' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    f"CREATE TRIGGER {TABLE}_guard BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION milestones_achievement_guard()",
]

# SQLite has no IS DISTINCT FROM; its IS NOT compares NULLs the same way.
SQLITE = [
    f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{NO_DELETE}'); END",
    f"CREATE TRIGGER {TABLE}_stays_voided BEFORE UPDATE ON {TABLE} "
    "WHEN OLD.voided_at IS NOT NULL AND NEW.voided_at IS NULL "
    f"BEGIN SELECT RAISE(ABORT, '{STAYS_VOIDED}'); END",
    f"CREATE TRIGGER {TABLE}_terms BEFORE UPDATE ON {TABLE} "
    f"WHEN {_changed(TERMS, 'IS NOT')} "
    f"BEGIN SELECT RAISE(ABORT, '{FIXED}'); END",
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = POSTGRESQL
    elif vendor == "sqlite":
        statements = SQLITE
    else:
        raise NotImplementedError(f"No achievement triggers written for {vendor}.")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER {TABLE}_guard ON {TABLE}")
        schema_editor.execute("DROP FUNCTION milestones_achievement_guard()")
    elif vendor == "sqlite":
        for suffix in ("no_delete", "stays_voided", "terms"):
            schema_editor.execute(f"DROP TRIGGER {TABLE}_{suffix}")


class Migration(migrations.Migration):
    dependencies = [("milestones", "0006_history_reason_in_full")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
