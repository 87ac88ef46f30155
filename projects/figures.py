"""A village's income figure for a year and how two years compare (pure, no ORM).

Shared by the metric providers, the overview and the income list, so the growth a page shows is
the growth the rating engine scores. The rules (see projects.models for how a year is entered):

- a year entered as a whole is complete; a year entered by month is complete with twelve months;
- growth compares like with like: two complete years, or, while this year runs month by month,
  the same months of both years (同比), which needs last year's months; otherwise there is no
  growth figure (a partial year against a full one would read as a fall);
- growth is (this − last) / last × 100 and needs last > 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TOTAL, OPERATING = 0, 1
CENT = Decimal("0.01")


@dataclass
class YearFigure:
    total: Decimal
    operating: Decimal
    monthly: bool = False
    months: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.monthly or len(self.months) == 12

    @property
    def latest_month(self) -> int | None:
        """The latest month entered (None for a year entered as a whole)."""
        return max(self.months) if self.months else None

    def value(self, part: int) -> Decimal:
        return self.total if part == TOTAL else self.operating

    def over(self, months, part: int) -> Decimal | None:
        """The sum over the given months, or None if one of them is missing."""
        if not self.monthly or any(m not in self.months for m in months):
            return None
        return sum((self.months[m][part] for m in months), Decimal(0))

    def up_to(self, month: int) -> YearFigure:
        """This year's figure as known at the end of `month` (monthly years only)."""
        kept = {m: v for m, v in self.months.items() if m <= month}
        return YearFigure(total=sum((v[0] for v in kept.values()), Decimal(0)),
                          operating=sum((v[1] for v in kept.values()), Decimal(0)), monthly=True, months=kept)


def comparable(this: YearFigure | None, last: YearFigure | None, part: int) -> tuple[Decimal, Decimal] | None:
    """(this, last) over the same span, or None when the two years cannot be compared."""
    if this is None or last is None:
        return None
    if this.complete and last.complete:
        return this.value(part), last.value(part)
    if this.monthly and this.months:
        previous = last.over(this.months, part)
        if previous is not None:
            return this.value(part), previous
    return None


def growth_rate(this: YearFigure | None, last: YearFigure | None, part: int = TOTAL) -> Decimal | None:
    """Growth in percent (unrounded), or None (not comparable, or nothing last year)."""
    pair = comparable(this, last, part)
    if pair is None or pair[1] <= 0:
        return None
    return (pair[0] - pair[1]) / pair[1] * 100


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# The income bands of the region browser's filter, as [low, high) ranges of a year's total in yuan
# (projects.models.income_band names a total's band).
INCOME_BAND_RANGES = {
    "none": (None, 0),
    "weak": (0, 50_000),
    "basic": (50_000, 100_000),
    "ten": (100_000, 500_000),
    "fifty": (500_000, 1_000_000),
    "hundred": (1_000_000, None),
}
