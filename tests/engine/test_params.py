"""validate_params: the standard editor's check of a rule's parameters, in Chinese."""

from decimal import Decimal as D

import pytest

from ratings.engine import Rule, validate_params
from ratings.engine.params import (
    MSG_BAND_DUPLICATE,
    MSG_BAND_POINTS,
    MSG_BANDS_FORMAT,
    MSG_PER_EVENT,
    MSG_POINTS,
    MSG_RULE,
    MSG_TARGET,
    MSG_THRESHOLD,
    MSG_VETO_POINTS,
)


@pytest.mark.parametrize(("rule", "params", "points"), [
    (Rule.PASS_FAIL, {}, 10),
    (Rule.PASS_FAIL, None, D("2.5")),
    (Rule.THRESHOLD, {"threshold": 90}, 10),
    (Rule.THRESHOLD, {"threshold": "0"}, "10"),
    (Rule.BANDED, {"bands": [[50000, 5], [100000, 10]]}, 10),
    (Rule.BANDED, {"bands": [["1", "0"], ["2", "10.00"]]}, "10"),
    (Rule.RATIO, {"target": "0.5"}, 10),
    (Rule.DEDUCTION, {"per_event": 0}, 10),
    (Rule.VETO, {}, 0),
    ("threshold", {"threshold": 1}, 5),
])
def test_validate_params_accepts_good_parameters(rule, params, points):
    assert validate_params(rule, params, points) == []


@pytest.mark.parametrize(("params", "why"), [
    ({}, "missing"), ({"threshold": None}, "empty"), ({"threshold": "ninety"}, "not a number"),
    ({"threshold": "NaN"}, "not finite"), ({"threshold": True}, "a yes/no is not a number"),
])
def test_validate_params_threshold_must_be_a_number(params, why):
    assert validate_params(Rule.THRESHOLD, params, 10) == [MSG_THRESHOLD], why


@pytest.mark.parametrize("params", [{}, {"target": 0}, {"target": -1}, {"target": "x"}, {"target": "Infinity"}])
def test_validate_params_ratio_target_must_be_above_zero(params):
    assert validate_params(Rule.RATIO, params, 10) == [MSG_TARGET]


@pytest.mark.parametrize("params", [{}, {"per_event": -1}, {"per_event": "much"}])
def test_validate_params_deduction_per_event_must_not_be_negative(params):
    assert validate_params(Rule.DEDUCTION, params, 10) == [MSG_PER_EVENT]


@pytest.mark.parametrize("bands", [
    None, [], "50000,5", [[1]], [[1, 2, 3]], [50000, 5], [["a", 5]], [[1, None]], {"1": 5},
])
def test_validate_params_bands_must_be_a_list_of_bound_points_pairs(bands):
    assert validate_params(Rule.BANDED, {"bands": bands}, 10) == [MSG_BANDS_FORMAT]


@pytest.mark.parametrize("bands", [[[1, 12]], [[1, -1]], [[1, 5], [2, "10.01"]]])
def test_validate_params_band_points_must_lie_between_zero_and_the_indicator_points(bands):
    assert validate_params(Rule.BANDED, {"bands": bands}, 10) == [MSG_BAND_POINTS.format(points=10)]


def test_validate_params_band_points_message_names_the_points_as_entered():
    # The editor passes the model's Decimal("20.00"); the message shows it as the form did.
    assert validate_params(Rule.BANDED, {"bands": [[1, 25]]}, D("20.00")) == ["分档得分不能为负，也不能超过该指标分值20.00"]


def test_validate_params_band_bounds_must_not_repeat_even_written_differently():
    # The message names the repeated bound as it was entered the second time.
    assert validate_params(Rule.BANDED, {"bands": [[5, 3], ["5.0", 4]]}, 10) == [MSG_BAND_DUPLICATE.format(bound="5.0")]


def test_validate_params_veto_must_carry_no_points():
    assert validate_params(Rule.VETO, {}, 5) == [MSG_VETO_POINTS]


@pytest.mark.parametrize("points", [-1, None, "ten", D("NaN")])
def test_validate_params_points_must_be_a_number_not_below_zero(points):
    assert validate_params(Rule.PASS_FAIL, {}, points) == [MSG_POINTS]


def test_validate_params_reports_every_problem_at_once():
    assert validate_params(Rule.THRESHOLD, {}, -5) == [MSG_POINTS, MSG_THRESHOLD]


def test_validate_params_does_not_compare_bands_with_invalid_points():
    # With the points themselves wrong, only that is reported, not a band comparison against them.
    assert validate_params(Rule.BANDED, {"bands": [[1, 5]]}, "x") == [MSG_POINTS]


def test_validate_params_unknown_rule():
    assert validate_params("lottery", {}, 10) == [MSG_RULE]


def test_validate_params_messages_are_chinese_and_unchanged_for_the_editor():
    # The standard editor's tests match these exact strings.
    assert validate_params(Rule.RATIO, {"target": 0}, 10) == ["按比例计分须填写大于0的目标值"]
    assert validate_params(Rule.THRESHOLD, {}, 10) == ["阈值规则须填写数值型阈值"]
