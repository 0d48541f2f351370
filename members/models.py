import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import Organization
from members.rules import name_fold
from payers.models import Payer
from providers.models import County


class Member(models.Model):
    """A job seeker in IPS: protected health information throughout.

    Pages and URLs name a member only by ``public_id``, an opaque id, never
    by name, Medicaid ID or birth date.
    """

    class DiagnosisCategory(models.TextChoices):
        SMI = "smi", "Serious mental illness (SMI)"
        SMI_WITH_SUD = "smi_sud", "SMI with co-occurring substance use disorder"
        SED = "sed", "Serious emotional disturbance"

    class Disclosure(models.TextChoices):
        UNDECIDED = "undecided", "Not decided"
        DISCLOSES = "discloses", "Tells employers"
        PARTLY = "partly", "Tells some employers, or only some things"
        DOES_NOT = "does_not", "Does not tell employers"

    class BenefitsPlanning(models.TextChoices):
        NOT_YET = "not_yet", "Not yet"
        SCHEDULED = "scheduled", "Scheduled"
        COMPLETED = "completed", "Completed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    # The name folded for search (members.rules.name_fold), kept in step by
    # save() so that every way of writing a member keeps it right.
    name_search_key = models.CharField(
        max_length=220, editable=False, db_index=True, default=""
    )
    birth_date = models.DateField()
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="members")
    managing_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="managed_members",
        help_text="The MCO, IME or case-management agency that manages the case.",
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_members",
        null=True,
        blank=True,
    )
    diagnosis_category = models.CharField(
        max_length=10, choices=DiagnosisCategory.choices
    )
    # Unique where present: NULL for members funded only by IVRS or SNMIS.
    medicaid_id = models.CharField(max_length=8, null=True, blank=True, unique=True)
    ivrs_counselor_name = models.CharField("IVRS counselor", max_length=120, blank=True)
    ivrs_counselor_phone = models.CharField(
        "IVRS counselor phone", max_length=40, blank=True
    )
    ivrs_counselor_email = models.EmailField("IVRS counselor email", blank=True)
    benefits_planning = models.CharField(
        max_length=12,
        choices=BenefitsPlanning.choices,
        default=BenefitsPlanning.NOT_YET,
    )
    benefits_planning_on = models.DateField(
        "benefits planning date",
        null=True,
        blank=True,
        help_text="When benefits planning took place, or is scheduled.",
    )
    # What each job teaches, carried to the next job search.
    job_support_needs = models.TextField(blank=True)
    disclosure = models.CharField(
        "disclosure decision",
        max_length=12,
        choices=Disclosure.choices,
        default=Disclosure.UNDECIDED,
        help_text="Whether the member tells employers about their condition.",
    )
    disclosure_notes = models.TextField("about disclosure", blank=True)
    job_preferences = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        # Opaque on purpose: the admin and error reports print __str__, and
        # neither may show a member's name.
        return f"Member {self.public_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_search_key = name_fold(f"{self.first_name} {self.last_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_search_key"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
