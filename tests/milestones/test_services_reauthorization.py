"""Authorizing milestones again: after a job end, or for a second job."""

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import User
from jobends.models import JobEnd, TeamMeeting
from jobends.services import job_end_record, team_meeting_record
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from milestones.models import AuthorizationRound, EvidenceDocument
from milestones.rules import Window
from milestones.services import EvidenceUpload, achievement_log
from payers.models import FeeRate, FeeSchedule
from payers.services_catalog import Service
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize, meeting_for
from tests.uploads import pdf

pytestmark = pytest.mark.django_db
D = datetime.date
UTC = datetime.UTC

# Noon in Iowa on December 1, 2026: every date below is in the past.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
APRIL_15 = D(2026, 4, 15)

# The posted rates of milestones 2, 3 and 4 in the reference data.
POSTED = [Decimal("2394.53"), Decimal("2394.53"), Decimal("871.58")]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


@pytest.fixture
def first_round(case_manager: User, member: Member) -> AuthorizationRound:
    """The Iowa example: Feb 1–Mar 31, April, May and July 2026."""
    return authorize(case_manager, member)


def month(year: int, number: int) -> Window:
    first = D(year, number, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1)
    return Window(first, last - datetime.timedelta(days=1))


JUNE_15 = D(2026, 6, 15)

# Clear of the first round's months, so no month nears the cap.
LATER = {2: month(2026, 8), 3: month(2026, 9), 4: month(2026, 11)}


def job_for(actor: User, member: Member) -> Job:
    return job_record(
        actor=actor,
        member=member,
        employer="Cedar Prairie Grocers",
        title="Stock clerk",
        first_day_on=APRIL_15,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )


def meeting_after_job_end(
    specialist: User, member: Member, met_on: datetime.date
) -> TeamMeeting:
    job_end = job_end_record(
        actor=specialist,
        job=job_for(specialist, member),
        ended_on=D(2026, 5, 10),
        how_ended=JobEnd.HowEnded.LET_GO,
    )
    return team_meeting_record(
        actor=specialist,
        member=member,
        reason=TeamMeeting.Reason.AFTER_JOB_END,
        job_end=job_end,
        met_on=met_on,
        lessons_learned="Fast-paced retail was too loud.",
        next_steps="Look at warehouse and library jobs.",
    )


def reauthorize(
    actor: User,
    member: Member,
    meeting: TeamMeeting | None,
    authorized_on: datetime.date = JUNE_15,
    windows: dict[int, Window] = LATER,
) -> AuthorizationRound:
    return authorize(
        actor,
        member,
        windows=windows,
        numbers=(2, 3, 4),
        meeting=meeting,
        authorized_on=authorized_on,
        plan_dated_on=D(2026, 6, 1),
    )


# The meeting comes first


def test_a_second_round_without_a_team_meeting_is_refused_on_meeting(
    case_manager: User, member: Member, first_round: AuthorizationRound
) -> None:
    with pytest.raises(ValidationError) as refusal:
        reauthorize(case_manager, member, meeting=None)

    assert refusal.value.message_dict == {
        "meeting": [
            "Before milestones are authorized again, record the team meeting: "
            "date, who attended, lessons learned and next steps."
        ]
    }
    assert list(AuthorizationRound.objects.all()) == [first_round]


def test_the_first_round_needs_no_meeting(case_manager: User, member: Member) -> None:
    first = authorize(case_manager, member)

    assert first.meeting is None


@pytest.mark.parametrize(
    ("authorized_on", "rates"),
    [
        (D(2026, 6, 30), POSTED),
        (D(2026, 7, 1), [Decimal("2450.00"), Decimal("2460.00"), Decimal("900.00")]),
    ],
)
def test_a_reauthorization_after_a_job_end_saves_2_to_4_at_the_rates_of_its_day(
    case_manager: User,
    specialist: User,
    member: Member,
    first_round: AuthorizationRound,
    authorized_on: datetime.date,
    rates: list[Decimal],
) -> None:
    newer = FeeSchedule.objects.create(
        name="Posted rates from July 2026", effective_on=D(2026, 7, 1)
    )
    for service, rate in (
        (Service.JOB_DEVELOPMENT_1, "2450.00"),
        (Service.JOB_DEVELOPMENT_2, "2460.00"),
        (Service.JOB_STABILIZATION, "900.00"),
    ):
        FeeRate.objects.create(schedule=newer, service=service, rate=Decimal(rate))
    meeting = meeting_after_job_end(specialist, member, D(2026, 6, 15))

    later = reauthorize(case_manager, member, meeting, authorized_on=authorized_on)

    lines = list(later.lines.order_by("milestone"))
    assert [line.milestone for line in lines] == [2, 3, 4]
    assert [line.service for line in lines] == ["T2018-U4", "T2018-U5", "T2018-U6"]
    assert [line.rate for line in lines] == rates
    assert [line.window for line in lines] == [LATER[2], LATER[3], LATER[4]]
    assert (later.meeting, later.episode) == (meeting, first_round.episode)
    assert later.authorized_by == case_manager
    # The first round keeps the rates of its own day.
    assert [line.rate for line in first_round.lines.order_by("milestone")][1:] == (
        POSTED
    )


def test_a_meeting_on_the_day_of_the_reauthorization_is_accepted(
    case_manager: User, member: Member, first_round: AuthorizationRound
) -> None:
    meeting = meeting_for(member, D(2026, 6, 15))

    later = reauthorize(case_manager, member, meeting, authorized_on=D(2026, 6, 15))

    assert later.meeting == meeting


def test_a_meeting_dated_after_the_authorization_date_is_refused(
    case_manager: User, member: Member, first_round: AuthorizationRound
) -> None:
    meeting = meeting_for(member, D(2026, 6, 16))

    with pytest.raises(ValidationError) as refusal:
        reauthorize(case_manager, member, meeting, authorized_on=D(2026, 6, 15))

    assert refusal.value.message_dict == {
        "meeting": [
            "The meeting comes before the reauthorization: it is dated 06/16/2026."
        ]
    }
    assert AuthorizationRound.objects.count() == 1


def test_a_meeting_about_another_member_is_refused(
    case_manager: User,
    specialist: User,
    provider_a: ProviderSite,
    member: Member,
    first_round: AuthorizationRound,
) -> None:
    other = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=other, provider=provider_a, specialist=specialist)

    with pytest.raises(ValidationError) as refusal:
        reauthorize(case_manager, member, meeting_for(other, D(2026, 6, 1)))

    assert refusal.value.message_dict == {
        "meeting": ["Choose a meeting from this time in IPS."]
    }
    assert AuthorizationRound.objects.count() == 1


def test_a_meeting_from_the_members_earlier_time_in_ips_is_refused(
    case_manager: User, specialist: User, provider_a: ProviderSite
) -> None:
    member = MemberFactory(managing_organization=case_manager.organization)
    earlier = EpisodeFactory(
        member=member,
        provider=provider_a,
        specialist=specialist,
        opened_on=D(2025, 3, 3),
        closed_on=D(2025, 10, 31),
    )
    old_meeting = TeamMeeting.objects.create(
        member=member,
        episode=earlier,
        reason=TeamMeeting.Reason.HOURS_CUT,
        met_on=D(2025, 9, 1),
        lessons_learned="Earlier lessons.",
        next_steps="Earlier steps.",
        recorded_by=specialist,
    )
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    authorize(case_manager, member)

    with pytest.raises(ValidationError) as refusal:
        reauthorize(case_manager, member, old_meeting)

    assert refusal.value.message_dict == {
        "meeting": ["Choose a meeting from this time in IPS."]
    }
    assert AuthorizationRound.objects.count() == 1


def test_a_meeting_that_already_led_to_a_round_is_refused(
    case_manager: User, member: Member, first_round: AuthorizationRound
) -> None:
    meeting = meeting_for(member, D(2026, 6, 1))
    reauthorize(case_manager, member, meeting)

    with pytest.raises(ValidationError) as refusal:
        reauthorize(
            case_manager,
            member,
            meeting,
            authorized_on=D(2026, 7, 1),
            windows={2: month(2027, 1), 3: month(2027, 2), 4: month(2027, 4)},
        )

    assert refusal.value.message_dict == {
        "meeting": ["That meeting already led to an authorization round."]
    }
    assert AuthorizationRound.objects.count() == 2


# No limit on how often


def test_five_reauthorizations_in_one_year_all_go_through(
    case_manager: User, member: Member, first_round: AuthorizationRound
) -> None:
    # Each round's windows take months of their own, clear of the cap.
    rounds = [
        (D(2026, 3, 2), {2: month(2026, 6), 3: month(2026, 8), 4: month(2026, 9)}),
        (D(2026, 5, 4), {2: month(2026, 10), 3: month(2026, 11), 4: month(2026, 12)}),
        (D(2026, 7, 6), {2: month(2027, 1), 3: month(2027, 2), 4: month(2027, 3)}),
        (D(2026, 9, 7), {2: month(2027, 4), 3: month(2027, 5), 4: month(2027, 6)}),
        (D(2026, 11, 2), {2: month(2027, 7), 3: month(2027, 8), 4: month(2027, 9)}),
    ]

    for authorized_on, windows in rounds:
        reauthorize(
            case_manager,
            member,
            meeting_for(member, authorized_on),
            authorized_on=authorized_on,
            windows=windows,
        )

    later = list(
        AuthorizationRound.objects.exclude(pk=first_round.pk).order_by("authorized_on")
    )
    assert [r.authorized_on for r in later] == [day for day, _ in rounds]
    assert [r.meeting.met_on for r in later if r.meeting] == [day for day, _ in rounds]
    assert later[-1].authorized_on - first_round.authorized_on < datetime.timedelta(
        days=365
    )
    assert all(r.episode == first_round.episode for r in later)
    assert all(r.lines.count() == 3 for r in later)


# A second job after all four milestones


def complete_all_four(
    specialist: User, authorization: AuthorizationRound, job: Job
) -> None:
    lines = {line.milestone: line for line in authorization.lines.all()}
    achievement_log(
        actor=specialist,
        line=lines[1],
        achieved_on=D(2026, 3, 20),
        evidence=[EvidenceUpload(EvidenceDocument.Kind.EMPLOYMENT_PLAN, pdf())],
    )
    for number in (2, 3, 4):
        achievement_log(
            actor=specialist,
            line=lines[number],
            job=job,
            evidence=[
                EvidenceUpload(EvidenceDocument.Kind.SERVICE_DOCUMENTATION, pdf())
            ],
        )


@pytest.mark.parametrize(
    "reason", [TeamMeeting.Reason.HOURS_CUT, TeamMeeting.Reason.TWO_PART_TIME]
)
def test_a_member_seeking_a_second_job_after_all_four_is_reauthorized_in_ips(
    case_manager: User,
    specialist: User,
    member: Member,
    first_round: AuthorizationRound,
    reason: str,
) -> None:
    job = job_for(specialist, member)
    complete_all_four(specialist, first_round, job)
    meeting = team_meeting_record(
        actor=case_manager,
        member=member,
        reason=reason,
        met_on=D(2026, 8, 3),
        lessons_learned="The job goes well; twenty hours are not enough.",
        next_steps="Look for a second part-time job on weekends.",
    )

    later = reauthorize(case_manager, member, meeting, authorized_on=D(2026, 8, 5))

    assert later.meeting == meeting
    assert meeting.job_end is None
    assert [line.rate for line in later.lines.order_by("milestone")] == POSTED
    episode = member.episodes.get()
    assert episode.is_open
    assert later.episode == episode
    assert not JobEnd.objects.exists()
    job.refresh_from_db()
    assert job.ended_on is None
