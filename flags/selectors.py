"""Reads of flags: whom a flag is for, each user's inbox, and where to fix it."""

import datetime
from collections import Counter
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from access.policy import Action, member_scope, role_may
from accounts.models import User
from flags.models import Flag
from members.models import Member

Kind = Flag.Kind

# Kinds a member's case manager acts on; the provider's staff get them all.
CASE_MANAGER_KINDS = frozenset(
    {
        Kind.COACHING_REAUTHORIZATION_DUE,
        Kind.COACHING_LAPSED,
        Kind.MILESTONE_WINDOW_CLOSING,
        Kind.PREDICTED_MILESTONE_GAP,
        Kind.ACHIEVEMENT_OUTSIDE_WINDOW,
        Kind.AUTHORIZATION_DELAY,
        Kind.JOB_END_NEXT_STEP_MISSING,
        Kind.MONTH_OVER_CAP,
    }
)


def recipients_condition(user: Any) -> Q:
    """The flags meant for this user, as a condition on ``Flag`` rows.

    A flag is for the member's case manager (or, while a member has none,
    the case managers of the managing organization), for the specialist
    assigned to the member or whose caseload it is about, and for the
    supervisors of the provider. Flags about a member are further kept to
    the members the user may see at all.
    """
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.role == User.Role.CASE_MANAGER and role_may(user, Action.VIEW_MEMBER):
        mine = Q(member__case_manager=user) | Q(
            member__case_manager__isnull=True,
            member__managing_organization_id=user.organization_id,
        )
        return mine & Q(kind__in=CASE_MANAGER_KINDS)
    if user.role == User.Role.IPS_SPECIALIST and role_may(user, Action.VIEW_MEMBER):
        return Q(specialist=user)
    if user.role == User.Role.IPS_SUPERVISOR and role_may(user, Action.VIEW_MEMBER):
        site = getattr(user.organization, "provider_site", None)
        return Q(provider=site) if site is not None else Q(pk__in=[])
    return Q(pk__in=[])


def flags_for(user: Any) -> QuerySet[Flag]:
    """The user's open flags, within their scope."""
    visible = Member.objects.filter(member_scope(user)).values("pk")
    return Flag.objects.filter(
        recipients_condition(user),
        Q(member__isnull=True) | Q(member_id__in=visible),
        status=Flag.Status.OPEN,
    )


def flag_inbox(user: Any, kind: str | None = None) -> QuerySet[Flag]:
    """The user's open flags by due date, with what their rows show.

    One query whatever the number of flags.
    """
    flags = flags_for(user)
    if kind:
        flags = flags.filter(kind=kind)
    return flags.select_related(
        "member",
        "specialist",
        "line__round",
        "job__job_end",
        "coaching_period",
        "provider__organization",
    ).order_by("due_on", "severity", "pk")


def flag_counts_by_kind(user: Any) -> dict[str, int]:
    """How many open flags of each kind the user has, for the inbox filter."""
    rows = flags_for(user).values_list("kind", flat=True)
    return dict(Counter(rows))


def flag_count(user: Any) -> int:
    return flags_for(user).count()


def flag_get(user: Any, public_id: Any) -> Flag | None:
    """One of the user's open flags, or None outside their inbox."""
    return flags_for(user).filter(public_id=public_id).first()


def flag_place(flag: Flag, user: Any) -> str:
    """The page where this user fixes what the flag is about.

    Authorizing and changing windows are the case manager's; provider
    staff are taken to the part of the member's page the flag concerns.
    """
    member = flag.member.public_id if flag.member is not None else None
    authorizes = role_may(user, Action.AUTHORIZE_SERVICES)
    line = flag.line
    if flag.kind == Kind.CASELOAD_OVER_LIMIT:
        if role_may(user, Action.REASSIGN_CASELOAD):
            return reverse("referrals:caseload")
        return reverse("accounts:home")
    if member is None:
        return reverse("flags:inbox")
    on_member_page = reverse("members:detail", args=[member])

    if flag.kind in (Kind.COACHING_REAUTHORIZATION_DUE, Kind.COACHING_LAPSED):
        if authorizes:
            return reverse("coaching:authorize", args=[member])
        return on_member_page + "#coaching-heading"
    if flag.kind == Kind.AUTHORIZATION_DELAY and authorizes:
        return reverse("milestones:authorize", args=[member])
    if (
        line is not None
        and flag.kind == Kind.MILESTONE_WINDOW_CLOSING
        and role_may(user, Action.LOG_SERVICES)
    ):
        return reverse(
            "milestones:achieve", args=[line.round.public_id, line.milestone]
        )
    if (
        line is not None
        and authorizes
        and flag.kind
        in (
            Kind.PREDICTED_MILESTONE_GAP,
            Kind.ACHIEVEMENT_OUTSIDE_WINDOW,
        )
    ):
        return reverse(
            "milestones:change-window", args=[line.round.public_id, line.milestone]
        )
    if flag.kind == Kind.PREDICTED_MILESTONE_GAP and flag.job is not None:
        return on_member_page + f"#job-{flag.job.public_id}"
    if flag.kind == Kind.JOB_END_FORM_MISSING and flag.job is not None:
        return reverse("jobends:form", args=[flag.job.job_end.public_id])
    if flag.kind == Kind.JOB_END_NEXT_STEP_MISSING and flag.job is not None:
        job_end = flag.job.job_end.public_id
        if role_may(user, Action.WRITE_TEAM_LOG):
            meeting = reverse("jobends:meeting", args=[member])
            return f"{meeting}?job_end={job_end}"
        return on_member_page + f"#next-{job_end}"
    if flag.kind == Kind.MONTH_OVER_CAP:
        return on_member_page + "#cap-heading"
    return on_member_page


def is_overdue(flag: Flag, today: datetime.date) -> bool:
    return flag.due_on < today
