"""The DOMAIN.md rules on fidelity: the 25-item scale, its total and bands.

Every IPS provider has a fidelity review at least once a year on the IPS
supported employment fidelity scale: 25 items in three areas, each scored
1 to 5. Pure functions: scores and dates in, answers out. No ORM, no clock.
"""

import datetime
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings


class Area(enum.StrEnum):
    STAFFING = "staffing"
    ORGANIZATION = "organization"
    SERVICES = "services"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class FidelityItem:
    """One item of the scale: a stable key for storage, a label for people.

    The key names the item's column and never changes once reviews are
    stored under it; the label may be reworded.
    """

    key: str
    label: str
    area: Area
    number: int  # the item's place in its area, as the scale numbers it


def _area(area: Area, items: list[tuple[str, str]]) -> tuple[FidelityItem, ...]:
    return tuple(
        FidelityItem(key, label, area, number)
        for number, (key, label) in enumerate(items, start=1)
    )


# The items in DOMAIN.md's order: staffing 3, organization 8, services 14.
ITEMS: tuple[FidelityItem, ...] = (
    *_area(
        Area.STAFFING,
        [
            ("caseload_size", "Caseload size"),
            ("employment_services_staff", "Employment services staff"),
            ("vocational_generalists", "Vocational generalists"),
        ],
    ),
    *_area(
        Area.ORGANIZATION,
        [
            (
                "integration_through_team_assignment",
                "Integration with treatment through team assignment",
            ),
            (
                "integration_through_frequent_contact",
                "Integration with treatment through frequent contact",
            ),
            (
                "collaboration_with_vocational_rehabilitation",
                "Collaboration with vocational rehabilitation",
            ),
            ("vocational_unit", "Vocational unit"),
            ("supervisor_role", "Supervisor's role"),
            ("zero_exclusion", "Zero exclusion"),
            ("agency_focus_on_competitive_work", "Agency focus on competitive work"),
            ("executive_support", "Executive support"),
        ],
    ),
    *_area(
        Area.SERVICES,
        [
            ("work_incentives_planning", "Work incentives planning"),
            ("disclosure", "Disclosure"),
            ("work_based_assessment", "Ongoing work-based assessment"),
            ("rapid_job_search", "Rapid job search"),
            ("individualized_job_search", "Individualized job search"),
            ("employer_contact_frequency", "Frequency of employer contact"),
            ("employer_contact_quality", "Quality of employer contact"),
            ("job_type_diversity", "Diversity of job types"),
            ("employer_diversity", "Diversity of employers"),
            ("competitive_jobs", "Competitive jobs"),
            ("individualized_follow_along", "Individualized follow-along"),
            ("time_unlimited_follow_along", "Time-unlimited follow-along"),
            ("community_based_services", "Community-based services"),
            ("assertive_engagement", "Assertive engagement and outreach"),
        ],
    ),
)
ITEM_KEYS: tuple[str, ...] = tuple(item.key for item in ITEMS)
ITEMS_BY_KEY: dict[str, FidelityItem] = {item.key: item for item in ITEMS}

LOWEST_SCORE, HIGHEST_SCORE = 1, 5
LOWEST_TOTAL = LOWEST_SCORE * len(ITEMS)  # 25
HIGHEST_TOTAL = HIGHEST_SCORE * len(ITEMS)  # 125
# The most an area can score: staffing 15, organization 40, services 70.
AREA_HIGHEST: dict[Area, int] = {
    area: HIGHEST_SCORE * sum(1 for item in ITEMS if item.area == area) for area in Area
}


class Band(enum.StrEnum):
    EXEMPLARY = "exemplary"
    GOOD = "good"
    FAIR = "fair"
    NOT_SUPPORTED_EMPLOYMENT = "not_supported_employment"

    @property
    def label(self) -> str:
        return BAND_LABELS[self]


BAND_LABELS: dict[Band, str] = {
    Band.EXEMPLARY: "Exemplary fidelity",
    Band.GOOD: "Good fidelity",
    Band.FAIR: "Fair fidelity",
    Band.NOT_SUPPORTED_EMPLOYMENT: "Not supported employment",
}

# The lowest total of each band, best band first. A total belongs to the
# first band whose floor it reaches.
BAND_FLOORS: tuple[tuple[Band, int], ...] = (
    (Band.EXEMPLARY, 115),
    (Band.GOOD, 100),
    (Band.FAIR, 74),
    (Band.NOT_SUPPORTED_EMPLOYMENT, LOWEST_TOTAL),
)


class ScoresInvalid(ValueError):
    """Some item scores are missing, unknown or outside 1 to 5."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def score_problems(scores: Mapping[str, object]) -> dict[str, str]:
    """Say what is wrong with each score, by item key; empty when all is well.

    Every one of the 25 items needs a whole-number score from 1 to 5. Each
    message names its item, so it reads well next to the field or alone.
    A key that is not an item of the scale is a problem too.
    """
    problems: dict[str, str] = {}
    for item in ITEMS:
        score = scores.get(item.key)
        if score is None:
            problems[item.key] = f"Score “{item.label}” from 1 to 5."
        elif (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not LOWEST_SCORE <= score <= HIGHEST_SCORE
        ):
            problems[item.key] = (
                f"“{item.label}” is scored from 1 to 5, not {score!s:.20}."
            )
    for key in scores.keys() - ITEMS_BY_KEY.keys():
        problems[key] = f"“{key:.40}” is not an item of the fidelity scale."
    return problems


def fidelity_total(scores: Mapping[str, int]) -> int:
    """Total a review's 25 item scores (25 to 125).

    All 25 items are required, each a whole number from 1 to 5; anything
    else raises ScoresInvalid naming every item at fault, so a review is
    never totalled from part of the scale.
    """
    problems = score_problems(scores)
    if problems:
        raise ScoresInvalid(problems)
    return sum(scores[key] for key in ITEM_KEYS)


def fidelity_band(total: int) -> Band:
    """Name the band of a total (rule — fidelity bands).

    115–125 exemplary fidelity, 100–114 good, 74–99 fair, 73 or less not
    supported employment. A total outside 25–125 cannot come from the
    scale and raises ValueError.
    """
    if not LOWEST_TOTAL <= total <= HIGHEST_TOTAL:
        raise ValueError(f"A fidelity total is 25 to 125, not {total}.")
    for band, floor in BAND_FLOORS:
        if total >= floor:
            return band
    raise AssertionError("unreachable: the last floor is the lowest total")


def area_totals(scores: Mapping[str, int]) -> dict[Area, int]:
    """Subtotal the scores by area, in the scale's order of areas."""
    totals = dict.fromkeys(Area, 0)
    for item in ITEMS:
        totals[item.area] += scores[item.key]
    return totals


def review_interval_days() -> int:
    """How many days a review stays current (FLAG_THRESHOLDS, 365)."""
    return int(settings.FLAG_THRESHOLDS["fidelity_review_days"])


def review_overdue_on(
    reviewed_on: datetime.date, days: int | None = None
) -> datetime.date:
    """Return the first day a review counts as overdue (rule — overdue).

    "Older than a year": a review stays current for ``days`` whole days
    after its date (365) and is overdue the day after. One dated 12/03/2025
    is current through 12/03/2026 and overdue from 12/04/2026.

    The year is counted in days, not to the calendar anniversary, so this
    function, the monitor's SQL and the dashboards agree to the day. When a
    February 29 falls inside the year the review goes overdue on its
    anniversary (03/01/2023 → 03/01/2024), a day earlier than in other
    years; a review on February 29, 2024 goes overdue on March 1, 2025.
    """
    if days is None:
        days = review_interval_days()
    return reviewed_on + datetime.timedelta(days=days + 1)


def is_review_overdue(
    last_reviewed_on: datetime.date | None,
    today: datetime.date,
    days: int | None = None,
) -> bool:
    """Whether a provider's last review is older than a year on ``today``.

    A provider with no review on record (None) is overdue: the scale asks
    for one every year. Pages say "No fidelity review on record" rather
    than "overdue" for it; the monitor dates it from the provider's first
    member in IPS (fidelity.monitors).
    """
    if last_reviewed_on is None:
        return True
    return today >= review_overdue_on(last_reviewed_on, days)
