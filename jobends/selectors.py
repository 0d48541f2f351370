"""Reads for job ends, meetings, consent and the team log."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from access.policy import scope_members
from jobends.models import EmployerContactConsent, JobEnd, TeamLogEntry, TeamMeeting
from jobs.models import Job
from members.models import Member


def job_get(user: Any, public_id: Any) -> Job:
    """Return a job whose member the user may see, or raise Http404."""
    job = (
        Job.objects.filter(
            public_id=public_id, member__in=scope_members(user, Member.objects.all())
        )
        .select_related("member")
        .first()
    )
    if job is None:
        raise Http404("No such job.")
    return job


def job_end_get(user: Any, public_id: Any) -> JobEnd:
    """Return a job end with everything its page shows, or raise Http404."""
    job_end = (
        JobEnd.objects.filter(
            public_id=public_id,
            job__member__in=scope_members(user, Member.objects.all()),
        )
        .select_related("job__member", "recorded_by", "form_completed_by")
        .prefetch_related("perspectives__written_by")
        .first()
    )
    if job_end is None:
        raise Http404("No such job end.")
    return job_end


def consent_current(member: Member) -> EmployerContactConsent | None:
    return member.employer_consents.order_by("-given_on", "-pk").first()


def team_log_for(member: Member) -> QuerySet[TeamLogEntry]:
    return TeamLogEntry.objects.filter(member=member).select_related("written_by")


def meetings_awaiting_authorization(member: Member) -> QuerySet[TeamMeeting]:
    """Meetings of the open episode that no round has followed yet."""
    return TeamMeeting.objects.filter(
        member=member,
        episode__closed_on__isnull=True,
        authorization_round__isnull=True,
    ).order_by("-met_on")
