"""Fidelity reviews of IPS provider sites on the 25-item scale.

One row per review, with one column per item. The scale is fixed (25
items, DOMAIN.md), so columns let the database itself hold every review
complete (each item NOT NULL and 1 to 5) and keep the stored total equal to
the sum of the items and its band true to the total. Dashboards then total
a review, an area or an item across providers with plain column arithmetic
and aggregates on the one table, no join or pivot. A child table of item
scores could not require all 25 rows, and every sum would need a GROUP BY
and a join back. A new edition of the scale would be a new model beside
this one, since old reviews keep the items they were scored on.
"""

import uuid
from functools import reduce
from operator import add

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from fidelity.rules import (
    AREA_HIGHEST,
    BAND_FLOORS,
    HIGHEST_SCORE,
    HIGHEST_TOTAL,
    ITEMS,
    ITEMS_BY_KEY,
    LOWEST_SCORE,
    Area,
    Band,
    FidelityItem,
    area_totals,
)
from providers.models import ProviderSite


def _score(key: str) -> models.PositiveSmallIntegerField:  # type: ignore[type-arg]
    return models.PositiveSmallIntegerField(ITEMS_BY_KEY[key].label)


def _scores_in_range() -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{item.key}__gte": LOWEST_SCORE})
            & Q(**{f"{item.key}__lte": HIGHEST_SCORE}),
            name=f"fidelity_{item.key}_1_to_5",
            violation_error_message=f"Score “{item.label}” from 1 to 5.",
        )
        for item in ITEMS
    ]


def _band_matches_total() -> Q:
    """The band each total falls in, as one condition (rule — fidelity bands)."""
    conditions = []
    ceiling = HIGHEST_TOTAL
    for band, floor in BAND_FLOORS:
        conditions.append(Q(band=band.value, total__gte=floor, total__lte=ceiling))
        ceiling = floor - 1
    return reduce(lambda left, right: left | right, conditions)


class FidelityReview(models.Model):
    """A provider site's fidelity review: who reviewed, when, and the scores.

    The total and band are stored, computed by the service from the rules
    and checked by the database, so lists and dashboards read them without
    adding 25 columns. A wrong review is voided with a reason, never
    deleted; a voided review no longer counts as the provider's last.
    """

    class BandChoice(models.TextChoices):
        EXEMPLARY = Band.EXEMPLARY.value, Band.EXEMPLARY.label
        GOOD = Band.GOOD.value, Band.GOOD.label
        FAIR = Band.FAIR.value, Band.FAIR.label
        NOT_SUPPORTED_EMPLOYMENT = (
            Band.NOT_SUPPORTED_EMPLOYMENT.value,
            Band.NOT_SUPPORTED_EMPLOYMENT.label,
        )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        ProviderSite, on_delete=models.PROTECT, related_name="fidelity_reviews"
    )
    reviewed_on = models.DateField("review date")
    reviewers = models.CharField(
        max_length=300, help_text="The names of the people who did the review."
    )

    # Staffing
    caseload_size = _score("caseload_size")
    employment_services_staff = _score("employment_services_staff")
    vocational_generalists = _score("vocational_generalists")
    # Organization
    integration_through_team_assignment = _score("integration_through_team_assignment")
    integration_through_frequent_contact = _score(
        "integration_through_frequent_contact"
    )
    collaboration_with_vocational_rehabilitation = _score(
        "collaboration_with_vocational_rehabilitation"
    )
    vocational_unit = _score("vocational_unit")
    supervisor_role = _score("supervisor_role")
    zero_exclusion = _score("zero_exclusion")
    agency_focus_on_competitive_work = _score("agency_focus_on_competitive_work")
    executive_support = _score("executive_support")
    # Services
    work_incentives_planning = _score("work_incentives_planning")
    disclosure = _score("disclosure")
    work_based_assessment = _score("work_based_assessment")
    rapid_job_search = _score("rapid_job_search")
    individualized_job_search = _score("individualized_job_search")
    employer_contact_frequency = _score("employer_contact_frequency")
    employer_contact_quality = _score("employer_contact_quality")
    job_type_diversity = _score("job_type_diversity")
    employer_diversity = _score("employer_diversity")
    competitive_jobs = _score("competitive_jobs")
    individualized_follow_along = _score("individualized_follow_along")
    time_unlimited_follow_along = _score("time_unlimited_follow_along")
    community_based_services = _score("community_based_services")
    assertive_engagement = _score("assertive_engagement")

    total = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=30, choices=BandChoice.choices)
    notes = models.TextField(blank=True)

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
    # The void reason goes into the history as its change reason, and may
    # be longer than the default 100 characters.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["-reviewed_on", "-recorded_at"]
        constraints = [
            *_scores_in_range(),
            models.CheckConstraint(
                condition=Q(total=reduce(add, (F(item.key) for item in ITEMS))),
                name="fidelity_total_is_sum_of_items",
                violation_error_message="The total must be the sum of the scores.",
            ),
            models.CheckConstraint(
                condition=_band_matches_total(),
                name="fidelity_band_matches_total",
                violation_error_message="The band must be the one of the total.",
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="fidelity_void_has_reason",
            ),
            # One review of a provider a day: a second press of the button
            # must not make two. A voided review frees its date.
            models.UniqueConstraint(
                fields=["provider", "reviewed_on"],
                condition=Q(voided_at__isnull=True),
                name="fidelity_review_once_a_day",
                violation_error_message=(
                    "This provider already has a review on that date."
                ),
            ),
        ]
        indexes = [
            # The latest review per provider, for pages and the monitor.
            models.Index(
                fields=["provider", "-reviewed_on"], name="fidelity_provider_latest"
            ),
        ]

    def __str__(self) -> str:
        return f"Fidelity review {self.public_id}"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def band_label(self) -> str:
        return Band(self.band).label

    def scores(self) -> dict[str, int]:
        return {item.key: getattr(self, item.key) for item in ITEMS}

    def area_subtotals(self) -> list[tuple[Area, int, int]]:
        """Each area with its subtotal and the most it can score."""
        totals = area_totals(self.scores())
        return [(area, totals[area], AREA_HIGHEST[area]) for area in Area]

    def scores_by_area(
        self,
    ) -> list[tuple[Area, int, int, list[tuple[FidelityItem, int]]]]:
        """Each area's subtotal, highest and item scores, in scale order."""
        scores = self.scores()
        return [
            (
                area,
                subtotal,
                highest,
                [(item, scores[item.key]) for item in ITEMS if item.area == area],
            )
            for area, subtotal, highest in self.area_subtotals()
        ]
