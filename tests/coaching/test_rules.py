"""The DOMAIN.md coaching rules at their edges."""

import datetime
from decimal import Decimal

import pytest

from coaching.rules import (
    PeriodInForce,
    coaching_month,
    period_ends_on,
    quarter_hours,
    tier_amount,
    tier_from_minutes,
)

D = datetime.date
POSTED = {
    1: Decimal("81.68"),
    2: Decimal("436.40"),
    3: Decimal("871.58"),
    4: Decimal("1362.84"),
    5: Decimal("54.51"),
}


def hm(hours: int, minutes: int = 0) -> int:
    return hours * 60 + minutes


@pytest.mark.parametrize(
    ("minutes", "tier"),
    [
        (hm(1, 59), 1),
        (hm(2), 2),
        (hm(8, 59), 2),
        (hm(9), 3),
        (hm(16, 59), 3),
        (hm(17), 4),
        (hm(25, 59), 4),
        (hm(26), 5),
    ],
)
def test_tier_boundaries(minutes: int, tier: int) -> None:
    assert tier_from_minutes(minutes, contacts=3) == tier


def test_one_ten_minute_contact_earns_tier_1() -> None:
    assert tier_from_minutes(10, contacts=1) == 1


def test_no_contact_earns_no_tier() -> None:
    assert tier_from_minutes(0, contacts=0) is None


def test_minutes_round_down_to_quarter_hours() -> None:
    assert quarter_hours(119) == 7
    assert quarter_hours(120) == 8
    assert quarter_hours(14) == 0


def test_tier_5_pays_quarter_hours_rounded_half_up_once() -> None:
    assert tier_amount(5, POSTED[5], quarter_hours(hm(27, 30))) == Decimal("1499.03")
    assert tier_amount(5, POSTED[5], quarter_hours(hm(26))) == Decimal("1417.26")


def test_tiers_1_to_4_pay_their_monthly_rate() -> None:
    assert tier_amount(3, POSTED[3], 40) == Decimal("871.58")


def test_a_period_runs_90_days_first_day_included() -> None:
    assert period_ends_on(D(2026, 1, 1)) == D(2026, 3, 31)
    assert period_ends_on(D(2026, 11, 15)) == D(2027, 2, 12)


def period(
    begins: D, tier: int, number: str, ends: D | None = None, **extra: object
) -> PeriodInForce:
    return PeriodInForce(begins, ends or period_ends_on(begins), tier, number, **extra)  # type: ignore[arg-type]


def test_hours_earning_tier_3_under_a_tier_2_authorization_pay_tier_2() -> None:
    entries = [(D(2026, 5, day), 60) for day in range(1, 11)]  # 10 hours

    month = coaching_month(
        D(2026, 5, 1), entries, [period(D(2026, 4, 1), 2, "C-1")], POSTED
    )

    assert (month.earned_tier, month.authorized_tier, month.billable_tier) == (3, 2, 2)
    assert month.amount == Decimal("436.40")
    assert month.tier_differs


def test_fewer_hours_than_authorized_pay_what_the_hours_earn() -> None:
    entries = [(D(2026, 5, 4), 30)]

    month = coaching_month(
        D(2026, 5, 1), entries, [period(D(2026, 4, 1), 3, "C-1")], POSTED
    )

    assert (month.earned_tier, month.billable_tier, month.amount) == (
        1,
        1,
        Decimal("81.68"),
    )


def test_a_month_across_two_periods_takes_the_higher_tier_and_the_latest_number() -> (
    None
):
    first = period(D(2026, 3, 1), 2, "C-OLD", ends=D(2026, 5, 14))
    second = period(D(2026, 5, 15), 4, "C-NEW")
    entries = [(D(2026, 5, day), 60) for day in range(1, 21)]  # 20 hours

    month = coaching_month(D(2026, 5, 1), entries, [first, second], POSTED)

    assert month.authorized_tier == 4
    assert month.billable_tier == 4
    assert month.authorization_number == "C-NEW"
    assert month.amount == Decimal("1362.84")


def test_the_last_contact_decides_the_number_even_when_earlier_tier_was_higher() -> (
    None
):
    first = period(D(2026, 3, 1), 3, "C-OLD", ends=D(2026, 5, 14))
    second = period(D(2026, 5, 15), 2, "C-NEW")
    entries = [(D(2026, 5, 2), 120), (D(2026, 5, 20), 60)]

    month = coaching_month(D(2026, 5, 1), entries, [first, second], POSTED)

    assert month.authorized_tier == 3
    assert month.authorization_number == "C-NEW"


def test_minutes_on_days_without_an_authorization_are_not_counted() -> None:
    entries = [(D(2026, 5, 2), 600), (D(2026, 5, 20), 30)]
    covered = period(D(2026, 5, 10), 3, "C-1")

    month = coaching_month(D(2026, 5, 1), entries, [covered], POSTED)

    assert month.minutes == 30
    assert month.unauthorized_minutes == 600
    assert month.earned_tier == 1


def test_tier_5_pays_no_more_hours_than_its_authorization_states() -> None:
    entries = [(D(2026, 5, day), 120) for day in range(1, 16)]  # 30 hours
    tier_5 = period(D(2026, 4, 1), 5, "C-5", tier_5_hours=Decimal("27.5"))

    month = coaching_month(D(2026, 5, 1), entries, [tier_5], POSTED)

    assert month.billable_quarter_hours == 110
    assert month.amount == Decimal("1499.03")


def test_a_month_without_contacts_pays_nothing() -> None:
    month = coaching_month(D(2026, 5, 1), [], [period(D(2026, 4, 1), 2, "C-1")], POSTED)

    assert month.billable_tier is None
    assert month.amount == Decimal("0.00")


def test_a_month_whose_billable_tier_has_no_rate_is_not_billable() -> None:
    # Before 07/01/2025 no fee schedule is in force: only the period's own
    # kept rate (tier 3) is known, and the 30 minutes earn tier 1.
    entries = [(D(2025, 5, 15), 30)]

    month = coaching_month(
        D(2025, 5, 1), entries, [period(D(2025, 5, 1), 3, "C-1")], {3: POSTED[3]}
    )

    assert (month.earned_tier, month.authorized_tier) == (1, 3)
    assert month.has_no_rate
    assert month.billable_tier is None
    assert (month.authorization_number, month.amount) == ("", Decimal("0.00"))


def test_a_month_with_its_rate_says_it_has_one() -> None:
    month = coaching_month(
        D(2026, 5, 1), [(D(2026, 5, 4), 30)], [period(D(2026, 4, 1), 3, "C-1")], POSTED
    )

    assert not month.has_no_rate
