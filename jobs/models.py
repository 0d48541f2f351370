import uuid
from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from jobs.rules import is_competitive_wage
from members.models import Member
from milestones.rules import RETENTION_DAYS, retention_date
from referrals.models import Episode


class Job(models.Model):
    """A competitive job a member holds; a member may hold several at once.

    The end date is the last day worked. It is set when the job ends (see
    the job-end record); until then the job is current.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="jobs")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="jobs")
    employer = models.CharField(max_length=200)
    title = models.CharField("job title", max_length=200)
    first_day_on = models.DateField("first day on the job")
    hours_per_week = models.DecimalField(max_digits=5, decimal_places=2)
    hourly_wage = models.DecimalField(max_digits=7, decimal_places=2)
    ended_on = models.DateField("last day worked", null=True, blank=True)
    # Kept from the first day by save(), so sweeps and reports compare
    # dates in SQL instead of doing date arithmetic row by row.
    day_45_on = models.DateField("day 45", editable=False)
    day_90_on = models.DateField("day 90", editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_day_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_per_week__gt=0, hours_per_week__lte=80),
                name="job_hours_per_week_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(hourly_wage__gt=0, hourly_wage__lte=250),
                name="job_hourly_wage_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("first_day_on")),
                name="job_ends_on_or_after_first_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Job {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.day_45_on = retention_date(self.first_day_on, RETENTION_DAYS[3])
        self.day_90_on = retention_date(self.first_day_on, RETENTION_DAYS[4])
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "first_day_on" in update_fields:
            kwargs["update_fields"] = {*update_fields, "day_45_on", "day_90_on"}
        super().save(*args, **kwargs)

    @property
    def is_competitive(self) -> bool:
        return is_competitive_wage(self.hourly_wage)
