"""The billable services of IPS in Iowa: HCPCS codes with their modifiers.

These are fixed by the state's program, so they are constants rather than
data. Their rates are data: see ``FeeSchedule``.
"""

from django.db import models


class Service(models.TextChoices):
    """A HCPCS code and modifier; the value is written "CODE-MODIFIER"."""

    CAREER_DEVELOPMENT = "T2018-U3", "T2018 U3 – Completed employment plan"
    JOB_DEVELOPMENT_1 = "T2018-U4", "T2018 U4 – First day of a successful placement"
    JOB_DEVELOPMENT_2 = "T2018-U5", "T2018 U5 – 45 days of successful job retention"
    JOB_STABILIZATION = "T2018-U6", "T2018 U6 – 90 days of successful retention"
    COACHING_TIER_1 = "H2025-U4", "H2025 U4 – Coaching tier 1 (a contact)"
    COACHING_TIER_2 = "H2025-U3", "H2025 U3 – Coaching tier 2 (2–8 hours)"
    COACHING_TIER_3 = "H2025-U5", "H2025 U5 – Coaching tier 3 (9–16 hours)"
    COACHING_TIER_4 = "H2025-U7", "H2025 U7 – Coaching tier 4 (17–25 hours)"
    COACHING_TIER_5 = "H2025-UC", "H2025 UC – Coaching tier 5 (26+ hours)"

    @property
    def code(self) -> str:
        return self.value.split("-")[0]

    @property
    def modifier(self) -> str:
        return self.value.split("-")[1]


class RateUnit(models.TextChoices):
    MILESTONE = "milestone", "per milestone"
    MONTH = "month", "per month"
    HOUR = "hour", "per hour"


UNIT_OF_SERVICE: dict[str, str] = {
    Service.CAREER_DEVELOPMENT: RateUnit.MILESTONE,
    Service.JOB_DEVELOPMENT_1: RateUnit.MILESTONE,
    Service.JOB_DEVELOPMENT_2: RateUnit.MILESTONE,
    Service.JOB_STABILIZATION: RateUnit.MILESTONE,
    Service.COACHING_TIER_1: RateUnit.MONTH,
    Service.COACHING_TIER_2: RateUnit.MONTH,
    Service.COACHING_TIER_3: RateUnit.MONTH,
    Service.COACHING_TIER_4: RateUnit.MONTH,
    Service.COACHING_TIER_5: RateUnit.HOUR,
}
