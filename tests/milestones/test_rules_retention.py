"""Rule — retention days and fitting windows to a job, at their edges."""

import datetime

import pytest

from milestones.rules import (
    RETENTION_DAYS,
    job_reaches,
    milestone_date_for_job,
    retention_date,
    windows_fitted_to_job,
)

D = datetime.date


def test_april_15_start_reaches_45_days_on_may_29_and_90_on_july_13() -> None:
    start = D(2026, 4, 15)

    assert retention_date(start, 45) == D(2026, 5, 29)
    assert retention_date(start, 90) == D(2026, 7, 13)


def test_april_28_start_reaches_45_days_on_june_11_outside_may() -> None:
    start = D(2026, 4, 28)

    assert retention_date(start, 45) == D(2026, 6, 11)
    assert retention_date(start, 90) == D(2026, 7, 26)


def test_the_first_day_is_day_1() -> None:
    assert retention_date(D(2026, 4, 15), 1) == D(2026, 4, 15)


@pytest.mark.parametrize(
    ("start", "day_45", "day_90"),
    [
        (D(2028, 1, 15), D(2028, 2, 28), D(2028, 4, 13)),
        (D(2028, 2, 29), D(2028, 4, 13), D(2028, 5, 28)),
        (D(2026, 1, 31), D(2026, 3, 16), D(2026, 4, 30)),
        (D(2026, 11, 30), D(2027, 1, 13), D(2027, 2, 27)),
        (D(2026, 12, 31), D(2027, 2, 13), D(2027, 3, 30)),
    ],
)
def test_retention_dates_across_month_ends_and_leap_days(
    start: D, day_45: D, day_90: D
) -> None:
    assert retention_date(start, 45) == day_45
    assert retention_date(start, 90) == day_90


def test_a_job_ending_on_day_44_does_not_reach_45_days() -> None:
    start = D(2026, 4, 15)

    assert not job_reaches(start, start + datetime.timedelta(days=43), 45)
    assert job_reaches(start, start + datetime.timedelta(days=44), 45)


def test_a_job_not_ended_reaches_every_day() -> None:
    assert job_reaches(D(2026, 4, 15), None, 90)


def test_a_job_ending_on_day_89_does_not_reach_90_days() -> None:
    start = D(2026, 4, 15)

    assert not job_reaches(start, D(2026, 7, 12), RETENTION_DAYS[4])
    assert job_reaches(start, D(2026, 7, 13), RETENTION_DAYS[4])


def test_milestone_dates_for_a_job() -> None:
    start = D(2026, 4, 15)

    assert [milestone_date_for_job(n, start) for n in (2, 3, 4)] == [
        D(2026, 4, 15),
        D(2026, 5, 29),
        D(2026, 7, 13),
    ]


def test_fitting_windows_to_an_april_28_job() -> None:
    windows = windows_fitted_to_job(D(2026, 4, 28))

    assert {n: (w.begins_on, w.ends_on) for n, w in windows.items()} == {
        2: (D(2026, 4, 1), D(2026, 4, 30)),
        3: (D(2026, 6, 1), D(2026, 6, 30)),
        4: (D(2026, 7, 1), D(2026, 7, 31)),
    }


def test_fitting_windows_to_a_job_starting_on_leap_day() -> None:
    windows = windows_fitted_to_job(D(2028, 2, 29))

    assert (windows[2].begins_on, windows[2].ends_on) == (D(2028, 2, 1), D(2028, 2, 29))
    assert windows[3].begins_on == D(2028, 4, 1)
    assert windows[4].begins_on == D(2028, 5, 1)
