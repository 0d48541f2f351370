"""Celery tasks of the monitors: the daily sweep, member sweeps, the digest.

Tasks take ids, never objects, and are safe to run twice or at once: the
sweep queues behind a lock and changes nothing when nothing changed, and
the digest is sent at most once per user per day.
"""

from typing import Any

from celery import shared_task

from flags.digest import digests_send
from flags.sweeps import sweep


@shared_task(name="flags.sweep_all")
def sweep_all() -> dict[str, Any]:
    """The daily sweep over every record."""
    result = sweep()
    return {"opened": result.opened, "moved": result.moved, "closed": result.closed}


@shared_task(name="flags.sweep_member")
def sweep_member(member_id: int) -> int:
    """Bring one member's flags up to date after a change to their records."""
    return sweep(member_ids=[member_id]).changes


@shared_task(name="flags.send_digests")
def send_digests() -> int:
    """Email each user the day's digest of new and overdue flags."""
    return digests_send()
