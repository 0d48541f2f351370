"""What a monitor's finder yields: a condition that holds, and its place.

Kept apart from the sweep so finders living in other apps (fidelity) can
use it without importing the sweep that imports them.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    """A condition that holds today, and where its flag should point."""

    subject_id: int
    due_on: datetime.date | None  # None: the day it was first found
    qualifier: str = ""
    member_id: int | None = None
    provider_id: int | None = None
    specialist_id: int | None = None
    line_id: int | None = None
    coaching_period_id: int | None = None
    job_id: int | None = None


Finder = Callable[[datetime.date, list[int] | None], Iterable[Found]]
