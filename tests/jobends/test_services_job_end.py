"""job_end_record, the job-end form, perspectives and employer consent."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from jobends.models import EmployerContactConsent, JobEnd, JobEndPerspective
from jobends.services import (
    employer_consent_problem,
    employer_consent_record,
    employer_consent_withdraw,
    job_end_form_complete,
    job_end_record,
    perspective_add,
)
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date
UTC = datetime.UTC

# Noon in Iowa on December 1, 2026: every date of the spring job is past.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
TODAY = D(2026, 12, 1)
APRIL_15 = D(2026, 4, 15)

NO_CONSENT = (
    "No consent to contact the employer is on file. Record the member's "
    "consent first; the employer's view can be added after."
)


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
def job(specialist: User, member: Member) -> Job:
    return job_record(
        actor=specialist,
        member=member,
        employer="Cedar Prairie Grocers",
        title="Stock clerk",
        first_day_on=APRIL_15,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )


def record(actor: User, job: Job, **changes: Any) -> JobEnd:
    arguments: dict[str, Any] = {
        "actor": actor,
        "job": job,
        "ended_on": D(2026, 5, 10),
        "how_ended": JobEnd.HowEnded.QUIT,
    }
    arguments.update(changes)
    return job_end_record(**arguments)


@pytest.fixture
def job_end(specialist: User, job: Job) -> JobEnd:
    return record(specialist, job)


def nothing_recorded(job: Job) -> bool:
    job.refresh_from_db()
    return job.ended_on is None and not JobEnd.objects.exists()


# Recording a job end


def test_a_job_end_sets_the_jobs_last_day_worked(specialist: User, job: Job) -> None:
    job_end = record(specialist, job, ended_on=D(2026, 5, 10))

    job.refresh_from_db()
    job_end.refresh_from_db()
    assert job.ended_on == D(2026, 5, 10)
    assert (job_end.job, job_end.ended_on) == (job, D(2026, 5, 10))
    assert job_end.how_ended == JobEnd.HowEnded.QUIT
    assert job_end.recorded_by == specialist
    assert job_end.recorded_at == NOW
    assert not job_end.is_form_complete


def test_history_names_who_recorded_the_job_end_on_the_job_and_the_job_end(
    specialist: User, job: Job
) -> None:
    job_end = record(specialist, job)

    assert job_end.history.get().history_user == specialist
    assert job.history.latest().history_user == specialist
    assert job.history.latest().ended_on == D(2026, 5, 10)


def test_a_job_can_end_on_its_first_day(specialist: User, job: Job) -> None:
    record(specialist, job, ended_on=APRIL_15)

    job.refresh_from_db()
    assert job.ended_on == APRIL_15


def test_a_last_day_before_the_jobs_first_day_is_refused_on_ended_on(
    specialist: User, job: Job
) -> None:
    with pytest.raises(ValidationError) as refusal:
        record(specialist, job, ended_on=D(2026, 4, 14))

    assert refusal.value.message_dict == {
        "ended_on": [
            "The last day worked cannot be before the job's first day (04/15/2026)."
        ]
    }
    assert nothing_recorded(job)


def test_a_last_day_worked_today_is_accepted(specialist: User, job: Job) -> None:
    record(specialist, job, ended_on=TODAY)

    job.refresh_from_db()
    assert job.ended_on == TODAY


def test_a_last_day_worked_tomorrow_is_refused_on_ended_on(
    specialist: User, job: Job
) -> None:
    with pytest.raises(ValidationError) as refusal:
        record(specialist, job, ended_on=D(2026, 12, 2))

    assert refusal.value.message_dict == {
        "ended_on": ["The last day worked cannot be in the future."]
    }
    assert nothing_recorded(job)


def test_late_on_an_iowa_evening_tomorrow_is_still_the_future(
    specialist: User, job: Job
) -> None:
    # 04:30 UTC on December 2 is 22:30 on December 1 in Iowa.
    evening = datetime.datetime(2026, 12, 2, 4, 30, tzinfo=UTC)
    with time_machine.travel(evening), pytest.raises(ValidationError) as refusal:
        record(specialist, job, ended_on=D(2026, 12, 2))

    assert list(refusal.value.message_dict) == ["ended_on"]
    assert nothing_recorded(job)


def test_a_second_job_end_for_the_same_job_is_refused(
    specialist: User, case_manager: User, job: Job, job_end: JobEnd
) -> None:
    with pytest.raises(ValidationError) as refusal:
        record(case_manager, job, ended_on=D(2026, 6, 1))

    assert refusal.value.messages == ["This job's end is already recorded."]
    job.refresh_from_db()
    assert job.ended_on == D(2026, 5, 10)
    assert JobEnd.objects.get() == job_end


@pytest.mark.parametrize("words", ["", "   "])
def test_other_needs_a_few_words_on_how_the_job_ended(
    specialist: User, job: Job, words: str
) -> None:
    with pytest.raises(ValidationError) as refusal:
        record(specialist, job, how_ended=JobEnd.HowEnded.OTHER, how_ended_other=words)

    assert refusal.value.message_dict == {
        "how_ended_other": ["Say in a few words how it ended."]
    }
    assert nothing_recorded(job)


def test_other_with_a_few_words_is_recorded_trimmed(specialist: User, job: Job) -> None:
    job_end = record(
        specialist,
        job,
        how_ended=JobEnd.HowEnded.OTHER,
        how_ended_other="  The store closed for a remodel. ",
    )

    job_end.refresh_from_db()
    assert job_end.how_ended_other == "The store closed for a remodel."


@pytest.mark.parametrize("person", ["specialist", "supervisor", "case_manager"])
def test_the_team_working_the_member_may_record_a_job_end(
    request: pytest.FixtureRequest, job: Job, person: str
) -> None:
    actor = request.getfixturevalue(person)

    job_end = record(actor, job)

    assert job_end.recorded_by == actor
    assert job_end.history.get().history_user == actor


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
def test_people_outside_the_members_team_may_not_record_a_job_end(
    request: pytest.FixtureRequest, job: Job, person: str
) -> None:
    actor = request.getfixturevalue(person)

    with pytest.raises(PermissionDenied):
        record(actor, job)

    assert nothing_recorded(job)


def test_the_former_provider_may_not_record_a_job_end_after_the_exit(
    specialist: User, supervisor: User, member: Member, job: Job
) -> None:
    member.episodes.update(closed_on=D(2026, 6, 30))

    for actor in (specialist, supervisor):
        with pytest.raises(PermissionDenied):
            record(actor, job)

    assert nothing_recorded(job)


# The Iowa job-end form


def form_answers(**changes: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "differed_from_expectations": JobEnd.Answer.YES,
        "differed_notes": "More lifting than the posting said.",
        "duties_changed": JobEnd.Answer.NO,
        "duties_notes": "",
        "job_support_needs": "A check-in during the first week of each schedule.",
        "disclosure": Member.Disclosure.PARTLY,
        "disclosure_notes": "Tells supervisors, not coworkers.",
        "job_preferences": "Daytime hours; no heavy lifting.",
    }
    answers.update(changes)
    return answers


def test_the_job_end_form_keeps_the_answers_and_who_completed_it_when(
    case_manager: User, job_end: JobEnd
) -> None:
    job_end_form_complete(actor=case_manager, job_end=job_end, answers=form_answers())

    job_end.refresh_from_db()
    assert job_end.differed_from_expectations == JobEnd.Answer.YES
    assert job_end.differed_notes == "More lifting than the posting said."
    assert job_end.duties_changed == JobEnd.Answer.NO
    assert job_end.duties_notes == ""
    assert job_end.form_completed_by == case_manager
    assert job_end.form_completed_at == NOW
    assert job_end.is_form_complete
    assert job_end.history.latest().history_user == case_manager


def test_the_job_end_form_carries_what_the_job_taught_to_the_member(
    specialist: User, member: Member, job_end: JobEnd
) -> None:
    job_end_form_complete(actor=specialist, job_end=job_end, answers=form_answers())

    member.refresh_from_db()
    assert member.job_support_needs == (
        "A check-in during the first week of each schedule."
    )
    assert member.disclosure == Member.Disclosure.PARTLY
    assert member.disclosure_notes == "Tells supervisors, not coworkers."
    assert member.job_preferences == "Daytime hours; no heavy lifting."
    row = member.history.latest()
    assert row.history_user == specialist
    assert row.history_change_reason == "Updated from a job-end form"
    assert row.disclosure == Member.Disclosure.PARTLY


def test_the_job_end_form_adds_no_member_history_when_nothing_changed(
    specialist: User, member: Member, job_end: JobEnd
) -> None:
    unchanged = form_answers(
        job_support_needs="",
        disclosure=Member.Disclosure.UNDECIDED,
        disclosure_notes="",
        job_preferences="",
    )
    rows_before = member.history.count()

    job_end_form_complete(actor=specialist, job_end=job_end, answers=unchanged)

    assert member.history.count() == rows_before


@pytest.mark.parametrize(
    "person", ["outsider", "outsider_case_manager", "reviewer", "administrator"]
)
def test_people_outside_the_team_may_not_complete_the_job_end_form(
    request: pytest.FixtureRequest, member: Member, job_end: JobEnd, person: str
) -> None:
    actor = request.getfixturevalue(person)

    with pytest.raises(PermissionDenied):
        job_end_form_complete(actor=actor, job_end=job_end, answers=form_answers())

    job_end.refresh_from_db()
    member.refresh_from_db()
    assert not job_end.is_form_complete
    assert member.disclosure == Member.Disclosure.UNDECIDED


# Perspectives on the ending


def consent(actor: User, member: Member, given_on: datetime.date) -> Any:
    return employer_consent_record(actor=actor, member=member, given_on=given_on)


@pytest.mark.parametrize("source", JobEndPerspective.Source.values)
@pytest.mark.parametrize("person", ["case_manager", "specialist"])
def test_each_perspective_can_be_written_by_the_case_manager_and_the_specialist(
    request: pytest.FixtureRequest,
    case_manager: User,
    member: Member,
    job_end: JobEnd,
    source: str,
    person: str,
) -> None:
    actor = request.getfixturevalue(person)
    consent(case_manager, member, D(2026, 5, 12))

    perspective = perspective_add(
        actor=actor, job_end=job_end, source=source, text="  How it looked to them. "
    )

    perspective.refresh_from_db()
    assert perspective.job_end == job_end
    assert perspective.source == source
    assert perspective.text == "How it looked to them."
    assert (perspective.written_by, perspective.written_at) == (actor, NOW)
    assert perspective.history.get().history_user == actor


def test_a_perspective_needs_its_text(specialist: User, job_end: JobEnd) -> None:
    with pytest.raises(ValidationError) as refusal:
        perspective_add(
            actor=specialist,
            job_end=job_end,
            source=JobEndPerspective.Source.MEMBER,
            text="  ",
        )

    assert refusal.value.message_dict == {"text": ["Write the perspective."]}
    assert not JobEndPerspective.objects.exists()


@pytest.mark.parametrize(
    "person", ["outsider", "outsider_case_manager", "reviewer", "administrator"]
)
def test_people_outside_the_team_may_not_add_a_perspective(
    request: pytest.FixtureRequest, job_end: JobEnd, person: str
) -> None:
    actor = request.getfixturevalue(person)

    with pytest.raises(PermissionDenied):
        perspective_add(
            actor=actor,
            job_end=job_end,
            source=JobEndPerspective.Source.MEMBER,
            text="Not theirs to write.",
        )

    assert not JobEndPerspective.objects.exists()


def employer_view(actor: User, job_end: JobEnd) -> JobEndPerspective:
    return perspective_add(
        actor=actor,
        job_end=job_end,
        source=JobEndPerspective.Source.EMPLOYER,
        text="The schedule changed and the member could not cover nights.",
    )


def test_the_employers_perspective_is_refused_without_consent_on_file(
    specialist: User, job_end: JobEnd
) -> None:
    with pytest.raises(ValidationError) as refusal:
        employer_view(specialist, job_end)

    assert refusal.value.message_dict == {"source": [NO_CONSENT]}
    assert not JobEndPerspective.objects.exists()


def test_the_employers_perspective_is_accepted_with_consent_on_file(
    specialist: User, case_manager: User, member: Member, job_end: JobEnd
) -> None:
    consent(case_manager, member, TODAY)

    perspective = employer_view(specialist, job_end)

    assert perspective.source == JobEndPerspective.Source.EMPLOYER


def test_the_employers_perspective_is_refused_after_consent_is_withdrawn(
    specialist: User, case_manager: User, member: Member, job_end: JobEnd
) -> None:
    given = consent(case_manager, member, D(2026, 5, 12))
    employer_view(specialist, job_end)
    employer_consent_withdraw(
        actor=specialist, consent=given, withdrawn_on=D(2026, 11, 20)
    )

    with pytest.raises(ValidationError) as refusal:
        employer_view(specialist, job_end)

    assert refusal.value.message_dict == {
        "source": [
            "The member withdrew consent to contact employers on 11/20/2026, so "
            "no new employer entries can be recorded."
        ]
    }
    # What was written with consent stays.
    assert JobEndPerspective.objects.count() == 1


def test_consent_given_again_after_a_withdrawal_lets_the_employer_in_again(
    specialist: User, case_manager: User, member: Member, job_end: JobEnd
) -> None:
    first = consent(case_manager, member, D(2026, 5, 12))
    employer_consent_withdraw(
        actor=case_manager, consent=first, withdrawn_on=D(2026, 6, 1)
    )
    consent(case_manager, member, D(2026, 11, 2))

    assert employer_consent_problem(member, TODAY) is None
    assert employer_view(specialist, job_end)


def test_consent_given_in_the_future_is_refused(
    case_manager: User, member: Member
) -> None:
    with pytest.raises(ValidationError) as refusal:
        consent(case_manager, member, D(2026, 12, 2))

    assert refusal.value.message_dict == {
        "given_on": ["The consent date cannot be in the future."]
    }
    assert not EmployerContactConsent.objects.exists()


def test_consent_is_recorded_with_who_and_when(
    case_manager: User, member: Member
) -> None:
    given = consent(case_manager, member, D(2026, 5, 12))

    given.refresh_from_db()
    assert (given.member, given.given_on) == (member, D(2026, 5, 12))
    assert given.withdrawn_on is None
    assert (given.recorded_by, given.recorded_at) == (case_manager, NOW)
    assert given.history.get().history_user == case_manager


def withdraw(actor: User, consent: Any, withdrawn_on: datetime.date) -> Any:
    return employer_consent_withdraw(
        actor=actor, consent=consent, withdrawn_on=withdrawn_on
    )


def test_consent_cannot_be_withdrawn_before_it_was_given(
    case_manager: User, member: Member
) -> None:
    given = consent(case_manager, member, D(2026, 5, 12))

    with pytest.raises(ValidationError) as refusal:
        withdraw(case_manager, given, D(2026, 5, 11))

    assert refusal.value.message_dict == {
        "withdrawn_on": ["Consent cannot be withdrawn before it was given."]
    }
    given.refresh_from_db()
    assert given.withdrawn_on is None


def test_consent_can_be_withdrawn_on_the_day_it_was_given(
    specialist: User, case_manager: User, member: Member
) -> None:
    given = consent(case_manager, member, D(2026, 5, 12))

    withdraw(specialist, given, D(2026, 5, 12))

    given.refresh_from_db()
    assert given.withdrawn_on == D(2026, 5, 12)
    assert given.history.latest().history_user == specialist


def test_consent_can_be_withdrawn_today_but_not_tomorrow(
    case_manager: User, member: Member
) -> None:
    given = consent(case_manager, member, D(2026, 5, 12))

    with pytest.raises(ValidationError) as refusal:
        withdraw(case_manager, given, D(2026, 12, 2))

    assert refusal.value.message_dict == {
        "withdrawn_on": ["The withdrawal date cannot be in the future."]
    }
    withdraw(case_manager, given, TODAY)
    given.refresh_from_db()
    assert given.withdrawn_on == TODAY


def test_consent_already_withdrawn_cannot_be_withdrawn_again(
    case_manager: User, member: Member
) -> None:
    given = consent(case_manager, member, D(2026, 5, 12))
    withdraw(case_manager, given, D(2026, 6, 1))

    with pytest.raises(ValidationError) as refusal:
        withdraw(case_manager, given, D(2026, 7, 1))

    assert refusal.value.messages == ["This consent is already withdrawn."]
    given.refresh_from_db()
    assert given.withdrawn_on == D(2026, 6, 1)


@pytest.mark.parametrize(
    "person", ["outsider", "outsider_case_manager", "reviewer", "administrator"]
)
def test_people_outside_the_team_may_not_record_or_withdraw_consent(
    request: pytest.FixtureRequest, case_manager: User, member: Member, person: str
) -> None:
    actor = request.getfixturevalue(person)

    with pytest.raises(PermissionDenied):
        consent(actor, member, D(2026, 5, 12))
    given = consent(case_manager, member, D(2026, 5, 12))
    with pytest.raises(PermissionDenied):
        withdraw(actor, given, D(2026, 6, 1))

    given.refresh_from_db()
    assert given.withdrawn_on is None
    assert EmployerContactConsent.objects.count() == 1
