from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import Organization
from providers.rules import county_name_key


class County(models.Model):
    """One of Iowa's 99 counties, identified by its FIPS code."""

    fips_code = models.CharField(max_length=5, unique=True)
    name = models.CharField(max_length=60, unique=True)
    name_key = models.CharField(max_length=60, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "counties"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # The match key is derived from the name; keeping it stored lets a
        # lookup use the unique index.
        self.name_key = county_name_key(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        key = county_name_key(self.name)
        if not key:
            raise ValidationError({"name": "A county name needs letters."})
        clash = County.objects.filter(name_key=key).exclude(pk=self.pk).first()
        if clash is not None:
            raise ValidationError({"name": f"This spelling already means {clash}."})


class CountyAlias(models.Model):
    """A spelling seen in source documents that means a real county."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="aliases")
    spelling = models.CharField(max_length=60)
    name_key = models.CharField(max_length=60, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["spelling"]
        verbose_name_plural = "county aliases"

    def __str__(self) -> str:
        return f"{self.spelling} → {self.county}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_key = county_name_key(self.spelling)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        key = county_name_key(self.spelling)
        if not key:
            raise ValidationError({"spelling": "A spelling needs letters."})
        county = County.objects.filter(name_key=key).first()
        if county is not None:
            raise ValidationError(
                {"spelling": f"This spelling already matches {county} by itself."}
            )
        alias = CountyAlias.objects.filter(name_key=key).exclude(pk=self.pk).first()
        if alias is not None:
            raise ValidationError(
                {"spelling": f"This spelling is already listed for {alias.county}."}
            )


class ProviderSite(models.Model):
    """An IPS provider agency's site: the organization members are referred to."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.PROTECT,
        related_name="provider_site",
        limit_choices_to={"kind": Organization.Kind.PROVIDER_SITE},
    )
    slug = models.SlugField(max_length=80, unique=True)
    medicaid_provider_number = models.CharField(max_length=20, unique=True)
    street_address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=80, blank=True)
    specialists_see_own_caseload_only = models.BooleanField(
        default=False,
        help_text=(
            "When set, IPS specialists see only the members assigned to them; "
            "supervisors still see the whole provider."
        ),
    )
    counties = models.ManyToManyField(County, through="ServiceArea", related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__name"]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def name(self) -> str:
        return self.organization.name


class ServiceArea(models.Model):
    """A county a provider site serves now, or plans to serve."""

    class Status(models.TextChoices):
        CURRENT = "current", "Serves now"
        PLANNED = "planned", "Planned expansion"

    provider = models.ForeignKey(
        ProviderSite, on_delete=models.CASCADE, related_name="service_areas"
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="service_areas"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["county__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "county"],
                name="service_area_once_per_county",
                violation_error_message="This provider already lists that county.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} – {self.county} ({self.get_status_display()})"
