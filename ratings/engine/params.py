"""Reading and checking rule parameters.

One place decides what a valid parameter is: `validate_params` (the standard editor's check,
with Chinese messages) and the engine's readers (`threshold_of`, `bands_of`, …) share the
parsing below, so whatever the editor accepts the engine can score.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .types import IndicatorSpec, Rule

ZERO = Decimal(0)

MSG_THRESHOLD = "阈值规则须填写数值型阈值"
MSG_TARGET = "按比例计分须填写大于0的目标值"
MSG_PER_EVENT = "按次扣分须填写不小于0的每次扣分"
MSG_BANDS_FORMAT = "分档计分须填写至少一档，每档为“界值,得分”"
MSG_BAND_POINTS = "分档得分不能为负，也不能超过该指标分值{points}"
MSG_BAND_DUPLICATE = "分档界值不能重复：{bound}"
MSG_BAND_RISING = "分档得分须随界值提高而增加（越高越好）：界值{low}得{low_points}分，界值{high}却只得{high_points}分"
MSG_BAND_RISING_LOWER = "分档得分须随界值降低而增加（越低越好）：界值{high}得{high_points}分，界值{low}却只得{low_points}分"
MSG_VETO_POINTS = "一票否决指标不计分，分值应为0"
MSG_POINTS = "分值须填写不小于0的数值"
MSG_RULE = "未知的计分规则"


class InvalidParams(ValueError):
    """An indicator's parameters cannot be scored (the editor should have refused them)."""


def number(value: Any) -> Decimal | None:
    """A finite Decimal from a Decimal, int, float or numeric string; None otherwise.

    Booleans are refused: a parameter of `True` is a data-entry mistake, not the number 1.
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    # NaN and infinities compare badly (NaN raises on <) and score nonsense.
    return result if result.is_finite() else None


def parse_bands(raw: Any) -> list[tuple[Decimal, Decimal]] | None:
    """[(bound, points), …] from a non-empty list of two-number pairs; None if malformed."""
    if not isinstance(raw, list | tuple) or not raw:
        return None
    pairs = []
    for band in raw:
        if not isinstance(band, list | tuple) or len(band) != 2:
            return None
        bound, points = number(band[0]), number(band[1])
        if bound is None or points is None:
            return None
        pairs.append((bound, points))
    return pairs


def validate_params(rule: str, params: Mapping[str, Any] | None, points: Any, direction: str = "higher") -> list[str]:
    """Chinese messages for what is wrong with an indicator's rule, parameters and points.

    Empty when all is well. Checks: points a number >= 0 (exactly 0 for a veto); threshold a
    number; ratio target a number > 0; deduction per_event a number >= 0; bands a non-empty
    list of [bound, points] pairs, band points within [0, points], no bound twice, and points
    rising with the bound (higher is better: a higher bound gives more; lower is better: a
    lower bound gives more), so reaching a further band never gives fewer points.
    """
    try:
        rule = Rule(rule)
    except ValueError:
        return [MSG_RULE]
    params = params or {}
    errors: list[str] = []
    p = number(points)
    if p is None or p < 0:
        errors.append(MSG_POINTS)
        p = None
    if rule == Rule.THRESHOLD:
        if number(params.get("threshold")) is None:
            errors.append(MSG_THRESHOLD)
    elif rule == Rule.RATIO:
        target = number(params.get("target"))
        if target is None or target <= 0:
            errors.append(MSG_TARGET)
    elif rule == Rule.DEDUCTION:
        per_event = number(params.get("per_event"))
        if per_event is None or per_event < 0:
            errors.append(MSG_PER_EVENT)
    elif rule == Rule.BANDED:
        errors += _band_errors(params.get("bands"), p, direction)
    elif rule == Rule.VETO and p is not None and p != 0:
        errors.append(MSG_VETO_POINTS)
    return errors


def _band_errors(raw: Any, points: Decimal | None, direction: str = "higher") -> list[str]:
    pairs = parse_bands(raw)
    if pairs is None:
        return [MSG_BANDS_FORMAT]
    errors = []
    # Band points are checked against the indicator's points only when those are valid.
    if points is not None and any(bp < 0 or bp > points for _, bp in pairs):
        errors.append(MSG_BAND_POINTS.format(points=points))
    seen: set[Decimal] = set()
    for bound, _ in pairs:
        if bound in seen:
            errors.append(MSG_BAND_DUPLICATE.format(bound=bound))
            return errors
        seen.add(bound)
    ordered = sorted(pairs)
    for (low, low_points), (high, high_points) in zip(ordered, ordered[1:], strict=False):
        if direction == "lower" and low_points <= high_points:
            errors.append(MSG_BAND_RISING_LOWER.format(low=low, low_points=low_points, high=high,
                                                       high_points=high_points))
            break
        if direction != "lower" and high_points <= low_points:
            errors.append(MSG_BAND_RISING.format(low=low, low_points=low_points, high=high, high_points=high_points))
            break
    return errors


# --- the engine's readers: strict, they raise InvalidParams naming the indicator ------------


def _required_number(spec: IndicatorSpec, name: str) -> Decimal:
    value = number(spec.params.get(name))
    if value is None:
        raise InvalidParams(f"indicator {spec.code}: parameter {name!r} must be a number, got "
                            f"{spec.params.get(name)!r}")
    return value


def threshold_of(spec: IndicatorSpec) -> Decimal:
    return _required_number(spec, "threshold")


def target_of(spec: IndicatorSpec) -> Decimal:
    return _required_number(spec, "target")


def per_event_of(spec: IndicatorSpec) -> Decimal:
    return _required_number(spec, "per_event")


def bands_of(spec: IndicatorSpec) -> list[tuple[Decimal, Decimal]]:
    pairs = parse_bands(spec.params.get("bands"))
    if pairs is None:
        raise InvalidParams(f"indicator {spec.code}: bands must be a non-empty list of [bound, points], got "
                            f"{spec.params.get('bands')!r}")
    return pairs
