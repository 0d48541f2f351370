"""Writes for referrals and episodes. Each runs in one transaction.

Failures a person can fix raise ValidationError keyed by form field, so a
form shows each message next to the field it is about.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from access.policy import Action, require
from accounts.models import User
from core.dates import iowa_today
from core.history import attribute_to
from flags.queue import member_flags_refresh
from members.models import Member
from providers.models import ProviderSite
from referrals.models import Episode, Referral

CONVERSATION_FIELDS = (
    "wants_to_work",
    "job_hopes",
    "concerns",
    "knows_benefit_changes",
    "importance",
    "confidence",
    "helpful_supports",
    "start_timing",
    "next_step",
)


def open_referral_problem(member: Member) -> str | None:
    """Say why the member cannot be referred now, or None when they can."""
    pending = member.referrals.filter(status=Referral.Status.PENDING).first()
    if pending is not None:
        return (
            f"This member already has a referral waiting for {pending.provider} "
            f"(referred {pending.referred_on:%m/%d/%Y}). Withdraw it first, or "
            "ask the provider to redirect it."
        )
    episode = member.episodes.filter(closed_on__isnull=True).first()
    if episode is not None:
        return (
            f"This member is already in IPS with {episode.provider} "
            f"(since {episode.opened_on:%m/%d/%Y}). A new referral can be made "
            "after they exit."
        )
    return None


@transaction.atomic
def referral_create(
    *,
    actor: User,
    member: Member,
    provider: ProviderSite,
    referred_on: datetime.date,
    conversation: dict[str, Any],
) -> Referral:
    """Refer a member to an IPS provider site.

    Zero exclusion: the member wanting to work is the only condition, and
    nothing about readiness is asked. Refused when the member already has a
    referral waiting or an open episode. The caller has checked that the
    member is in the actor's scope.
    """
    require(actor, Action.REFER_MEMBER)
    member = Member.objects.select_for_update().get(pk=member.pk)

    problem = open_referral_problem(member)
    if problem:
        raise ValidationError({"provider": problem})
    if referred_on > iowa_today():
        raise ValidationError(
            {"referred_on": "The referral date cannot be in the future."}
        )
    if referred_on < member.birth_date:
        raise ValidationError(
            {"referred_on": "The referral date cannot be before the member was born."}
        )
    if not provider.organization.is_active:
        raise ValidationError(
            {"provider": "This provider site is not taking referrals."}
        )
    if not conversation.get("wants_to_work"):
        raise ValidationError(
            {
                "wants_to_work": "IPS is for members who want to work. Ask again "
                "when the member is interested; nothing else is needed."
            }
        )

    referral = Referral(
        member=member,
        provider=provider,
        referred_by=actor,
        referred_on=referred_on,
        **{
            key: value
            for key, value in conversation.items()
            if key in CONVERSATION_FIELDS
        },
    )
    attribute_to(referral, actor)
    try:
        with transaction.atomic():
            referral.save()
            _record_benefits_planning(actor, member, conversation)
    except IntegrityError as error:
        # Two case managers referring the same member at the same moment.
        raise ValidationError(
            {"provider": "This member was just referred by someone else."}
        ) from error
    return referral


def _record_benefits_planning(
    actor: User, member: Member, conversation: dict[str, Any]
) -> None:
    """Keep the benefits-planning status the conversation brought up to date."""
    status = conversation.get("benefits_planning")
    if not status:
        return
    planned_on = conversation.get("benefits_planning_on")
    if (member.benefits_planning, member.benefits_planning_on) != (status, planned_on):
        member.benefits_planning = status
        member.benefits_planning_on = planned_on
        attribute_to(member, actor).save()


def _require_own_pending(actor: User, referral: Referral) -> Referral:
    """Lock the referral and check it waits for the actor's provider."""
    require(actor, Action.RESPOND_TO_REFERRAL)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    provider = getattr(actor.organization, "provider_site", None)
    if provider is None or locked.provider_id != provider.pk:
        raise ValidationError("Only the provider a referral was made to can answer it.")
    if locked.status != Referral.Status.PENDING:
        raise ValidationError(
            f"This referral has already been answered: {locked.get_status_display()}."
        )
    return locked


def assignable_specialists(provider: ProviderSite) -> Any:
    """Staff of a provider who can carry a caseload."""
    return User.objects.filter(
        organization_id=provider.organization_id,
        is_active=True,
        is_api_client=False,
        role__in=[User.Role.IPS_SPECIALIST, User.Role.IPS_SUPERVISOR],
    ).order_by("-role", "last_name", "first_name")


@transaction.atomic
def referral_accept(
    *,
    actor: User,
    referral: Referral,
    specialist: User,
    accepted_on: datetime.date,
) -> Episode:
    """Accept a referral, assign a specialist and open the member's episode."""
    referral = _require_own_pending(actor, referral)
    if not assignable_specialists(referral.provider).filter(pk=specialist.pk).exists():
        raise ValidationError(
            {"specialist": "Choose a specialist on your own provider's team."}
        )
    if accepted_on < referral.referred_on:
        raise ValidationError(
            {"accepted_on": "A referral cannot be accepted before it was made."}
        )
    if accepted_on > iowa_today():
        raise ValidationError(
            {"accepted_on": "The acceptance date cannot be in the future."}
        )
    last_exit = (
        referral.member.episodes.filter(closed_on__isnull=False)
        .order_by("-closed_on")
        .values_list("closed_on", flat=True)
        .first()
    )
    if last_exit is not None and accepted_on <= last_exit:
        raise ValidationError(
            {
                "accepted_on": "The member's last time in IPS ended on "
                f"{last_exit:%m/%d/%Y}; a new one begins after that."
            }
        )

    referral.status = Referral.Status.ACCEPTED
    referral.responded_by = actor
    referral.responded_at = timezone.now()
    attribute_to(referral, actor).save()

    episode = Episode(
        referral=referral,
        member=referral.member,
        provider=referral.provider,
        specialist=specialist,
        opened_on=accepted_on,
    )
    try:
        with transaction.atomic():
            attribute_to(episode, actor).save()
    except IntegrityError as error:
        raise ValidationError("This member is already in IPS elsewhere.") from error
    member_flags_refresh(episode.member_id)
    return episode


@transaction.atomic
def referral_redirect(
    *, actor: User, referral: Referral, provider: ProviderSite, reason: str
) -> Referral:
    """Pass a referral on to another provider site, with the reason.

    The first provider keeps the referral it answered but no longer sees
    the member; the new one receives a waiting referral carrying the same
    employment conversation.
    """
    referral = _require_own_pending(actor, referral)
    if provider.pk == referral.provider_id:
        raise ValidationError({"provider": "Choose a different provider site."})
    if not provider.organization.is_active:
        raise ValidationError(
            {"provider": "This provider site is not taking referrals."}
        )
    if not reason.strip():
        raise ValidationError(
            {"reason": "Say why, so the case manager and the new provider know."}
        )

    referral.status = Referral.Status.REDIRECTED
    referral.responded_by = actor
    referral.responded_at = timezone.now()
    referral.redirect_reason = reason.strip()
    attribute_to(referral, actor).save()

    onward = Referral(
        member=referral.member,
        provider=provider,
        referred_by=referral.referred_by,
        referred_on=iowa_today(),
        **{field: getattr(referral, field) for field in CONVERSATION_FIELDS},
    )
    attribute_to(onward, actor).save()
    referral.redirected_to = onward
    attribute_to(referral, actor).save(update_fields=["redirected_to", "updated_at"])
    return onward


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, reason: str) -> Referral:
    """Withdraw a waiting referral because the member no longer wants services.

    The member's case manager or the receiving provider's supervisor may
    withdraw it. Wanting to work is the only gate, so this is the only
    reason a referral closes without a provider.
    """
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    may_refer = actor.role == User.Role.CASE_MANAGER and (
        locked.member.managing_organization_id == actor.organization_id
    )
    provider = getattr(actor.organization, "provider_site", None)
    may_answer = (
        actor.role == User.Role.IPS_SUPERVISOR
        and provider is not None
        and locked.provider_id == provider.pk
    )
    if not (may_refer or may_answer):
        raise ValidationError("You cannot withdraw this referral.")
    if locked.status != Referral.Status.PENDING:
        raise ValidationError("Only a referral still waiting can be withdrawn.")
    if not reason.strip():
        raise ValidationError(
            {"reason": "Record why the member no longer wants services."}
        )

    locked.status = Referral.Status.WITHDRAWN
    locked.withdrawal_reason = reason.strip()
    locked.responded_by = actor
    locked.responded_at = timezone.now()
    attribute_to(locked, actor).save()
    return locked


@transaction.atomic
def caseload_reassign(
    *, actor: User, episodes: Iterable[Episode], specialist: User
) -> int:
    """Move open episodes of the actor's provider to another specialist.

    Returns how many moved. History rows name the supervisor who moved
    them, also for a whole caseload moved at once.
    """
    require(actor, Action.REASSIGN_CASELOAD)
    provider = getattr(actor.organization, "provider_site", None)
    if provider is None:
        raise ValidationError("Only a provider's supervisor can reassign caseloads.")
    if not assignable_specialists(provider).filter(pk=specialist.pk).exists():
        raise ValidationError(
            {"specialist": "Choose a specialist on your own provider's team."}
        )

    ids = [episode.pk for episode in episodes]
    moving = list(
        Episode.objects.select_for_update()
        .filter(pk__in=ids, provider=provider, closed_on__isnull=True)
        .exclude(specialist=specialist)
    )
    now = timezone.now()
    for episode in moving:
        episode.specialist = specialist
        episode.updated_at = now
    bulk_update_with_history(
        moving, Episode, ["specialist", "updated_at"], default_user=actor
    )
    for episode in moving:
        member_flags_refresh(episode.member_id)
    return len(moving)
