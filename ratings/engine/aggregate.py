"""How the periods of the year combine into one value, year to date."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .rules import as_decimal
from .types import Aggregation, Value


def aggregate(periods: Sequence[tuple[int, Value]], how: Aggregation, month: int) -> Decimal | None:
    """Combine the values of periods 1..month (later periods are ignored).

    latest: the value of the latest period that has one; sum and max over the periods with a
    value; count: the sum of the event counts of the periods (a yes/no counts 1/0), so that a
    monthly "meetings held" figure adds up over the year. No value in any period → None.
    """
    values = [(period, as_decimal(value)) for period, value in periods if period <= month]
    values = [(period, value) for period, value in values if value is not None]
    if not values:
        return None
    if how == Aggregation.LATEST:
        return max(values, key=lambda pv: pv[0])[1]
    numbers = [value for _, value in values]
    if how == Aggregation.MAX:
        return max(numbers)
    # SUM and COUNT both add up; COUNT exists so the standard can say it counts events.
    return sum(numbers, Decimal(0))
