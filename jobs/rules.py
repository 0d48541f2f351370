"""Pure rules about jobs."""

from decimal import Decimal

# Iowa's minimum wage in 2026. A job paying less is not competitive
# employment, whatever else it offers.
IOWA_MINIMUM_WAGE = Decimal("7.25")

# Bounds beyond which a figure is a typing mistake, not a job.
MOST_HOURS_PER_WEEK = Decimal("80")
HIGHEST_HOURLY_WAGE = Decimal("250.00")


def is_competitive_wage(hourly_wage: Decimal) -> bool:
    return hourly_wage >= IOWA_MINIMUM_WAGE
