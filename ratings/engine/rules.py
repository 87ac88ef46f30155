"""One small function per rule type, exactly as DESIGN.md's rule-semantics table says.

`v` is the value after period aggregation and `P` the indicator's points. A missing value
scores 0 and does not meet the indicator, whatever the rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .types import Direction, IndicatorResult, IndicatorSpec, Rule

ZERO = Decimal(0)
CENT = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    """Two decimals, half up: how every figure is stored and shown."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def as_decimal(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _reaches(v: Decimal, bound: Decimal, direction: Direction) -> bool:
    return v >= bound if direction == Direction.HIGHER else v <= bound


def _distance(v: Decimal, bound: Decimal, direction: Direction) -> Decimal:
    return max(ZERO, bound - v) if direction == Direction.HIGHER else max(ZERO, v - bound)


def pass_fail(spec: IndicatorSpec, v: Decimal) -> tuple[Decimal, bool, Decimal | None]:
    met = v != 0
    return (spec.points if met else ZERO), met, None if met else Decimal(1)


def threshold(spec: IndicatorSpec, v: Decimal) -> tuple[Decimal, bool, Decimal | None]:
    t = Decimal(str(spec.params["threshold"]))
    met = _reaches(v, t, spec.direction)
    return (spec.points if met else ZERO), met, None if met else _distance(v, t, spec.direction)


def banded(spec: IndicatorSpec, v: Decimal) -> tuple[Decimal, bool, Decimal | None]:
    bands = [(Decimal(str(b)), Decimal(str(p))) for b, p in spec.params["bands"]]
    reached = [p for b, p in bands if _reaches(v, b, spec.direction)]
    points = max(reached, default=ZERO)
    met = points > 0
    if met:
        return points, True, None
    # The gap is the distance to the nearest band that gives points.
    scoring = [b for b, p in bands if p > 0]
    return ZERO, False, min((_distance(v, b, spec.direction) for b in scoring), default=None)


def ratio(spec: IndicatorSpec, v: Decimal) -> tuple[Decimal, bool, Decimal | None]:
    target = Decimal(str(spec.params["target"]))
    if spec.direction == Direction.HIGHER:
        # A target of 0 (or less) is reached by any value: nothing to scale against.
        share = Decimal(1) if target <= 0 else min(Decimal(1), max(ZERO, v / target))
        met = v >= target
    else:
        # Lower is better: v = 0 earns everything; P × clamp(target / v, 0, 1) otherwise.
        share = Decimal(1) if v <= 0 else min(Decimal(1), max(ZERO, target / v))
        met = v <= target
    return spec.points * share, met, None if met else _distance(v, target, spec.direction)


def deduction(spec: IndicatorSpec, v: Decimal) -> tuple[Decimal, bool, Decimal | None]:
    per_event = Decimal(str(spec.params["per_event"]))
    points = max(ZERO, spec.points - per_event * max(v, ZERO))
    met = v == 0
    return points, met, None if met else v


def veto(spec: IndicatorSpec, v: Decimal) -> tuple[Decimal, bool, Decimal | None]:
    met = v <= 0
    return ZERO, met, None if met else v


RULES = {
    Rule.PASS_FAIL: pass_fail,
    Rule.THRESHOLD: threshold,
    Rule.BANDED: banded,
    Rule.RATIO: ratio,
    Rule.DEDUCTION: deduction,
    Rule.VETO: veto,
}


def max_points(spec: IndicatorSpec) -> Decimal:
    if spec.rule == Rule.VETO:
        return ZERO
    if spec.rule == Rule.BANDED:
        return max((Decimal(str(p)) for _, p in spec.params.get("bands", [])), default=ZERO)
    return spec.points


def score_indicator(spec: IndicatorSpec, value) -> IndicatorResult:
    """Score one indicator's aggregated value. Missing → 0 points, not met, no veto."""
    v = as_decimal(value)
    top = max_points(spec)
    if v is None:
        return IndicatorResult(code=spec.code, value=None, points=ZERO, max_points=top, met=False, gap=None)
    points, met, gap = RULES[Rule(spec.rule)](spec, v)
    # Points are kept to two decimals as they are scored, so a star's score is exactly the sum
    # of the points the explain page shows, and the pass-mark decision uses that same figure.
    return IndicatorResult(
        code=spec.code, value=v, points=round2(points), max_points=top, met=met,
        veto_fired=spec.rule == Rule.VETO and not met, gap=gap,
    )


# --- parameter validation for the standard editor --------------------------------------------

MSG_THRESHOLD = "阈值规则须填写数值型阈值"
MSG_TARGET = "按比例计分须填写大于0的目标值"
MSG_PER_EVENT = "按次扣分须填写不小于0的每次扣分"
MSG_BANDS_FORMAT = "分档计分须填写至少一档，每档为“界值,得分”"
MSG_BAND_POINTS = "分档得分不能为负，也不能超过该指标分值{points}"
MSG_VETO_POINTS = "一票否决指标不计分，分值应为0"
MSG_POINTS = "分值不能为负数"
MSG_RULE = "未知的计分规则"


def _number(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    return as_decimal(value)


def validate_params(rule: str, params: Mapping | None, points) -> list[str]:
    """Chinese messages for parameters that do not fit the rule (empty when all is well)."""
    params = params or {}
    errors: list[str] = []
    p = _number(points)
    if p is None or p < 0:
        errors.append(MSG_POINTS)
        p = ZERO
    try:
        rule = Rule(rule)
    except ValueError:
        return [MSG_RULE]
    if rule == Rule.THRESHOLD and _number(params.get("threshold")) is None:
        errors.append(MSG_THRESHOLD)
    elif rule == Rule.RATIO:
        target = _number(params.get("target"))
        if target is None or target <= 0:
            errors.append(MSG_TARGET)
    elif rule == Rule.DEDUCTION:
        per_event = _number(params.get("per_event"))
        if per_event is None or per_event < 0:
            errors.append(MSG_PER_EVENT)
    elif rule == Rule.BANDED:
        bands = params.get("bands")
        pairs = []
        if isinstance(bands, list | tuple) and bands:
            for band in bands:
                if not isinstance(band, list | tuple) or len(band) != 2:
                    pairs = None
                    break
                bound, band_points = _number(band[0]), _number(band[1])
                if bound is None or band_points is None:
                    pairs = None
                    break
                pairs.append((bound, band_points))
        else:
            pairs = None
        if pairs is None:
            errors.append(MSG_BANDS_FORMAT)
        elif any(bp < 0 or bp > p for _, bp in pairs):
            errors.append(MSG_BAND_POINTS.format(points=p))
    elif rule == Rule.VETO and p != 0:
        errors.append(MSG_VETO_POINTS)
    return errors
