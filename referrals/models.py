import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from members.models import Member
from providers.models import ProviderSite


def one_to_ten(verbose_name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )


class Referral(models.Model):
    """A case manager's referral of a member to an IPS provider site.

    Zero exclusion: wanting to work is the one condition. There are no
    readiness fields, and the only ways a referral ends are acceptance,
    redirection to another provider, or withdrawal because the member no
    longer wants services. The employment conversation is kept with it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the provider"
        ACCEPTED = "accepted", "Accepted"
        REDIRECTED = "redirected", "Redirected to another provider"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class KnowsBenefitChanges(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Somewhat"
        NO = "no", "No"

    class StartTiming(models.TextChoices):
        NOW = "now", "Right away"
        MONTH = "month", "Within a month"
        QUARTER = "quarter", "In one to three months"
        LATER = "later", "Later than that"

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
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_made",
    )
    referred_on = models.DateField()

    # The employment conversation the case manager has first.
    wants_to_work = models.BooleanField("the member wants to work", default=True)
    job_hopes = models.TextField("hopes for a job, and how it would help", blank=True)
    concerns = models.TextField("concerns about working", blank=True)
    knows_benefit_changes = models.CharField(
        "knows how benefits change with part- or full-time work",
        max_length=8,
        choices=KnowsBenefitChanges.choices,
        blank=True,
    )
    importance = one_to_ten("importance of a job (1–10)")
    confidence = one_to_ten("confidence about getting a job (1–10)")
    helpful_supports = models.TextField("supports that would help", blank=True)
    start_timing = models.CharField(
        "how soon to start", max_length=8, choices=StartTiming.choices, blank=True
    )
    next_step = models.TextField("agreed next step", blank=True)

    # How the provider answered, or why the referral was withdrawn.
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    redirected_to = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="redirected_from",
        null=True,
        blank=True,
    )
    redirect_reason = models.TextField(blank=True)
    withdrawal_reason = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_on", "-created_at"]
        constraints = [
            # One referral at a time waits for a provider; the service says
            # so politely, this makes a race lose instead of doubling up.
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="pending"),
                name="referral_one_pending_per_member",
            ),
            models.CheckConstraint(
                condition=models.Q(wants_to_work=True),
                name="referral_member_wants_to_work",
            ),
            models.CheckConstraint(
                condition=models.Q(importance__isnull=True)
                | models.Q(importance__gte=1, importance__lte=10),
                name="referral_importance_1_to_10",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True)
                | models.Q(confidence__gte=1, confidence__lte=10),
                name="referral_confidence_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.public_id}"


class Episode(models.Model):
    """A member's time in IPS at one provider, opened when a referral is accepted.

    A member has at most one open episode; after an exit they may be
    referred again and a later episode opens.
    """

    class ExitReason(models.TextChoices):
        GOALS_MET = "goals_met", "Employment goals met; supports continue elsewhere"
        NO_LONGER_WANTS = "no_longer_wants", "The member no longer wants IPS"
        MOVED = "moved", "Moved out of the provider's area"
        EDUCATION = "education", "Went on to a training or education program"
        HEALTH = "health", "Health needs come first for now"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="episode"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="episodes"
    )
    provider = models.ForeignKey(
        ProviderSite, on_delete=models.PROTECT, related_name="episodes"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload",
    )
    opened_on = models.DateField()
    closed_on = models.DateField("exited on", null=True, blank=True)
    exit_reason = models.CharField(
        max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_notes = models.TextField("about the exit", blank=True)
    transition_plan = models.TextField(
        blank=True,
        help_text="The ongoing supports the case manager and clinicians will provide.",
    )
    exited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(closed_on__isnull=True),
                name="episode_one_open_per_member",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="episode_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
