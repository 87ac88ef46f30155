"""One small function per rule type, exactly as the rule contract of docs/architecture.md says.

`v` is the indicator's value after period aggregation and `P` its points. A missing value
scores 0, does not meet the indicator and fires no veto, with two exceptions (the rule contract): a veto
without a value is no event (met, no veto), and a provider's NOT_APPLICABLE gives the full
points, met, shown as 不适用. Each rule function takes the spec and a present value and returns
`Scored(points, met, gap)`.

Choices the table leaves open, decided here:
- pass/fail: any non-zero value is true (a yes/no arrives as 1/0). Its gap is None: there is
  no "how much more" of a yes/no.
- ratio with a target of 0 (or below, which the editor refuses): nothing to divide by, so the
  target counts as 0 and is read as the limit of the formula. Higher is better: any v >= 0
  reaches it (P, met), v < 0 gives 0. Lower is better: only v <= 0 reaches it (P, met, as the
  table's "v = 0 gives P"); any v > 0 gives 0 (target / v = 0).
- counts below zero (deduction, veto) are read as no event: P, met, no veto.
- banded: band points above P are not clamped (the editor refuses them); max_points is the
  best band's points.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NamedTuple

from .params import (
    InvalidParams,
    validate_params,
)
from .params import bands_of as _bands_of
from .params import per_event_of as _per_event_of
from .params import target_of as _target_of
from .params import threshold_of as _threshold_of
from .types import NOT_APPLICABLE, Direction, IndicatorResult, IndicatorSpec, Rule

__all__ = [
    "InvalidParams", "Scored", "as_decimal", "banded", "deduction", "max_points", "pass_fail", "ratio",
    "round2", "score_indicator", "threshold", "validate_params", "veto",
]

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")


class Scored(NamedTuple):
    points: Decimal
    met: bool
    gap: Decimal | None


def round2(value: Decimal | int | str) -> Decimal:
    """Two decimals, half up: how every figure is stored and shown (2.345 → 2.35)."""
    if value.__class__ is Decimal:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def as_decimal(value: Any) -> Decimal | None:
    """A period or aggregated value as a Decimal: True/False → 1/0; numbers and numeric
    strings as they are; None, non-numeric and non-finite values → None (missing)."""
    if isinstance(value, bool):
        return ONE if value else ZERO
    if value is None:
        return None
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return result if result.is_finite() else None


def _kept(reader: Callable[[IndicatorSpec], object]) -> Callable[[IndicatorSpec], object]:
    """A parameter reader whose answer is kept on the spec (parsed once, not per village); a
    reader that raises keeps nothing, so bad parameters fail every time."""

    def read(spec: IndicatorSpec):
        memo = spec.memo
        if reader not in memo:
            memo[reader] = reader(spec)
        return memo[reader]

    read.__name__ = reader.__name__
    return read


threshold_of = _kept(_threshold_of)
bands_of = _kept(_bands_of)
target_of = _kept(_target_of)
per_event_of = _kept(_per_event_of)


def _reaches(v: Decimal, bound: Decimal, direction: Direction) -> bool:
    return v >= bound if direction == Direction.HIGHER else v <= bound


def _distance(v: Decimal, bound: Decimal, direction: Direction) -> Decimal:
    """How far v is from reaching bound (0 once reached)."""
    return max(ZERO, bound - v) if direction == Direction.HIGHER else max(ZERO, v - bound)


def _clamp01(share: Decimal) -> Decimal:
    return min(ONE, max(ZERO, share))


def pass_fail(spec: IndicatorSpec, v: Decimal) -> Scored:
    met = v != 0
    return Scored(spec.points if met else ZERO, met, None)


def threshold(spec: IndicatorSpec, v: Decimal) -> Scored:
    t = threshold_of(spec)
    met = _reaches(v, t, spec.direction)
    return Scored(spec.points if met else ZERO, met, None if met else _distance(v, t, spec.direction))


def banded(spec: IndicatorSpec, v: Decimal) -> Scored:
    bands = bands_of(spec)
    points = max((p for bound, p in bands if _reaches(v, bound, spec.direction)), default=ZERO)
    if points > 0:
        return Scored(points, True, None)
    # Not met: the gap is the distance to the nearest band that gives points.
    distances = [_distance(v, bound, spec.direction) for bound, p in bands if p > 0]
    return Scored(ZERO, False, min(distances, default=None))


def ratio(spec: IndicatorSpec, v: Decimal) -> Scored:
    target = max(ZERO, target_of(spec))
    if spec.direction == Direction.HIGHER:
        met = v >= target
        # Target 0: the limit of v / target, all or nothing (and no division by zero).
        share = (ONE if met else ZERO) if target == 0 else _clamp01(v / target)
    else:
        met = v <= target
        # v = 0 (or below) earns everything, and spares a division by zero.
        share = ONE if v <= 0 else _clamp01(target / v)
    return Scored(spec.points * share, met, None if met else _distance(v, target, spec.direction))


def deduction(spec: IndicatorSpec, v: Decimal) -> Scored:
    per_event = per_event_of(spec)
    events = max(v, ZERO)
    # The clamp to P only matters for a negative per_event, which the editor refuses.
    points = min(spec.points, max(ZERO, spec.points - per_event * events))
    met = events == 0
    return Scored(points, met, None if met else events)


def veto(spec: IndicatorSpec, v: Decimal) -> Scored:
    met = v <= 0
    return Scored(ZERO, met, None if met else v)


RULES: dict[Rule, Callable[[IndicatorSpec, Decimal], Scored]] = {
    Rule.PASS_FAIL: pass_fail,
    Rule.THRESHOLD: threshold,
    Rule.BANDED: banded,
    Rule.RATIO: ratio,
    Rule.DEDUCTION: deduction,
    Rule.VETO: veto,
}


def _no_params(spec: IndicatorSpec) -> None:
    return None


PARAMETER_READERS: dict[Rule, Callable[[IndicatorSpec], object]] = {
    Rule.THRESHOLD: threshold_of,
    Rule.BANDED: bands_of,
    Rule.RATIO: target_of,
    Rule.DEDUCTION: per_event_of,
}


def max_points(spec: IndicatorSpec) -> Decimal:
    """The most points the indicator can give."""
    rule = Rule(spec.rule)
    if rule == Rule.VETO:
        return ZERO
    if rule == Rule.BANDED:
        return max((p for _, p in bands_of(spec)), default=ZERO)
    return spec.points


# Results kept per spec and value (see `score_indicator`); beyond this many values a spec's
# further results are computed each time.
MEMO_VALUES = 4096
_RULE, _TOP = object(), object()


def score_indicator(spec: IndicatorSpec, value: Any) -> IndicatorResult:
    """Score one indicator on its aggregated value (None = missing, NOT_APPLICABLE).

    Points are rounded to two decimals here, so a star's score is exactly the sum of the
    points the explain page shows and the pass-mark decision uses that same figure.
    Raises InvalidParams when the spec's parameters cannot be scored.

    The result depends on the spec and the value only, and both are immutable: the results of
    Decimal values, None and NOT_APPLICABLE are kept on the spec (`IndicatorSpec.memo`), so a
    province of villages with the same yes/no or count scores each distinct value once. Equal
    Decimals share a result (5 and 5.00 score alike; the value kept is the first one seen).
    """
    if value is None or value is NOT_APPLICABLE or value.__class__ is Decimal:
        memo = spec.memo
        try:
            result = memo.get(value)
        except TypeError:  # a signalling NaN cannot be hashed; it reads as missing anyway
            return _score_indicator(spec, value)
        if result is None:
            result = _score_indicator(spec, value)
            if len(memo) < MEMO_VALUES:
                memo[value] = result
        return result
    return _score_indicator(spec, value)


def _rule_and_top(spec: IndicatorSpec) -> tuple[Rule, Decimal]:
    memo = spec.memo
    if _RULE not in memo:
        rule, top = Rule(spec.rule), max_points(spec)  # may raise InvalidParams: nothing kept
        memo[_TOP], memo[_RULE] = top, rule
    return memo[_RULE], memo[_TOP]


def _score_indicator(spec: IndicatorSpec, value: Any) -> IndicatorResult:
    rule, top = _rule_and_top(spec)
    if value is NOT_APPLICABLE:
        PARAMETER_READERS.get(rule, _no_params)(spec)
        return IndicatorResult(code=spec.code, value=None, points=round2(top), met=True, veto_fired=False,
                               gap=None, max_points=top, not_applicable=True)
    v = as_decimal(value)
    if v is None:
        # Bad parameters fail loudly even while no village has a value yet.
        PARAMETER_READERS.get(rule, _no_params)(spec)
        # A veto is entered only when an event happens: no value is no event, met.
        return IndicatorResult(code=spec.code, value=None, points=ZERO, met=rule == Rule.VETO, veto_fired=False,
                               gap=None, max_points=top)
    scored = RULES[rule](spec, v)
    return IndicatorResult(
        code=spec.code, value=v, points=round2(scored.points), met=scored.met,
        veto_fired=rule == Rule.VETO and not scored.met, gap=scored.gap, max_points=top,
    )
