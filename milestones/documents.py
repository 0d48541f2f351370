"""Printable milestone documents: the service plan authorization and the
documentation packet of one achieved milestone.

Each public function loads what its document shows in a fixed number of
queries, lays it out and renders it with ``documents.render``. The caller
has already checked that the member is in the user's scope and recorded
the read; ``user`` only names who the document was produced for.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q

from coaching.models import CoachingPeriod
from coaching.rules import TIER_SERVICES, tier_amount
from core.dates import months_between
from documents.render import render_pdf
from milestones.models import (
    AuthorizationRound,
    EvidenceDocument,
    MilestoneAchievement,
)
from payers.services_catalog import Service

SERVICE_PLAN_TITLE = "Service plan authorization"
PACKET_TITLE = "Milestone documentation"
NO_AMOUNT = Decimal("0.00")


def service_code(service: Service) -> str:
    """The code as the Iowa service plan writes it: "T2018:U6"."""
    return f"{service.code}:{service.modifier}"


def service_description(service: Service) -> str:
    """The service's name without its code: "90 days of successful retention"."""
    return str(service.label).split(" – ", 1)[-1]


@dataclass(frozen=True)
class PlanRow:
    """One row of the service plan's table: a milestone or a coaching period.

    ``first_month`` and ``ongoing`` are the plan's "monthly total" columns:
    a milestone is paid once, in full, so it has no ongoing amount; a
    coaching tier pays the same every month it is in force. ``tier`` is set
    for coaching rows only. ``detail`` says what the row is ("Milestone
    4"); ``authorization_number`` is printed after it, kept on one line.
    """

    service: Service
    detail: str
    begins_on: datetime.date
    ends_on: datetime.date
    first_month: Decimal
    ongoing: Decimal
    units: int
    units_per: str
    rate: Decimal
    rate_per: str
    tier: int | None = None
    authorization_number: str = ""

    @property
    def code(self) -> str:
        return service_code(self.service)

    @property
    def description(self) -> str:
        return service_description(self.service)


def tier_5_quarter_hours(period: CoachingPeriod) -> int:
    """The whole quarter hours a month a tier-5 period covers; 0 for the others.

    The same rounding down as the month rule's cap on tier-5 hours.
    """
    return int((period.tier_5_hours or 0) * 4)


def coaching_monthly_amount(period: CoachingPeriod) -> Decimal:
    """What one month of a coaching period pays at most (rule — tier from hours).

    Tiers 1 to 4 pay their monthly rate. Tier 5 pays the hours per month
    the authorization states, in whole quarter hours, × the hourly rate,
    rounded half up to the cent once: 27.5 hours at $54.51 is $1,499.03.
    """
    return tier_amount(period.tier, period.rate, tier_5_quarter_hours(period))


def coaching_months_authorized(rows: Iterable[PlanRow]) -> dict[datetime.date, Decimal]:
    """Return each month the coaching rows cover, with what it may pay at most.

    Coaching is paid by the calendar month, and a month's authorized tier is
    the highest tier in force on any day of it (rule — periods and months).
    So every calendar month a period touches counts once, in full, even if
    the period covers only its first or last days: a 90-day period from
    08/01 touches August to October (3 months), one from 08/15 touches
    August to November (4 months). A month two periods share, when one ends
    and the next begins, counts once, at the amount of the higher tier.
    Months are keyed by their first day; rows without a tier are skipped.
    """
    best: dict[datetime.date, tuple[int, Decimal]] = {}
    for row in rows:
        if row.tier is None:
            continue
        for month in months_between(row.begins_on, row.ends_on):
            best[month] = max(best.get(month, (0, NO_AMOUNT)), (row.tier, row.ongoing))
    return {month: best[month][1] for month in sorted(best)}


@dataclass(frozen=True)
class PlanTotal:
    """The plan's total: milestones once each, coaching by the month."""

    milestones: Decimal
    coaching_months: dict[datetime.date, Decimal]

    @property
    def coaching(self) -> Decimal:
        return sum(self.coaching_months.values(), NO_AMOUNT)

    @property
    def total(self) -> Decimal:
        return self.milestones + self.coaching


def plan_total(rows: Iterable[PlanRow]) -> PlanTotal:
    """Return the most the plan's services can pay together.

    Each milestone is paid once when achieved: its units × rate. Coaching
    counts as ``coaching_months_authorized`` explains.
    """
    rows = list(rows)
    milestones = sum((row.first_month for row in rows if row.tier is None), NO_AMOUNT)
    return PlanTotal(milestones, coaching_months_authorized(rows))


def coaching_periods_for_plan(
    authorization: AuthorizationRound,
) -> list[CoachingPeriod]:
    """Return the coaching periods in force while this round is the current plan.

    A round is the member's current plan from its authorization date until
    the next round of the same episode that is not voided. A period belongs
    when it is in force on any day of that time, so a reauthorization after
    a job end does not repeat the coaching of the job before it, and a
    period running when the plan changes shows on both. Oldest first. Two
    queries.
    """
    later_rounds = (
        AuthorizationRound.objects.filter(
            episode_id=authorization.episode_id, voided_at__isnull=True
        )
        .filter(
            Q(authorized_on__gt=authorization.authorized_on)
            | Q(
                authorized_on=authorization.authorized_on,
                created_at__gt=authorization.created_at,
            )
        )
        .exclude(pk=authorization.pk)
        .order_by("authorized_on", "created_at")
    )
    next_plan_on = later_rounds.values_list("authorized_on", flat=True).first()

    periods = CoachingPeriod.objects.filter(
        episode_id=authorization.episode_id,
        ends_on__gte=authorization.authorized_on,
    )
    if next_plan_on is not None:
        periods = periods.filter(begins_on__lt=next_plan_on)
    return list(periods.order_by("begins_on", "pk"))


def _milestone_rows(authorization: AuthorizationRound) -> list[PlanRow]:
    rows = []
    for line in authorization.lines.all():
        # The code comes from the line itself: the 90-day milestone is billed
        # as T2018 U6, whatever older paper forms printed.
        rows.append(
            PlanRow(
                service=Service(line.service),
                detail=f"Milestone {line.milestone}",
                begins_on=line.window_begins_on,
                ends_on=line.window_ends_on,
                first_month=line.amount,
                ongoing=NO_AMOUNT,
                units=line.units,
                units_per="",
                rate=line.rate,
                rate_per="",
                authorization_number=line.authorization_number,
            )
        )
    return rows


def _coaching_row(period: CoachingPeriod) -> PlanRow:
    monthly = coaching_monthly_amount(period)
    if period.tier == 5:
        units, units_per = tier_5_quarter_hours(period), "quarter hours"
        rate_per = "an hour"
    else:
        units, units_per, rate_per = 1, "a month", "a month"
    return PlanRow(
        service=TIER_SERVICES[period.tier],
        detail="Long-term job coaching",
        begins_on=period.begins_on,
        ends_on=period.ends_on,
        first_month=monthly,
        ongoing=monthly,
        units=units,
        units_per=units_per,
        rate=period.rate,
        rate_per=rate_per,
        tier=period.tier,
        authorization_number=period.authorization_number,
    )


def service_plan_context(authorization: AuthorizationRound) -> dict[str, Any]:
    """Everything the service plan shows; four queries whatever its size."""
    authorization = (
        AuthorizationRound.objects.select_related(
            "member__managing_organization",
            "payer",
            "episode__provider__organization",
            "authorized_by",
            "voided_by",
        )
        .prefetch_related("lines")
        .get(pk=authorization.pk)
    )
    periods = coaching_periods_for_plan(authorization)
    rows = _milestone_rows(authorization) + [_coaching_row(p) for p in periods]
    return {
        "authorization": authorization,
        "member": authorization.member,
        "provider": authorization.episode.provider,
        "rows": rows,
        "has_coaching": bool(periods),
        "plan_total": plan_total(rows),
    }


def service_plan_pdf(authorization: AuthorizationRound, user: Any) -> bytes:
    """Render the service plan authorization of one round to PDF.

    The member, payer, managing organization, provider, the plan and who
    authorized it; then every milestone line and the coaching periods of
    the plan (``coaching_periods_for_plan``) in the layout of the Iowa
    fee-for-service example, and the plan's total (``plan_total``). A voided
    round says so at the top.
    """
    return render_pdf(
        "documents/service_plan.html",
        service_plan_context(authorization),
        title=SERVICE_PLAN_TITLE,
        produced_by=user,
    )


def documentation_packet_context(achievement: MilestoneAchievement) -> dict[str, Any]:
    """Everything the documentation packet shows; two queries."""
    achievement = (
        MilestoneAchievement.objects.select_related(
            "line__round__member__managing_organization",
            "line__round__payer",
            "line__round__episode__provider__organization",
            "line__round__authorized_by",
            "line__round__voided_by",
            "job",
            "recorded_by",
            "voided_by",
        )
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=EvidenceDocument.objects.select_related("uploaded_by"),
            )
        )
        .get(pk=achievement.pk)
    )
    line = achievement.line
    documents: list[EvidenceDocument] = list(achievement.documents.all())
    return {
        "achievement": achievement,
        "line": line,
        "authorization": line.round,
        "member": line.round.member,
        "provider": line.round.episode.provider,
        "code": service_code(Service(line.service)),
        "description": service_description(Service(line.service)),
        "job": achievement.job,
        "documents": documents,
    }


def documentation_packet_pdf(achievement: MilestoneAchievement, user: Any) -> bytes:
    """Render the documentation packet of one achieved milestone to PDF.

    The member, the authorization that pays the milestone, the achievement
    and whether it is billable, the job when there is one, who recorded it,
    and the list of documents on file. The documents are listed with their
    SHA-256, not included: the packet says what to ask the portal for.
    """
    return render_pdf(
        "documents/milestone_packet.html",
        documentation_packet_context(achievement),
        title=PACKET_TITLE,
        produced_by=user,
    )
