"""The monthly cap ledger, and what has been billed already."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from billing.models import ClaimBatch, ClaimLine
from billing.rules import is_over_cap, month_total
from coaching.models import CoachingPeriod
from coaching.selectors import coaching_month_for_members, coaching_months_for_member
from core.dates import add_months, month_end, month_start
from members.models import Member
from milestones.models import MilestoneAchievement
from milestones.rules import MONTHLY_CAP

MEDICAID_KINDS = ("medicaid_ffs", "medicaid_mco")


@dataclass(frozen=True)
class LedgerMilestone:
    achieved_on: datetime.date
    label: str
    amount: Decimal


@dataclass(frozen=True)
class LedgerMonth:
    """One calendar month of a member's Medicaid supported-employment services."""

    month: datetime.date
    milestones: list[LedgerMilestone]
    coaching: Decimal
    total: Decimal

    @property
    def is_over_cap(self) -> bool:
        return is_over_cap(self.total)

    @property
    def room_left(self) -> Decimal:
        return MONTHLY_CAP - self.total


def member_cap_ledger(
    member: Member, as_of: datetime.date, months: int = 6
) -> list[LedgerMonth]:
    """The member's last ``months`` months against the cap, newest first.

    Counts billable milestone achievements (inside their windows, not
    voided) paid by IME or an MCO, from any authorization round, in the
    month achieved, and the month's coaching amount when Medicaid pays for
    it. IVRS and SNMIS services are outside the cap. A fixed number of
    queries whatever the number of achievements or coaching entries.
    """
    newest = month_start(as_of)
    oldest = add_months(newest, -(months - 1))
    achievements = (
        MilestoneAchievement.objects.filter(
            line__round__member=member,
            line__round__payer__kind__in=MEDICAID_KINDS,
            voided_at__isnull=True,
            achieved_on__gte=oldest,
        )
        .select_related("line")
        .order_by("achieved_on")
    )
    by_month: dict[datetime.date, list[LedgerMilestone]] = {}
    for achievement in achievements:
        if achievement.is_billable:
            by_month.setdefault(month_start(achievement.achieved_on), []).append(
                LedgerMilestone(
                    achievement.achieved_on,
                    f"Milestone {achievement.line.milestone} "
                    f"({achievement.line.code} {achievement.line.modifier})",
                    achievement.line.amount,
                )
            )

    medicaid_coaching = CoachingPeriod.objects.filter(
        member=member, payer__kind__in=MEDICAID_KINDS
    ).exists()
    coaching = {
        summary.month: summary.amount if medicaid_coaching else Decimal("0.00")
        for summary, _ in coaching_months_for_member(member, months, as_of)
    }

    ledger = []
    for offset in range(months):
        month = add_months(newest, -offset)
        lines = by_month.get(month, [])
        total = month_total([line.amount for line in lines] + [coaching[month]])
        ledger.append(LedgerMonth(month, lines, coaching[month], total))
    return ledger


def cap_totals_for_members(
    member_ids: list[int], month: datetime.date
) -> dict[int, Decimal]:
    """Each member's Medicaid total for one month, as the ledger counts it.

    The set-wise twin of ``member_cap_ledger`` for billing many members at
    once: four queries whatever their number.
    """
    first = month_start(month)
    totals = dict.fromkeys(member_ids, Decimal("0.00"))
    achievements = MilestoneAchievement.objects.filter(
        line__round__member_id__in=member_ids,
        line__round__payer__kind__in=MEDICAID_KINDS,
        voided_at__isnull=True,
        achieved_on__range=(first, month_end(first)),
    ).select_related("line__round")
    for achievement in achievements:
        if achievement.is_billable:
            totals[achievement.line.round.member_id] += achievement.line.amount
    for member_id, (summary, period) in coaching_month_for_members(
        member_ids, first
    ).items():
        if period.payer.kind in MEDICAID_KINDS:
            totals[member_id] += summary.amount
    return totals


def billed_claim_for_achievement(achievement_id: int) -> ClaimLine | None:
    """The claim line that billed this achievement, if a batch holds one.

    A voided line no longer bills anything, and a held line has not been
    billed yet. One query.
    """
    return (
        ClaimLine.objects.filter(
            achievement_id=achievement_id,
            batch__isnull=False,
            voided_at__isnull=True,
        )
        .select_related("batch")
        .first()
    )


def billed_coaching_claim(member_id: int, day: datetime.date) -> ClaimLine | None:
    """The claim line that billed the member's coaching in the month of a day.

    As for milestones, a voided or held line bills nothing. One query.
    """
    return (
        ClaimLine.objects.filter(
            member_id=member_id,
            kind=ClaimLine.Kind.COACHING,
            month=month_start(day),
            batch__isnull=False,
            voided_at__isnull=True,
        )
        .select_related("batch")
        .first()
    )


def coaching_claims_between(
    member_id: int, begins_on: datetime.date, ends_on: datetime.date
) -> list[ClaimLine]:
    """Claim lines for the member's coaching in the months of a date range.

    Every line not voided, oldest month first: a billed one, and a held
    one too, since a held line keeps the tier, amount and authorization
    number it was made with until it is released into a batch. One query.
    """
    return list(
        ClaimLine.objects.filter(
            member_id=member_id,
            kind=ClaimLine.Kind.COACHING,
            month__range=(month_start(begins_on), month_start(ends_on)),
            voided_at__isnull=True,
        )
        .select_related("batch")
        .order_by("month")
    )


def billed_in_words(batch: ClaimBatch) -> str:
    """Name a claim batch as a message does: "claim batch 2 of 11/2026"."""
    return f"claim batch {batch.number} of {batch.month:%m/%Y}"
