from decimal import Decimal

from django import template

from dashboards.rules import percent as format_percent

register = template.Library()


@register.filter
def percent(fraction: Decimal | None) -> str:
    """A fraction as a percentage: 0.41 → "41.0%"."""
    return format_percent(fraction)
