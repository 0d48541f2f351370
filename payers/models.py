from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import Organization
from payers.services_catalog import Service


class Payer(models.Model):
    """A funder of IPS services."""

    class Kind(models.TextChoices):
        MEDICAID_FEE_FOR_SERVICE = "medicaid_ffs", "Medicaid fee-for-service (IME)"
        MEDICAID_MCO = "medicaid_mco", "Medicaid managed care organization"
        IVRS = "ivrs", "Iowa Vocational Rehabilitation Services"
        SNMIS = "snmis", "Safety Net Management Information System"

    name = models.CharField(max_length=120, unique=True)
    short_name = models.CharField(max_length=30, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="payers",
        null=True,
        blank=True,
        help_text="The organization that pays, where it also uses the portal.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_medicaid(self) -> bool:
        """Whether T2018/H2025 Medicaid rules and the monthly cap apply."""
        return self.kind in (self.Kind.MEDICAID_FEE_FOR_SERVICE, self.Kind.MEDICAID_MCO)


class FeeSchedule(models.Model):
    """Rates in force from a date: the posted schedule, or one payer's.

    A schedule without a payer is the posted fee-for-service schedule, the
    default for every payer. A schedule with a payer holds that payer's
    negotiated rates; it may list only some services and may end.
    """

    payer = models.ForeignKey(
        Payer,
        on_delete=models.PROTECT,
        related_name="fee_schedules",
        null=True,
        blank=True,
        help_text="Leave empty for the posted schedule that applies to all payers.",
    )
    name = models.CharField(max_length=120)
    effective_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["payer", "effective_on"],
                name="fee_schedule_one_per_payer_and_date",
                violation_error_message=(
                    "This payer already has a schedule beginning on that date."
                ),
            ),
            # NULLs never collide in a unique index, so the posted schedules
            # need their own partial constraint.
            models.UniqueConstraint(
                fields=["effective_on"],
                condition=models.Q(payer__isnull=True),
                name="fee_schedule_one_posted_per_date",
                violation_error_message=(
                    "A posted schedule already begins on that date."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("effective_on")),
                name="fee_schedule_ends_after_it_begins",
                violation_error_message="A schedule cannot end before it begins.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FeeRate(models.Model):
    schedule = models.ForeignKey(
        FeeSchedule, on_delete=models.CASCADE, related_name="rates"
    )
    service = models.CharField(max_length=10, choices=Service.choices)
    rate = models.DecimalField(max_digits=10, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["service"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "service"],
                name="fee_rate_once_per_service",
                violation_error_message=(
                    "This schedule already has a rate for that service."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gt=0),
                name="fee_rate_positive",
                violation_error_message="A rate must be more than zero.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()}: ${self.rate}"
