"""Writes for coaching authorizations and the coaching log."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from access.policy import Action, require_action_on_member
from accounts.models import User
from coaching.models import CoachingEntry, CoachingPeriod
from coaching.rules import MOST_MINUTES_IN_A_DAY, TIER_SERVICES, period_ends_on
from core.dates import iowa_today
from core.history import attribute_to
from flags.queue import member_flags_refresh
from members.models import Member
from payers.models import Payer
from payers.selectors import FeeScheduleNotInForce, fee_quote_get


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
) -> CoachingPeriod:
    """Authorize a coaching tier for 90 days (rule — periods and months).

    The next period normally begins the day after the current one ends. It
    may begin earlier only to change the tier: the current period then ends
    the day before, with history. Periods never overlap otherwise. The rate
    is the one in force for the payer and tier on the authorization date.
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
    try:
        rate = fee_quote_get(payer, TIER_SERVICES[tier], authorized_on).rate
    except FeeScheduleNotInForce as error:
        raise ValidationError({"authorized_on": str(error)}) from error

    ends_on = period_ends_on(begins_on)
    _make_room(actor, member, tier, begins_on, ends_on)
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
            attribute_to(period, actor).save()
    except IntegrityError as error:
        raise ValidationError({"begins_on": OVERLAP}) from error
    member_flags_refresh(period.member_id)
    return period


OVERLAP = "This period would overlap another coaching period of the member."


def _make_room(
    actor: User,
    member: Member,
    tier: int,
    begins_on: datetime.date,
    ends_on: datetime.date,
) -> None:
    """End the current period early for a tier change, or refuse an overlap."""
    overlapping = list(
        CoachingPeriod.objects.select_for_update().filter(
            member=member, begins_on__lte=ends_on, ends_on__gte=begins_on
        )
    )
    for current in overlapping:
        starts_inside = current.begins_on < begins_on <= current.ends_on
        if not starts_inside or current.tier == tier:
            raise ValidationError({"begins_on": OVERLAP})
        current.ends_on = begins_on - datetime.timedelta(days=1)
        attribute_to(
            current,
            actor,
            reason=f"Ended early for tier {tier} from {begins_on:%m/%d/%Y}",
        ).save()


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
    date in the future (Iowa calendar) is refused. Coaching on a day with no
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
