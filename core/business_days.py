"""Iowa business days, for deadlines counted in business days.

This implements the "Calendar" rule of the domain doc. A business day is a
weekday that is not an Iowa state holiday under Iowa Code 1C.2: New Year's
Day, Martin Luther King Jr. Day, Memorial Day, Independence Day, Labor Day,
Veterans Day, Thanksgiving Day, the Friday after Thanksgiving and Christmas
Day. A holiday that falls on a Saturday is observed on the Friday before it,
one that falls on a Sunday on the Monday after it, and only the observed day
is a day off.

The dates come from the ``holidays`` library's calendar for the state of
Iowa, with two adjustments. That calendar also lists days that are not on
the 1C.2 paid list (Lincoln's Birthday, Washington's Birthday and
Juneteenth); those stay business days. It does not list the Friday after
Thanksgiving, which is added here. The library is asked for the actual
dates only, and the weekend rule is applied here, so the rule in force is
the one written above.

Counts include the boundary day: "after 5 business days" means on the 6th
business day after the starting date.
"""

import datetime
import functools
from collections.abc import Mapping
from types import MappingProxyType

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NEW_YEARS_DAY = "New Year's Day"
MARTIN_LUTHER_KING_JR_DAY = "Martin Luther King Jr. Day"
MEMORIAL_DAY = "Memorial Day"
INDEPENDENCE_DAY = "Independence Day"
LABOR_DAY = "Labor Day"
VETERANS_DAY = "Veterans Day"
THANKSGIVING_DAY = "Thanksgiving Day"
FRIDAY_AFTER_THANKSGIVING = "Friday after Thanksgiving"
CHRISTMAS_DAY = "Christmas Day"

# The paid state holidays of Iowa Code 1C.2, in calendar order.
IOWA_STATE_HOLIDAYS: tuple[str, ...] = (
    NEW_YEARS_DAY,
    MARTIN_LUTHER_KING_JR_DAY,
    MEMORIAL_DAY,
    INDEPENDENCE_DAY,
    LABOR_DAY,
    VETERANS_DAY,
    THANKSGIVING_DAY,
    FRIDAY_AFTER_THANKSGIVING,
    CHRISTMAS_DAY,
)

# The holidays taken from the library, under the names it gives them in
# English. The Friday after Thanksgiving is derived from Thanksgiving Day.
_FROM_LIBRARY = frozenset(IOWA_STATE_HOLIDAYS) - {FRIDAY_AFTER_THANKSGIVING}

_SATURDAY = 5
_SUNDAY = 6


def _observed(day: datetime.date) -> datetime.date:
    """Move a Saturday holiday to Friday and a Sunday holiday to Monday."""
    if day.weekday() == _SATURDAY:
        return day - datetime.timedelta(days=1)
    if day.weekday() == _SUNDAY:
        return day + datetime.timedelta(days=1)
    return day


def _actual_dates(year: int) -> dict[str, datetime.date]:
    """Return the unshifted date of each 1C.2 holiday in ``year``.

    Raises ``RuntimeError`` if the library does not list each holiday taken
    from it exactly once, so that a renamed or missing holiday in a future
    library version fails loudly instead of turning into a business day.
    """
    calendar = holidays.country_holidays(
        "US", subdiv="IA", years=year, observed=False, language="en_US"
    )
    found: dict[str, list[datetime.date]] = {name: [] for name in _FROM_LIBRARY}
    for day in calendar:
        for name in calendar.get_list(day):
            if name in found:
                found[name].append(day)
    problems = {name: days for name, days in found.items() if len(days) != 1}
    if problems:
        raise RuntimeError(
            f"The holidays library's Iowa calendar for {year} does not list "
            f"each state holiday once: {problems}"
        )
    dates = {name: days[0] for name, days in found.items()}
    dates[FRIDAY_AFTER_THANKSGIVING] = dates[THANKSGIVING_DAY] + datetime.timedelta(
        days=1
    )
    return dates


@functools.cache
def _observed_holidays(year: int) -> Mapping[datetime.date, str]:
    """Return the observed 1C.2 holidays whose observed date is in ``year``.

    Observance can move a holiday across the new year (New Year's Day on a
    Saturday is observed on December 31), so the neighbouring years are
    looked at too. The result is cached and read-only.
    """
    observed: dict[datetime.date, str] = {}
    for source_year in (year - 1, year, year + 1):
        for name, day in _actual_dates(source_year).items():
            observed_day = _observed(day)
            if observed_day.year != year:
                continue
            if observed_day in observed:
                observed[observed_day] += f"; {name}"
            else:
                observed[observed_day] = name
    return MappingProxyType(dict(sorted(observed.items())))


def iowa_state_holidays(year: int) -> dict[datetime.date, str]:
    """Return the days off for Iowa state holidays (Iowa Code 1C.2) in ``year``.

    Keys are observed dates: a holiday on a Saturday appears on the Friday
    before it and one on a Sunday on the Monday after it; the weekend date
    itself is not listed. A holiday belongs to the year its observed date
    falls in, so New Year's Day 2028 (a Saturday) is listed under 2027 as
    December 31, 2027. Values are the holiday names of ``IOWA_STATE_HOLIDAYS``.
    The calendar is computed once per year; the caller gets its own copy.
    """
    return dict(_observed_holidays(year))


def is_business_day(day: datetime.date) -> bool:
    """Return whether ``day`` is an Iowa business day.

    Implements the domain rule: a weekday that is not an observed Iowa state
    holiday (see ``iowa_state_holidays``).
    """
    return day.weekday() < _SATURDAY and day not in _observed_holidays(day.year)


def business_day_after(start: datetime.date, n: int) -> datetime.date:
    """Return the ``n``-th business day after ``start``.

    ``start`` itself never counts, whether or not it is a business day, so
    ``n=1`` gives the next business day after ``start``. ``start`` may be a
    weekend day or a holiday. Raises ``ValueError`` if ``n`` is less than 1.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    day = start
    counted = 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if is_business_day(day):
            counted += 1
    return day


def _authorization_delay_business_days() -> int:
    days = settings.FLAG_THRESHOLDS["authorization_delay_business_days"]
    if not isinstance(days, int) or days < 1:
        raise ImproperlyConfigured(
            "FLAG_THRESHOLDS['authorization_delay_business_days'] must be a "
            f"whole number of at least 1, not {days!r}"
        )
    return days


def authorization_due_on(accepted_on: datetime.date) -> datetime.date:
    """Return the day a milestone authorization is due for a referral.

    The authorization is due on the N-th business day after the referral was
    accepted, where N is ``FLAG_THRESHOLDS["authorization_delay_business_days"]``
    (5 by default). The acceptance day does not count. The delay flag opens
    the business day after the due date, i.e. on the (N + 1)-th business day.
    """
    return business_day_after(accepted_on, _authorization_delay_business_days())


def authorization_delay_cutoff(today: datetime.date) -> datetime.date:
    """Return the latest acceptance date whose delay flag is open on ``today``.

    Implements "after N business days means on the (N + 1)-th business day",
    with N from ``FLAG_THRESHOLDS["authorization_delay_business_days"]``:
    the result is the greatest date D with
    ``business_day_after(D, N + 1) <= today``. It may be a weekend day or a
    holiday, since referrals accepted on such days count too.

    The condition is monotone in D: moving the acceptance date earlier never
    moves its (N + 1)-th business day later. So a referral's flag is open on
    ``today`` exactly when ``accepted_on <= authorization_delay_cutoff(today)``,
    which can be used directly as a database filter.

    It steps back from ``today`` (inclusive) until it has passed N + 1
    business days; the day before the last of them is the cutoff.
    """
    needed = _authorization_delay_business_days() + 1
    # Any seven days in a row hold at least three business days, so this
    # bound is never reached; it only guards against a broken calendar.
    limit = 7 * needed + 7
    day = today
    counted = 0
    for _ in range(limit):
        if is_business_day(day):
            counted += 1
            if counted == needed:
                return day - datetime.timedelta(days=1)
        day -= datetime.timedelta(days=1)
    raise RuntimeError(
        f"Found no {needed} business days in the {limit} days to {today}"
    )
