"""Django's flush, able to empty the access log with every other table.

The log's triggers (audit migration 0002) refuse DELETE and TRUNCATE,
which is how flush empties tables; the test runner flushes the database
after each test that commits. This command lifts the triggers for its own
transaction only: PostgreSQL disables and enables them again, SQLite,
which cannot disable a trigger, drops them and creates them again from
their stored text. Whoever may run flush may drop triggers anyway.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from audit.models import AccessEvent, AccessEventMember

TABLES = [AccessEvent._meta.db_table, AccessEventMember._meta.db_table]


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        connection = connections[database]
        with transaction.atomic(using=database), triggers_lifted(connection):
            super().handle(**options)


@contextmanager
def triggers_lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Lift the access log's triggers inside the caller's transaction."""
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
