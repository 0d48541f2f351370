"""A bill stands as it was made (rule — billed), whoever writes to the table.

The services correct a billed line only by voiding it with a reason; these
triggers hold any other writer (raw SQL, a shell, another program) to the
same: once a line is in a batch, its service, member, amounts, dates,
authorization number and payer never change; a voided line stays voided;
no line is ever deleted. The check constraint asks a void for its reason.
Both databases raise, and Django reports an IntegrityError. The flush
command (core/management) lifts the triggers for its own transaction.
"""

from django.db import migrations, models

TABLE = "billing_claimline"
# What a bill was made from: fixed once the line is in a batch.
BILLED_TERMS = [
    "provider_id",
    "batch_id",
    "member_id",
    "kind",
    "achievement_id",
    "month",
    "service_on",
    "service",
    "units",
    "rate",
    "amount",
    "authorization_number",
    "payer_id",
]
BILLED = "a billed claim line is corrected only by voiding it with a reason"
STAYS_VOIDED = "a voided claim line stays voided"
NO_DELETE = "claim lines are never deleted: void them with a reason"


def _changed(columns):
    return " OR ".join(
        f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in columns
    )


POSTGRESQL = [
    f"""
    CREATE FUNCTION billing_claimline_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION '{NO_DELETE}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.voided_at IS NOT NULL AND NEW.voided_at IS NULL THEN
            RAISE EXCEPTION '{STAYS_VOIDED}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.batch_id IS NOT NULL AND ({_changed(BILLED_TERMS)}) THEN
            RAISE EXCEPTION '{BILLED}' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    f"CREATE TRIGGER {TABLE}_guard BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION billing_claimline_guard()",
]

# SQLite has no IS DISTINCT FROM; its IS NOT compares NULLs the same way.
SQLITE = [
    f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{NO_DELETE}'); END",
    f"CREATE TRIGGER {TABLE}_stays_voided BEFORE UPDATE ON {TABLE} "
    "WHEN OLD.voided_at IS NOT NULL AND NEW.voided_at IS NULL "
    f"BEGIN SELECT RAISE(ABORT, '{STAYS_VOIDED}'); END",
    f"CREATE TRIGGER {TABLE}_billed_terms BEFORE UPDATE ON {TABLE} "
    f"WHEN OLD.batch_id IS NOT NULL AND "
    f"({_changed(BILLED_TERMS).replace('IS DISTINCT FROM', 'IS NOT')}) "
    f"BEGIN SELECT RAISE(ABORT, '{BILLED}'); END",
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = POSTGRESQL
    elif vendor == "sqlite":
        statements = SQLITE
    else:
        raise NotImplementedError(f"No claim-line triggers written for {vendor}.")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER {TABLE}_guard ON {TABLE}")
        schema_editor.execute("DROP FUNCTION billing_claimline_guard()")
    elif vendor == "sqlite":
        for suffix in ("no_delete", "stays_voided", "billed_terms"):
            schema_editor.execute(f"DROP TRIGGER {TABLE}_{suffix}")


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_history_reason_in_full")]

    operations = [
        migrations.AddConstraint(
            model_name="claimline",
            constraint=models.CheckConstraint(
                condition=models.Q(voided_at__isnull=True) | ~models.Q(void_reason=""),
                name="claim_line_void_has_reason",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
