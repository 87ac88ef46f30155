"""How figures read on the pages: no exponent, no trailing zeros (100, 59.18, 0.5), at most four
decimals (the ledger's precision; a computed ratio such as a growth rate has 28 digits)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

FIGURE_PLACES = 4
FIGURE_STEP = Decimal(1).scaleb(-FIGURE_PLACES)


@register.filter
def figure(value) -> str:
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if not number.is_finite():
        return str(value)
    if number.as_tuple().exponent < -FIGURE_PLACES:
        number = number.quantize(FIGURE_STEP, rounding=ROUND_HALF_UP)
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "") else text


@register.filter
def yes_no(value) -> str:
    if value is None:
        return ""
    return "是" if Decimal(str(value)) == 1 else "否"


@register.filter
def ledger_status(value) -> str:
    """A ledger entry's state as a person reads it (已提交, 已审核 …), from its stored code."""
    from ratings.models import LedgerStatus

    if not value:
        return ""
    try:
        return LedgerStatus(value).label
    except ValueError:
        return "—"


@register.filter
def entry_value(value, indicator) -> str:
    """An entry's value with its unit; 是/否 for a yes/no indicator."""
    if value is None or value == "":
        return "—"
    if getattr(indicator, "value_type", "") == "boolean":
        return yes_no(value)
    unit = getattr(indicator, "unit", "") or ("%" if getattr(indicator, "value_type", "") == "percent" else "")
    return f"{figure(value)}{unit}"


@register.filter
def gap_words(gap, unit: str = "") -> str:
    """How far from the mark: a number reads "还差 40.09%" (with the indicator's unit); words pass."""
    if gap is None or gap == "":
        return ""
    try:
        Decimal(str(gap))
    except ArithmeticError:
        return str(gap)
    return f"还差 {figure(gap)}{unit or ''}"
