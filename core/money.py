"""Money is Decimal, rounded to the cent in one place."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Round an amount to whole cents, half up (27.5 h → $1,499.03)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def dollars(amount: Decimal) -> str:
    """Format an amount for people: $1,570.42."""
    return f"${to_cents(amount):,}"
