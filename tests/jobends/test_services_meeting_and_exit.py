"""team_meeting_record, team_log_add and episode_exit."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from jobends.models import JobEnd, TeamLogEntry, TeamMeeting
from jobends.services import (
    episode_exit,
    job_end_record,
    team_log_add,
    team_meeting_record,
)
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from providers.models import ProviderSite
from referrals.models import Episode, Referral
from referrals.services import referral_accept, referral_create
from tests.factories import EpisodeFactory, MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date
UTC = datetime.UTC

# Noon in Iowa on December 1, 2026: every date of the spring job is past.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
TODAY = D(2026, 12, 1)
TOMORROW = D(2026, 12, 2)
MAY_10 = D(2026, 5, 10)
PLAN = "Case manager checks in monthly; the clinic keeps weekly therapy."


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def member_in_ips(case_manager: User, specialist: User, provider: Any) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider, specialist=specialist)
    return member


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    return member_in_ips(case_manager, specialist, provider_a)


def job_for(actor: User, member: Member) -> Job:
    return job_record(
        actor=actor,
        member=member,
        employer="Cedar Prairie Grocers",
        title="Stock clerk",
        first_day_on=D(2026, 4, 15),
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )


@pytest.fixture
def job_end(specialist: User, member: Member) -> JobEnd:
    return job_end_record(
        actor=specialist,
        job=job_for(specialist, member),
        ended_on=MAY_10,
        how_ended=JobEnd.HowEnded.LAID_OFF,
    )


def meet(actor: User, member: Member, **changes: Any) -> TeamMeeting:
    arguments: dict[str, Any] = {
        "actor": actor,
        "member": member,
        "reason": TeamMeeting.Reason.AFTER_JOB_END,
        "met_on": D(2026, 5, 20),
        "lessons_learned": "  Mornings suit the member; the commute was long. ",
        "next_steps": " Look for work on the bus line. ",
    }
    arguments.update(changes)
    return team_meeting_record(**arguments)


# Team meetings


def test_a_meeting_is_recorded_with_its_date_attendees_lessons_and_next_steps(
    case_manager: User, member: Member, job_end: JobEnd
) -> None:
    meeting = meet(
        case_manager,
        member,
        job_end=job_end,
        member_attended=True,
        specialist_attended=True,
        case_manager_attended=False,
        other_attendees=" Dana Example, therapist ",
    )

    meeting.refresh_from_db()
    assert (meeting.member, meeting.episode) == (member, member.episodes.get())
    assert (meeting.job_end, meeting.reason) == (job_end, "after_job_end")
    assert meeting.met_on == D(2026, 5, 20)
    assert (
        meeting.member_attended,
        meeting.specialist_attended,
        meeting.case_manager_attended,
    ) == (True, True, False)
    assert meeting.other_attendees == "Dana Example, therapist"
    assert meeting.lessons_learned == (
        "Mornings suit the member; the commute was long."
    )
    assert meeting.next_steps == "Look for work on the bus line."
    assert (meeting.recorded_by, meeting.recorded_at) == (case_manager, NOW)
    assert meeting.history.get().history_user == case_manager


def test_a_meeting_after_a_job_end_sets_its_next_step_to_another_job(
    specialist: User, member: Member, job_end: JobEnd
) -> None:
    meet(specialist, member, job_end=job_end)

    job_end.refresh_from_db()
    assert job_end.next_step == JobEnd.NextStep.ANOTHER_JOB


def test_a_meeting_on_the_day_of_the_job_end_is_accepted(
    specialist: User, member: Member, job_end: JobEnd
) -> None:
    meeting = meet(specialist, member, job_end=job_end, met_on=MAY_10)

    assert meeting.met_on == MAY_10


def test_a_meeting_dated_before_the_job_end_is_refused_on_met_on(
    specialist: User, member: Member, job_end: JobEnd
) -> None:
    with pytest.raises(ValidationError) as refusal:
        meet(specialist, member, job_end=job_end, met_on=D(2026, 5, 9))

    assert refusal.value.message_dict == {
        "met_on": ["The meeting cannot be dated before the job end (05/10/2026)."]
    }
    assert not TeamMeeting.objects.exists()


def test_a_meeting_today_is_accepted_and_tomorrow_refused_on_met_on(
    specialist: User, member: Member, job_end: JobEnd
) -> None:
    with pytest.raises(ValidationError) as refusal:
        meet(specialist, member, job_end=job_end, met_on=TOMORROW)

    assert refusal.value.message_dict == {
        "met_on": ["The meeting date cannot be in the future."]
    }
    assert not TeamMeeting.objects.exists()
    assert meet(specialist, member, job_end=job_end, met_on=TODAY).met_on == TODAY


def test_a_meeting_after_a_job_end_needs_the_job_end(
    specialist: User, member: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        meet(specialist, member, reason=TeamMeeting.Reason.AFTER_JOB_END)

    assert refusal.value.message_dict == {
        "job_end": ["Choose the job end this meeting follows."]
    }
    assert not TeamMeeting.objects.exists()


@pytest.mark.parametrize(
    "reason", [TeamMeeting.Reason.HOURS_CUT, TeamMeeting.Reason.TWO_PART_TIME]
)
def test_a_meeting_about_a_second_job_needs_no_job_end(
    specialist: User, member: Member, reason: str
) -> None:
    meeting = meet(specialist, member, reason=reason)

    assert (meeting.reason, meeting.job_end) == (reason, None)
    assert meeting.episode.is_open


def test_a_meeting_about_another_members_job_end_is_refused(
    case_manager: User,
    specialist: User,
    provider_a: ProviderSite,
    member: Member,
    job_end: JobEnd,
) -> None:
    other = member_in_ips(case_manager, specialist, provider_a)

    with pytest.raises(ValidationError) as refusal:
        meet(case_manager, other, job_end=job_end)

    assert refusal.value.message_dict == {
        "job_end": ["Choose one of this member's job ends."]
    }
    assert not TeamMeeting.objects.exists()


def test_a_meeting_needs_lessons_learned_and_next_steps(
    specialist: User, member: Member, job_end: JobEnd
) -> None:
    with pytest.raises(ValidationError) as refusal:
        meet(specialist, member, job_end=job_end, lessons_learned=" ", next_steps="")

    assert refusal.value.message_dict == {
        "lessons_learned": ["Write what the team learned."],
        "next_steps": ["Write the agreed next steps."],
    }


def test_a_meeting_is_refused_once_the_member_has_left_ips(
    case_manager: User, member: Member
) -> None:
    member.episodes.update(closed_on=D(2026, 6, 30))

    with pytest.raises(ValidationError) as refusal:
        meet(case_manager, member, reason=TeamMeeting.Reason.HOURS_CUT)

    assert refusal.value.messages == [
        "Team meetings are recorded while the member is in IPS."
    ]


@pytest.mark.parametrize(
    "person",
    [
        "outsider",
        "outsider_supervisor",
        "outsider_case_manager",
        "reviewer",
        "administrator",
    ],
)
def test_people_outside_the_team_may_not_record_a_meeting(
    request: pytest.FixtureRequest, member: Member, job_end: JobEnd, person: str
) -> None:
    actor = request.getfixturevalue(person)

    with pytest.raises(PermissionDenied):
        meet(actor, member, job_end=job_end)

    assert not TeamMeeting.objects.exists()


# The team log


@pytest.mark.parametrize("person", ["case_manager", "specialist", "supervisor"])
def test_the_team_writes_to_the_log_with_who_when_and_what_kind(
    request: pytest.FixtureRequest, member: Member, person: str
) -> None:
    actor = request.getfixturevalue(person)

    entry = team_log_add(
        actor=actor,
        member=member,
        kind=TeamLogEntry.Kind.CONTACT_PHONE,
        text="  Called about the bus pass. ",
    )

    entry.refresh_from_db()
    assert entry.member == member
    assert entry.kind == TeamLogEntry.Kind.CONTACT_PHONE
    assert entry.text == "Called about the bus pass."
    assert (entry.written_by, entry.written_at) == (actor, NOW)
    assert entry.history.get().history_user == actor


def test_case_manager_and_specialist_share_one_log(
    case_manager: User, specialist: User, member: Member
) -> None:
    team_log_add(
        actor=case_manager,
        member=member,
        kind=TeamLogEntry.Kind.STRENGTHS,
        text="Reliable and punctual.",
    )
    team_log_add(
        actor=specialist,
        member=member,
        kind=TeamLogEntry.Kind.REENGAGEMENT,
        text="Left a message after a missed meeting.",
    )

    assert [(e.written_by, e.kind) for e in member.team_log.order_by("pk")] == [
        (case_manager, "strengths"),
        (specialist, "reengagement"),
    ]


@pytest.mark.parametrize("text", ["", "   \n "])
def test_an_empty_log_entry_is_refused_on_its_text(
    specialist: User, member: Member, text: str
) -> None:
    with pytest.raises(ValidationError) as refusal:
        team_log_add(
            actor=specialist,
            member=member,
            kind=TeamLogEntry.Kind.NEEDS,
            text=text,
        )

    assert refusal.value.message_dict == {"text": ["Write the entry."]}
    assert not TeamLogEntry.objects.exists()


@pytest.mark.parametrize(
    "person",
    [
        "reviewer",
        "outsider",
        "outsider_supervisor",
        "outsider_case_manager",
        "administrator",
    ],
)
def test_the_reviewer_and_outsiders_may_not_write_to_the_log(
    request: pytest.FixtureRequest, member: Member, person: str
) -> None:
    actor = request.getfixturevalue(person)

    with pytest.raises(PermissionDenied):
        team_log_add(
            actor=actor,
            member=member,
            kind=TeamLogEntry.Kind.NEEDS,
            text="Not theirs to write.",
        )

    assert not TeamLogEntry.objects.exists()


# Exit from IPS


def leave(actor: User, member: Member, **changes: Any) -> Episode:
    arguments: dict[str, Any] = {
        "actor": actor,
        "member": member,
        "exited_on": D(2026, 11, 20),
        "reason": Episode.ExitReason.GOALS_MET,
        "transition_plan": f"  {PLAN} ",
        "notes": " Steady at the bakery. ",
    }
    arguments.update(changes)
    return episode_exit(**arguments)


def still_in_ips(member: Member) -> bool:
    episode = member.episodes.get()
    return episode.is_open and episode.transition_plan == ""


@pytest.mark.parametrize("person", ["case_manager", "supervisor"])
def test_an_exit_closes_the_episode_with_its_reason_plan_and_who(
    request: pytest.FixtureRequest, member: Member, person: str
) -> None:
    actor = request.getfixturevalue(person)

    leave(actor, member)

    episode = member.episodes.get()
    assert episode.closed_on == D(2026, 11, 20)
    assert episode.exit_reason == Episode.ExitReason.GOALS_MET
    assert episode.transition_plan == PLAN
    assert episode.exit_notes == "Steady at the bakery."
    assert episode.exited_by == actor
    assert episode.history.latest().history_user == actor


@pytest.mark.parametrize("plan", ["", "  \n "])
def test_an_exit_needs_a_transition_plan(
    case_manager: User, member: Member, plan: str
) -> None:
    with pytest.raises(ValidationError) as refusal:
        leave(case_manager, member, transition_plan=plan)

    assert refusal.value.message_dict == {
        "transition_plan": [
            "Name the ongoing supports the case manager and clinicians will provide."
        ]
    }
    assert still_in_ips(member)


def test_an_exit_before_the_member_joined_ips_is_refused(
    case_manager: User, member: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        leave(case_manager, member, exited_on=D(2026, 1, 9))

    assert refusal.value.message_dict == {
        "exited_on": ["The exit cannot be before the member joined IPS (01/10/2026)."]
    }
    assert still_in_ips(member)


def test_an_exit_on_the_day_the_member_joined_is_accepted(
    case_manager: User, member: Member
) -> None:
    episode = leave(case_manager, member, exited_on=D(2026, 1, 10))

    assert episode.closed_on == D(2026, 1, 10)


def test_an_exit_today_is_accepted_and_tomorrow_refused(
    case_manager: User, member: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        leave(case_manager, member, exited_on=TOMORROW)

    assert refusal.value.message_dict == {
        "exited_on": ["The exit date cannot be in the future."]
    }
    assert still_in_ips(member)
    assert leave(case_manager, member, exited_on=TODAY).closed_on == TODAY


def test_a_member_not_in_ips_cannot_exit_again(
    case_manager: User, member: Member
) -> None:
    leave(case_manager, member)

    with pytest.raises(ValidationError) as refusal:
        leave(case_manager, member, exited_on=TODAY)

    assert refusal.value.messages == ["The member is not in IPS at the moment."]
    assert member.episodes.get().closed_on == D(2026, 11, 20)


@pytest.mark.parametrize(
    "person",
    [
        "specialist",
        "reviewer",
        "outsider",
        "outsider_supervisor",
        "outsider_case_manager",
        "administrator",
    ],
)
def test_people_without_the_exit_or_outside_the_team_may_not_exit_a_member(
    request: pytest.FixtureRequest, member: Member, person: str
) -> None:
    actor = request.getfixturevalue(person)

    with pytest.raises(PermissionDenied):
        leave(actor, member)

    assert still_in_ips(member)


def test_after_an_exit_the_member_is_referred_again_and_a_second_episode_opens(
    case_manager: User, supervisor: User, specialist: User, member: Member
) -> None:
    first = leave(case_manager, member)

    referral = referral_create(
        actor=case_manager,
        member=member,
        provider=first.provider,
        referred_on=D(2026, 11, 25),
        conversation={"wants_to_work": True, "job_hopes": "A second part-time job."},
    )
    second = referral_accept(
        actor=supervisor,
        referral=referral,
        specialist=specialist,
        accepted_on=D(2026, 11, 30),
    )

    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert second.is_open
    assert second.opened_on == D(2026, 11, 30)
    assert list(member.episodes.order_by("opened_on")) == [first, second]
    first.refresh_from_db()
    assert (first.closed_on, first.transition_plan) == (D(2026, 11, 20), PLAN)


def test_an_exit_needs_a_reason(case_manager: User, member: Member) -> None:
    with pytest.raises(ValidationError) as refusal:
        leave(case_manager, member, reason="")

    assert list(refusal.value.message_dict) == ["reason"]
    assert still_in_ips(member)


def test_no_job_end_is_recorded_for_a_job_of_an_ended_time_in_ips(
    case_manager: User, specialist: User, member: Member
) -> None:
    job = job_for(specialist, member)
    leave(case_manager, member)

    with pytest.raises(ValidationError, match="time in IPS that has ended"):
        job_end_record(
            actor=case_manager,
            job=job,
            ended_on=D(2026, 6, 1),
            how_ended=JobEnd.HowEnded.QUIT,
        )

    assert not JobEnd.objects.exists()
