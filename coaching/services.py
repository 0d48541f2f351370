"""Writes for coaching authorizations and the coaching log."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from access.policy import Action, require_action_on_member
from accounts.models import User
from coaching.models import CoachingEntry, CoachingPeriod
from coaching.rules import MOST_MINUTES_IN_A_DAY, TIER_SERVICES, period_ends_on
from core.dates import iowa_today
from core.history import attribute_to
from flags.queue import member_flags_refresh
from members.models import Member
from payers.models import Payer
from payers.rules import authorization_payer_check
from payers.selectors import FeeScheduleNotInForce, fee_quote_get
from payers.services_catalog import Service
from referrals.models import Episode


@transaction.atomic
def coaching_period_authorize(
    *,
    actor: User,
    member: Member,
    payer: Payer,
    tier: int,
    begins_on: datetime.date,
    authorization_number: str,
    authorized_on: datetime.date,
    tier_5_hours: Decimal | None = None,
    after_billing_reason: str = "",
) -> CoachingPeriod:
    """Authorize a coaching tier for 90 days (rule — periods and months).

    The next period normally begins the day after the current one ends. It
    may begin earlier only to change the tier: the current period then ends
    the day before, with history. Periods never overlap otherwise. The rate
    is the one in force for the payer and tier on the authorization date.

    The period begins within the member's current time in IPS, on a day a
    fee schedule is in force, and at most a year from today. When a month
    it touches already has a claim line for the member's coaching, the
    authorization needs ``after_billing_reason``, kept in the history of
    the new period and of any period it ends early (rule — billed).
    """
    require_action_on_member(actor, Action.AUTHORIZE_SERVICES, member)
    Member.objects.select_for_update().get(pk=member.pk)
    episode = member.episodes.filter(closed_on__isnull=True).first()
    if episode is None:
        raise ValidationError("Coaching is authorized while the member is in IPS.")
    if tier not in TIER_SERVICES:
        raise ValidationError({"tier": "Choose a tier from 1 to 5."})
    if tier == 5 and not (tier_5_hours and tier_5_hours > 0):
        raise ValidationError(
            {"tier_5_hours": "A tier-5 authorization states the hours per month."}
        )
    if tier != 5:
        tier_5_hours = None
    if authorized_on > iowa_today():
        raise ValidationError(
            {"authorized_on": "The authorization date cannot be in the future."}
        )
    if not authorization_number.strip():
        raise ValidationError(
            {"authorization_number": "Enter the authorization number the payer issued."}
        )
    authorization_payer_check(member.payer, payer)
    _check_begins_on(episode, payer, tier, begins_on)
    try:
        rate = fee_quote_get(payer, TIER_SERVICES[tier], authorized_on).rate
    except FeeScheduleNotInForce as error:
        raise ValidationError({"authorized_on": str(error)}) from error

    ends_on = period_ends_on(begins_on)
    ending_early = _periods_to_end_early(member, tier, begins_on, ends_on)
    change_reason = _billed_months_reason(
        member, begins_on, ends_on, after_billing_reason
    )
    _end_early(actor, ending_early, tier, begins_on, change_reason)
    period = CoachingPeriod(
        member=member,
        episode=episode,
        payer=payer,
        tier=tier,
        tier_5_hours=tier_5_hours,
        begins_on=begins_on,
        ends_on=ends_on,
        authorization_number=authorization_number.strip(),
        rate=rate,
        authorized_on=authorized_on,
        authorized_by=actor,
    )
    try:
        with transaction.atomic():
            attribute_to(period, actor, reason=change_reason).save()
    except IntegrityError as error:
        raise ValidationError({"begins_on": OVERLAP}) from error
    member_flags_refresh(period.member_id)
    return period


OVERLAP = "This period would overlap another coaching period of the member."


# A begin date further ahead than this is a typing slip, not a plan: coaching
# is reauthorized every 90 days.
FURTHEST_BEGIN = datetime.timedelta(days=365)


def _check_begins_on(
    episode: Episode, payer: Payer, tier: int, begins_on: datetime.date
) -> None:
    """Refuse a begin date outside the member's time in IPS or the fee schedules.

    Coaching is an IPS service: a period cannot begin before the provider
    accepted the member into this time in IPS. Nor before a fee schedule is
    in force, since its months would have no rate to bill at.
    """
    if begins_on < episode.opened_on:
        raise ValidationError(
            {
                "begins_on": "A coaching period cannot begin before the member "
                f"joined IPS ({episode.opened_on:%m/%d/%Y})."
            }
        )
    if begins_on > iowa_today() + FURTHEST_BEGIN:
        raise ValidationError(
            {
                "begins_on": "A period beginning more than a year from today is "
                "likely a typing mistake."
            }
        )
    try:
        fee_quote_get(payer, TIER_SERVICES[tier], begins_on)
    except FeeScheduleNotInForce as error:
        raise ValidationError({"begins_on": str(error)}) from error


def _billed_months_reason(
    member: Member, begins_on: datetime.date, ends_on: datetime.date, reason: str
) -> str:
    """The history's reason for a period that changes billed months, or "".

    A new period touches the months from its first to its last day, and a
    period it ends early gives up days inside that range only. A month of
    those that already has a claim line for the member's coaching (billed,
    or held for cap review) was billed at the tier and under the number
    the periods gave then; changing them needs a reason (rule — billed).
    Refuses the authorization when there is such a month and no reason.
    """
    from billing.selectors import billed_in_words, coaching_claims_between

    claims = coaching_claims_between(member.pk, begins_on, ends_on)
    if not claims:
        return ""
    months = ", ".join(f"{claim.month:%m/%Y}" for claim in claims)
    if not reason.strip():
        billed = " ".join(
            f"Coaching of {claim.month:%m/%Y} is already billed on "
            f"{billed_in_words(claim.batch)}."
            if claim.batch is not None
            else f"Coaching of {claim.month:%m/%Y} already has a claim line, "
            "held for cap review."
            for claim in claims
        )
        bill = "that bill was" if len(claims) == 1 else "those bills were"
        raise ValidationError(
            {
                "after_billing_reason": (
                    f"{billed} This period changes the tier or authorization "
                    f"number {bill} made from. Say why: a bill stays as it was "
                    "until the provider's billing voids its line and bills the "
                    "month again."
                )
            }
        )
    return f"Authorized after coaching of {months} was billed: {reason.strip()}"


def _periods_to_end_early(
    member: Member, tier: int, begins_on: datetime.date, ends_on: datetime.date
) -> list[CoachingPeriod]:
    """The current period to end early for a tier change; refuse an overlap."""
    overlapping = list(
        CoachingPeriod.objects.select_for_update().filter(
            member=member, begins_on__lte=ends_on, ends_on__gte=begins_on
        )
    )
    for current in overlapping:
        starts_inside = current.begins_on < begins_on <= current.ends_on
        if not starts_inside or current.tier == tier:
            raise ValidationError({"begins_on": OVERLAP})
    return overlapping


def _end_early(
    actor: User,
    periods: list[CoachingPeriod],
    tier: int,
    begins_on: datetime.date,
    change_reason: str,
) -> None:
    """End periods the day before a new tier begins, saying why in history.

    ``change_reason``, given when billed months change, follows the
    automatic reason.
    """
    for current in periods:
        current.ends_on = begins_on - datetime.timedelta(days=1)
        reason = f"Ended early for tier {tier} from {begins_on:%m/%d/%Y}"
        if change_reason:
            reason = f"{reason}. {change_reason}"
        attribute_to(current, actor, reason=reason).save()


def _coaching_cap_check(
    member: Member, coached_on: datetime.date, minutes: int
) -> None:
    """Warn before coaching pushes a Medicaid month over the monthly cap."""
    from billing.selectors import member_cap_ledger
    from coaching.selectors import coaching_months_for_member
    from milestones.rules import MONTHLY_CAP, CapRisk
    from milestones.services import CapWarning

    medicaid = CoachingPeriod.objects.filter(
        member=member,
        begins_on__lte=coached_on,
        ends_on__gte=coached_on,
        payer__kind__in=("medicaid_ffs", "medicaid_mco"),
    ).exists()
    if not medicaid:
        return
    month = member_cap_ledger(member, coached_on, 1)[0]
    after, _ = coaching_months_for_member(
        member, 1, coached_on, extra=((coached_on, minutes),)
    )[0]
    total = month.total - month.coaching + after.amount
    if total > MONTHLY_CAP:
        labels = (*(m.label for m in month.milestones), "coaching with this entry")
        raise CapWarning([CapRisk(month.month, total, labels)])


@transaction.atomic
def coaching_entry_log(
    *,
    actor: User,
    member: Member,
    coached_on: datetime.date,
    minutes: int,
    kind: str,
    note: str = "",
    cap_warning_seen: bool = False,
    after_billing_reason: str = "",
) -> CoachingEntry:
    """Log coaching given on a day.

    Minutes must be more than zero and a day's total at most 24 hours. A
    date in the future (Iowa calendar), before the member joined IPS, or
    before a fee schedule is in force is refused. Coaching on a day with no
    authorization in force is accepted and shown as not billable.

    A month whose coaching is already billed changes only with a reason,
    kept in the entry's history (rule — billed): the bill stands as it was
    made until its line is voided and the month billed again.
    """
    require_action_on_member(actor, Action.LOG_SERVICES, member)
    Member.objects.select_for_update().get(pk=member.pk)
    if minutes <= 0:
        raise ValidationError({"minutes": "Minutes must be more than zero."})
    if coached_on > iowa_today():
        raise ValidationError({"coached_on": "The date cannot be in the future."})
    _check_coached_on(member, coached_on)
    if kind not in CoachingEntry.Kind.values:
        raise ValidationError({"kind": "Choose how the coaching took place."})
    already = sum(
        CoachingEntry.objects.filter(
            member=member, coached_on=coached_on, voided_at__isnull=True
        ).values_list("minutes", flat=True)
    )
    if already + minutes > MOST_MINUTES_IN_A_DAY:
        raise ValidationError(
            {
                "minutes": f"That would make {already + minutes} minutes on "
                f"{coached_on:%m/%d/%Y}; a day has 1,440."
            }
        )

    change_reason = _after_billing_reason(member, coached_on, after_billing_reason)
    if not cap_warning_seen:
        _coaching_cap_check(member, coached_on, minutes)

    entry = CoachingEntry(
        member=member,
        coached_on=coached_on,
        minutes=minutes,
        kind=kind,
        note=note.strip(),
        logged_by=actor,
    )
    attribute_to(entry, actor, reason=change_reason).save()
    member_flags_refresh(entry.member_id)
    return entry


def _check_coached_on(member: Member, coached_on: datetime.date) -> None:
    """Refuse a day before the member's time in IPS or any fee schedule.

    The time in IPS a day belongs to is the member's first not ended by
    then; a day before it began is refused. Coaching after the member's
    last exit is left to the log as it was: late notes of a closed time in
    IPS are still logged. Two queries.
    """
    episode = (
        member.episodes.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=coached_on))
        .order_by("opened_on")
        .first()
    )
    if episode is not None and coached_on < episode.opened_on:
        raise ValidationError(
            {
                "coached_on": "The date cannot be before the member joined IPS "
                f"({episode.opened_on:%m/%d/%Y})."
            }
        )
    try:
        fee_quote_get(member.payer, Service.COACHING_TIER_1, coached_on)
    except FeeScheduleNotInForce as error:
        raise ValidationError({"coached_on": str(error)}) from error


def _after_billing_reason(
    member: Member, coached_on: datetime.date, reason: str
) -> str:
    """The history's reason for coaching logged in a billed month, or "".

    Refuses the entry when its month is billed and no reason is given.
    """
    from billing.selectors import billed_coaching_claim, billed_in_words

    billed = billed_coaching_claim(member.pk, coached_on)
    if billed is None or billed.batch is None:
        return ""
    if not reason.strip():
        raise ValidationError(
            {
                "after_billing_reason": (
                    f"Coaching of {coached_on:%m/%Y} is already billed on "
                    f"{billed_in_words(billed.batch)}. Say why this is logged "
                    "now: the bill stays as it was until the provider's billing "
                    "voids that line and bills the month again."
                )
            }
        )
    return f"Logged after the month was billed: {reason.strip()}"
