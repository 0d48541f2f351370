"""Reads of referrals, always through the access policy."""

from typing import Any

from django.db.models import QuerySet

from access.policy import scope_referrals
from referrals.models import Referral


def referral_list(user: Any, status: str | None = None) -> QuerySet[Referral]:
    """Return the referrals the user may see, newest first, with their joins."""
    referrals = scope_referrals(user, Referral.objects.all()).select_related(
        "member", "member__county", "provider__organization", "specialist"
    )
    if status:
        referrals = referrals.filter(status=status)
    return referrals


def referral_list_for_member(user: Any, member_id: int) -> QuerySet[Referral]:
    return referral_list(user).filter(member_id=member_id)
