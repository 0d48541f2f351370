"""Writes for claim batches (rule — billed) and over-cap holds."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from access.policy import Action, require
from accounts.models import User
from billing.models import ClaimBatch, ClaimLine
from billing.rules import is_over_cap
from billing.selectors import cap_totals_for_members
from coaching.models import CoachingPeriod
from coaching.rules import TIER_SERVICES
from coaching.selectors import coaching_month_for_members
from core.dates import add_months, iowa_today, month_end, month_start
from core.history import attribute_to
from milestones.models import MilestoneAchievement
from providers.models import ProviderSite


def _own_provider(actor: User, provider: ProviderSite) -> None:
    require(actor, Action.BILL_CLAIMS)
    if getattr(actor.organization, "provider_site", None) != provider:
        raise PermissionDenied


def claim_lines_collect(
    provider: ProviderSite, month: datetime.date
) -> list[ClaimLine]:
    """The provider's services for a month not yet claimed, as unsaved lines.

    Billable milestone achievements of the provider's episodes achieved in
    the month, and each member's coaching month with an amount. Services
    already on a claim line that is not voided are left out. A fixed number
    of queries whatever the number of members.
    """
    first, last = month_start(month), month_end(month)
    lines = []
    achievements = (
        MilestoneAchievement.objects.filter(
            voided_at__isnull=True,
            achieved_on__range=(first, last),
            line__round__episode__provider=provider,
            line__round__voided_at__isnull=True,
        )
        .exclude(
            Exists(
                ClaimLine.objects.filter(
                    achievement=OuterRef("pk"), voided_at__isnull=True
                )
            )
        )
        .select_related("line__round__payer", "line__round__member")
    )
    for achievement in achievements:
        if not achievement.is_billable:
            continue
        line = achievement.line
        lines.append(
            ClaimLine(
                provider=provider,
                member=line.round.member,
                kind=ClaimLine.Kind.MILESTONE,
                achievement=achievement,
                month=first,
                service_on=achievement.achieved_on,
                service=line.service,
                units=Decimal(line.units),
                rate=line.rate,
                amount=line.amount,
                authorization_number=line.authorization_number,
                payer=line.round.payer,
            )
        )

    claimed = set(
        ClaimLine.objects.filter(
            kind=ClaimLine.Kind.COACHING, month=first, voided_at__isnull=True
        ).values_list("member_id", flat=True)
    )
    coached_here = set(
        CoachingPeriod.objects.filter(
            episode__provider=provider, begins_on__lte=last, ends_on__gte=first
        ).values_list("member_id", flat=True)
    )
    coaching = coaching_month_for_members(sorted(coached_here - claimed), first)
    for summary, period in coaching.values():
        if summary.billable_tier is None or summary.amount <= 0:
            continue
        units = Decimal(1)
        rate = summary.amount
        if summary.billable_tier == 5:
            units = Decimal(summary.billable_quarter_hours) / 4
            rate = period.rate if period.tier == 5 else summary.amount / units
        lines.append(
            ClaimLine(
                provider=provider,
                member=period.member,
                kind=ClaimLine.Kind.COACHING,
                month=first,
                service_on=first,
                service=TIER_SERVICES[summary.billable_tier],
                units=units,
                rate=rate,
                amount=summary.amount,
                authorization_number=summary.authorization_number,
                payer=period.payer,
            )
        )
    return lines


@transaction.atomic
def month_has_ended(month: datetime.date, today: datetime.date) -> bool:
    """Whether a month (its first day) is over on ``today``, Iowa's calendar."""
    return add_months(month_start(month), 1) <= today


def claim_batch_create(
    *, actor: User, provider: ProviderSite, month: datetime.date
) -> ClaimBatch | None:
    """Bill a provider's month: a new batch of every unclaimed, unheld line.

    Lines of a member-month over the monthly cap are held for review and
    kept out; released holds join the next batch. Returns None, with any
    new holds saved, when nothing is left to bill.

    Only a month that has ended is billed (month_has_ended): coaching is
    paid on the month's whole total, and the cap counts the whole month.
    """
    _own_provider(actor, provider)
    first = month_start(month)
    if not month_has_ended(first, iowa_today()):
        raise ValidationError(
            f"{first:%B %Y} has not ended: it can be billed from "
            f"{add_months(first, 1):%m/%d/%Y}. Its coaching is paid on the "
            "month's whole total, and the monthly cap counts the whole month."
        )
    ProviderSite.objects.select_for_update().get(pk=provider.pk)

    fresh = claim_lines_collect(provider, first)
    totals = cap_totals_for_members(sorted({line.member_id for line in fresh}), first)
    over_cap = {member_id for member_id, total in totals.items() if is_over_cap(total)}
    to_bill = []
    for line in fresh:
        if line.member_id in over_cap and line.payer.is_medicaid:
            line.is_held = True
            attribute_to(line, actor).save()
        else:
            to_bill.append(line)
    released = list(
        ClaimLine.objects.select_for_update().filter(
            provider=provider,
            month=first,
            batch__isnull=True,
            is_held=False,
            voided_at__isnull=True,
        )
    )
    if not to_bill and not released:
        return None

    last_number = ClaimBatch.objects.filter(provider=provider, month=first).aggregate(
        Max("number")
    )["number__max"]
    batch = ClaimBatch(
        provider=provider, month=first, number=(last_number or 0) + 1, created_by=actor
    )
    attribute_to(batch, actor).save()
    for line in to_bill + released:
        line.batch = batch
        attribute_to(line, actor).save()
    return batch


@transaction.atomic
def claim_line_release(*, actor: User, line: ClaimLine) -> ClaimLine:
    """Release a held over-cap line into the next batch, after review."""
    _own_provider(actor, line.provider)
    line = ClaimLine.objects.select_for_update().get(pk=line.pk)
    if not line.is_held:
        raise ValidationError("This line is not held.")
    line.is_held = False
    line.released_by = actor
    attribute_to(line, actor, reason="Released after cap review").save()
    return line


@transaction.atomic
def claim_line_void(*, actor: User, line: ClaimLine, reason: str) -> ClaimLine:
    """Void a claim line with a reason; it stays in its batch's history."""
    _own_provider(actor, line.provider)
    line = ClaimLine.objects.select_for_update().get(pk=line.pk)
    if line.voided_at is not None:
        raise ValidationError("This line is already voided.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why this line is wrong."})
    line.voided_at = timezone.now()
    line.void_reason = reason.strip()
    attribute_to(line, actor, reason=reason.strip()).save()
    return line
