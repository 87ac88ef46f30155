"""Each rule of DESIGN.md's rule-semantics table against hand-worked cases and edges."""

from decimal import Decimal as D

import pytest

from ratings.engine import IndicatorSpec, Rule, round2, score_indicator, validate_params
from ratings.engine.types import Direction


def spec(rule, points="10", direction=Direction.HIGHER, **params):
    return IndicatorSpec(code="x", rule=rule, points=D(points), params=params, direction=direction)


@pytest.mark.parametrize("rule", list(Rule))
def test_missing_value_scores_zero_and_is_not_met(rule):
    params = {"threshold": 1, "target": 1, "per_event": 1, "bands": [[1, 5]]}
    result = score_indicator(IndicatorSpec(code="x", rule=rule, points=D(0 if rule == Rule.VETO else 10), params=params), None)
    assert (result.points, result.met, result.veto_fired) == (D(0), False, False)


def test_pass_fail_true_gives_all_points():
    assert score_indicator(spec(Rule.PASS_FAIL), True).points == D(10)
    assert score_indicator(spec(Rule.PASS_FAIL), D(1)).met


def test_pass_fail_false_gives_nothing():
    result = score_indicator(spec(Rule.PASS_FAIL), False)
    assert (result.points, result.met) == (D(0), False)


def test_threshold_exactly_at_threshold_meets():
    result = score_indicator(spec(Rule.THRESHOLD, threshold=90), D(90))
    assert (result.points, result.met, result.gap) == (D(10), True, None)


def test_threshold_just_below_gives_nothing_and_the_gap():
    result = score_indicator(spec(Rule.THRESHOLD, threshold=90), D("89.99"))
    assert (result.points, result.met, result.gap) == (D(0), False, D("0.01"))


def test_threshold_lower_is_better():
    s = spec(Rule.THRESHOLD, direction=Direction.LOWER, threshold=2)
    assert score_indicator(s, D(2)).met
    result = score_indicator(s, D(5))
    assert (result.points, result.gap) == (D(0), D(3))


def test_banded_takes_the_best_band_reached():
    s = spec(Rule.BANDED, points="15", bands=[[50000, 5], [100000, 10], [500000, 15]])
    assert score_indicator(s, D(120000)).points == D(10)
    assert score_indicator(s, D(500000)).points == D(15)
    assert score_indicator(s, D(49999)).points == D(0)
    assert score_indicator(s, D(49999)).gap == D(1)
    assert not score_indicator(s, D(0)).met


def test_banded_lower_is_better_reaches_bands_from_below():
    s = spec(Rule.BANDED, direction=Direction.LOWER, points="10", bands=[[5, 4], [1, 10]])
    assert score_indicator(s, D(0)).points == D(10)
    assert score_indicator(s, D(3)).points == D(4)
    assert score_indicator(s, D(6)).points == D(0)


def test_ratio_scales_and_clamps():
    s = spec(Rule.RATIO, target=80)
    assert score_indicator(s, D(40)).points == D(5)
    assert not score_indicator(s, D(40)).met
    assert score_indicator(s, D(120)).points == D(10)
    assert score_indicator(s, D(80)).met
    assert score_indicator(s, D(-5)).points == D(0)


def test_ratio_lower_is_better_zero_value_earns_all_points():
    s = spec(Rule.RATIO, direction=Direction.LOWER, target=2)
    assert score_indicator(s, D(0)).points == D(10)
    assert score_indicator(s, D(4)).points == D(5)
    assert score_indicator(s, D(2)).met and not score_indicator(s, D(4)).met


def test_ratio_with_zero_target_does_not_divide_by_zero():
    assert score_indicator(spec(Rule.RATIO, target=0), D(0)).points == D(10)
    assert score_indicator(spec(Rule.RATIO, direction=Direction.LOWER, target=0), D(3)).points == D(0)


def test_deduction_per_event_floors_at_zero():
    s = spec(Rule.DEDUCTION, points="10", per_event=3)
    assert score_indicator(s, D(0)).points == D(10) and score_indicator(s, D(0)).met
    assert score_indicator(s, D(2)).points == D(4) and not score_indicator(s, D(2)).met
    assert score_indicator(s, D(5)).points == D(0)


@pytest.mark.parametrize(("value", "fired"), [(D(0), False), (False, False), (D(1), True), (True, True), (D(3), True)])
def test_veto_fires_on_any_event_and_carries_no_points(value, fired):
    result = score_indicator(spec(Rule.VETO, points="0"), value)
    assert result.points == D(0)
    assert result.veto_fired is fired
    assert result.met is not fired


def test_round2_rounds_half_up():
    assert round2(D("2.345")) == D("2.35")
    assert round2(D("2.344")) == D("2.34")
    assert round2(D("-0.005")) == D("-0.01")


@pytest.mark.parametrize(
    ("rule", "params", "points", "message"),
    [
        (Rule.THRESHOLD, {}, 10, "阈值规则须填写数值型阈值"),
        (Rule.RATIO, {"target": 0}, 10, "按比例计分须填写大于0的目标值"),
        (Rule.DEDUCTION, {"per_event": -1}, 10, "按次扣分须填写不小于0的每次扣分"),
        (Rule.BANDED, {"bands": [[1]]}, 10, "分档计分须填写至少一档，每档为“界值,得分”"),
        (Rule.BANDED, {"bands": []}, 10, "分档计分须填写至少一档，每档为“界值,得分”"),
        (Rule.BANDED, {"bands": [[1, 12]]}, 10, "分档得分不能为负，也不能超过该指标分值10"),
        (Rule.VETO, {}, 5, "一票否决指标不计分，分值应为0"),
        (Rule.PASS_FAIL, {}, -1, "分值不能为负数"),
        ("nonsense", {}, 1, "未知的计分规则"),
    ],
)
def test_validate_params_explains_what_is_wrong(rule, params, points, message):
    assert message in validate_params(rule, params, points)


def test_validate_params_accepts_good_parameters():
    assert validate_params(Rule.BANDED, {"bands": [[50000, 5], [100000, 10]]}, 10) == []
    assert validate_params(Rule.THRESHOLD, {"threshold": "90"}, 10) == []
    assert validate_params(Rule.VETO, {}, 0) == []


def test_points_are_rounded_to_two_decimals_so_stars_add_up():
    s = spec(Rule.RATIO, points="10", target=3)
    assert score_indicator(s, D(1)).points == D("3.33")
    assert score_indicator(s, D(2)).points == D("6.67")
