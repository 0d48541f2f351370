"""SQL pieces the ORM lacks: whole days between dates, and medians.

Both work on PostgreSQL and SQLite. A median is taken over the rows of an
ORM queryset, wrapped as a derived table: PostgreSQL's ``percentile_cont``
where the database has it, and otherwise a window-function median (the
middle row, or the mean of the two middle rows) that any database with
window functions runs. Both are tested against the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Func, IntegerField, QuerySet

HALF_DAY = Decimal("0.1")


class DaysBetween(Func):
    """Whole days from the first date to the second (``end - start``).

    PostgreSQL subtracts dates into whole days; SQLite counts Julian days.
    """

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def __init__(self, start: Any, end: Any) -> None:
        super().__init__(end, start)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


@dataclass(frozen=True)
class Median:
    """The median of some whole-day values, and how many there were."""

    value: Decimal | None
    count: int


NO_MEDIAN = Median(None, 0)


def medians(rows: QuerySet[Any], *, method: str | None = None) -> dict[Any, Median]:
    """Return the median of ``median_value`` per ``median_group``. One query.

    ``rows`` must annotate ``median_value`` (numbers; NULLs are left out)
    and ``median_group`` (any key; a constant for one overall median).
    ``method`` is "percentile" (PostgreSQL only) or "window"; by default
    the database decides.
    """
    method = method or ("percentile" if connection.vendor == "postgresql" else "window")
    inner, params = (
        rows.order_by().values("median_group", "median_value").query.sql_with_params()
    )
    if method == "percentile":
        # The derived table is the ORM's own SQL; values travel as parameters.
        sql = (
            "SELECT median_group, "  # noqa: S608
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY median_value), "
            "COUNT(*) "
            f"FROM ({inner}) AS median_rows WHERE median_value IS NOT NULL "
            "GROUP BY median_group"
        )
    else:
        # The middle row of n is row (n + 1) / 2 when n is odd; when n is
        # even, rows n / 2 and n / 2 + 1 are averaged. Integer division
        # gives exactly those two positions in both cases.
        sql = (
            "SELECT median_group, AVG(median_value), MAX(row_total) FROM ("  # noqa: S608
            "SELECT median_group, median_value, "
            "ROW_NUMBER() OVER (PARTITION BY median_group ORDER BY median_value) "
            "AS middle_rank, "
            "COUNT(*) OVER (PARTITION BY median_group) AS row_total "
            f"FROM ({inner}) AS median_rows WHERE median_value IS NOT NULL"
            ") AS ranked "
            "WHERE middle_rank IN ((row_total + 1) / 2, (row_total + 2) / 2) "
            "GROUP BY median_group"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return {
        group: Median(Decimal(str(value)).quantize(HALF_DAY, ROUND_HALF_UP), int(count))
        for group, value, count in found
    }
