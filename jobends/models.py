"""Job ends, the Iowa job-end form, team meetings, the shared log and exits.

In IPS a job ending is a job end, a step toward a better match; help toward
another job is always offered.
"""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from jobs.models import Job
from members.models import Member
from referrals.models import Episode


class JobEnd(models.Model):
    """A job's end, recorded as soon as it is known; the form completes it later."""

    class HowEnded(models.TextChoices):
        QUIT = "quit", "The member quit"
        LET_GO = "let_go", "The member was let go"
        LAID_OFF = "laid_off", "The member was laid off"
        TEMPORARY_ENDED = "temporary_ended", "Temporary work ended"
        OTHER = "other", "Other"

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNSURE = "unsure", "Not sure"

    class NextStep(models.TextChoices):
        ANOTHER_JOB = "another_job", "Help toward another job"
        EDUCATION = "education", "A training or education program"
        EXIT = "exit", "Exit from IPS"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    job = models.OneToOneField(Job, on_delete=models.PROTECT, related_name="job_end")
    ended_on = models.DateField("last day worked")
    how_ended = models.CharField(max_length=16, choices=HowEnded.choices)
    how_ended_other = models.CharField(
        "how it ended, in a few words", max_length=200, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    # The Iowa job-end form, filled later by the team with the member.
    differed_from_expectations = models.CharField(
        "did the job differ from what the member expected?",
        max_length=8,
        choices=Answer.choices,
        blank=True,
    )
    differed_notes = models.TextField("how it differed", blank=True)
    duties_changed = models.CharField(
        "did the duties change?", max_length=8, choices=Answer.choices, blank=True
    )
    duties_notes = models.TextField("how the duties changed", blank=True)
    form_completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    form_completed_at = models.DateTimeField(null=True, blank=True)
    next_step = models.CharField(max_length=12, choices=NextStep.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-ended_on"]

    def __str__(self) -> str:
        return f"Job end {self.public_id}"

    @property
    def is_form_complete(self) -> bool:
        return self.form_completed_at is not None


class JobEndPerspective(models.Model):
    """One view of how a job ended, with who wrote it and when."""

    class Source(models.TextChoices):
        MEMBER = "member", "The member"
        SPECIALIST = "specialist", "The IPS specialist"
        EMPLOYER = "employer", "The employer"
        IVRS = "ivrs", "The IVRS counselor"
        CASE_MANAGER = "case_manager", "The case manager"
        NATURAL_SUPPORTS = "natural_supports", "Natural supports (family, friends)"

    job_end = models.ForeignKey(
        JobEnd, on_delete=models.PROTECT, related_name="perspectives"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["written_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} on {self.job_end}"


class EmployerContactConsent(models.Model):
    """The member's consent for the team to talk with their employers.

    Consent has a date and may be withdrawn; while withdrawn, no employer
    perspective can be recorded.
    """

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="employer_consents"
    )
    given_on = models.DateField("consent given on")
    withdrawn_on = models.DateField("consent withdrawn on", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"Employer contact consent {self.pk}"


class TeamMeeting(models.Model):
    """The meeting held before milestones are authorized again."""

    class Reason(models.TextChoices):
        AFTER_JOB_END = "after_job_end", "After a job end"
        HOURS_CUT = "hours_cut", "A second job: hours were cut at the first"
        TWO_PART_TIME = (
            "two_part_time",
            "A second job: two part-time jobs toward full-time income",
        )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="team_meetings"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="team_meetings"
    )
    job_end = models.ForeignKey(
        JobEnd,
        on_delete=models.PROTECT,
        related_name="meetings",
        null=True,
        blank=True,
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    met_on = models.DateField("meeting date")
    member_attended = models.BooleanField("the member", default=True)
    specialist_attended = models.BooleanField("the IPS specialist", default=True)
    case_manager_attended = models.BooleanField("the case manager", default=True)
    other_attendees = models.CharField(
        "others who attended", max_length=300, blank=True
    )
    lessons_learned = models.TextField()
    next_steps = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-met_on"]

    def __str__(self) -> str:
        return f"Team meeting {self.public_id}"

    @property
    def attendees(self) -> list[str]:
        """Who attended, in words, for pages and documents."""
        present = [
            label
            for attended, label in (
                (self.member_attended, "the member"),
                (self.specialist_attended, "the IPS specialist"),
                (self.case_manager_attended, "the case manager"),
            )
            if attended
        ]
        if self.other_attendees:
            present.append(self.other_attendees)
        return present


class TeamLogEntry(models.Model):
    """An entry in the log the case manager and the IPS team share."""

    class Kind(models.TextChoices):
        CONTACT_PHONE = "contact_phone", "Contact: phone"
        CONTACT_EMAIL = "contact_email", "Contact: email"
        CONTACT_MEETING = "contact_meeting", "Contact: meeting"
        STRENGTHS = "strengths", "Note: strengths and interests"
        NEEDS = "needs", "Note: needs and barriers"
        RESOURCE_REFERRAL = "resource_referral", "Referral to another resource"
        REENGAGEMENT = "reengagement", "Re-engagement attempt"

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="team_log"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"Team log entry {self.pk}"
