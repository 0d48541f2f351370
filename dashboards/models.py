"""Rollups the dashboards read instead of working a rule out per request.

Every figure on the dashboards is an aggregate in SQL over the records
themselves, except coaching amounts: a month's coaching amount follows
coaching's own rule (earned tier from quarter hours, authorized tier,
the lower of the two, tier-5 hours, the rate kept on the period or the
payer's schedule), which lives in Python in ``coaching.rules``. Writing
that rule a second time in SQL would give two versions to keep in step,
so each member's month is worked out by coaching's own selector, set-wise,
and kept here; the dashboards add these rows up in SQL.
"""

from django.db import models

from members.models import Member
from payers.models import Payer
from referrals.models import Episode


class CoachingMonthSummary(models.Model):
    """One member's coaching in one calendar month, as the coaching rule has it.

    Derived data: ``dashboards.rollups.coaching_months_refresh`` replaces
    these rows; nothing else writes them. The episode and payer are those
    of the period in force on the month's last counted contact (the ones
    a claim would name), else of the latest period touching the month.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    payer = models.ForeignKey(Payer, on_delete=models.CASCADE, related_name="+")
    contacts = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    earned_tier = models.PositiveSmallIntegerField(null=True)
    authorized_tier = models.PositiveSmallIntegerField(null=True)
    billable_tier = models.PositiveSmallIntegerField(null=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"], name="coaching_summary_once_per_month"
            ),
        ]
        indexes = [
            # The dashboards read a range of months at a time.
            models.Index(fields=["month"], name="coaching_summary_month"),
        ]

    def __str__(self) -> str:
        return f"Coaching summary {self.pk} ({self.month:%Y-%m})"


class RollupMark(models.Model):
    """When a rollup was last brought up to date, by name.

    ``changes_from`` is the moment the last refresh started reading: a
    change at or after it is picked up by the next refresh.
    """

    name = models.CharField(max_length=40, unique=True)
    changes_from = models.DateTimeField()
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} as of {self.refreshed_at:%Y-%m-%d %H:%M}"
