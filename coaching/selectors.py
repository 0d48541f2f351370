"""Reads of coaching: a member's periods, log and months."""

import datetime
from decimal import Decimal

from coaching.models import CoachingEntry, CoachingPeriod
from coaching.rules import TIER_SERVICES, CoachingMonth, coaching_month
from core.dates import add_months, month_start
from members.models import Member
from payers.selectors import FeeScheduleNotInForce, fee_quote_get


def coaching_months_for_member(
    member: Member, months: int = 3, as_of: datetime.date | None = None
) -> list[tuple[CoachingMonth, list[CoachingEntry]]]:
    """The member's last ``months`` calendar months of coaching, newest first.

    Two queries for periods and entries whatever their number, plus at most
    one fee lookup per month whose billable tier differs from its period's.
    """
    newest = month_start(as_of or datetime.date.today())
    oldest = add_months(newest, -(months - 1))
    periods = list(CoachingPeriod.objects.filter(member=member).select_related("payer"))
    entries = list(
        CoachingEntry.objects.filter(
            member=member, voided_at__isnull=True, coached_on__gte=oldest
        ).select_related("logged_by")
    )

    result = []
    for offset in range(months):
        month = add_months(newest, -offset)
        in_month = [e for e in entries if month_start(e.coached_on) == month]
        rates = _rates(periods, month)
        summary = coaching_month(
            month,
            [(e.coached_on, e.minutes) for e in in_month],
            [p.in_force() for p in periods],
            rates,
        )
        result.append((summary, sorted(in_month, key=lambda e: e.coached_on)))
    return result


class _RatesForMonth(dict[int, Decimal]):
    """Rates by tier: a period's kept rate, else looked up when first needed."""

    def __init__(self, periods: list[CoachingPeriod], month: datetime.date) -> None:
        super().__init__()
        self.month = month
        self.payer = periods[0].payer if periods else None
        for period in periods:
            self.setdefault(period.tier, period.rate)

    def __missing__(self, tier: int) -> Decimal:
        if self.payer is None:
            raise KeyError(tier)
        try:
            rate = fee_quote_get(self.payer, TIER_SERVICES[tier], self.month).rate
        except FeeScheduleNotInForce as error:
            raise KeyError(tier) from error
        self[tier] = rate
        return rate


def _rates(periods: list[CoachingPeriod], month: datetime.date) -> dict[int, Decimal]:
    touching = [
        p for p in periods if p.begins_on < add_months(month, 1) and p.ends_on >= month
    ]
    return _RatesForMonth(touching, month)
