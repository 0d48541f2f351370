"""Writes for job ends, the job-end form, consent, meetings, the log and exit.

Every write names its actor in the history. Failures a person can fix raise
ValidationError keyed by form field.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from access.policy import Action, require_action_on_member
from accounts.models import User
from core.dates import iowa_today
from core.history import attribute_to
from flags.queue import member_flags_refresh
from jobends.models import (
    EmployerContactConsent,
    JobEnd,
    JobEndPerspective,
    TeamLogEntry,
    TeamMeeting,
)
from jobs.models import Job
from members.models import Member
from milestones.services import rounds_touch
from referrals.models import Episode

WHAT_JOBS_TEACH = (
    "job_support_needs",
    "disclosure",
    "disclosure_notes",
    "job_preferences",
)


def _not_in_future(day: datetime.date, field: str, what: str) -> None:
    if day > iowa_today():
        raise ValidationError({field: f"The {what} cannot be in the future."})


@transaction.atomic
def job_end_record(
    *,
    actor: User,
    job: Job,
    ended_on: datetime.date,
    how_ended: str,
    how_ended_other: str = "",
) -> JobEnd:
    """Record a job end as soon as it is known: the last day worked and how.

    The job's end date becomes the last day worked, so milestones it can no
    longer reach show as such; nothing already achieved or billed changes.
    One job end per job.
    """
    require_action_on_member(actor, Action.RECORD_JOB_END, job.member)
    job = Job.objects.select_for_update().select_related("episode").get(pk=job.pk)
    if job.episode.closed_on is not None:
        raise ValidationError("This job belongs to a time in IPS that has ended.")
    if JobEnd.objects.filter(job=job).exists():
        raise ValidationError("This job's end is already recorded.")
    if ended_on < job.first_day_on:
        raise ValidationError(
            {
                "ended_on": "The last day worked cannot be before the job's first "
                f"day ({job.first_day_on:%m/%d/%Y})."
            }
        )
    _not_in_future(ended_on, "ended_on", "last day worked")
    if how_ended == JobEnd.HowEnded.OTHER and not how_ended_other.strip():
        raise ValidationError({"how_ended_other": "Say in a few words how it ended."})

    job.ended_on = ended_on
    attribute_to(job, actor).save()
    # The job's end date decides which milestones it can still reach.
    rounds_touch(episode_ids=[job.episode_id])
    job_end = JobEnd(
        job=job,
        ended_on=ended_on,
        how_ended=how_ended,
        how_ended_other=how_ended_other.strip(),
        recorded_by=actor,
    )
    try:
        with transaction.atomic():
            attribute_to(job_end, actor).save()
    except IntegrityError as error:
        raise ValidationError("This job's end is already recorded.") from error
    member_flags_refresh(job_end.job.member_id)
    return job_end


@transaction.atomic
def job_end_form_complete(
    *, actor: User, job_end: JobEnd, answers: dict[str, Any]
) -> JobEnd:
    """Fill in the Iowa job-end form and carry its lessons to the member.

    Updates to job support needs, the disclosure decision and job
    preferences are kept on the member, with history, so the next job
    search starts from what was learned.
    """
    member = job_end.job.member
    require_action_on_member(actor, Action.RECORD_JOB_END, member)
    job_end = JobEnd.objects.select_for_update().get(pk=job_end.pk)
    for field in (
        "differed_from_expectations",
        "differed_notes",
        "duties_changed",
        "duties_notes",
    ):
        setattr(job_end, field, answers.get(field) or "")
    job_end.form_completed_by = actor
    job_end.form_completed_at = timezone.now()
    attribute_to(job_end, actor).save()

    member = Member.objects.select_for_update().get(pk=member.pk)
    changed = False
    for field in WHAT_JOBS_TEACH:
        if field in answers and getattr(member, field) != answers[field]:
            setattr(member, field, answers[field])
            changed = True
    if changed:
        attribute_to(member, actor, reason="Updated from a job-end form").save()
    member_flags_refresh(job_end.job.member_id)
    return job_end


def employer_consent_problem(member: Member, on: datetime.date) -> str | None:
    """Why an employer's perspective cannot be recorded, or None when it can."""
    consent = member.employer_consents.order_by("-given_on", "-pk").first()
    if consent is None or consent.given_on > on:
        return (
            "No consent to contact the employer is on file. Record the member's "
            "consent first; the employer's view can be added after."
        )
    if consent.withdrawn_on is not None and consent.withdrawn_on <= on:
        return (
            f"The member withdrew consent to contact employers on "
            f"{consent.withdrawn_on:%m/%d/%Y}, so no new employer entries can be "
            "recorded."
        )
    return None


@transaction.atomic
def perspective_add(
    *, actor: User, job_end: JobEnd, source: str, text: str
) -> JobEndPerspective:
    """Add one perspective on how a job ended; the employer's needs consent."""
    member = job_end.job.member
    require_action_on_member(actor, Action.RECORD_JOB_END, member)
    if not text.strip():
        raise ValidationError({"text": "Write the perspective."})
    if source == JobEndPerspective.Source.EMPLOYER:
        problem = employer_consent_problem(member, iowa_today())
        if problem:
            raise ValidationError({"source": problem})

    perspective = JobEndPerspective(
        job_end=job_end, source=source, text=text.strip(), written_by=actor
    )
    attribute_to(perspective, actor).save()
    return perspective


@transaction.atomic
def employer_consent_record(
    *, actor: User, member: Member, given_on: datetime.date
) -> EmployerContactConsent:
    require_action_on_member(actor, Action.WRITE_TEAM_LOG, member)
    _not_in_future(given_on, "given_on", "consent date")
    consent = EmployerContactConsent(
        member=member, given_on=given_on, recorded_by=actor
    )
    attribute_to(consent, actor).save()
    return consent


@transaction.atomic
def employer_consent_withdraw(
    *, actor: User, consent: EmployerContactConsent, withdrawn_on: datetime.date
) -> EmployerContactConsent:
    require_action_on_member(actor, Action.WRITE_TEAM_LOG, consent.member)
    consent = EmployerContactConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError("This consent is already withdrawn.")
    _not_in_future(withdrawn_on, "withdrawn_on", "withdrawal date")
    if withdrawn_on < consent.given_on:
        raise ValidationError(
            {"withdrawn_on": "Consent cannot be withdrawn before it was given."}
        )
    consent.withdrawn_on = withdrawn_on
    attribute_to(consent, actor).save()
    return consent


@transaction.atomic
def team_meeting_record(
    *,
    actor: User,
    member: Member,
    reason: str,
    met_on: datetime.date,
    lessons_learned: str,
    next_steps: str,
    job_end: JobEnd | None = None,
    member_attended: bool = True,
    specialist_attended: bool = True,
    case_manager_attended: bool = True,
    other_attendees: str = "",
) -> TeamMeeting:
    """Record the team meeting held before milestones are authorized again.

    After a job end the meeting names that job end and cannot be dated
    before it. A member who finished IPS and seeks a second job is handled
    the same way, with that reason; nobody is routed out of IPS.
    """
    require_action_on_member(actor, Action.WRITE_TEAM_LOG, member)
    episode = member.episodes.filter(closed_on__isnull=True).first()
    if episode is None:
        raise ValidationError("Team meetings are recorded while the member is in IPS.")

    errors: dict[str, str] = {}
    if reason == TeamMeeting.Reason.AFTER_JOB_END and job_end is None:
        errors["job_end"] = "Choose the job end this meeting follows."
    if job_end is not None and job_end.job.member_id != member.pk:
        errors["job_end"] = "Choose one of this member's job ends."
    elif job_end is not None and met_on < job_end.ended_on:
        errors["met_on"] = (
            "The meeting cannot be dated before the job end "
            f"({job_end.ended_on:%m/%d/%Y})."
        )
    if met_on > iowa_today():
        errors["met_on"] = "The meeting date cannot be in the future."
    if not lessons_learned.strip():
        errors["lessons_learned"] = "Write what the team learned."
    if not next_steps.strip():
        errors["next_steps"] = "Write the agreed next steps."
    if errors:
        raise ValidationError(errors)

    meeting = TeamMeeting(
        member=member,
        episode=episode,
        job_end=job_end,
        reason=reason,
        met_on=met_on,
        member_attended=member_attended,
        specialist_attended=specialist_attended,
        case_manager_attended=case_manager_attended,
        other_attendees=other_attendees.strip(),
        lessons_learned=lessons_learned.strip(),
        next_steps=next_steps.strip(),
        recorded_by=actor,
    )
    attribute_to(meeting, actor).save()
    if job_end is not None and job_end.next_step != JobEnd.NextStep.ANOTHER_JOB:
        job_end.next_step = JobEnd.NextStep.ANOTHER_JOB
        attribute_to(job_end, actor).save(update_fields=["next_step", "updated_at"])
    member_flags_refresh(meeting.member_id)
    return meeting


@transaction.atomic
def team_log_add(*, actor: User, member: Member, kind: str, text: str) -> TeamLogEntry:
    """Add to the log the case manager and the IPS team share."""
    require_action_on_member(actor, Action.WRITE_TEAM_LOG, member)
    if not text.strip():
        raise ValidationError({"text": "Write the entry."})
    entry = TeamLogEntry(member=member, kind=kind, text=text.strip(), written_by=actor)
    attribute_to(entry, actor).save()
    return entry


@transaction.atomic
def job_end_next_step(*, actor: User, job_end: JobEnd, next_step: str) -> JobEnd:
    """Record which way the member goes after a job end."""
    require_action_on_member(actor, Action.RECORD_JOB_END, job_end.job.member)
    job_end.next_step = next_step
    attribute_to(job_end, actor).save(update_fields=["next_step", "updated_at"])
    return job_end


@transaction.atomic
def episode_exit(
    *,
    actor: User,
    member: Member,
    exited_on: datetime.date,
    reason: str,
    transition_plan: str,
    notes: str = "",
) -> Episode:
    """Close the member's time in IPS with a transition plan.

    The plan names the ongoing supports the case manager and clinicians will
    provide. The member can be referred again later; this episode stays in
    the history.
    """
    require_action_on_member(actor, Action.EXIT_MEMBER, member)
    episode = (
        Episode.objects.select_for_update()
        .filter(member=member, closed_on__isnull=True)
        .first()
    )
    if episode is None:
        raise ValidationError("The member is not in IPS at the moment.")
    if exited_on < episode.opened_on:
        raise ValidationError(
            {
                "exited_on": "The exit cannot be before the member joined IPS "
                f"({episode.opened_on:%m/%d/%Y})."
            }
        )
    _not_in_future(exited_on, "exited_on", "exit date")
    if reason not in Episode.ExitReason.values:
        raise ValidationError({"reason": "Choose the reason for the exit."})
    if not transition_plan.strip():
        raise ValidationError(
            {
                "transition_plan": "Name the ongoing supports the case manager and "
                "clinicians will provide."
            }
        )

    episode.closed_on = exited_on
    episode.exit_reason = reason
    episode.exit_notes = notes.strip()
    episode.transition_plan = transition_plan.strip()
    episode.exited_by = actor
    attribute_to(episode, actor).save()
    member_flags_refresh(episode.member_id)
    return episode
