"""The DOMAIN.md rules on long-term job coaching: tiers, periods and months.

Pure functions: minutes, dates and rates in, answers out. No ORM, no clock.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from core.dates import month_end, month_start
from core.money import to_cents
from payers.services_catalog import Service

TIER_SERVICES: dict[int, Service] = {
    1: Service.COACHING_TIER_1,
    2: Service.COACHING_TIER_2,
    3: Service.COACHING_TIER_3,
    4: Service.COACHING_TIER_4,
    5: Service.COACHING_TIER_5,
}

# Lower bounds of tiers 2 to 5, in minutes: 2, 9, 17 and 26 hours.
TIER_FLOORS_IN_MINUTES: tuple[tuple[int, int], ...] = (
    (5, 26 * 60),
    (4, 17 * 60),
    (3, 9 * 60),
    (2, 2 * 60),
)

# Rule — periods: a coaching period runs 90 days, its first day included.
PERIOD_DAYS = 90
MOST_MINUTES_IN_A_DAY = 24 * 60


def quarter_hours(minutes: int) -> int:
    """Whole quarter hours in a month's minutes, rounded down."""
    return max(minutes, 0) // 15


def tier_from_minutes(minutes: int, contacts: int) -> int | None:
    """Return the tier a month's coaching earns (rule — tier from hours).

    The month's minutes are rounded down to whole quarter hours first. Tier
    1 needs at least one contact and under 2 hours; tier 2 is 2 to under 9
    hours, tier 3 9 to under 17, tier 4 17 to under 26, tier 5 26 and over.
    A month with no contact earns no tier (None). One 10-minute contact
    earns tier 1.
    """
    if contacts <= 0:
        return None
    counted = quarter_hours(minutes) * 15
    for tier, floor in TIER_FLOORS_IN_MINUTES:
        if counted >= floor:
            return tier
    return 1


def tier_amount(tier: int, rate: Decimal, billable_quarter_hours: int) -> Decimal:
    """What a month at a tier pays: the monthly rate, or hours for tier 5.

    Tier 5 pays quarter hours × the hourly rate ÷ 4, rounded half up to the
    cent once: 27.5 hours (110 quarter hours) at $54.51 is $1,499.03.
    """
    if tier == 5:
        return to_cents(Decimal(billable_quarter_hours) * rate / 4)
    return to_cents(rate)


def period_ends_on(begins_on: datetime.date) -> datetime.date:
    """The last day of a 90-day coaching period: its first day plus 89."""
    return begins_on + datetime.timedelta(days=PERIOD_DAYS - 1)


@dataclass(frozen=True)
class PeriodInForce:
    """One coaching authorization, as the month rules need it."""

    begins_on: datetime.date
    ends_on: datetime.date
    tier: int
    authorization_number: str
    tier_5_hours: Decimal | None = None

    def covers(self, day: datetime.date) -> bool:
        return self.begins_on <= day <= self.ends_on


@dataclass(frozen=True)
class CoachingMonth:
    """One member's coaching in one calendar month, by the DOMAIN.md rules."""

    month: datetime.date
    contacts: int
    minutes: int
    unauthorized_minutes: int
    earned_tier: int | None
    authorized_tier: int | None
    billable_tier: int | None
    billable_quarter_hours: int
    authorization_number: str
    amount: Decimal
    has_no_rate: bool = False

    @property
    def tier_differs(self) -> bool:
        return (
            self.earned_tier is not None
            and self.authorized_tier is not None
            and self.earned_tier != self.authorized_tier
        )


def coaching_month(
    month: datetime.date,
    entries: Iterable[tuple[datetime.date, int]],
    periods: Iterable[PeriodInForce],
    rates: dict[int, Decimal],
) -> CoachingMonth:
    """Work out a month's coaching (rule — periods and months).

    ``entries`` are (date, minutes) contacts; only those on days with a
    coaching authorization in force count. The authorized tier is the
    highest tier in force on any day of the month. The billable amount is
    that of the lower of the earned and the authorized tier, under the
    authorization number of the period in force on the month's last counted
    contact. A tier-5 month pays at most the hours its authorization states.
    ``rates`` maps tiers to the rates that apply.
    """
    first, last = month_start(month), month_end(month)
    periods = [p for p in periods if p.begins_on <= last and p.ends_on >= first]
    in_month = sorted(
        (day, minutes) for day, minutes in entries if first <= day <= last
    )
    counted = [(day, m) for day, m in in_month if any(p.covers(day) for p in periods)]

    minutes = sum(m for _, m in counted)
    unauthorized = sum(m for _, m in in_month) - minutes
    earned = tier_from_minutes(minutes, len(counted))
    authorized = max((p.tier for p in periods), default=None)
    billable = None if earned is None or authorized is None else min(earned, authorized)
    has_no_rate = billable is not None and billable not in rates
    if has_no_rate:
        billable = None

    number, billable_quarters, amount = "", 0, Decimal("0.00")
    if billable is not None:
        last_contact = counted[-1][0]
        period = next(p for p in periods if p.covers(last_contact))
        number = period.authorization_number
        billable_quarters = quarter_hours(minutes)
        if billable == 5:
            cap = max((p.tier_5_hours or Decimal(0)) for p in periods if p.tier == 5)
            billable_quarters = min(billable_quarters, int(cap * 4))
        amount = tier_amount(billable, rates[billable], billable_quarters)

    return CoachingMonth(
        month=first,
        contacts=len(counted),
        minutes=minutes,
        unauthorized_minutes=unauthorized,
        earned_tier=earned,
        authorized_tier=authorized,
        billable_tier=billable,
        billable_quarter_hours=billable_quarters,
        authorization_number=number,
        amount=amount,
        has_no_rate=has_no_rate,
    )
