from decimal import Decimal

from django import template

from core.money import dollars as format_dollars

register = template.Library()


@register.filter
def dollars(amount: Decimal | None) -> str:
    return "" if amount is None else format_dollars(amount)
