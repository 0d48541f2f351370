"""Flags: what the background monitors found needs someone's attention.

A flag is about one record (a milestone line, a coaching period, a job, a
referral, a member's month, a specialist or a provider), named by its kind
and the record's id, with a qualifier where one record can be flagged more
than once by the same kind (day 45 versus day 90, or the month). The sweep
opens flags, moves their due dates and closes them when the condition
clears; a person may dismiss one with a note. Flags are never deleted, and
every change is written to the flag's events.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Flag(models.Model):
    class Kind(models.TextChoices):
        COACHING_REAUTHORIZATION_DUE = (
            "coaching_reauthorization_due",
            "Coaching reauthorization due",
        )
        COACHING_LAPSED = "coaching_lapsed", "Coaching authorization lapsed"
        MILESTONE_WINDOW_CLOSING = (
            "milestone_window_closing",
            "Milestone window closing",
        )
        PREDICTED_MILESTONE_GAP = "predicted_milestone_gap", "Predicted milestone gap"
        ACHIEVEMENT_OUTSIDE_WINDOW = (
            "achievement_outside_window",
            "Achievement outside its window",
        )
        AUTHORIZATION_DELAY = "authorization_delay", "Milestones not yet authorized"
        JOB_END_FORM_MISSING = "job_end_form_missing", "Job-end form not completed"
        JOB_END_NEXT_STEP_MISSING = (
            "job_end_next_step_missing",
            "No team meeting or exit after a job end",
        )
        MONTH_OVER_CAP = "month_over_cap", "Month over the monthly cap"
        CASELOAD_OVER_LIMIT = "caseload_over_limit", "Caseload above the limit"
        FIDELITY_REVIEW_OVERDUE = (
            "fidelity_review_overdue",
            "Fidelity review overdue",
        )

    class Severity(models.TextChoices):
        WARNING = "warning", "Due soon"
        URGENT = "urgent", "Money or coverage at stake"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # The id of the record the flag is about; the kind says which table.
    subject_id = models.PositiveBigIntegerField()
    qualifier = models.CharField(max_length=20, blank=True)

    # Where the flag leads and whom it is for: the member's case manager,
    # the assigned specialist and the provider's supervisors (selectors).
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="flags",
        null=True,
        blank=True,
    )
    provider = models.ForeignKey(
        "providers.ProviderSite",
        on_delete=models.PROTECT,
        related_name="flags",
        null=True,
        blank=True,
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="specialist_flags",
        null=True,
        blank=True,
    )
    line = models.ForeignKey(
        "milestones.MilestoneAuthorization",
        on_delete=models.PROTECT,
        related_name="flags",
        null=True,
        blank=True,
    )
    coaching_period = models.ForeignKey(
        "coaching.CoachingPeriod",
        on_delete=models.PROTECT,
        related_name="flags",
        null=True,
        blank=True,
    )
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.PROTECT,
        related_name="flags",
        null=True,
        blank=True,
    )

    due_on = models.DateField()
    severity = models.CharField(max_length=8, choices=Severity.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    dismissal_note = models.TextField(blank=True)
    # A dismissed flag holds its place, so the sweep does not raise it
    # again, until the condition clears; then this is set.
    cleared_at = models.DateTimeField(null=True, blank=True)
    # The last time the flag opened, moved or closed, for the API's sync.
    # Set by the sweep and the services, which update in bulk: auto_now
    # would not see those writes.
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_id", "qualifier"],
                condition=models.Q(status="open")
                | models.Q(status="dismissed", cleared_at__isnull=True),
                name="flag_one_open_per_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", closed_at__isnull=True)
                | (~models.Q(status="open") & models.Q(closed_at__isnull=False)),
                name="flag_closed_when_not_open",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="dismissed")
                | (models.Q(closed_by__isnull=False) & ~models.Q(dismissal_note="")),
                name="flag_dismissal_has_person_and_note",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "kind", "due_on"], name="flag_status_kind_due"
            ),
            # The API pages flags in this order (api.pagination).
            models.Index(
                fields=["changed_at", "public_id"], name="flag_changed_at_public_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class FlagEvent(models.Model):
    """One change to a flag: opened, due date moved, resolved or dismissed."""

    class What(models.TextChoices):
        OPENED = "opened", "Opened"
        DUE_MOVED = "due_moved", "Due date moved"
        RESOLVED = "resolved", "Resolved: the condition cleared"
        DISMISSED = "dismissed", "Dismissed"

    flag = models.ForeignKey(Flag, on_delete=models.PROTECT, related_name="events")
    what = models.CharField(max_length=10, choices=What.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    due_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_what_display()} at {self.at:%Y-%m-%d %H:%M}"


class DigestSent(models.Model):
    """A day's email digest sent to one user: at most one per user per day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    flag_count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"Digest for {self.user_id} on {self.day}"
