"""When the daily tasks run, read from settings and kept clear of clock changes.

Iowa's clocks change at 02:00: in March 02:00–02:59 never happens and in
November 01:00–01:59 happens twice. A daily task set inside those hours
would be skipped or run twice on those days, so such times are refused.
"""

import datetime

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

CLOCK_CHANGE_HOURS = range(1, 3)


def daily_at(text: str, setting: str) -> crontab:
    """A crontab for a daily time written "HH:MM", outside 01:00–02:59."""
    try:
        at = datetime.time.fromisoformat(text.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{setting} is a time of day written HH:MM, not {text!r}."
        ) from None
    if at.hour in CLOCK_CHANGE_HOURS:
        raise ImproperlyConfigured(
            f"{setting} falls between 01:00 and 03:00, hours a clock change "
            "skips or repeats; choose another time."
        )
    return crontab(hour=at.hour, minute=at.minute)
