"""Iowa business days (domain doc, "Calendar")."""

import datetime

import pytest
from pytest_django import Settings

from core.business_days import (
    IOWA_STATE_HOLIDAYS,
    authorization_delay_cutoff,
    authorization_due_on,
    business_day_after,
    iowa_state_holidays,
    is_business_day,
)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# Written out by hand from Iowa Code 1C.2 and a calendar; checked against the
# weekday of each date, not against the holidays library.
OBSERVED_2026 = {
    d("2026-01-01"): "New Year's Day",  # Thursday
    d("2026-01-19"): "Martin Luther King Jr. Day",  # third Monday of January
    d("2026-05-25"): "Memorial Day",  # last Monday of May
    d("2026-07-03"): "Independence Day",  # July 4 is a Saturday
    d("2026-09-07"): "Labor Day",  # first Monday of September
    d("2026-11-11"): "Veterans Day",  # Wednesday
    d("2026-11-26"): "Thanksgiving Day",  # fourth Thursday of November
    d("2026-11-27"): "Friday after Thanksgiving",
    d("2026-12-25"): "Christmas Day",  # Friday
}

OBSERVED_2027 = {
    d("2027-01-01"): "New Year's Day",  # Friday
    d("2027-01-18"): "Martin Luther King Jr. Day",
    d("2027-05-31"): "Memorial Day",
    d("2027-07-05"): "Independence Day",  # July 4 is a Sunday
    d("2027-09-06"): "Labor Day",
    d("2027-11-11"): "Veterans Day",  # Thursday
    d("2027-11-25"): "Thanksgiving Day",
    d("2027-11-26"): "Friday after Thanksgiving",
    d("2027-12-24"): "Christmas Day",  # December 25 is a Saturday
    d("2027-12-31"): "New Year's Day",  # January 1, 2028 is a Saturday
}


@pytest.mark.parametrize(
    ("year", "expected"), [(2026, OBSERVED_2026), (2027, OBSERVED_2027)]
)
def test_observed_holidays_match_the_domain_list(
    year: int, expected: dict[datetime.date, str]
) -> None:
    assert iowa_state_holidays(year) == expected


def test_holiday_names_are_the_nine_of_iowa_code_1c2() -> None:
    assert len(IOWA_STATE_HOLIDAYS) == 9
    assert set(OBSERVED_2026.values()) == set(IOWA_STATE_HOLIDAYS)


def test_new_years_day_observed_in_december_belongs_to_the_earlier_year() -> None:
    holidays_2028 = iowa_state_holidays(2028)
    assert d("2027-12-31") not in holidays_2028
    assert d("2028-01-01") not in holidays_2028
    assert "New Year's Day" not in holidays_2028.values()


def test_caller_cannot_change_the_cached_calendar() -> None:
    iowa_state_holidays(2026).clear()
    assert iowa_state_holidays(2026) == OBSERVED_2026


@pytest.mark.parametrize("day", list(OBSERVED_2026) + list(OBSERVED_2027))
def test_observed_holidays_are_not_business_days(day: datetime.date) -> None:
    assert not is_business_day(day)


@pytest.mark.parametrize(
    "day",
    [
        d("2026-02-12"),  # Lincoln's Birthday, Thursday
        d("2027-02-12"),  # Lincoln's Birthday, Friday
        d("2026-02-16"),  # Washington's Birthday / Presidents' Day
        d("2027-02-15"),  # Washington's Birthday / Presidents' Day
        d("2026-06-19"),  # Juneteenth, Friday
        d("2027-06-18"),  # Juneteenth observed (June 19 is a Saturday)
        d("2026-10-12"),  # Columbus Day
        d("2027-10-11"),  # Columbus Day
        d("2026-12-24"),  # Christmas Eve
        d("2026-12-31"),  # New Year's Eve, when New Year's Day is a weekday
    ],
)
def test_holidays_outside_iowa_code_1c2_are_business_days(
    day: datetime.date,
) -> None:
    assert day.weekday() < 5
    assert is_business_day(day)


@pytest.mark.parametrize(
    "day",
    [
        d("2026-07-04"),  # Independence Day on a Saturday
        d("2027-07-04"),  # Independence Day on a Sunday
        d("2026-12-12"),  # ordinary Saturday
        d("2026-12-13"),  # ordinary Sunday
    ],
)
def test_weekends_are_not_business_days(day: datetime.date) -> None:
    assert not is_business_day(day)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # An ordinary week.
        (d("2026-12-07"), 1, d("2026-12-08")),
        # Across a weekend.
        (d("2026-12-11"), 1, d("2026-12-14")),
        (d("2026-12-10"), 3, d("2026-12-15")),
        # Starting on a Saturday or a Sunday: the start never counts.
        (d("2026-12-12"), 1, d("2026-12-14")),
        (d("2026-12-12"), 5, d("2026-12-18")),
        (d("2026-12-13"), 1, d("2026-12-14")),
        # Across Thanksgiving and the Friday after.
        (d("2026-11-25"), 1, d("2026-11-30")),
        (d("2026-11-24"), 2, d("2026-11-30")),
        # Starting on a holiday.
        (d("2026-11-26"), 1, d("2026-11-30")),
        # Across Christmas and New Year's Day 2026–27.
        (d("2026-12-24"), 1, d("2026-12-28")),
        (d("2026-12-24"), 5, d("2027-01-04")),
        (d("2026-12-31"), 1, d("2027-01-04")),
        # Across the observed Christmas and New Year's Day of 2027–28.
        (d("2027-12-23"), 1, d("2027-12-27")),
        (d("2027-12-30"), 1, d("2028-01-03")),
    ],
)
def test_business_day_after(
    start: datetime.date, n: int, expected: datetime.date
) -> None:
    assert business_day_after(start, n) == expected


@pytest.mark.parametrize("n", [0, -1])
def test_business_day_after_needs_a_positive_count(n: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        business_day_after(d("2026-12-07"), n)


@pytest.mark.parametrize(
    ("accepted_on", "due_on"),
    [
        # Tue 8, Wed 9, Thu 10, Fri 11, Mon 14.
        (d("2026-12-07"), d("2026-12-14")),
        # Tue 24, Wed 25, (Thanksgiving, Friday after, weekend), Mon 30,
        # Tue Dec 1, Wed Dec 2.
        (d("2026-11-23"), d("2026-12-02")),
        # Accepted on a Saturday: Mon 14 to Fri 18.
        (d("2026-12-12"), d("2026-12-18")),
        # Mon 28, Tue 29, Wed 30, Thu 31, (New Year's Day, weekend), Mon 4.
        (d("2026-12-24"), d("2027-01-04")),
    ],
)
def test_authorization_due_on(
    accepted_on: datetime.date, due_on: datetime.date
) -> None:
    assert authorization_due_on(accepted_on) == due_on


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [
        # Dec 8, 9, 10, 11, 14, 15: the 6th business day after Dec 7 is today.
        (d("2026-12-15"), d("2026-12-07")),
        # The 6th business day after Sun Dec 6 is Mon Dec 14 (Dec 7 to 11 and
        # 14); after Mon Dec 7 it is Dec 15, still ahead.
        (d("2026-12-14"), d("2026-12-06")),
        # On a weekend nothing new opens: same as the Friday before.
        (d("2026-12-11"), d("2026-12-03")),
        (d("2026-12-12"), d("2026-12-03")),
        (d("2026-12-13"), d("2026-12-03")),
        # Thanksgiving: Nov 24, 25, 30, Dec 1, 2, 3 are six business days.
        (d("2026-12-03"), d("2026-11-23")),
        (d("2026-12-02"), d("2026-11-22")),
        # Christmas and New Year's Day: Dec 29, 30, 31, Jan 4, 5, 6.
        (d("2027-01-06"), d("2026-12-28")),
    ],
)
def test_authorization_delay_cutoff(
    today: datetime.date, cutoff: datetime.date
) -> None:
    assert authorization_delay_cutoff(today) == cutoff
    # The edge: the cutoff's flag is open today, the next day's is not.
    assert business_day_after(cutoff, 6) <= today
    assert business_day_after(cutoff + datetime.timedelta(days=1), 6) > today


def test_authorization_delay_cutoff_matches_the_definition_every_day() -> None:
    one_day = datetime.timedelta(days=1)
    today = d("2026-01-01")
    while today <= d("2027-12-31"):
        cutoff = authorization_delay_cutoff(today)
        for offset in range(-40, 41):
            accepted_on = today + offset * one_day
            flag_open = business_day_after(accepted_on, 6) <= today
            assert (accepted_on <= cutoff) == flag_open, (today, accepted_on)
        today += one_day


def test_due_date_and_cutoff_follow_the_setting(settings: Settings) -> None:
    assert authorization_due_on(d("2026-12-07")) == d("2026-12-14")
    settings.FLAG_THRESHOLDS = {
        **settings.FLAG_THRESHOLDS,
        "authorization_delay_business_days": 3,
    }
    # Tue 8, Wed 9, Thu 10.
    assert authorization_due_on(d("2026-12-07")) == d("2026-12-10")
    # Dec 10, 11, 14, 15 are four business days.
    assert authorization_delay_cutoff(d("2026-12-15")) == d("2026-12-09")


def test_default_threshold_is_five_business_days(settings: Settings) -> None:
    assert settings.FLAG_THRESHOLDS["authorization_delay_business_days"] == 5
