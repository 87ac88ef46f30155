"""Inputs and outputs of the engine: frozen dataclasses of plain values, no ORM objects.

Results are named tuples (immutable, built twice as fast as frozen dataclasses: a province's
month builds about three million of them); specs and inputs frozen dataclasses.

Figures are `Decimal`. The engine rounds each indicator's points to two decimals (half up)
as it scores them, so a star's score is exactly the sum of the points a page shows; the
persistence layer calls `round2()` on every figure it stores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any, NamedTuple


class NotApplicable:
    """A metric provider's answer "this indicator does not apply to the village this period"
    (e.g. no first secretary served in it that month). Scores full points, met, shown as 不适用.
    One instance, `NOT_APPLICABLE`; compare with `is`."""

    _instance: NotApplicable | None = None

    def __new__(cls) -> NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"

    def __reduce__(self):
        return (NotApplicable, ())


NOT_APPLICABLE = NotApplicable()

# One period's value as the ledger or a metric provider reports it: a number, a yes/no,
# nothing (not reported), or NOT_APPLICABLE (a provider only). Numeric strings and ints are
# accepted too; see `rules.as_decimal`.
Value = Decimal | bool | NotApplicable | None


class Rule(StrEnum):
    PASS_FAIL = "pass_fail"
    THRESHOLD = "threshold"
    BANDED = "banded"
    RATIO = "ratio"
    DEDUCTION = "deduction"
    VETO = "veto"


class Aggregation(StrEnum):
    """How the periods of the year combine, up to and including the month scored.

    LATEST: the value of the latest period that has one. SUM and MAX: over the periods that
    have a value. COUNT: the number of periods whose value is above 0 (e.g. months in which a
    meeting was held; a yes/no counts when yes), which is not SUM: two meetings in one month
    count one month.
    """

    LATEST = "latest"
    SUM = "sum"
    MAX = "max"
    COUNT = "count"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of a star.

    `params` by rule: threshold {"threshold": t}; banded {"bands": [[bound, points], ...]};
    ratio {"target": target}; deduction {"per_event": points per event}; pass/fail and veto
    none. Numbers may be Decimal, int or numeric strings (as stored in JSON).
    """

    code: str
    rule: Rule
    points: Decimal
    params: Mapping[str, Any] = field(default_factory=dict)
    aggregation: Aggregation = Aggregation.LATEST
    direction: Direction = Direction.HIGHER
    required: bool = False

    @cached_property
    def memo(self) -> dict:
        """The rules module's cache for this spec (its results by value, its parsed rule and
        best points): a spec is immutable, so what is derived from it never changes."""
        return {}


@dataclass(frozen=True)
class StarSpec:
    code: str
    pass_mark: Decimal
    indicators: tuple[IndicatorSpec, ...]
    max_score: Decimal = Decimal(100)
    # The branch star: a village without it is capped below `prerequisite_from_level`, and a
    # weak-and-lax branch cannot earn it.
    is_prerequisite: bool = False

    @cached_property
    def memo(self) -> dict:
        """evaluate_star's results of this star by the values scored (see there)."""
        return {}

    @cached_property
    def required_at(self) -> tuple[int, ...]:
        """Positions of the required indicators (a star has few or none: evaluate_star looks
        only there for required ones unmet)."""
        return tuple(i for i, spec in enumerate(self.indicators) if spec.required)

    @cached_property
    def veto_at(self) -> tuple[int, ...]:
        """Positions of the veto indicators (the only ones that can fire)."""
        return tuple(i for i, spec in enumerate(self.indicators) if spec.rule == Rule.VETO)


@dataclass(frozen=True)
class StandardSpec:
    stars: tuple[StarSpec, ...]
    # From this level on the prerequisite star is needed: 1 means every level (no star level
    # above 0 without it), 4 means a village may hold level 3 without it but not 4.
    prerequisite_from_level: int = 1
    tiebreak_star_code: str = "industry"


@dataclass(frozen=True)
class VillageInput:
    """One village's values for the year so far.

    `values` maps an indicator code to its periods: [(period, value), ...], the period being
    the month 1..12. Periods after the month scored are ignored; an indicator absent from the
    mapping, or with no value up to the month, is missing (0 points, not met; a veto without
    a value is no event). For a COUNT indicator the year-to-date value is the number of
    periods above 0 (see `Aggregation`).
    """

    village_id: int
    division_code: str
    values: Mapping[str, Sequence[tuple[int, Value]]]
    weak_lax: bool = False
    # Values already aggregated year to date up to the month scored (what the service reads
    # from the kept year-to-date rows): an indicator here is scored on this value as it is, and
    # its periods in `values`, if any, are not read.
    aggregated: Mapping[str, Value] = field(default_factory=dict)


class IndicatorResult(NamedTuple):
    code: str
    # The aggregated year-to-date value; None when missing.
    value: Decimal | None
    # Points earned, two decimals.
    points: Decimal
    met: bool
    # Only a veto indicator fires, when its value is above 0.
    veto_fired: bool
    # How much more (higher is better) or less (lower is better, deduction, veto) of the value
    # would meet the indicator; always >= 0. None when met, missing, or a yes/no indicator.
    gap: Decimal | None
    # The most points this indicator can give (the best band for banded, 0 for a veto).
    max_points: Decimal
    # The provider answered "not applicable": full points, met, shown as 不适用 (value None).
    not_applicable: bool = False

    @property
    def points_to_gain(self) -> Decimal:
        return self.max_points - self.points


class StarResult(NamedTuple):
    code: str
    # Sum of the indicators' points, clamped to [0, max_score]; two decimals.
    score: Decimal
    earned: bool
    indicators: tuple[IndicatorResult, ...]
    # Why the star is not earned, machine codes in this order: "below_pass_mark",
    # "required_unmet:<code>"…, "veto:<code>"…, "weak_lax". Empty when earned.
    reasons: tuple[str, ...]
    # pass_mark - score, never below 0.
    points_short: Decimal
    # Codes of the unmet indicators, most points to gain first (ties: the standard's order).
    unmet: tuple[str, ...]
    # The pass mark this result was decided against (stored with the result).
    pass_mark: Decimal

    def indicator(self, code: str) -> IndicatorResult | None:
        return next((r for r in self.indicators if r.code == code), None)


@dataclass(frozen=True)
class VillageResult:
    village_id: int
    division_code: str
    stars: tuple[StarResult, ...]
    stars_earned: int
    star_level: int
    # Sum of the star scores.
    total: Decimal

    def star(self, code: str) -> StarResult | None:
        return next((s for s in self.stars if s.code == code), None)
