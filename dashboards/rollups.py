"""Bring the coaching summaries the dashboards read up to date.

Each member's month is worked out by ``coaching.selectors
.coaching_month_for_members``, the set-wise reader billing and the cap
use, so the dashboards' amounts are the amounts that are billed. It reads
a batch of members in three queries, whatever the batch holds; the rows
are then replaced in bulk.

A full refresh covers every month from the earliest coaching period to
the current one. A refresh of changes covers only the members whose
coaching periods or entries changed since the last refresh began. A
dashboard read queues a refresh of changes when the summaries are more
than a few minutes old (``dashboards.queue``); ``manage.py
refresh_dashboards`` runs a full one, which also picks up a changed fee
schedule.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from coaching.models import CoachingEntry, CoachingPeriod
from coaching.selectors import coaching_month_for_members
from core.dates import add_months, iowa_today, month_end, month_start
from dashboards.metrics import COACHING_SUMMARY
from dashboards.models import CoachingMonthSummary, RollupMark

logger = logging.getLogger(__name__)

# Members per read: SQLite allows a few thousand parameters a query.
BATCH = 2_000


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _refresh_month(month: datetime.date, member_ids: Iterable[int] | None) -> int:
    """Replace one month's summaries, of everyone or of the members named."""
    first, last = month_start(month), month_end(month)
    touching = CoachingPeriod.objects.filter(begins_on__lte=last, ends_on__gte=first)
    stale = CoachingMonthSummary.objects.filter(month=first)
    if member_ids is not None:
        named = sorted(set(member_ids))
        touching = touching.filter(member_id__in=named)
        stale = stale.filter(member_id__in=named)
    ids = sorted(set(touching.values_list("member_id", flat=True)))

    rows = []
    for batch in _batches(ids):
        for member_id, (summary, period) in coaching_month_for_members(
            batch, first
        ).items():
            rows.append(
                CoachingMonthSummary(
                    member_id=member_id,
                    month=first,
                    episode_id=period.episode_id,
                    payer_id=period.payer_id,
                    contacts=summary.contacts,
                    minutes=summary.minutes,
                    earned_tier=summary.earned_tier,
                    authorized_tier=summary.authorized_tier,
                    billable_tier=summary.billable_tier,
                    amount=summary.amount,
                )
            )
    if member_ids is None:
        stale.delete()
    else:
        for batch in _batches(named):
            stale.filter(member_id__in=batch).delete()
    CoachingMonthSummary.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _months_from(
    earliest: datetime.date | None, today: datetime.date
) -> list[datetime.date]:
    if earliest is None:
        return []
    months, month = [], month_start(earliest)
    while month <= today:
        months.append(month)
        month = add_months(month, 1)
    return months


def coaching_months_refresh(
    *, changed_only: bool = False, today: datetime.date | None = None
) -> int:
    """Bring the coaching summaries up to date; return the rows written.

    ``changed_only`` refreshes just the members whose coaching changed since
    the last refresh began (a full refresh when there was none). Months
    after ``today`` (Iowa) are left out: nothing is coached in them yet.
    Per month, two queries and three per 2,000 members, then the writes.
    """
    today = today or iowa_today()
    started = timezone.now()
    mark = RollupMark.objects.filter(name=COACHING_SUMMARY).first()

    member_ids: list[int] | None = None
    if changed_only and mark is not None:
        since = mark.changes_from
        entries = CoachingEntry.objects.filter(
            Q(logged_at__gte=since) | Q(voided_at__gte=since)
        ).values_list("member_id", flat=True)
        changed_periods = CoachingPeriod.objects.filter(
            Q(updated_at__gte=since) | Q(created_at__gte=since)
        ).values_list("member_id", flat=True)
        member_ids = sorted(set(entries) | set(changed_periods))
        if not member_ids:
            _mark(started)
            return 0

    periods = CoachingPeriod.objects.all()
    if member_ids is not None:
        periods = periods.filter(member_id__in=member_ids[:BATCH])
    earliest = periods.aggregate(earliest=Min("begins_on"))["earliest"]
    if member_ids is not None and len(member_ids) > BATCH:
        earliest = CoachingPeriod.objects.aggregate(earliest=Min("begins_on"))[
            "earliest"
        ]

    written = 0
    with transaction.atomic():
        for month in _months_from(earliest, today):
            written += _refresh_month(month, member_ids)
        _mark(started)
    logger.info(
        "Coaching summaries refreshed: %s rows, %s members named.",
        written,
        "all" if member_ids is None else len(member_ids),
    )
    return written


def _mark(started: datetime.datetime) -> None:
    RollupMark.objects.update_or_create(
        name=COACHING_SUMMARY,
        defaults={"changes_from": started, "refreshed_at": timezone.now()},
    )
