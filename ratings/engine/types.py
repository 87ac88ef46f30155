"""Inputs and outputs of the engine: frozen dataclasses of plain values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

Value = Decimal | bool | None


class Rule(StrEnum):
    PASS_FAIL = "pass_fail"
    THRESHOLD = "threshold"
    BANDED = "banded"
    RATIO = "ratio"
    DEDUCTION = "deduction"
    VETO = "veto"


class Aggregation(StrEnum):
    LATEST = "latest"
    SUM = "sum"
    MAX = "max"
    COUNT = "count"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    rule: Rule
    points: Decimal
    params: Mapping = field(default_factory=dict)
    aggregation: Aggregation = Aggregation.LATEST
    direction: Direction = Direction.HIGHER
    required: bool = False


@dataclass(frozen=True)
class StarSpec:
    code: str
    pass_mark: Decimal
    indicators: tuple[IndicatorSpec, ...]
    max_score: Decimal = Decimal(100)
    is_prerequisite: bool = False


@dataclass(frozen=True)
class StandardSpec:
    stars: tuple[StarSpec, ...]
    prerequisite_from_level: int = 1
    tiebreak_star_code: str = "industry"


@dataclass(frozen=True)
class VillageInput:
    """One village's values: indicator code → [(period, value), …] for the year so far."""

    village_id: int
    division_code: str
    values: Mapping[str, Sequence[tuple[int, Value]]]
    weak_lax: bool = False


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    value: Decimal | None
    points: Decimal
    max_points: Decimal
    met: bool
    veto_fired: bool = False
    # How far the value is from meeting the indicator (always ≥ 0; None when met or not numeric).
    gap: Decimal | None = None


@dataclass(frozen=True)
class StarResult:
    code: str
    score: Decimal
    pass_mark: Decimal
    earned: bool
    indicators: tuple[IndicatorResult, ...]
    # Machine codes: "below_pass_mark", "required_unmet:<code>", "veto:<code>", "weak_lax".
    reasons: tuple[str, ...] = ()
    points_short: Decimal = Decimal(0)
    # Unmet indicators, most points to gain first.
    unmet: tuple[str, ...] = ()


@dataclass(frozen=True)
class VillageResult:
    village_id: int
    division_code: str
    stars: tuple[StarResult, ...]
    stars_earned: int
    star_level: int
    total: Decimal

    def star(self, code: str) -> StarResult | None:
        return next((s for s in self.stars if s.code == code), None)
