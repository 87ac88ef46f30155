"""How the periods of the year combine into one value, year to date."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .rules import as_decimal
from .types import NOT_APPLICABLE, Aggregation, NotApplicable, Value

ZERO = Decimal(0)


def aggregate(periods: Iterable[tuple[int, Value]], how: Aggregation | str,
              month: int) -> Decimal | NotApplicable | None:
    """Combine the values of the periods up to and including `month`.

    Periods after the month are ignored, and so are periods whose value is None (not
    reported). With no value left the result is None (missing), never 0.

    - latest: the value of the latest period that has one;
    - sum / max: over the periods that have a value;
    - count: the number of periods whose value is above 0 (a yes/no counts when yes), e.g.
      months in which a meeting was held: not the sum of the values.

    Yes/no values become 1/0, so `max` of yes/no periods is "ever true".

    NOT_APPLICABLE (a provider's answer for a period): `latest` returns it when the latest
    period with a value is not applicable; the other aggregations leave such periods out and
    return it only when every period up to the month is not applicable.
    """
    if how.__class__ is not Aggregation:
        how = Aggregation(how)
    if periods.__class__ is list and len(periods) == 1:
        # One period with a finite number (what most providers answer): the rules below, short.
        period, value = periods[0]
        if period <= month and value.__class__ is Decimal and value.is_finite():
            if how is Aggregation.LATEST or how is Aggregation.MAX:
                return value
            if how is Aggregation.SUM:
                return ZERO + value  # as sum() gives it (0 + -0.00 is 0.00)
            return Decimal(1 if value > 0 else 0)
    values = [(period, value if value is NOT_APPLICABLE or (value.__class__ is Decimal and value.is_finite())
               else as_decimal(value))
              for period, value in periods if period <= month]
    present = [(period, value) for period, value in values if value is not None]
    if not present:
        return None
    if how == Aggregation.LATEST:
        # Periods are not assumed sorted; the first of equal periods wins (stable max).
        return max(present, key=lambda pv: pv[0])[1]
    numbers = [value for _, value in present if value is not NOT_APPLICABLE]
    if not numbers:
        return NOT_APPLICABLE
    if how == Aggregation.MAX:
        return max(numbers)
    if how == Aggregation.COUNT:
        return Decimal(sum(1 for value in numbers if value > 0))
    return sum(numbers, ZERO)
