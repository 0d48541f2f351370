"""Members with one of every record the read endpoints show, via the services.

The services refuse dates still to come, so freeze the clock at ``NOW``
(or later) before building. Every name and number here is invented.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from accounts.models import User
from coaching.models import CoachingEntry, CoachingPeriod
from coaching.services import coaching_entry_log, coaching_period_authorize
from flags.models import Flag
from jobends.models import JobEnd
from jobends.services import job_end_record
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from milestones.models import (
    AuthorizationRound,
    MilestoneAchievement,
    MilestoneAuthorization,
)
from milestones.services import EvidenceUpload, achievement_log
from providers.models import ProviderSite
from referrals.models import Referral
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize
from tests.uploads import pdf

D = datetime.date
UTC = datetime.UTC

# Late in 2026, so every date of the Iowa example is past. Noon in Iowa.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
TODAY = D(2026, 12, 1)
APRIL_15 = D(2026, 4, 15)


def provider_of(staff: User) -> ProviderSite:
    assert staff.organization is not None
    return cast(ProviderSite, staff.organization.provider_site)


def member_in_ips(case_manager: User, specialist: User, **fields: Any) -> Member:
    """A member of the case manager's MCO, in IPS with the specialist since Jan 10."""
    member = MemberFactory(
        managing_organization=case_manager.organization,
        case_manager=case_manager,
        **fields,
    )
    EpisodeFactory(
        member=member, provider=provider_of(specialist), specialist=specialist
    )
    return cast(Member, member)


def referral_of(member: Member) -> Referral:
    return member.referrals.get()


def authorize_iowa_example(case_manager: User, member: Member) -> AuthorizationRound:
    """All four milestones, Feb–Mar, April, May and July 2026."""
    return authorize(case_manager, member, cap_warning_seen=True)


def line(authorization: AuthorizationRound, milestone: int) -> MilestoneAuthorization:
    return authorization.lines.get(milestone=milestone)


def record_job(
    specialist: User, member: Member, first_day_on: datetime.date = APRIL_15
) -> Job:
    return job_record(
        actor=specialist,
        member=member,
        employer="Cedar Valley Print Shop (demo)",
        title="Press assistant",
        first_day_on=first_day_on,
        hours_per_week=Decimal("22.50"),
        hourly_wage=Decimal("14.25"),
    )


def log_achievement(
    specialist: User,
    milestone_line: MilestoneAuthorization,
    *,
    achieved_on: datetime.date | None = None,
    job: Job | None = None,
) -> MilestoneAchievement:
    kind = (
        "employment_plan" if milestone_line.milestone == 1 else "service_documentation"
    )
    return achievement_log(
        actor=specialist,
        line=milestone_line,
        achieved_on=achieved_on,
        job=job,
        evidence=[EvidenceUpload(kind, pdf())],
        cap_warning_seen=True,
    )


def record_job_end(specialist: User, job: Job, ended_on: datetime.date) -> JobEnd:
    return job_end_record(
        actor=specialist,
        job=job,
        ended_on=ended_on,
        how_ended=JobEnd.HowEnded.TEMPORARY_ENDED,
    )


def authorize_coaching(case_manager: User, member: Member) -> CoachingPeriod:
    """Tier 2 from Aug 1 to Oct 29, 2026."""
    return coaching_period_authorize(
        actor=case_manager,
        member=member,
        payer=member.payer,
        tier=2,
        begins_on=D(2026, 8, 1),
        authorization_number="CO-DEMO-7",
        authorized_on=D(2026, 7, 25),
    )


def log_coaching(
    specialist: User, member: Member, coached_on: datetime.date, minutes: int
) -> CoachingEntry:
    return coaching_entry_log(
        actor=specialist,
        member=member,
        coached_on=coached_on,
        minutes=minutes,
        kind=CoachingEntry.Kind.WORKSITE,
        cap_warning_seen=True,
    )


@dataclass
class World:
    """One member's records, one of each kind the read endpoints show."""

    member: Member
    referral: Referral
    authorization: AuthorizationRound
    job: Job
    job_end: JobEnd
    coaching_period: CoachingPeriod


def member_with_everything(case_manager: User, specialist: User) -> World:
    """A member through all four milestones, a job end and a coaching period.

    The plan was completed on March 10; the job began April 15 and reached
    day 45 and day 90 inside their windows; it ended on August 31. Coaching
    at tier 2 ran from August 1 to October 29 (2 h 15 min in September), and
    nothing was authorized after it, so on December 1 its lapse is flagged.
    """
    member = member_in_ips(case_manager, specialist)
    authorization = authorize_iowa_example(case_manager, member)
    log_achievement(specialist, line(authorization, 1), achieved_on=D(2026, 3, 10))
    job = record_job(specialist, member)
    for number in (2, 3, 4):
        log_achievement(specialist, line(authorization, number), job=job)
    job_end = record_job_end(specialist, job, D(2026, 8, 31))
    period = authorize_coaching(case_manager, member)
    log_coaching(specialist, member, D(2026, 9, 3), 60)
    log_coaching(specialist, member, D(2026, 9, 10), 75)
    authorization.refresh_from_db()
    return World(
        member=member,
        referral=referral_of(member),
        authorization=authorization,
        job=job,
        job_end=job_end,
        coaching_period=period,
    )


def flags_of(member: Member) -> list[Flag]:
    return list(Flag.objects.filter(member=member, status=Flag.Status.OPEN))
