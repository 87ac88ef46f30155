"""How figures read on the pages: no exponent, no trailing zeros (100, 59.18, 0.5)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def figure(value) -> str:
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "") else text


@register.filter
def yes_no(value) -> str:
    if value is None:
        return ""
    return "是" if Decimal(str(value)) == 1 else "否"
