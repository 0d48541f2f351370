import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from members.models import Member
from providers.models import ProviderSite


class Referral(models.Model):
    """A case manager's referral of a member to an IPS provider site."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the provider"
        ACCEPTED = "accepted", "Accepted"
        REDIRECTED = "redirected", "Redirected to another provider"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # The statuses under which the provider's staff work the member. A
    # provider that redirected a referral keeps the referral, not the member.
    PROVIDER_SEES_MEMBER = (Status.PENDING, Status.ACCEPTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="referrals"
    )
    provider = models.ForeignKey(
        ProviderSite, on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_referrals",
        null=True,
        blank=True,
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_made",
    )
    referred_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_on", "-created_at"]

    def __str__(self) -> str:
        return f"Referral {self.public_id}"
