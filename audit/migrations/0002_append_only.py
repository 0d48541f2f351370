"""The database refuses to change or remove the access log, whoever asks.

The models refuse too, but only for code that goes through them: these
triggers also stop raw SQL, a bulk statement, a shell or another program.
PostgreSQL raises restrict_violation on UPDATE, DELETE and TRUNCATE;
SQLite, which has no TRUNCATE, aborts UPDATE and DELETE (a DELETE without
WHERE is no faster path there once a table has a trigger). Both surface
as IntegrityError.

The database's owner can still drop a trigger: keeping the log from them
is a matter of database roles, not of this migration. On SQLite, a later
migration that rebuilds one of these tables drops its triggers with it
and has to create them again. The flush command (core/management) lifts
the triggers for its own transaction, as it empties every table (core/management).
"""

from django.db import migrations

TABLES = ["audit_accessevent", "audit_accesseventmember"]
MESSAGE = "the access log is append-only"

POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$
"""


def postgresql_triggers(table):
    return [
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
    ]


def sqlite_triggers(table):
    return [
        f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} "
        f"ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        for operation in ("UPDATE", "DELETE")
    ]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [POSTGRESQL_FUNCTION]
        for table in TABLES:
            statements += postgresql_triggers(table)
    elif vendor == "sqlite":
        statements = [sql for table in TABLES for sql in sqlite_triggers(table)]
    else:
        raise NotImplementedError(f"No append-only triggers written for {vendor}.")
    for sql in statements:
        # No parameters: the message's % placeholders are PL/pgSQL's.
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            for suffix in ("no_change", "no_truncate"):
                schema_editor.execute(f"DROP TRIGGER {table}_{suffix} ON {table}")
        schema_editor.execute("DROP FUNCTION audit_refuse_change()")
    elif vendor == "sqlite":
        for table in TABLES:
            for suffix in ("no_update", "no_delete"):
                schema_editor.execute(f"DROP TRIGGER {table}_{suffix}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
