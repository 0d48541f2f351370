"""Reads of referrals and episodes, always through the access policy."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from access.policy import scope_referrals
from referrals.models import Episode, Referral


def referral_list(user: Any, status: str | None = None) -> QuerySet[Referral]:
    """Return the referrals the user may see, newest first, with their joins."""
    referrals = scope_referrals(user, Referral.objects.all()).select_related(
        "member", "member__county", "provider__organization"
    )
    if status:
        referrals = referrals.filter(status=status)
    return referrals


def referral_get(user: Any, public_id: Any) -> Referral:
    """Return one referral in the user's scope, or raise Http404."""
    referral = (
        referral_list(user)
        .select_related(
            "member__payer",
            "referred_by",
            "responded_by",
            "redirected_to__provider__organization",
            "episode__specialist",
        )
        .filter(public_id=public_id)
        .first()
    )
    if referral is None:
        raise Http404("No such referral.")
    return referral


def open_episodes_for_provider(provider_id: int) -> QuerySet[Episode]:
    return (
        Episode.objects.filter(provider_id=provider_id, closed_on__isnull=True)
        .select_related("member", "specialist")
        .order_by("specialist__last_name", "member__last_name", "member__first_name")
    )
