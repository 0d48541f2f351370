"""Django's flush, able to empty the tables whose triggers refuse changes.

Some records are never changed or deleted once written, and database
triggers hold them to it: the access log (audit migration 0002), claim
lines (billing 0003) and milestone achievements (milestones 0007). Flush
empties every table, and the test runner flushes the database after each
test that commits; so this command lifts the triggers for its own
transaction only. PostgreSQL disables and enables them again; SQLite,
which cannot disable a trigger, drops them and creates them again from
their stored text.

It runs under the test settings only. Anywhere else, and above all in
production, emptying the database is never wanted, and this command would
do it past the very triggers that keep the access log and billed records
as they were written: there it refuses, before touching the database.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

TABLES = [
    "audit_accessevent",
    "audit_accesseventmember",
    "billing_claimline",
    "milestones_milestoneachievement",
]
REFUSED = (
    "flush empties every table, the access log and billed records included, "
    "and runs only where settings.FLUSH_ALLOWED is on: the test settings. "
    "Nothing was changed."
)


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        if not getattr(settings, "FLUSH_ALLOWED", False):
            raise CommandError(REFUSED)

        database = options["database"]
        connection = connections[database]
        with transaction.atomic(using=database), triggers_lifted(connection):
            super().handle(**options)


@contextmanager
def triggers_lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Lift the guarding triggers inside the caller's transaction."""
    tables = set(TABLES) & set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            yield
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        elif connection.vendor == "sqlite" and tables:
            cursor.execute(
                "SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'trigger'"
            )
            triggers = [(name, sql) for name, sql, table in cursor if table in tables]
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield
            for _, sql in triggers:
                cursor.execute(sql)
        else:
            yield
