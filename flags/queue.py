"""Ask for a member's flags to be brought up to date after a change.

Services call ``member_flags_refresh`` inside their transaction; the task is
queued only once the transaction commits, with the member's id alone, so
the worker reads what was committed. If the broker cannot be reached the
change still stands, a warning is logged, and the next daily sweep catches
up.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from ips_portal.celery import app

logger = logging.getLogger(__name__)

_paused: ContextVar[bool] = ContextVar("member_flags_refresh_paused", default=False)


@contextmanager
def member_flags_refresh_paused() -> Iterator[None]:
    """Queue no member sweeps inside this block.

    For bulk loads (the demo data) that run one full sweep afterwards:
    thousands of member sweeps would only queue up behind each other.
    """
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def member_flags_refresh(member_id: int) -> None:
    if _paused.get():
        return

    def queue_member_sweep() -> None:
        try:
            app.send_task("flags.sweep_member", args=[member_id])
        except Exception:
            logger.warning(
                "Could not queue a flag sweep for member id %s; the daily "
                "sweep will catch up.",
                member_id,
                exc_info=True,
            )

    transaction.on_commit(queue_member_sweep, robust=True)
