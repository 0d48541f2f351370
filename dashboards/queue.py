"""Ask for the coaching summaries to be refreshed when a dashboard is read.

A dashboard reading summaries older than ``REFRESH_AFTER`` queues one
refresh of the changes (at most one per ``REFRESH_AFTER``, held by the
cache) and shows the figures it has, with their time. The worker does the
work; the page never waits for it. If the broker cannot be reached, a
warning is logged and the next reading tries again.
"""

import datetime
import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from ips_portal.celery import app

logger = logging.getLogger(__name__)

REFRESH_AFTER = datetime.timedelta(minutes=10)
QUEUED_KEY = "dashboards:coaching-refresh-queued"


def coaching_refresh_request(as_of: datetime.datetime | None) -> bool:
    """Queue a refresh when the summaries are missing or stale; say if queued."""
    if as_of is not None and timezone.now() - as_of < REFRESH_AFTER:
        return False
    if not cache.add(QUEUED_KEY, True, timeout=REFRESH_AFTER.total_seconds()):
        return False

    def queue() -> None:
        try:
            app.send_task(
                "dashboards.refresh_coaching_months",
                kwargs={"changed_only": as_of is not None},
            )
        except Exception:
            cache.delete(QUEUED_KEY)
            logger.warning(
                "Could not queue a refresh of the coaching summaries.", exc_info=True
            )

    transaction.on_commit(queue, robust=True)
    return True
