"""achievement_log, achievement_void and evidence_add (rule — achievements)."""

import datetime
import hashlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from accounts.models import User
from jobs.models import Job
from jobs.services import job_record
from members.models import Member
from milestones.models import (
    AuthorizationRound,
    EvidenceDocument,
    MilestoneAchievement,
    MilestoneAuthorization,
)
from milestones.rules import Window
from milestones.services import (
    CapWarning,
    EvidenceUpload,
    achievement_log,
    achievement_void,
    evidence_add,
    milestone_window_change,
)
from providers.models import ProviderSite
from tests.factories import EpisodeFactory, MemberFactory
from tests.milestones.helpers import authorize
from tests.uploads import empty_pdf, jpeg, pdf, png, text_named_pdf

pytestmark = pytest.mark.django_db
D = datetime.date
UTC = datetime.UTC

# Late in 2026, so every date of the Iowa example is in the past. Noon in Iowa.
NOW = datetime.datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
PLAN = EvidenceDocument.Kind.SERVICE_PLAN
EMPLOYMENT_PLAN = EvidenceDocument.Kind.EMPLOYMENT_PLAN
SERVICE_DOCUMENTATION = EvidenceDocument.Kind.SERVICE_DOCUMENTATION
TEN_MB = 10 * 1024 * 1024
APRIL_15 = D(2026, 4, 15)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


# Files, built byte by byte


# The member, the round and the job


@pytest.fixture
def member(case_manager: User, specialist: User, provider_a: ProviderSite) -> Member:
    member = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=member, provider=provider_a, specialist=specialist)
    return member


@pytest.fixture
def authorization(case_manager: User, member: Member) -> AuthorizationRound:
    """The Iowa example: Feb 1–Mar 31, April, May and July 2026."""
    return authorize(case_manager, member)


def line(authorization: AuthorizationRound, number: int) -> MilestoneAuthorization:
    return authorization.lines.get(milestone=number)


def job_for(
    actor: User,
    member: Member,
    first_day_on: datetime.date = APRIL_15,
    ended_on: datetime.date | None = None,
) -> Job:
    job = job_record(
        actor=actor,
        member=member,
        employer="Cedar Prairie Grocers",
        title="Stock clerk",
        first_day_on=first_day_on,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("15.50"),
    )
    if ended_on is not None:
        job.ended_on = ended_on
        job.save()
    return job


@pytest.fixture
def job(specialist: User, member: Member) -> Job:
    return job_for(specialist, member)


def log(
    actor: User,
    authorization: AuthorizationRound,
    number: int,
    **changes: Any,
) -> MilestoneAchievement:
    """Log a milestone with the document it needs."""
    arguments: dict[str, Any] = {
        "actor": actor,
        "line": line(authorization, number),
        "evidence": [
            EvidenceUpload(
                EMPLOYMENT_PLAN if number == 1 else SERVICE_DOCUMENTATION, pdf()
            )
        ],
    }
    if number == 1:
        arguments["achieved_on"] = D(2026, 3, 20)
    arguments.update(changes)
    return achievement_log(**arguments)


def nothing_saved() -> bool:
    return (
        not MilestoneAchievement.objects.exists()
        and not EvidenceDocument.objects.exists()
    )


# Milestone 1: a date and the employment plan


def test_milestone_1_is_logged_on_its_date_with_the_employment_plan(
    specialist: User, authorization: AuthorizationRound
) -> None:
    upload = pdf("Plan for Testmember Sample.pdf")
    content = upload.read()
    upload.seek(0)

    achievement = achievement_log(
        actor=specialist,
        line=line(authorization, 1),
        achieved_on=D(2026, 3, 20),
        evidence=[EvidenceUpload(EMPLOYMENT_PLAN, upload)],
    )

    achievement.refresh_from_db()
    assert achievement.achieved_on == D(2026, 3, 20)
    assert achievement.job is None
    assert achievement.recorded_by == specialist
    assert achievement.is_billable
    assert achievement.history.get().history_user == specialist
    document = achievement.documents.get()
    assert document.kind == EMPLOYMENT_PLAN
    assert document.content_type == "application/pdf"
    assert document.extension == "pdf"
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.original_name == "Plan for Testmember Sample.pdf"
    assert document.uploaded_by == specialist
    with document.file.open("rb") as stored:
        assert stored.read() == content


def test_the_stored_file_name_says_nothing_about_the_original_name(
    specialist: User, authorization: AuthorizationRound
) -> None:
    achievement = log(
        specialist,
        authorization,
        1,
        evidence=[EvidenceUpload(EMPLOYMENT_PLAN, pdf("Testmember Sample plan.pdf"))],
    )

    document = achievement.documents.get()
    assert document.file.name == f"evidence/{document.public_id}.pdf"
    assert "Testmember" not in document.file.name
    assert "plan" not in document.file.name


def test_milestone_1_needs_the_date_the_plan_was_completed(
    specialist: User, authorization: AuthorizationRound
) -> None:
    with pytest.raises(ValidationError) as refusal:
        log(specialist, authorization, 1, achieved_on=None)

    assert refusal.value.message_dict == {
        "achieved_on": ["Enter the date the employment plan was completed."]
    }
    assert nothing_saved()


def test_milestone_1_ignores_a_job_given_with_it(
    specialist: User, authorization: AuthorizationRound, job: Job
) -> None:
    achievement = log(specialist, authorization, 1, job=job)

    assert achievement.job is None


def test_a_supervisor_may_log_a_milestone(
    supervisor: User, authorization: AuthorizationRound
) -> None:
    achievement = log(supervisor, authorization, 1)

    assert achievement.recorded_by == supervisor


@pytest.mark.parametrize(
    "person",
    ["case_manager", "reviewer", "administrator", "outsider_case_manager"],
)
def test_roles_without_service_logging_may_not_log_a_milestone(
    request: pytest.FixtureRequest, authorization: AuthorizationRound, person: str
) -> None:
    with pytest.raises(PermissionDenied):
        log(request.getfixturevalue(person), authorization, 1)

    assert nothing_saved()


# Milestones 2–4 take their dates from the job


def test_milestone_2_takes_the_jobs_first_day_whatever_date_is_given(
    specialist: User, authorization: AuthorizationRound, job: Job
) -> None:
    achievement = log(specialist, authorization, 2, job=job, achieved_on=D(2026, 4, 20))

    assert achievement.achieved_on == D(2026, 4, 15)
    assert achievement.job == job
    assert achievement.is_billable


@pytest.mark.parametrize(
    ("number", "reached_on"), [(3, D(2026, 5, 29)), (4, D(2026, 7, 13))]
)
def test_milestones_3_and_4_take_the_jobs_day_45_and_day_90(
    specialist: User,
    authorization: AuthorizationRound,
    job: Job,
    number: int,
    reached_on: datetime.date,
) -> None:
    achievement = log(specialist, authorization, number, job=job)

    assert achievement.achieved_on == reached_on
    assert achievement.is_billable


@pytest.mark.parametrize("number", [2, 3, 4])
def test_milestones_2_to_4_need_a_job(
    specialist: User, authorization: AuthorizationRound, number: int
) -> None:
    with pytest.raises(ValidationError) as refusal:
        log(specialist, authorization, number, job=None)

    assert refusal.value.message_dict == {
        "job": ["Choose one of the member's jobs in this time in IPS."]
    }
    assert nothing_saved()


def test_a_job_of_another_member_is_refused(
    specialist: User,
    case_manager: User,
    provider_a: ProviderSite,
    authorization: AuthorizationRound,
) -> None:
    other = MemberFactory(managing_organization=case_manager.organization)
    EpisodeFactory(member=other, provider=provider_a, specialist=specialist)
    their_job = job_for(specialist, other)

    with pytest.raises(ValidationError) as refusal:
        log(specialist, authorization, 2, job=their_job)

    assert refusal.value.message_dict == {
        "job": ["Choose one of the member's jobs in this time in IPS."]
    }
    assert nothing_saved()


@pytest.mark.parametrize(
    ("number", "last_day_after_first", "accepted"),
    [
        (2, 0, True),  # a one-day job still had its first day
        (3, 43, False),  # ended on day 44
        (3, 44, True),  # worked through day 45
        (4, 88, False),  # ended on day 89
        (4, 89, True),  # worked through day 90
    ],
)
def test_a_job_must_be_held_through_the_retention_day(
    specialist: User,
    member: Member,
    authorization: AuthorizationRound,
    number: int,
    last_day_after_first: int,
    accepted: bool,
) -> None:
    first_day = D(2026, 4, 15)
    job = job_for(
        specialist,
        member,
        first_day,
        ended_on=first_day + datetime.timedelta(days=last_day_after_first),
    )

    if accepted:
        assert log(specialist, authorization, number, job=job).job == job
    else:
        with pytest.raises(ValidationError) as refusal:
            log(specialist, authorization, number, job=job)
        [message] = refusal.value.message_dict["job"]
        assert message.startswith(f"This job ended on {job.ended_on:%m/%d/%Y}")
        assert nothing_saved()


def test_day_45_ending_message_names_the_last_day_and_day_45(
    specialist: User, member: Member, authorization: AuthorizationRound
) -> None:
    job = job_for(specialist, member, D(2026, 4, 15), ended_on=D(2026, 5, 28))

    with pytest.raises(ValidationError) as refusal:
        log(specialist, authorization, 3, job=job)

    assert refusal.value.message_dict == {
        "job": ["This job ended on 05/28/2026, before its day 45 (05/29/2026)."]
    }


# Dates still to come, by the Iowa calendar


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        # 04:59 UTC on May 29 is still May 28 in Iowa (CDT, UTC-5).
        (datetime.datetime(2026, 5, 29, 4, 59, tzinfo=UTC), False),
        (datetime.datetime(2026, 5, 29, 5, 0, tzinfo=UTC), True),
    ],
)
def test_day_45_can_be_logged_from_that_day_in_iowa(
    specialist: User,
    authorization: AuthorizationRound,
    job: Job,
    moment: datetime.datetime,
    accepted: bool,
) -> None:
    with time_machine.travel(moment, tick=False):
        if accepted:
            assert log(specialist, authorization, 3, job=job).achieved_on == D(
                2026, 5, 29
            )
        else:
            with pytest.raises(ValidationError) as refusal:
                log(specialist, authorization, 3, job=job)
            assert refusal.value.message_dict == {
                "job": [
                    "05/29/2026 is still to come: the milestone can be logged "
                    "from that day."
                ]
            }
            assert nothing_saved()


@pytest.mark.parametrize(
    ("achieved_on", "accepted"),
    [(D(2026, 12, 1), True), (D(2026, 12, 2), False)],
)
def test_milestone_1_dated_after_today_in_iowa_is_refused(
    specialist: User,
    authorization: AuthorizationRound,
    achieved_on: datetime.date,
    accepted: bool,
) -> None:
    # 03:00 UTC on December 2 is 9 p.m. on December 1 in Iowa (CST, UTC-6).
    with time_machine.travel(datetime.datetime(2026, 12, 2, 3, 0, tzinfo=UTC)):
        if accepted:
            assert log(specialist, authorization, 1, achieved_on=achieved_on)
        else:
            with pytest.raises(ValidationError) as refusal:
                log(specialist, authorization, 1, achieved_on=achieved_on)
            assert list(refusal.value.message_dict) == ["achieved_on"]
            assert "12/02/2026 is still to come" in str(refusal.value)
            assert nothing_saved()


@pytest.mark.parametrize(
    ("moment", "achieved_on", "accepted"),
    [
        # Daylight saving time begins in Iowa on March 8, 2026: midnight is
        # still CST (UTC-6).
        (datetime.datetime(2026, 3, 8, 5, 59, tzinfo=UTC), D(2026, 3, 8), False),
        (datetime.datetime(2026, 3, 8, 6, 0, tzinfo=UTC), D(2026, 3, 8), True),
        # It ends on November 1, 2026: midnight is still CDT (UTC-5).
        (datetime.datetime(2026, 11, 1, 4, 59, tzinfo=UTC), D(2026, 11, 1), False),
        (datetime.datetime(2026, 11, 1, 5, 0, tzinfo=UTC), D(2026, 11, 1), True),
    ],
)
def test_the_iowa_day_turns_at_local_midnight_on_daylight_saving_days(
    specialist: User,
    authorization: AuthorizationRound,
    moment: datetime.datetime,
    achieved_on: datetime.date,
    accepted: bool,
) -> None:
    with time_machine.travel(moment, tick=False):
        if accepted:
            assert log(specialist, authorization, 1, achieved_on=achieved_on)
        else:
            with pytest.raises(ValidationError, match="is still to come"):
                log(specialist, authorization, 1, achieved_on=achieved_on)
            assert nothing_saved()


def test_milestone_2_of_a_job_not_started_yet_is_refused(
    specialist: User, member: Member, authorization: AuthorizationRound
) -> None:
    job = job_for(specialist, member, D(2026, 12, 7))

    with pytest.raises(ValidationError) as refusal:
        log(specialist, authorization, 2, job=job)

    assert refusal.value.message_dict == {
        "job": [
            "12/07/2026 is still to come: the milestone can be logged from that day."
        ]
    }
    assert nothing_saved()


# Documents


def test_missing_employment_plan_is_refused_next_to_its_field(
    specialist: User, authorization: AuthorizationRound
) -> None:
    with pytest.raises(ValidationError) as refusal:
        log(specialist, authorization, 1, evidence=[])

    assert refusal.value.message_dict == {
        "evidence_employment_plan": ["Attach the employment plan."]
    }
    assert nothing_saved()


@pytest.mark.parametrize("number", [2, 3, 4])
def test_missing_service_documentation_is_refused_even_with_the_service_plan(
    specialist: User, authorization: AuthorizationRound, job: Job, number: int
) -> None:
    with pytest.raises(ValidationError) as refusal:
        log(
            specialist,
            authorization,
            number,
            job=job,
            evidence=[EvidenceUpload(PLAN, pdf("pcsp.pdf"))],
        )

    assert refusal.value.message_dict == {
        "evidence_service_documentation": ["Attach the service documentation."]
    }
    assert nothing_saved()


def test_a_document_kind_that_does_not_belong_to_the_milestone_is_refused(
    specialist: User, authorization: AuthorizationRound
) -> None:
    with pytest.raises(ValidationError) as refusal:
        log(
            specialist,
            authorization,
            1,
            evidence=[
                EvidenceUpload(EMPLOYMENT_PLAN, pdf()),
                EvidenceUpload(SERVICE_DOCUMENTATION, pdf()),
            ],
        )

    assert refusal.value.message_dict == {
        "__all__": ["That kind of document does not belong to this milestone."]
    }
    assert nothing_saved()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (text_named_pdf, "Upload a PDF, PNG or JPEG file."),
        (empty_pdf, "This file is empty."),
        (lambda: pdf(size=TEN_MB + 1), "larger than the 10 MB limit"),
    ],
    ids=["text-renamed-pdf", "empty", "over-10-mb"],
)
def test_a_bad_file_is_refused_next_to_its_field_and_nothing_is_saved(
    specialist: User,
    authorization: AuthorizationRound,
    upload: Any,
    message: str,
) -> None:
    with pytest.raises(ValidationError) as refusal:
        log(
            specialist,
            authorization,
            1,
            evidence=[EvidenceUpload(EMPLOYMENT_PLAN, upload())],
        )

    [error] = refusal.value.message_dict["evidence_employment_plan"]
    assert message in error
    assert list(refusal.value.message_dict) == ["evidence_employment_plan"]
    assert nothing_saved()


def test_a_bad_optional_service_plan_refuses_the_whole_entry(
    specialist: User, authorization: AuthorizationRound, job: Job
) -> None:
    with pytest.raises(ValidationError) as refusal:
        log(
            specialist,
            authorization,
            2,
            job=job,
            evidence=[
                EvidenceUpload(SERVICE_DOCUMENTATION, pdf()),
                EvidenceUpload(PLAN, text_named_pdf()),
            ],
        )

    assert list(refusal.value.message_dict) == ["evidence_service_plan"]
    assert nothing_saved()


def test_a_file_of_exactly_10_mb_is_accepted(
    specialist: User, authorization: AuthorizationRound
) -> None:
    achievement = log(
        specialist,
        authorization,
        1,
        evidence=[EvidenceUpload(EMPLOYMENT_PLAN, pdf(size=TEN_MB))],
    )

    assert achievement.documents.get().size == TEN_MB


@pytest.mark.parametrize(
    ("upload", "content_type", "extension"),
    [(png, "image/png", "png"), (jpeg, "image/jpeg", "jpg")],
)
def test_images_are_accepted_and_typed_by_their_content_not_their_name(
    specialist: User,
    authorization: AuthorizationRound,
    upload: Any,
    content_type: str,
    extension: str,
) -> None:
    achievement = log(
        specialist,
        authorization,
        1,
        evidence=[EvidenceUpload(EMPLOYMENT_PLAN, upload("signed plan.pdf"))],
    )

    document = achievement.documents.get()
    assert (document.content_type, document.extension) == (content_type, extension)
    assert document.file.name == f"evidence/{document.public_id}.{extension}"


def test_the_service_plan_may_come_with_the_service_documentation(
    specialist: User, authorization: AuthorizationRound, job: Job
) -> None:
    achievement = log(
        specialist,
        authorization,
        2,
        job=job,
        evidence=[
            EvidenceUpload(SERVICE_DOCUMENTATION, pdf("notes.pdf")),
            EvidenceUpload(PLAN, png("pcsp.png")),
        ],
    )

    kinds = set(achievement.documents.values_list("kind", flat=True))
    assert kinds == {PLAN, SERVICE_DOCUMENTATION}


# Outside the window, then billable once the window changes


def test_an_achievement_outside_its_window_is_saved_but_not_billable(
    specialist: User, member: Member, authorization: AuthorizationRound
) -> None:
    late_april = job_for(specialist, member, D(2026, 4, 28))

    achievement = log(specialist, authorization, 3, job=late_april)

    achievement.refresh_from_db()
    assert achievement.achieved_on == D(2026, 6, 11)
    assert not achievement.is_billable


def test_it_becomes_billable_when_the_case_manager_changes_the_window(
    specialist: User,
    case_manager: User,
    member: Member,
    authorization: AuthorizationRound,
) -> None:
    late_april = job_for(specialist, member, D(2026, 4, 28))
    achievement = log(specialist, authorization, 3, job=late_april)

    milestone_window_change(
        actor=case_manager,
        line=line(authorization, 3),
        window=Window(D(2026, 6, 1), D(2026, 6, 30)),
        reason="Day 45 of the job starting 04/28/2026 falls in June.",
    )

    assert MilestoneAchievement.objects.get(pk=achievement.pk).is_billable
    change = line(authorization, 3).history.first()
    assert change.history_user == case_manager
    assert change.history_change_reason == (
        "Day 45 of the job starting 04/28/2026 falls in June."
    )
    assert (change.window_begins_on, change.window_ends_on) == (
        D(2026, 6, 1),
        D(2026, 6, 30),
    )


def test_milestone_1_completed_late_becomes_billable_when_its_window_is_stretched(
    specialist: User, case_manager: User, authorization: AuthorizationRound
) -> None:
    achievement = log(specialist, authorization, 1, achieved_on=D(2026, 4, 10))
    assert not achievement.is_billable

    stretch = {
        "actor": case_manager,
        "line": line(authorization, 1),
        "window": Window(D(2026, 2, 1), D(2026, 4, 10)),
        "reason": "The plan took longer to write.",
    }
    # Milestones 1 and 2 could now both be paid in April.
    with pytest.raises(CapWarning) as warning:
        milestone_window_change(**stretch)
    assert [(risk.month, risk.total) for risk in warning.value.risks] == [
        (D(2026, 4, 1), Decimal("3964.95"))
    ]
    assert not MilestoneAchievement.objects.get(pk=achievement.pk).is_billable

    milestone_window_change(**stretch, cap_warning_seen=True)

    assert MilestoneAchievement.objects.get(pk=achievement.pk).is_billable


# Once only; voided with a reason, never deleted


def test_a_milestone_is_achieved_at_most_once(
    specialist: User, member: Member, authorization: AuthorizationRound, job: Job
) -> None:
    log(specialist, authorization, 2, job=job)
    second_job = job_for(specialist, member, D(2026, 4, 20))

    with pytest.raises(ValidationError, match="already been achieved"):
        log(specialist, authorization, 2, job=second_job)

    assert MilestoneAchievement.objects.count() == 1
    assert EvidenceDocument.objects.count() == 1


def test_the_database_refuses_a_second_active_achievement_of_a_line(
    specialist: User, authorization: AuthorizationRound
) -> None:
    first = log(specialist, authorization, 1)

    with pytest.raises(IntegrityError):
        MilestoneAchievement.objects.create(
            line=first.line, achieved_on=D(2026, 3, 21), recorded_by=specialist
        )


@pytest.mark.parametrize("reason", ["", "   "])
def test_voiding_needs_a_reason(
    specialist: User, authorization: AuthorizationRound, reason: str
) -> None:
    achievement = log(specialist, authorization, 1)

    with pytest.raises(ValidationError) as refusal:
        achievement_void(actor=specialist, achievement=achievement, reason=reason)

    assert refusal.value.message_dict == {"reason": ["Say why this entry is wrong."]}
    achievement.refresh_from_db()
    assert not achievement.is_voided


def test_voiding_keeps_the_entry_on_the_record_with_who_when_and_why(
    specialist: User, supervisor: User, authorization: AuthorizationRound
) -> None:
    achievement = log(specialist, authorization, 1)

    achievement_void(
        actor=supervisor,
        achievement=achievement,
        reason="  Wrong date: the plan was signed in March. ",
    )

    kept = MilestoneAchievement.objects.get(pk=achievement.pk)
    assert kept.voided_at == NOW
    assert kept.voided_by == supervisor
    assert kept.void_reason == "Wrong date: the plan was signed in March."
    assert kept.is_voided
    assert not kept.is_billable
    assert kept.documents.count() == 1
    latest = kept.history.first()
    assert latest.history_user == supervisor
    assert latest.history_change_reason == "Wrong date: the plan was signed in March."


def test_a_long_void_reason_is_kept_whole_in_the_history(
    specialist: User, supervisor: User, authorization: AuthorizationRound
) -> None:
    # Longer than the 100 characters history reasons once had: PostgreSQL
    # refused such a void outright.
    reason = "The plan was signed in March, not February; " * 8
    achievement = log(specialist, authorization, 1)

    achievement_void(actor=supervisor, achievement=achievement, reason=reason)

    latest = MilestoneAchievement.objects.get(pk=achievement.pk).history.first()
    assert latest.history_change_reason == reason.strip()


def test_a_voided_milestone_can_be_logged_again(
    specialist: User, authorization: AuthorizationRound
) -> None:
    wrong = log(specialist, authorization, 1, achieved_on=D(2026, 3, 2))
    achievement_void(actor=specialist, achievement=wrong, reason="Typed the wrong day.")

    corrected = log(specialist, authorization, 1, achieved_on=D(2026, 3, 20))

    assert corrected.pk != wrong.pk
    assert MilestoneAchievement.objects.count() == 2
    assert list(MilestoneAchievement.objects.filter(voided_at__isnull=True)) == [
        corrected
    ]


def test_an_achievement_is_voided_only_once(
    specialist: User, authorization: AuthorizationRound
) -> None:
    achievement = log(specialist, authorization, 1)
    achievement_void(actor=specialist, achievement=achievement, reason="Duplicate.")

    with pytest.raises(ValidationError, match="already voided"):
        achievement_void(actor=specialist, achievement=achievement, reason="Again.")


@pytest.mark.parametrize("person", ["case_manager", "reviewer", "administrator"])
def test_roles_without_service_logging_may_not_void(
    request: pytest.FixtureRequest,
    specialist: User,
    authorization: AuthorizationRound,
    person: str,
) -> None:
    achievement = log(specialist, authorization, 1)

    with pytest.raises(PermissionDenied):
        achievement_void(
            actor=request.getfixturevalue(person),
            achievement=achievement,
            reason="Not mine to void.",
        )

    achievement.refresh_from_db()
    assert not achievement.is_voided


# Rounds and episodes no longer open


def test_a_voided_round_refuses_achievements(
    specialist: User, case_manager: User, authorization: AuthorizationRound
) -> None:
    AuthorizationRound.objects.filter(pk=authorization.pk).update(
        voided_at=NOW, voided_by=case_manager, void_reason="Entered twice."
    )

    with pytest.raises(ValidationError, match="no longer open for achievements"):
        log(specialist, authorization, 1)

    assert nothing_saved()


def test_a_closed_episode_refuses_achievements(
    specialist: User, member: Member, authorization: AuthorizationRound, job: Job
) -> None:
    member.episodes.update(closed_on=D(2026, 9, 30))

    # The team no longer works for the member, so the service refuses them.
    with pytest.raises(PermissionDenied):
        log(specialist, authorization, 2, job=job)

    assert nothing_saved()


# Adding a document later


def test_the_service_plan_can_be_added_to_an_achievement_later(
    specialist: User, supervisor: User, authorization: AuthorizationRound
) -> None:
    achievement = log(specialist, authorization, 1)

    document = evidence_add(
        actor=supervisor,
        achievement=achievement,
        upload=EvidenceUpload(PLAN, jpeg("pcsp photo.jpg")),
    )

    assert document.achievement == achievement
    assert (document.kind, document.content_type) == (PLAN, "image/jpeg")
    assert document.uploaded_by == supervisor
    assert document.history.get().history_user == supervisor
    assert achievement.documents.count() == 2


@pytest.mark.parametrize(
    "upload",
    [text_named_pdf, empty_pdf, lambda: pdf(size=TEN_MB + 1)],
    ids=["text-renamed-pdf", "empty", "over-10-mb"],
)
def test_a_bad_added_file_is_refused_next_to_the_file_field(
    specialist: User, authorization: AuthorizationRound, upload: Any
) -> None:
    achievement = log(specialist, authorization, 1)

    with pytest.raises(ValidationError) as refusal:
        evidence_add(
            actor=specialist,
            achievement=achievement,
            upload=EvidenceUpload(PLAN, upload()),
        )

    assert list(refusal.value.message_dict) == ["file"]
    assert EvidenceDocument.objects.count() == 1


def test_a_kind_of_another_milestone_cannot_be_added(
    specialist: User, authorization: AuthorizationRound
) -> None:
    achievement = log(specialist, authorization, 1)

    with pytest.raises(ValidationError) as refusal:
        evidence_add(
            actor=specialist,
            achievement=achievement,
            upload=EvidenceUpload(SERVICE_DOCUMENTATION, pdf()),
        )

    assert list(refusal.value.message_dict) == ["kind"]
    assert EvidenceDocument.objects.count() == 1


def test_documents_cannot_be_added_to_a_voided_achievement(
    specialist: User, authorization: AuthorizationRound
) -> None:
    achievement = log(specialist, authorization, 1)
    achievement_void(actor=specialist, achievement=achievement, reason="Duplicate.")
    achievement.refresh_from_db()

    with pytest.raises(ValidationError, match="voided achievement"):
        evidence_add(
            actor=specialist,
            achievement=achievement,
            upload=EvidenceUpload(PLAN, pdf()),
        )

    assert EvidenceDocument.objects.count() == 1


@pytest.mark.parametrize("person", ["case_manager", "reviewer", "administrator"])
def test_roles_without_service_logging_may_not_add_documents(
    request: pytest.FixtureRequest,
    specialist: User,
    authorization: AuthorizationRound,
    person: str,
) -> None:
    achievement = log(specialist, authorization, 1)

    with pytest.raises(PermissionDenied):
        evidence_add(
            actor=request.getfixturevalue(person),
            achievement=achievement,
            upload=EvidenceUpload(PLAN, pdf()),
        )

    assert EvidenceDocument.objects.count() == 1


def test_milestone_1_cannot_be_dated_before_the_member_joined_ips(
    specialist: User, authorization: AuthorizationRound
) -> None:
    with pytest.raises(ValidationError) as refusal:
        log(specialist, authorization, 1, achieved_on=D(2026, 1, 9))

    assert list(refusal.value.message_dict) == ["achieved_on"]
    assert "before the member joined (01/10/2026)" in str(refusal.value)
    assert nothing_saved()


def test_a_job_from_an_earlier_time_in_ips_does_not_pay_for_this_one(
    specialist: User,
    case_manager: User,
    member: Member,
    authorization: AuthorizationRound,
    job: Job,
    provider_a: ProviderSite,
) -> None:
    member.episodes.update(closed_on=D(2026, 6, 30))
    later = EpisodeFactory(
        member=member,
        provider=provider_a,
        specialist=specialist,
        opened_on=D(2026, 7, 6),
    )
    second_round = authorize(
        case_manager,
        member,
        authorized_on=D(2026, 7, 10),
        windows={
            1: Window(D(2026, 7, 10), D(2026, 8, 31)),
            2: Window(D(2026, 9, 1), D(2026, 9, 30)),
            3: Window(D(2026, 10, 1), D(2026, 10, 31)),
            4: Window(D(2026, 12, 1), D(2026, 12, 31)),
        },
    )
    assert second_round.episode == later

    with pytest.raises(ValidationError) as refusal:
        log(specialist, second_round, 2, job=job)

    assert list(refusal.value.message_dict) == ["job"]
