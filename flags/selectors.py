"""Reads of flags: whom a flag is for, each user's inbox, and where to fix it."""

import datetime
from collections import Counter
from dataclasses import dataclass
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
    supervisors of the provider; an overdue fidelity review is also for the
    program reviewers. Flags about a member are further kept to
    the members the user may see at all. An organization's API client (see
    api.tokens) stands for all of its case managers at once.
    """
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.role == User.Role.CASE_MANAGER and role_may(user, Action.VIEW_MEMBER):
        if user.is_api_client:
            organization = Q(member__managing_organization_id=user.organization_id)
            return organization & Q(kind__in=CASE_MANAGER_KINDS)
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
    if user.role == User.Role.PROGRAM_REVIEWER and role_may(
        user, Action.RECORD_FIDELITY_REVIEW
    ):
        # Reviewers record fidelity reviews, so the overdue ones are theirs.
        return Q(kind=Kind.FIDELITY_REVIEW_OVERDUE)
    return Q(pk__in=[])


def flags_meant_for(user: Any) -> QuerySet[Flag]:
    """The user's flags, open or closed, within their scope."""
    visible = Member.objects.filter(member_scope(user)).values("pk")
    return Flag.objects.filter(
        recipients_condition(user), Q(member__isnull=True) | Q(member_id__in=visible)
    )


def flags_for(user: Any) -> QuerySet[Flag]:
    """The user's open flags, within their scope."""
    return flags_meant_for(user).filter(status=Flag.Status.OPEN)


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


@dataclass(frozen=True)
class Place:
    """Where a flag is fixed, and the words of the link that goes there."""

    url: str
    label: str


def flag_action(flag: Flag, user: Any) -> Place:
    """The page where this user fixes what the flag is about.

    Authorizing and changing windows are the case manager's; provider
    staff are taken to the part of the member's page the flag concerns.
    """
    authorizes = role_may(user, Action.AUTHORIZE_SERVICES)
    if flag.kind == Kind.CASELOAD_OVER_LIMIT:
        if role_may(user, Action.REASSIGN_CASELOAD):
            return Place(reverse("referrals:caseload"), "Rebalance caseloads")
        return Place(reverse("accounts:home"), "See your caseload")
    if flag.kind == Kind.FIDELITY_REVIEW_OVERDUE and flag.provider is not None:
        return Place(
            reverse("fidelity:provider", args=[flag.provider.slug]),
            f"See {flag.provider}'s fidelity reviews",
        )
    if flag.member is None:
        return Place(reverse("flags:inbox"), "Open the flags")
    member = flag.member.public_id
    first_name = flag.member.first_name
    member_page = reverse("members:detail", args=[member])
    line = flag.line

    if flag.kind in (Kind.COACHING_REAUTHORIZATION_DUE, Kind.COACHING_LAPSED):
        if authorizes:
            return Place(
                reverse("coaching:authorize", args=[member]),
                f"Authorize {first_name}'s next coaching period",
            )
        return Place(member_page + "#coaching-heading", f"See {first_name}'s coaching")
    if flag.kind == Kind.AUTHORIZATION_DELAY and authorizes:
        return Place(
            reverse("milestones:authorize", args=[member]),
            f"Authorize {first_name}'s milestones",
        )
    if (
        line is not None
        and flag.kind == Kind.MILESTONE_WINDOW_CLOSING
        and role_may(user, Action.LOG_SERVICES)
    ):
        return Place(
            reverse("milestones:achieve", args=[line.round.public_id, line.milestone]),
            f"Log {first_name}'s milestone {line.milestone}",
        )
    if (
        line is not None
        and authorizes
        and flag.kind in (Kind.PREDICTED_MILESTONE_GAP, Kind.ACHIEVEMENT_OUTSIDE_WINDOW)
    ):
        return Place(
            reverse(
                "milestones:change-window", args=[line.round.public_id, line.milestone]
            ),
            f"Change {first_name}'s milestone {line.milestone} window",
        )
    if flag.kind == Kind.PREDICTED_MILESTONE_GAP and flag.job is not None:
        return Place(
            member_page + f"#job-{flag.job.public_id}", f"See {first_name}'s job"
        )
    if flag.kind == Kind.JOB_END_FORM_MISSING and flag.job is not None:
        # The form's own URL takes posts only; it is filled in on the job
        # end's page.
        job_end_page = reverse("jobends:detail", args=[flag.job.job_end.public_id])
        return Place(
            job_end_page + "#form-heading", f"Complete {first_name}'s job-end form"
        )
    if flag.kind == Kind.JOB_END_NEXT_STEP_MISSING and flag.job is not None:
        job_end = flag.job.job_end.public_id
        if role_may(user, Action.WRITE_TEAM_LOG):
            meeting = reverse("jobends:meeting", args=[member])
            return Place(
                f"{meeting}?job_end={job_end}",
                f"Record {first_name}'s team meeting",
            )
        return Place(member_page + f"#next-{job_end}", f"See {first_name}'s next step")
    if flag.kind == Kind.MONTH_OVER_CAP:
        return Place(member_page + "#cap-heading", f"See {first_name}'s cap ledger")
    return Place(member_page, f"Open {first_name}'s record")


def flag_place(flag: Flag, user: Any) -> str:
    """The address of ``flag_action``'s page."""
    return flag_action(flag, user).url


def member_flags(member: Member, user: Any) -> list[tuple[Flag, Place]]:
    """The member's open flags, each with where this user would fix it.

    For the member's page: the caller has already checked the member is in
    the user's scope. One query.
    """
    flags = (
        Flag.objects.filter(member=member, status=Flag.Status.OPEN)
        .select_related(
            "member", "line__round", "job__job_end", "coaching_period", "specialist"
        )
        .order_by("due_on", "pk")
    )
    return [(flag, flag_action(flag, user)) for flag in flags]


def is_overdue(flag: Flag, today: datetime.date) -> bool:
    return flag.due_on < today
