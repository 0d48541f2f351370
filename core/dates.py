"""Business dates. Money and deadlines ride on the calendar date in Iowa."""

import calendar
import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

IOWA = ZoneInfo("America/Chicago")


def iowa_today(now: datetime.datetime | None = None) -> datetime.date:
    """Return today's date in Iowa.

    At 22:30 in Iowa the UTC date is already tomorrow; this is the date a
    case manager sees on the wall calendar.
    """
    now = now or timezone.now()
    return now.astimezone(IOWA).date()


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the first of the month ``months`` after the month of ``day``."""
    index = day.year * 12 + (day.month - 1) + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Return the first day of every month from ``first``'s to ``last``'s."""
    months = []
    current = month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months
