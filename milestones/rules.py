"""The DOMAIN.md rules on milestone windows and the monthly cap.

Pure functions: dates and amounts in, answers out. No ORM, no clock.
"""

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from core.dates import add_months, month_end, month_start, months_between
from payers.services_catalog import Service

MILESTONE_SERVICES: dict[int, Service] = {
    1: Service.CAREER_DEVELOPMENT,
    2: Service.JOB_DEVELOPMENT_1,
    3: Service.JOB_DEVELOPMENT_2,
    4: Service.JOB_STABILIZATION,
}

MILESTONE_OUTCOMES: dict[int, str] = {
    1: "Completed employment plan",
    2: "First day of a successful placement",
    3: "45 days of successful job retention",
    4: "90 days of successful retention",
}

# Rule — monthly cap: all Medicaid supported-employment services for one
# member in one calendar month may add up to this, and not a cent more.
MONTHLY_CAP = Decimal("3692.34")


@dataclass(frozen=True)
class Window:
    begins_on: datetime.date
    ends_on: datetime.date

    def contains(self, day: datetime.date) -> bool:
        return self.begins_on <= day <= self.ends_on

    def months(self) -> list[datetime.date]:
        return months_between(self.begins_on, self.ends_on)


class WindowsNotPossible(ValueError):
    """The dates given cannot make milestone windows."""


def milestone_windows_propose(
    plan_starts_on: datetime.date, job_expected_in: datetime.date
) -> dict[int, Window]:
    """Propose the four milestone windows (rule — windows proposed).

    Milestone 1 runs from the plan start to the end of the month before the
    month the first day on the job is expected; milestone 2 is that month;
    milestone 3 the month after; milestone 4 three months after. With a plan
    start of Feb 1, 2026 and a job expected in April 2026: Feb 1–Mar 31,
    April, May and July, the Iowa fee-for-service example.

    Any day of the expected month may be given. Raises WindowsNotPossible
    when the expected month is not after the plan start's month, which
    leaves milestone 1 no days.
    """
    job_month = month_start(job_expected_in)
    if job_month <= month_start(plan_starts_on):
        raise WindowsNotPossible(
            "The month the job is expected must come after the month the plan "
            "starts, so the employment plan has time to be completed."
        )

    def whole_month(first: datetime.date) -> Window:
        return Window(first, month_end(first))

    return {
        1: Window(plan_starts_on, job_month - datetime.timedelta(days=1)),
        2: whole_month(job_month),
        3: whole_month(add_months(job_month, 1)),
        4: whole_month(add_months(job_month, 3)),
    }


def window_order_problems(windows: dict[int, Window]) -> dict[int, str]:
    """Return, per milestone, why its window is out of place (empty if none).

    Each window must end on or after it begins. Windows must follow
    milestone order: a later milestone's window may not begin before, or end
    before, the window of an earlier milestone in the same round.
    """
    problems: dict[int, str] = {}
    for number, window in sorted(windows.items()):
        if window.ends_on < window.begins_on:
            problems[number] = "The window ends before it begins."

    ordered = sorted(windows.items())
    for (earlier, before), (later, after) in itertools.pairwise(ordered):
        if later in problems or earlier in problems:
            continue
        if after.begins_on < before.begins_on or after.ends_on < before.ends_on:
            problems[later] = (
                f"Milestone {later}'s window must not begin or end before "
                f"milestone {earlier}'s window."
            )
    return problems


@dataclass(frozen=True)
class CapRisk:
    """A month in which milestones could be paid together over the cap."""

    month: datetime.date
    total: Decimal
    line_labels: tuple[str, ...]


def months_at_risk_of_cap(
    lines: Iterable[tuple[str, Window, Decimal]], cap: Decimal = MONTHLY_CAP
) -> list[CapRisk]:
    """Return the months whose milestone windows could together exceed the cap.

    Each line is a label, its window and its amount. A month is at risk when
    the amounts of every line whose window touches that month add up to
    more than the cap: if each milestone were achieved in that month, the
    month's bill would break it. A total exactly at the cap is allowed.
    Only Medicaid lines belong in ``lines``.
    """
    by_month: dict[datetime.date, list[tuple[str, Decimal]]] = {}
    for label, window, amount in lines:
        for month in window.months():
            by_month.setdefault(month, []).append((label, amount))

    risks = []
    for month, entries in sorted(by_month.items()):
        total = sum((amount for _, amount in entries), Decimal("0"))
        if total > cap:
            labels = tuple(label for label, _ in entries)
            risks.append(CapRisk(month=month, total=total, line_labels=labels))
    return risks
