"""Reads behind each role's home page and the account page."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from access.policy import scope_members
from accounts.models import Organization, User
from core.dates import iowa_today
from fidelity.selectors import fidelity_status_attach
from members.models import Member
from providers.models import County, ProviderSite
from referrals.models import Episode, Referral
from referrals.selectors import referral_list


def caseload_for_specialist(user: User) -> QuerySet[Member]:
    """Members whose open episode names this specialist."""
    open_here = Episode.objects.filter(specialist=user, closed_on__isnull=True)
    return (
        scope_members(user, Member.objects.all())
        .filter(pk__in=open_here.values("member_id"))
        .select_related("county", "payer")
        .order_by("last_name", "first_name")
    )


def team_for_supervisor(user: User) -> QuerySet[User]:
    """The supervisor's provider staff, each with their active caseload count."""
    return (
        User.objects.filter(
            organization=user.organization,
            role__in=[User.Role.IPS_SPECIALIST, User.Role.IPS_SUPERVISOR],
            is_active=True,
            is_api_client=False,
        )
        .annotate(
            open_caseload=Count("caseload", filter=Q(caseload__closed_on__isnull=True))
        )
        .order_by("last_name", "first_name")
    )


def home_context(user: Any) -> dict[str, Any]:
    """Everything a user's home page shows, by role. A fixed few queries."""
    role = user.role
    if role == User.Role.CASE_MANAGER:
        return {
            "member_count": scope_members(user, Member.objects.all()).count(),
            "waiting_referrals": list(
                referral_list(user, Referral.Status.PENDING)[:20]
            ),
        }
    if role == User.Role.IPS_SPECIALIST:
        return {"caseload": list(caseload_for_specialist(user)[:50])}
    if role == User.Role.IPS_SUPERVISOR:
        return {
            "new_referrals": list(referral_list(user, Referral.Status.PENDING)[:20]),
            "team": list(team_for_supervisor(user)),
        }
    if role == User.Role.PROGRAM_REVIEWER:
        providers = list(provider_list_with_active_counts())
        fidelity_status_attach(providers, iowa_today())
        return {"providers": providers}
    return {
        "organization_count": Organization.objects.count(),
        "provider_count": ProviderSite.objects.count(),
        "county_count": County.objects.count(),
        "user_count": User.objects.count(),
    }


def home_member_ids(context: dict[str, Any]) -> list[int]:
    """The members a home page built from ``context`` names: its caseload
    and the referrals waiting on it, for the access log."""
    ids = [member.pk for member in context.get("caseload", [])]
    for key in ("waiting_referrals", "new_referrals"):
        ids.extend(referral.member_id for referral in context.get(key, []))
    return ids


def provider_list_with_active_counts() -> QuerySet[ProviderSite]:
    return (
        ProviderSite.objects.select_related("organization")
        .annotate(
            active_members=Count(
                "episodes",
                filter=Q(episodes__closed_on__isnull=True),
                distinct=True,
            ),
            waiting_referrals=Count(
                "referrals",
                filter=Q(referrals__status=Referral.Status.PENDING),
                distinct=True,
            ),
        )
        .order_by("organization__name")
    )


def totp_device_confirmed_get(user: User) -> TOTPDevice | None:
    """The authenticator app that signs this user in, if they set one up.

    Setting up a new one replaces the old (accounts.services), so there is
    at most one. One query.
    """
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True)
        .order_by("-created_at")
        .first()
    )
