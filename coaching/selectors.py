"""Reads of coaching: a member's periods, log and months."""

import datetime
from decimal import Decimal

from coaching.models import CoachingEntry, CoachingPeriod
from coaching.rules import TIER_SERVICES, CoachingMonth, coaching_month
from core.dates import add_months, month_end, month_start
from members.models import Member
from payers.selectors import FeeTable, fee_table_get, fee_tables_get


def coaching_months_for_member(
    member: Member,
    months: int = 3,
    as_of: datetime.date | None = None,
    extra: tuple[tuple[datetime.date, int], ...] = (),
) -> list[tuple[CoachingMonth, list[CoachingEntry]]]:
    """The member's last ``months`` calendar months of coaching, newest first.

    Three queries whatever the number of periods, entries and months:
    periods, entries, and the payer's coaching rates. ``extra`` adds
    (date, minutes) contacts not yet saved, to see what an entry would do.
    """
    newest = month_start(as_of or datetime.date.today())
    oldest = add_months(newest, -(months - 1))
    periods = list(CoachingPeriod.objects.filter(member=member).select_related("payer"))
    entries = list(
        CoachingEntry.objects.filter(
            member=member, voided_at__isnull=True, coached_on__gte=oldest
        ).select_related("logged_by")
    )

    # The payer's rates for every tier, loaded once for all the months.
    table = None
    if periods:
        table = fee_table_get(periods[0].payer, list(TIER_SERVICES.values()))

    result = []
    for offset in range(months):
        month = add_months(newest, -offset)
        in_month = [e for e in entries if month_start(e.coached_on) == month]
        rates = _rates(periods, month, table)
        summary = coaching_month(
            month,
            [(e.coached_on, e.minutes) for e in in_month] + list(extra),
            [p.in_force() for p in periods],
            rates,
        )
        result.append((summary, sorted(in_month, key=lambda e: e.coached_on)))
    return result


def _rates(
    periods: list[CoachingPeriod], month: datetime.date, table: FeeTable | None
) -> dict[int, Decimal]:
    """Rates by tier: a period's own kept rate, else the payer's for the month."""
    rates: dict[int, Decimal] = {}
    for period in periods:
        if period.begins_on < add_months(month, 1) and period.ends_on >= month:
            rates.setdefault(period.tier, period.rate)
    if table is not None:
        for tier, service in TIER_SERVICES.items():
            rate = table.rate_on(service, month_end(month))
            if rate is not None:
                rates.setdefault(tier, rate)
    return rates


def coaching_month_for_members(
    member_ids: list[int], month: datetime.date
) -> dict[int, tuple[CoachingMonth, CoachingPeriod]]:
    """One month of coaching for many members, for billing and the cap.

    Members with a coaching period touching the month only; each comes with
    the period in force on its last counted contact (or the latest one), for
    payer and rate. Three queries whatever the number of members.
    """
    first, last = month_start(month), month_end(month)
    periods = list(
        CoachingPeriod.objects.filter(
            member_id__in=member_ids, begins_on__lte=last, ends_on__gte=first
        ).select_related("payer", "member")
    )
    if not periods:
        return {}
    entries = CoachingEntry.objects.filter(
        member_id__in={p.member_id for p in periods},
        voided_at__isnull=True,
        coached_on__range=(first, last),
    ).values_list("member_id", "coached_on", "minutes")
    tables = fee_tables_get(
        list({p.payer_id: p.payer for p in periods}.values()),
        list(TIER_SERVICES.values()),
    )

    by_member: dict[int, list[CoachingPeriod]] = {}
    for period in periods:
        by_member.setdefault(period.member_id, []).append(period)
    contacts: dict[int, list[tuple[datetime.date, int]]] = {}
    for member_id, coached_on, minutes in entries:
        contacts.setdefault(member_id, []).append((coached_on, minutes))

    months = {}
    for member_id, own in by_member.items():
        own.sort(key=lambda p: p.begins_on)
        summary = coaching_month(
            first,
            contacts.get(member_id, []),
            [p.in_force() for p in own],
            _rates(own, first, tables[own[-1].payer_id]),
        )
        in_force = next(
            (p for p in own if p.authorization_number == summary.authorization_number),
            own[-1],
        )
        months[member_id] = (summary, in_force)
    return months
