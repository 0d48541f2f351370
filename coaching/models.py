"""Long-term job coaching: 90-day tier authorizations and the coaching log."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from coaching.rules import MOST_MINUTES_IN_A_DAY, PeriodInForce
from members.models import Member
from payers.models import Payer
from referrals.models import Episode


class CoachingPeriod(models.Model):
    """A coaching tier authorized for 90 days (rule — periods and months).

    Periods of one member never overlap: the service ends the current
    period the day before an early one for a tier change begins, and on
    PostgreSQL an exclusion constraint backs that up.
    """

    class Tier(models.IntegerChoices):
        TIER_1 = 1, "Tier 1 – a contact in the month (H2025 U4)"
        TIER_2 = 2, "Tier 2 – 2 to 8 hours (H2025 U3)"
        TIER_3 = 3, "Tier 3 – 9 to 16 hours (H2025 U5)"
        TIER_4 = 4, "Tier 4 – 17 to 25 hours (H2025 U7)"
        TIER_5 = 5, "Tier 5 – 26 or more hours (H2025 UC)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="coaching_periods"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="coaching_periods"
    )
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="+")
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    tier_5_hours = models.DecimalField(
        "hours per month covered (tier 5)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    begins_on = models.DateField()
    ends_on = models.DateField()
    authorization_number = models.CharField(max_length=40)
    rate = models.DecimalField(max_digits=10, decimal_places=2)
    authorized_on = models.DateField("authorization date")
    authorized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-begins_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("begins_on")),
                name="coaching_period_ends_after_it_begins",
            ),
            models.CheckConstraint(
                condition=models.Q(tier__gte=1, tier__lte=5),
                name="coaching_period_tier_1_to_5",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(tier=5, tier_5_hours__gt=0)
                    | (~models.Q(tier=5) & models.Q(tier_5_hours__isnull=True))
                ),
                name="coaching_period_tier_5_states_its_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"Coaching period {self.public_id}"

    def in_force(self) -> PeriodInForce:
        return PeriodInForce(
            self.begins_on,
            self.ends_on,
            self.tier,
            self.authorization_number,
            self.tier_5_hours,
        )


class CoachingEntry(models.Model):
    """Coaching given on one day, in minutes."""

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        WORKSITE = "worksite", "At the worksite"
        EMPLOYER = "employer", "With the employer, on the member's behalf"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="coaching_entries"
    )
    coached_on = models.DateField("date")
    minutes = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    note = models.CharField(max_length=500, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-coached_on", "-logged_at"]
        indexes = [models.Index(fields=["member", "coached_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0, minutes__lte=MOST_MINUTES_IN_A_DAY),
                name="coaching_entry_minutes_in_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Coaching entry {self.public_id}"
