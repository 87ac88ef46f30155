"""How the periods of the year combine into one value, year to date."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .rules import as_decimal
from .types import Aggregation, Value

ZERO = Decimal(0)


def aggregate(periods: Iterable[tuple[int, Value]], how: Aggregation | str, month: int) -> Decimal | None:
    """Combine the values of the periods up to and including `month`.

    Periods after the month are ignored, and so are periods whose value is None (not
    reported). With no value left the result is None (missing), never 0.

    - latest: the value of the latest period that has one;
    - sum / max: over the periods that have a value;
    - count: the sum of the periods' event counts (a yes/no counts 1/0): each period reports
      how many events happened in it, so monthly "meetings held" add up over the year.

    Yes/no values become 1/0, so `max` of yes/no periods is "ever true".
    """
    how = Aggregation(how)
    values = [(period, as_decimal(value)) for period, value in periods if period <= month]
    present = [(period, value) for period, value in values if value is not None]
    if not present:
        return None
    if how == Aggregation.LATEST:
        # Periods are not assumed sorted; the first of equal periods wins (stable max).
        return max(present, key=lambda pv: pv[0])[1]
    numbers = [value for _, value in present]
    if how == Aggregation.MAX:
        return max(numbers)
    return sum(numbers, ZERO)
