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


# Rule — retention days: the first day on the job is day 1.
RETENTION_DAYS: dict[int, int] = {3: 45, 4: 90}


def retention_date(first_day_on: datetime.date, days: int) -> datetime.date:
    """Return the date a job reaches its ``days``-th day (the first day is 1).

    Day 45 is the first day plus 44 days; day 90 the first day plus 89. A
    job starting April 15, 2026 reaches day 45 on May 29 and day 90 on
    July 13.
    """
    return first_day_on + datetime.timedelta(days=days - 1)


def job_reaches(
    first_day_on: datetime.date, ended_on: datetime.date | None, days: int
) -> bool:
    """Whether a job reaches day ``days`` (rule — achievements).

    A job's end date is its last day worked, so it reaches day N when it
    has not ended or ended on or after day N. Whether that day has come yet
    is the caller's question.
    """
    return ended_on is None or ended_on >= retention_date(first_day_on, days)


def milestone_date_for_job(
    milestone: int, first_day_on: datetime.date
) -> datetime.date:
    """The achievement date milestones 2–4 take from a job's first day."""
    if milestone == 2:
        return first_day_on
    return retention_date(first_day_on, RETENTION_DAYS[milestone])


def windows_fitted_to_job(first_day_on: datetime.date) -> dict[int, Window]:
    """Fit milestones 2–4 to a recorded job (rule — windows proposed).

    Milestone 2 takes the month of the first day; milestones 3 and 4 the
    months that hold day 45 and day 90. Milestone 1 is left as it is.
    """
    return {
        number: Window(month_start(day), month_end(day))
        for number in (2, 3, 4)
        for day in [milestone_date_for_job(number, first_day_on)]
    }
