"""Reads of member records, always through the access policy."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from access.policy import scope_members
from core.dates import iowa_today
from members.models import Member
from members.rules import medicaid_id_is_valid, medicaid_id_normalize, name_fold


def member_list(user: Any, search: str = "") -> QuerySet[Member]:
    """Return the members the user may see, optionally matching a search.

    A search that reads as a Medicaid ID matches that ID exactly; anything
    else matches names: every word must appear in the member's name, with
    accents, case and apostrophes ignored (members.rules.name_fold). The
    related rows shown in lists are joined, so a page of any length costs
    the same few queries.
    """
    members = scope_members(user, Member.objects.all()).select_related(
        "county", "payer", "managing_organization", "case_manager"
    )
    return members_matching(members, search).order_by("last_name", "first_name", "pk")


def members_matching(members: QuerySet[Member], search: str) -> QuerySet[Member]:
    """Narrow ``members`` to a search, as the member list reads one.

    A search that reads as a Medicaid ID matches that ID exactly; anything
    else matches names, every word somewhere in the name. An empty search
    narrows nothing.
    """
    search = search.strip()
    if not search:
        return members
    normalized = medicaid_id_normalize(search)
    if medicaid_id_is_valid(normalized):
        return members.filter(medicaid_id=normalized)
    for word in name_fold(search).split():
        members = members.filter(name_search_key__contains=word)
    return members


@dataclass(frozen=True)
class TimelineEntry:
    """One event on a member's page, newest first."""

    on: datetime.date
    kind: str
    title: str
    subject: Any


def member_timeline(user: Any, member: Member) -> list[TimelineEntry]:
    """Return the member's story, newest first: referrals, episodes, rounds.

    What the user may see of referrals follows the access policy. A fixed
    number of queries whatever the number of referrals, episodes and
    rounds.
    """
    from jobends.models import TeamMeeting
    from jobs.models import Job
    from milestones.models import AuthorizationRound, MilestoneAchievement
    from referrals.models import Episode, Referral
    from referrals.selectors import referral_list

    referrals = list(
        referral_list(user)
        .filter(member=member)
        .select_related(
            "referred_by", "responded_by", "redirected_to__provider__organization"
        )
    )
    episodes = list(
        Episode.objects.filter(member=member).select_related(
            "provider__organization", "specialist", "exited_by"
        )
    )
    rounds = list(
        AuthorizationRound.objects.filter(member=member)
        .select_related("payer", "authorized_by", "episode")
        .prefetch_related(
            Prefetch(
                "lines__achievements",
                queryset=MilestoneAchievement.objects.select_related(
                    "recorded_by", "voided_by", "job"
                )
                .prefetch_related("documents")
                .order_by("recorded_at"),
            )
        )
    )
    jobs = list(
        Job.objects.filter(member=member)
        .select_related("recorded_by", "job_end__recorded_by")
        .prefetch_related("job_end__meetings")
        .order_by("-first_day_on")
    )
    meetings = list(
        TeamMeeting.objects.filter(member=member).select_related(
            "recorded_by", "job_end__job"
        )
    )

    # Each event: its business date, when it was written down (to order the
    # events of one day as they happened), its kind and its record.
    events: list[tuple[datetime.date, Any, str, str, Any]] = []
    for referral in referrals:
        events.append(
            (
                referral.referred_on,
                referral.created_at,
                "referral",
                "Referred",
                referral,
            )
        )
        if referral.status in (Referral.Status.REDIRECTED, Referral.Status.WITHDRAWN):
            answered_on = iowa_today(referral.responded_at)
            title = referral.get_status_display()
            events.append(
                (answered_on, referral.responded_at, "referral-answer", title, referral)
            )
    for episode in episodes:
        events.append(
            (episode.opened_on, episode.created_at, "episode", "Accepted", episode)
        )
        if episode.closed_on is not None:
            events.append(
                (episode.closed_on, episode.updated_at, "exit", "Exit", episode)
            )
    for job in jobs:
        events.append((job.first_day_on, job.created_at, "job", "Started a job", job))
        job_end = getattr(job, "job_end", None)
        if job_end is not None:
            events.append(
                (job_end.ended_on, job_end.recorded_at, "job-end", "Job end", job_end)
            )
    for meeting in meetings:
        events.append(
            (meeting.met_on, meeting.recorded_at, "meeting", "Team meeting", meeting)
        )
    for authorization in rounds:
        events.append(
            (
                authorization.authorized_on,
                authorization.created_at,
                "round",
                "Milestones authorized",
                authorization,
            )
        )

    # Ties (one save, or a frozen clock) fall back to the order of the path.
    path = ["referral", "referral-answer", "episode", "job", "job-end", "meeting"]
    path += ["round", "exit"]
    events.sort(
        key=lambda event: (event[0], event[1], path.index(event[2])), reverse=True
    )
    entries = [
        TimelineEntry(on, kind, title, subject)
        for on, _, kind, title, subject in events
    ]
    return entries


def job_panels(
    timeline: list[TimelineEntry], awaiting: dict[int, Any]
) -> list[tuple[Any, list[Any], bool]]:
    """Each job of the timeline with its milestone checks and whether any is a gap.

    Works on what ``member_timeline`` loaded, so it adds no queries.
    """
    from milestones.selectors import job_milestone_checks

    achieved_by_job: dict[int, dict[int, Any]] = {}
    for entry in timeline:
        if entry.kind != "round":
            continue
        for line in entry.subject.lines.all():
            for achievement in line.achievements.all():
                if achievement.job_id and not achievement.is_voided:
                    by_number = achieved_by_job.setdefault(achievement.job_id, {})
                    by_number[line.milestone] = achievement

    panels = []
    for entry in timeline:
        if entry.kind == "job":
            job = entry.subject
            checks = job_milestone_checks(
                job, awaiting, achieved_by_job.get(job.pk, {})
            )
            panels.append((job, checks, any(check.is_gap for check in checks)))
    return panels
