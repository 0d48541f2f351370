"""Rule — monthly cap, as a pure function over a month's amounts."""

from collections.abc import Iterable
from decimal import Decimal

from milestones.rules import MONTHLY_CAP


def month_total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal("0.00"))


def is_over_cap(total: Decimal, cap: Decimal = MONTHLY_CAP) -> bool:
    """Whether a month's Medicaid services break the cap. Exactly at it is allowed."""
    return total > cap
