"""Reads of milestone authorizations."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from access.policy import scope_members
from members.models import Member
from milestones.models import (
    AuthorizationRound,
    EvidenceDocument,
    MilestoneAchievement,
    MilestoneAuthorization,
)
from milestones.rules import (
    RETENTION_DAYS,
    Window,
    job_reaches,
    milestone_date_for_job,
)


def milestone_lines_counting_toward_cap(
    member: Member,
) -> QuerySet[MilestoneAuthorization]:
    """The member's Medicaid milestone lines in rounds that are not voided."""
    return (
        MilestoneAuthorization.objects.filter(
            round__member=member,
            round__voided_at__isnull=True,
            round__payer__kind__in=["medicaid_ffs", "medicaid_mco"],
        )
        .select_related("round")
        .order_by("round__authorized_on", "milestone")
    )


def cap_lines_for_member(
    member: Member,
    windows: dict[int, Window] | None = None,
    superseded: frozenset[int] = frozenset(),
) -> list[tuple[str, Window, Decimal]]:
    """Label, window and amount of each line that counts toward the cap.

    An achieved milestone counts in the month it was achieved, whatever its
    window. One not yet achieved counts in every month its window touches,
    but only while it is the line that would pay (see
    ``milestone_lines_awaiting``): a line a newer round replaced, or one of
    a closed episode, will never be billed. ``superseded`` names milestone
    numbers a round being made will replace. ``windows`` replaces the
    windows of the lines it names (by primary key), to test a change before
    it is made. Three queries.
    """
    windows = windows or {}
    live = {
        line.pk
        for number, line in milestone_lines_awaiting(member).items()
        if number not in superseded
    }
    lines = milestone_lines_counting_toward_cap(member).prefetch_related(
        Prefetch(
            "achievements",
            queryset=MilestoneAchievement.objects.filter(voided_at__isnull=True),
            to_attr="active_achievements",
        )
    )
    counted = []
    for line in lines:
        achieved = line.active_achievements  # type: ignore[attr-defined]
        if achieved:
            window = Window(achieved[0].achieved_on, achieved[0].achieved_on)
        elif line.pk in live:
            window = windows.get(line.pk, line.window)
        else:
            continue
        label = (
            f"Milestone {line.milestone} authorized {line.round.authorized_on:%m/%d/%Y}"
        )
        counted.append((label, window, line.amount))
    return counted


def milestone_lines_awaiting(member: Member) -> dict[int, MilestoneAuthorization]:
    """The line that would pay for each milestone not yet achieved.

    For each milestone number, the line of the newest round of the member's
    open episode that holds it, unless that line is already achieved: a
    newer round replaces the older rounds' lines for its milestones, and an
    older line never pays once a newer one exists. One query.
    """
    active_achievements = MilestoneAchievement.objects.filter(voided_at__isnull=True)
    lines = (
        MilestoneAuthorization.objects.filter(
            round__member=member,
            round__episode__closed_on__isnull=True,
            round__voided_at__isnull=True,
        )
        .annotate(is_achieved=Exists(active_achievements.filter(line=OuterRef("pk"))))
        .select_related("round")
        .order_by("milestone", "-round__authorized_on", "-round__created_at")
    )
    newest: dict[int, MilestoneAuthorization] = {}
    for line in lines:
        newest.setdefault(line.milestone, line)
    return {
        number: line
        for number, line in newest.items()
        if not line.is_achieved  # type: ignore[attr-defined]
    }


def authorization_round_get(user: Any, public_id: Any) -> AuthorizationRound:
    """Return a round whose member the user may see, or raise Http404."""
    authorization = (
        AuthorizationRound.objects.filter(
            public_id=public_id,
            member__in=scope_members(user, Member.objects.all()),
        )
        .select_related("member", "payer", "episode")
        .first()
    )
    if authorization is None:
        raise Http404("No such authorization.")
    return authorization


def achievement_get(user: Any, public_id: Any) -> MilestoneAchievement:
    achievement = (
        MilestoneAchievement.objects.filter(
            public_id=public_id,
            line__round__member__in=scope_members(user, Member.objects.all()),
        )
        .select_related("line__round__member", "job")
        .first()
    )
    if achievement is None:
        raise Http404("No such achievement.")
    return achievement


def evidence_get(user: Any, public_id: Any) -> EvidenceDocument:
    """Return a document whose member the user may see, or raise Http404."""
    document = (
        EvidenceDocument.objects.filter(
            public_id=public_id,
            achievement__line__round__member__in=scope_members(
                user, Member.objects.all()
            ),
        )
        .select_related("achievement__line__round")
        .first()
    )
    if document is None:
        raise Http404("No such document.")
    return document


@dataclass(frozen=True)
class JobMilestoneCheck:
    """Where one of a job's milestone dates falls against its window."""

    milestone: int
    reached_on: datetime.date
    line: MilestoneAuthorization | None
    will_reach: bool
    achievement: MilestoneAchievement | None = None

    @property
    def is_inside_window(self) -> bool:
        return self.line is not None and self.line.window.contains(self.reached_on)

    @property
    def is_gap(self) -> bool:
        """A milestone date the job will reach outside the window that pays."""
        return (
            self.achievement is None
            and self.will_reach
            and self.line is not None
            and not self.is_inside_window
        )


def job_milestone_checks(
    job: Any,
    awaiting: dict[int, MilestoneAuthorization],
    achieved: dict[int, MilestoneAchievement],
) -> list[JobMilestoneCheck]:
    """Milestones 2–4 of a job: their dates and the windows meant to pay them.

    Pure over what it is given: ``awaiting`` comes from
    ``milestone_lines_awaiting``; ``achieved`` maps milestone numbers to the
    job's active achievements. An achieved milestone is checked against the
    window of its own line.
    """
    checks = []
    for number in (2, 3, 4):
        achievement = achieved.get(number)
        checks.append(
            JobMilestoneCheck(
                milestone=number,
                reached_on=milestone_date_for_job(number, job.first_day_on),
                line=achievement.line if achievement else awaiting.get(number),
                will_reach=number == 2
                or job_reaches(job.first_day_on, job.ended_on, RETENTION_DAYS[number]),
                achievement=achievement,
            )
        )
    return checks
