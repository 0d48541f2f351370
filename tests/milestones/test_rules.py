"""The DOMAIN.md rules on proposed windows, window order and the cap."""

import datetime
from decimal import Decimal

import pytest

from milestones.rules import (
    MONTHLY_CAP,
    Window,
    WindowsNotPossible,
    milestone_windows_propose,
    months_at_risk_of_cap,
    window_order_problems,
)

D = datetime.date


def windows_as_tuples(windows: dict[int, Window]) -> dict[int, tuple[D, D]]:
    return {n: (w.begins_on, w.ends_on) for n, w in windows.items()}


def test_iowa_example_feb_plan_start_and_april_job() -> None:
    windows = milestone_windows_propose(D(2026, 2, 1), D(2026, 4, 1))

    assert windows_as_tuples(windows) == {
        1: (D(2026, 2, 1), D(2026, 3, 31)),
        2: (D(2026, 4, 1), D(2026, 4, 30)),
        3: (D(2026, 5, 1), D(2026, 5, 31)),
        4: (D(2026, 7, 1), D(2026, 7, 31)),
    }


def test_any_day_of_the_expected_month_gives_the_same_windows() -> None:
    assert milestone_windows_propose(
        D(2026, 2, 1), D(2026, 4, 15)
    ) == milestone_windows_propose(D(2026, 2, 1), D(2026, 4, 1))


def test_december_plan_start_crosses_the_year_end() -> None:
    windows = milestone_windows_propose(D(2026, 12, 1), D(2027, 2, 1))

    assert windows_as_tuples(windows) == {
        1: (D(2026, 12, 1), D(2027, 1, 31)),
        2: (D(2027, 2, 1), D(2027, 2, 28)),
        3: (D(2027, 3, 1), D(2027, 3, 31)),
        4: (D(2027, 5, 1), D(2027, 5, 31)),
    }


def test_mid_december_start_with_a_january_job_ends_milestone_1_on_new_years_eve() -> (
    None
):
    windows = milestone_windows_propose(D(2026, 12, 15), D(2027, 1, 1))

    assert windows_as_tuples(windows) == {
        1: (D(2026, 12, 15), D(2026, 12, 31)),
        2: (D(2027, 1, 1), D(2027, 1, 31)),
        3: (D(2027, 2, 1), D(2027, 2, 28)),
        4: (D(2027, 4, 1), D(2027, 4, 30)),
    }


def test_november_job_puts_milestone_4_in_february_of_next_year() -> None:
    windows = milestone_windows_propose(D(2026, 9, 1), D(2026, 11, 1))

    assert windows[3].begins_on == D(2026, 12, 1)
    assert (windows[4].begins_on, windows[4].ends_on) == (D(2027, 2, 1), D(2027, 2, 28))


def test_leap_february_has_29_days() -> None:
    windows = milestone_windows_propose(D(2027, 11, 1), D(2028, 1, 1))

    assert windows[3].ends_on == D(2028, 2, 29)


@pytest.mark.parametrize("job_month", [D(2026, 2, 1), D(2026, 1, 1), D(2025, 12, 1)])
def test_a_job_month_not_after_the_plan_month_cannot_make_windows(
    job_month: D,
) -> None:
    with pytest.raises(WindowsNotPossible):
        milestone_windows_propose(D(2026, 2, 10), job_month)


def test_proposed_windows_are_in_order() -> None:
    windows = milestone_windows_propose(D(2026, 2, 1), D(2026, 4, 1))

    assert window_order_problems(windows) == {}


def test_a_window_that_ends_before_it_begins_is_a_problem() -> None:
    windows = milestone_windows_propose(D(2026, 2, 1), D(2026, 4, 1))
    windows[2] = Window(D(2026, 4, 30), D(2026, 4, 1))

    assert window_order_problems(windows) == {2: "The window ends before it begins."}


def test_a_window_before_the_previous_milestone_is_out_of_order() -> None:
    windows = milestone_windows_propose(D(2026, 2, 1), D(2026, 4, 1))
    windows[3] = Window(D(2026, 3, 1), D(2026, 3, 31))

    problems = window_order_problems(windows)

    assert list(problems) == [3]
    assert "milestone 2" in problems[3]


def test_one_day_windows_are_allowed() -> None:
    day = D(2026, 4, 15)

    assert window_order_problems({2: Window(day, day)}) == {}


POSTED = {
    1: Decimal("1570.42"),
    2: Decimal("2394.53"),
    3: Decimal("2394.53"),
    4: Decimal("871.58"),
}


def test_iowa_example_windows_put_no_month_at_risk() -> None:
    windows = milestone_windows_propose(D(2026, 2, 1), D(2026, 4, 1))
    lines = [(f"m{n}", windows[n], POSTED[n]) for n in windows]

    assert months_at_risk_of_cap(lines) == []


def test_milestones_1_and_2_sharing_a_month_exceed_the_cap() -> None:
    april = Window(D(2026, 4, 1), D(2026, 4, 30))

    risks = months_at_risk_of_cap([("m1", april, POSTED[1]), ("m2", april, POSTED[2])])

    assert [(r.month, r.total, r.line_labels) for r in risks] == [
        (D(2026, 4, 1), Decimal("3964.95"), ("m1", "m2"))
    ]


def test_exactly_at_the_cap_is_allowed_and_one_cent_over_is_not() -> None:
    may = Window(D(2026, 5, 1), D(2026, 5, 31))
    first = Decimal("2000.00")

    at_cap = months_at_risk_of_cap([("a", may, first), ("b", may, MONTHLY_CAP - first)])
    over = months_at_risk_of_cap(
        [("a", may, first), ("b", may, MONTHLY_CAP - first + Decimal("0.01"))]
    )

    assert Decimal("3692.34") == MONTHLY_CAP
    assert at_cap == []
    assert [r.total for r in over] == [Decimal("3692.35")]


def test_a_window_spanning_months_counts_in_each() -> None:
    spring = Window(D(2026, 3, 15), D(2026, 4, 15))
    april = Window(D(2026, 4, 1), D(2026, 4, 30))
    march = Window(D(2026, 3, 1), D(2026, 3, 31))

    risks = months_at_risk_of_cap(
        [
            ("long", spring, POSTED[2]),
            ("apr", april, POSTED[3]),
            ("mar", march, POSTED[1]),
        ]
    )

    assert [r.month for r in risks] == [D(2026, 3, 1), D(2026, 4, 1)]
