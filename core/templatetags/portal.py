from decimal import Decimal

from django import template

from core.money import dollars as format_dollars

register = template.Library()


@register.filter
def dollars(amount: Decimal | None) -> str:
    return "" if amount is None else format_dollars(amount)


@register.filter
def hours_from_quarters(quarters: int | None) -> str:
    """Quarter hours as hours and minutes: 110 → "27:30"."""
    quarters = quarters or 0
    return f"{quarters // 4}:{(quarters % 4) * 15:02d}"
