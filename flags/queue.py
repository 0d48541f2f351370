"""Ask for a member's flags to be brought up to date after a change.

Services call ``member_flags_refresh`` inside their transaction; the task is
queued only once the transaction commits, with the member's id alone, so
the worker reads what was committed. If the broker cannot be reached the
change still stands and the next daily sweep catches up.
"""

from functools import partial

from django.db import transaction

from ips_portal.celery import app


def _queue(member_id: int) -> None:
    app.send_task("flags.sweep_member", args=[member_id])


def member_flags_refresh(member_id: int) -> None:
    transaction.on_commit(partial(_queue, member_id), robust=True)
