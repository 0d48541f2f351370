"""Claim batches: a provider's billing for a month (rule — billed).

Making a batch marks its lines billed; downloading it again gives the same
file; later lines go into a new batch; a billed line is corrected only by
voiding it with a reason. Lines of a month over the monthly cap are held
for review and stay out of batches until released.
"""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from members.models import Member
from milestones.models import MilestoneAchievement
from payers.models import Payer
from providers.models import ProviderSite


class ClaimBatch(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        ProviderSite, on_delete=models.PROTECT, related_name="claim_batches"
    )
    month = models.DateField(help_text="The first day of the month billed.")
    number = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "month", "number"],
                name="claim_batch_numbered_per_provider_month",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim batch {self.public_id}"


class ClaimLine(models.Model):
    """One billable service: a milestone achieved, or a month of coaching."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", "Milestone"
        COACHING = "coaching", "Coaching month"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        ProviderSite, on_delete=models.PROTECT, related_name="claim_lines"
    )
    batch = models.ForeignKey(
        ClaimBatch,
        on_delete=models.PROTECT,
        related_name="lines",
        null=True,
        blank=True,
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    achievement = models.ForeignKey(
        MilestoneAchievement,
        on_delete=models.PROTECT,
        related_name="claim_lines",
        null=True,
        blank=True,
    )
    month = models.DateField(help_text="The first day of the service month.")
    service_on = models.DateField("date of service")
    service = models.CharField(max_length=10)
    units = models.DecimalField(max_digits=6, decimal_places=2)
    rate = models.DecimalField(max_digits=10, decimal_places=2)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    authorization_number = models.CharField(max_length=40)
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="+")
    is_held = models.BooleanField(default=False)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["member__last_name", "member__first_name", "service_on", "pk"]
        constraints = [
            # A service is claimed once; a voided claim does not block its
            # correction.
            models.UniqueConstraint(
                fields=["achievement"],
                condition=models.Q(voided_at__isnull=True, achievement__isnull=False),
                name="claim_line_once_per_achievement",
            ),
            models.UniqueConstraint(
                fields=["member", "month"],
                condition=models.Q(voided_at__isnull=True, kind="coaching"),
                name="claim_line_once_per_coaching_month",
            ),
            models.CheckConstraint(
                condition=models.Q(voided_at__isnull=True) | ~models.Q(void_reason=""),
                name="claim_line_void_has_reason",
            ),
        ]
        # Migration 0003 adds triggers: a billed line's service, amounts and
        # dates never change, a voided line stays voided, no line is deleted.

    def __str__(self) -> str:
        return f"Claim line {self.public_id}"
