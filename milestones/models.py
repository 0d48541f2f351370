import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from members.models import Member
from milestones.rules import MILESTONE_OUTCOMES, Window
from payers.models import Payer
from payers.services_catalog import Service
from referrals.models import Episode


class AuthorizationRound(models.Model):
    """One authorization of milestones in a member's service plan (PCSP).

    The first round of an episode authorizes all four milestones up front;
    a reauthorization after a job end usually fewer. Rates are looked up
    for the round's payer on its authorization date and kept on its lines,
    so a later change of fee schedule never changes an authorization.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="authorization_rounds"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="authorization_rounds"
    )
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="+")
    authorized_on = models.DateField("authorization date")
    plan_dated_on = models.DateField("service plan date")
    plan_reference = models.CharField("service plan reference", max_length=60)
    # Every round after an episode's first follows a team meeting.
    meeting = models.OneToOneField(
        "jobends.TeamMeeting",
        on_delete=models.PROTECT,
        related_name="authorization_round",
        null=True,
        blank=True,
    )
    authorized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    void_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The last change of the round as the API shows it: the round itself,
    # one of its lines or achievements, or a job of its episode (see
    # ``rounds_touch``). Bookkeeping for syncing, so not in the history.
    changed_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["changed_at"])

    class Meta:
        ordering = ["-authorized_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(voided_at__isnull=True) | ~models.Q(void_reason=""),
                name="authorization_round_void_has_reason",
            ),
        ]
        indexes = [
            # The API pages rounds in this order (api.pagination).
            models.Index(
                fields=["changed_at", "public_id"], name="round_changed_at_public_id"
            ),
        ]

    def __str__(self) -> str:
        return f"Authorization round {self.public_id}"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class MilestoneAuthorization(models.Model):
    """One authorized milestone: its window, units, rate and payer's number."""

    class Milestone(models.IntegerChoices):
        EMPLOYMENT_PLAN = 1, "1 – " + MILESTONE_OUTCOMES[1]
        FIRST_DAY = 2, "2 – " + MILESTONE_OUTCOMES[2]
        RETENTION_45_DAYS = 3, "3 – " + MILESTONE_OUTCOMES[3]
        RETENTION_90_DAYS = 4, "4 – " + MILESTONE_OUTCOMES[4]

    round = models.ForeignKey(
        AuthorizationRound, on_delete=models.PROTECT, related_name="lines"
    )
    milestone = models.PositiveSmallIntegerField(choices=Milestone.choices)
    service = models.CharField(max_length=10, choices=Service.choices)
    window_begins_on = models.DateField("window begins")
    window_ends_on = models.DateField("window ends")
    units = models.PositiveSmallIntegerField(default=1)
    rate = models.DecimalField(max_digits=10, decimal_places=2)
    authorization_number = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["milestone"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "milestone"], name="milestone_once_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(milestone__gte=1, milestone__lte=4),
                name="milestone_number_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(window_ends_on__gte=models.F("window_begins_on")),
                name="milestone_window_ends_after_it_begins",
            ),
            models.CheckConstraint(
                condition=models.Q(units__gte=1) & models.Q(rate__gt=0),
                name="milestone_units_and_rate_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Milestone {self.milestone} of {self.round}"

    @property
    def window(self) -> Window:
        return Window(self.window_begins_on, self.window_ends_on)

    @property
    def amount(self) -> Decimal:
        return self.units * self.rate

    @property
    def code(self) -> str:
        return Service(self.service).code

    @property
    def modifier(self) -> str:
        return Service(self.service).modifier


class MilestoneAchievement(models.Model):
    """A milestone reached: billed at most once per authorized milestone.

    A wrong entry is voided with a reason, never deleted; a voided entry
    does not block the corrected one. Billable while the achievement date
    lies inside the line's window: an achievement outside it becomes
    billable when the case manager changes the window.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    line = models.ForeignKey(
        MilestoneAuthorization, on_delete=models.PROTECT, related_name="achievements"
    )
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.PROTECT,
        related_name="achievements",
        null=True,
        blank=True,
    )
    achieved_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    void_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-achieved_on", "-recorded_at"]
        constraints = [
            # Once only, however many people press the button at once.
            models.UniqueConstraint(
                fields=["line"],
                condition=models.Q(voided_at__isnull=True),
                name="achievement_once_per_milestone",
            ),
            models.CheckConstraint(
                condition=models.Q(voided_at__isnull=True) | ~models.Q(void_reason=""),
                name="achievement_void_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Achievement {self.public_id}"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def is_billable(self) -> bool:
        return not self.is_voided and self.line.window.contains(self.achieved_on)


def evidence_path(document: "EvidenceDocument", filename: str) -> str:
    # The stored name says nothing about the member or the original name.
    return f"evidence/{document.public_id}.{document.extension}"


class EvidenceDocument(models.Model):
    """A file documenting a milestone: a PDF or an image, checked by content.

    Stored through Django's storage API under a path no URL serves; the
    download view applies the access policy.
    """

    class Kind(models.TextChoices):
        SERVICE_PLAN = "service_plan", "Person-centered service plan (PCSP)"
        EMPLOYMENT_PLAN = "employment_plan", "Employment plan"
        SERVICE_DOCUMENTATION = "service_documentation", "Service documentation"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    achievement = models.ForeignKey(
        MilestoneAchievement, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return f"Document {self.public_id}"
