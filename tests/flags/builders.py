"""Records that raise each kind of flag, built through the project's services.

Every builder calls the same services a page would, so a flag test exercises
the records the portal really writes. The services refuse dates still to
come by the Iowa calendar: freeze the clock (``time_machine``) on or after
the dates given before building. Every name and number here is invented.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from accounts.models import User
from coaching.models import CoachingEntry, CoachingPeriod
from coaching.services import coaching_entry_log, coaching_period_authorize
from core.dates import IOWA, add_months, month_end
from fidelity.models import FidelityReview
from fidelity.rules import ITEM_KEYS
from fidelity.services import fidelity_review_record
from flags.models import Flag
from jobends.models import JobEnd, TeamMeeting
from jobends.services import (
    episode_exit,
    job_end_form_complete,
    job_end_record,
    team_meeting_record,
)
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from milestones.models import (
    AuthorizationRound,
    MilestoneAchievement,
    MilestoneAuthorization,
)
from milestones.rules import Window
from milestones.services import EVIDENCE_REQUIRED, EvidenceUpload, achievement_log
from payers.models import FeeRate, FeeSchedule, Payer
from payers.services_catalog import Service
from providers.models import ProviderSite
from referrals.models import Episode
from tests.factories import EpisodeFactory, MemberFactory, UserFactory
from tests.milestones.helpers import authorize
from tests.uploads import pdf

D = datetime.date
DAY = datetime.timedelta(days=1)
# The day the test factories open an episode.
EPISODE_OPENED_ON = D(2026, 1, 10)

Kind = Flag.Kind

# The kinds about one member's records; the caseload kind is about a
# specialist.
MEMBER_KINDS: tuple[str, ...] = tuple(
    kind for kind in Kind.values if kind != Kind.CASELOAD_OVER_LIMIT
)


def noon_in_iowa(day: datetime.date) -> datetime.datetime:
    """The UTC instant of noon in Iowa on ``day``: a safe time to freeze at."""
    local = datetime.datetime.combine(day, datetime.time(12), tzinfo=IOWA)
    return local.astimezone(datetime.UTC)


# People and members


def provider_of(staff: User) -> ProviderSite:
    """The provider site a specialist or supervisor works at."""
    assert staff.organization is not None
    return staff.organization.provider_site


def specialist_at(provider_user: User) -> User:
    """Another IPS specialist on the same provider's team."""
    specialist = UserFactory(
        organization=provider_user.organization, role=User.Role.IPS_SPECIALIST
    )
    return cast(User, specialist)


def member_in_ips(
    case_manager: User,
    specialist: User,
    *,
    opened_on: datetime.date = EPISODE_OPENED_ON,
    **member_fields: Any,
) -> Member:
    """A member of the case manager's MCO in IPS with the specialist's provider."""
    member = MemberFactory(
        managing_organization=case_manager.organization,
        case_manager=case_manager,
        **member_fields,
    )
    EpisodeFactory(
        member=member,
        provider=provider_of(specialist),
        specialist=specialist,
        opened_on=opened_on,
    )
    return cast(Member, member)


def open_episode(member: Member) -> Episode:
    return member.episodes.get(closed_on__isnull=True)


def caseload_of(specialist: User, size: int) -> list[Episode]:
    """Give the specialist ``size`` more open episodes, one member each."""
    return [
        cast(
            Episode,
            EpisodeFactory(provider=provider_of(specialist), specialist=specialist),
        )
        for _ in range(size)
    ]


# Milestones


def windows_from(*bounds: tuple[datetime.date, datetime.date]) -> dict[int, Window]:
    """Milestone windows 1, 2, ... from (begins, ends) pairs."""
    return {
        number: Window(begins_on, ends_on)
        for number, (begins_on, ends_on) in enumerate(bounds, start=1)
    }


def authorize_milestones(
    case_manager: User,
    member: Member,
    windows: dict[int, Window],
    **overrides: Any,
) -> AuthorizationRound:
    """Authorize all four milestones; the cap warning counts as seen."""
    overrides.setdefault("cap_warning_seen", True)
    return authorize(case_manager, member, windows, **overrides)


def line(authorization: AuthorizationRound, milestone: int) -> MilestoneAuthorization:
    return authorization.lines.get(milestone=milestone)


def record_job(
    specialist: User, member: Member, first_day_on: datetime.date, **changes: Any
) -> Job:
    arguments: dict[str, Any] = {
        "actor": specialist,
        "member": member,
        "employer": "Prairie Bakery (demo)",
        "title": "Baker's helper",
        "first_day_on": first_day_on,
        "hours_per_week": Decimal("20"),
        "hourly_wage": Decimal("13.50"),
    }
    arguments.update(changes)
    return job_record(**arguments)


def log_achievement(
    specialist: User,
    milestone_line: MilestoneAuthorization,
    *,
    achieved_on: datetime.date | None = None,
    job: Job | None = None,
) -> MilestoneAchievement:
    """Log a milestone with its documentation; the cap warning counts as seen."""
    kind = EVIDENCE_REQUIRED[milestone_line.milestone]
    return achievement_log(
        actor=specialist,
        line=milestone_line,
        achieved_on=achieved_on,
        job=job,
        evidence=[EvidenceUpload(kind, pdf())],
        cap_warning_seen=True,
    )


def negotiated_rates(payer: Payer, effective_on: datetime.date, **rates: str) -> None:
    """A payer's negotiated schedule: ``CAREER_DEVELOPMENT="1297.81"``."""
    schedule = FeeSchedule.objects.create(
        payer=payer, name=f"{payer} negotiated (demo)", effective_on=effective_on
    )
    for service, rate in rates.items():
        FeeRate.objects.create(
            schedule=schedule, service=Service[service], rate=Decimal(rate)
        )


# Coaching


def authorize_coaching(
    case_manager: User,
    member: Member,
    begins_on: datetime.date,
    *,
    tier: int = 2,
    authorized_on: datetime.date | None = None,
    number: str = "CO-DEMO-1",
    **changes: Any,
) -> CoachingPeriod:
    """A 90-day coaching period (begins_on + 89), authorized on its first day."""
    return coaching_period_authorize(
        actor=case_manager,
        member=member,
        payer=member.payer,
        tier=tier,
        begins_on=begins_on,
        authorization_number=number,
        authorized_on=authorized_on or begins_on,
        **changes,
    )


def coaching_ending_on(
    case_manager: User, member: Member, ends_on: datetime.date, **changes: Any
) -> CoachingPeriod:
    """A coaching period whose last day is ``ends_on``."""
    return authorize_coaching(
        case_manager, member, ends_on - datetime.timedelta(days=89), **changes
    )


def log_coaching(
    specialist: User, member: Member, coached_on: datetime.date, minutes: int
) -> CoachingEntry:
    """Coaching at the worksite; the cap warning counts as seen."""
    return coaching_entry_log(
        actor=specialist,
        member=member,
        coached_on=coached_on,
        minutes=minutes,
        kind=CoachingEntry.Kind.WORKSITE,
        cap_warning_seen=True,
    )


# Job ends


def record_job_end(
    specialist: User, job: Job, ended_on: datetime.date, **changes: Any
) -> JobEnd:
    arguments: dict[str, Any] = {
        "actor": specialist,
        "job": job,
        "ended_on": ended_on,
        "how_ended": JobEnd.HowEnded.TEMPORARY_ENDED,
    }
    arguments.update(changes)
    return job_end_record(**arguments)


def complete_job_end_form(actor: User, job_end: JobEnd) -> JobEnd:
    return job_end_form_complete(
        actor=actor,
        job_end=job_end,
        answers={
            "differed_from_expectations": JobEnd.Answer.NO,
            "duties_changed": JobEnd.Answer.NO,
        },
    )


def record_meeting(actor: User, job_end: JobEnd, met_on: datetime.date) -> TeamMeeting:
    return team_meeting_record(
        actor=actor,
        member=job_end.job.member,
        reason=TeamMeeting.Reason.AFTER_JOB_END,
        met_on=met_on,
        lessons_learned="Mornings suit the member better than late shifts.",
        next_steps="Look at bakeries that open early.",
        job_end=job_end,
    )


def exit_member(case_manager: User, member: Member, exited_on: datetime.date) -> None:
    episode_exit(
        actor=case_manager,
        member=member,
        exited_on=exited_on,
        reason=Episode.ExitReason.GOALS_MET,
        transition_plan="Monthly check-ins with the case manager and clinic.",
    )


# Every kind at once


@dataclass
class EveryKind:
    """Members each raising one kind of flag on ``today``, and a busy caseload.

    ``members`` maps each member kind to the member that raises it; the busy
    specialist carries one episode more than the caseload limit. The
    members of that caseload have no authorization yet, so they also raise
    authorization-delay flags of their own.
    """

    today: datetime.date
    specialist: User
    busy_specialist: User
    members: dict[str, Member] = field(default_factory=dict)


def quiet_windows(today: datetime.date) -> dict[int, Window]:
    """Windows that raise nothing on ``today``: none near its end, none missed."""
    return windows_from(
        (today - 190 * DAY, today + 60 * DAY),
        (today + 61 * DAY, today + 90 * DAY),
        (today + 91 * DAY, today + 120 * DAY),
        (today + 150 * DAY, today + 180 * DAY),
    )


def every_kind_of_condition(
    case_manager: User,
    specialist: User,
    today: datetime.date,
    *,
    caseload_limit: int = 20,
) -> EveryKind:
    """Build, on ``today``, one member for every member kind and a busy caseload.

    Dates are relative to ``today``, which must be at least 200 days after
    July 1, 2025 (the first fee schedule); freeze the clock on ``today``
    before calling. The members share ``specialist``; pass a fresh one per
    call to keep caseloads apart.
    """
    cm, sp = case_manager, specialist
    opened_on = today - 200 * DAY
    authorized_on = today - 190 * DAY
    members: dict[str, Member] = {}

    def new_member(kind: str, opened: datetime.date = opened_on) -> Member:
        members[kind] = member_in_ips(cm, sp, opened_on=opened)
        return members[kind]

    def authorized(member: Member, windows: dict[int, Window]) -> AuthorizationRound:
        return authorize_milestones(
            cm, member, windows, authorized_on=authorized_on, plan_dated_on=opened_on
        )

    # Coaching that ends in nine days, and coaching that ended six days ago.
    for kind, ends_on in (
        (Kind.COACHING_REAUTHORIZATION_DUE, today + 9 * DAY),
        (Kind.COACHING_LAPSED, today - 6 * DAY),
    ):
        member = new_member(kind)
        authorized(member, quiet_windows(today))
        coaching_ending_on(cm, member, ends_on)

    # Milestone 1's window ends in three days, not yet achieved.
    member = new_member(Kind.MILESTONE_WINDOW_CLOSING)
    authorized(
        member,
        windows_from(
            (authorized_on, today + 3 * DAY),
            (today + 4 * DAY, today + 34 * DAY),
            (today + 35 * DAY, today + 65 * DAY),
            (today + 95 * DAY, today + 125 * DAY),
        ),
    )

    # A job starting in five days: day 45 and day 90 both miss their windows.
    member = new_member(Kind.PREDICTED_MILESTONE_GAP)
    authorized(
        member,
        windows_from(
            (authorized_on, today - 100 * DAY),
            (today - 99 * DAY, today + 30 * DAY),
            (today + 31 * DAY, today + 40 * DAY),
            (today + 41 * DAY, today + 60 * DAY),
        ),
    )
    record_job(sp, member, today + 5 * DAY)

    # The employment plan was completed twenty days after its window ended.
    member = new_member(Kind.ACHIEVEMENT_OUTSIDE_WINDOW)
    authorization = authorized(
        member,
        windows_from(
            (authorized_on, today - 30 * DAY),
            (today - 29 * DAY, today + 30 * DAY),
            (today + 31 * DAY, today + 61 * DAY),
            (today + 91 * DAY, today + 121 * DAY),
        ),
    )
    log_achievement(sp, line(authorization, 1), achieved_on=today - 10 * DAY)

    # Accepted twenty days ago and nothing authorized.
    new_member(Kind.AUTHORIZATION_DELAY, opened=today - 20 * DAY)

    # A job that ended twenty days ago, before its day 45, its form blank.
    member = new_member(Kind.JOB_END_FORM_MISSING)
    authorized(member, quiet_windows(today))
    job = record_job(sp, member, today - 60 * DAY)
    record_job_end(sp, job, today - 20 * DAY)

    # A job that ended forty days ago, before its day 45: form done, no
    # meeting, no exit.
    member = new_member(Kind.JOB_END_NEXT_STEP_MISSING)
    authorized(member, quiet_windows(today))
    job = record_job(sp, member, today - 70 * DAY)
    complete_job_end_form(sp, record_job_end(sp, job, today - 40 * DAY))

    # Milestones 1 and 2 achieved last month: $3,964.95 at the posted rates.
    last_month = add_months(today, -1)
    member = new_member(Kind.MONTH_OVER_CAP)
    authorization = authorized(
        member,
        windows_from(
            (authorized_on, month_end(last_month)),
            (last_month, month_end(last_month)),
            (add_months(today, 0), today + 60 * DAY),
            (add_months(today, 0), today + 120 * DAY),
        ),
    )
    log_achievement(sp, line(authorization, 1), achieved_on=last_month + 4 * DAY)
    job = record_job(sp, member, last_month + 14 * DAY)
    log_achievement(sp, line(authorization, 2), job=job)

    busy = specialist_at(sp)
    caseload_of(busy, caseload_limit + 1)
    return EveryKind(today=today, specialist=sp, busy_specialist=busy, members=members)


def fidelity_review_current(
    reviewer: User, provider: ProviderSite, reviewed_on: datetime.date
) -> FidelityReview:
    """A fidelity review of every item at 4 (100 of 125, good) on that day."""
    return fidelity_review_record(
        actor=reviewer,
        provider=provider,
        reviewed_on=reviewed_on,
        reviewers="Quinn Marlowe and Ada Fenwick (demo reviewers)",
        scores=dict.fromkeys(ITEM_KEYS, 4),
    )
