"""Each rule of the rule contract (docs/architecture.md) against hand-worked cases and edges."""

from decimal import Decimal as D

import pytest

from ratings.engine import (
    NOT_APPLICABLE,
    Direction,
    InvalidParams,
    Rule,
    as_decimal,
    max_points,
    round2,
    score_indicator,
)

from .builders import indicator

LOWER = Direction.LOWER
ALL_PARAMS = {"threshold": 1, "target": 1, "per_event": 1, "bands": [[1, 5]]}


def score(rule, value, points="10", direction=Direction.HIGHER, **params):
    return score_indicator(indicator("x", rule, points=points, direction=direction, **params), value)


def outcome(result):
    return result.points, result.met, result.gap


# --- missing values ----------------------------------------------------------------------------


@pytest.mark.parametrize("rule", [r for r in Rule if r != Rule.VETO])
def test_missing_value_scores_zero_is_not_met_and_fires_no_veto(rule):
    result = score(rule, None, **ALL_PARAMS)
    assert (result.value, result.points, result.met, result.veto_fired, result.gap) == (None, D(0), False, False, None)


def test_veto_without_a_value_is_no_event_met_and_not_fired():
    result = score(Rule.VETO, None, points="0")
    assert (result.value, result.points, result.met, result.veto_fired, result.gap) == (None, D(0), True, False, None)
    assert result.points_to_gain == 0


@pytest.mark.parametrize(("rule", "points", "full"), [
    (Rule.PASS_FAIL, "10", D(10)), (Rule.THRESHOLD, "10", D(10)), (Rule.RATIO, "5", D(5)),
    (Rule.DEDUCTION, "10", D(10)), (Rule.BANDED, "10", D(5)), (Rule.VETO, "0", D(0)),
])
def test_not_applicable_gives_the_full_points_met_and_no_veto(rule, points, full):
    result = score(rule, NOT_APPLICABLE, points=points, **ALL_PARAMS)
    assert (result.value, result.points, result.met, result.veto_fired, result.not_applicable) == (
        None, full, True, False, True)
    assert result.points_to_gain == 0


def test_banded_hand_worked_most_points_among_bands_reached_whatever_their_order():
    # Bands given out of order and with a lower band worth more than a higher one (a sloppy
    # standard): 250,000 reaches the bounds 100,000 (8 points), 200,000 (12) and 50,000 (15).
    bands = [[200000, 12], [50000, 15], [100000, 8], [300000, 20]]
    assert outcome(score(Rule.BANDED, D(250000), points="20", bands=bands)) == (D(15), True, None)
    assert outcome(score(Rule.BANDED, D(300000), points="20", bands=bands)) == (D(20), True, None)


# --- pass / fail -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, D(1), D(2)])
def test_pass_fail_true_gives_all_points(value):
    assert outcome(score(Rule.PASS_FAIL, value)) == (D(10), True, None)


@pytest.mark.parametrize("value", [False, D(0)])
def test_pass_fail_false_gives_nothing_and_no_numeric_gap(value):
    assert outcome(score(Rule.PASS_FAIL, value)) == (D(0), False, None)


# --- threshold ---------------------------------------------------------------------------------


def test_threshold_exactly_at_threshold_meets():
    assert outcome(score(Rule.THRESHOLD, D(90), threshold=90)) == (D(10), True, None)


def test_threshold_above_threshold_meets():
    assert outcome(score(Rule.THRESHOLD, D(150), threshold=90)) == (D(10), True, None)


def test_threshold_just_below_gives_nothing_and_the_gap():
    assert outcome(score(Rule.THRESHOLD, D("89.99"), threshold=90)) == (D(0), False, D("0.01"))


def test_threshold_lower_is_better_meets_at_or_below():
    assert outcome(score(Rule.THRESHOLD, D(2), direction=LOWER, threshold=2)) == (D(10), True, None)
    assert outcome(score(Rule.THRESHOLD, D(0), direction=LOWER, threshold=2)) == (D(10), True, None)


def test_threshold_lower_is_better_above_gives_nothing_and_the_excess():
    assert outcome(score(Rule.THRESHOLD, D(5), direction=LOWER, threshold=2)) == (D(0), False, D(3))


def test_threshold_accepts_the_threshold_as_a_string_from_json():
    assert score(Rule.THRESHOLD, D(90), threshold="90.0").met


# --- banded ------------------------------------------------------------------------------------

INCOME_BANDS = [[50000, 5], [100000, 10], [500000, 15]]


@pytest.mark.parametrize(("value", "points"), [
    (D(0), D(0)), (D(49999), D(0)), (D(50000), D(5)), (D(120000), D(10)), (D(500000), D(15)), (D(10**7), D(15)),
])
def test_banded_takes_the_best_band_reached(value, points):
    assert score(Rule.BANDED, value, points="15", bands=INCOME_BANDS).points == points


def test_banded_below_every_band_is_unmet_with_the_distance_to_the_first():
    assert outcome(score(Rule.BANDED, D(49999), points="15", bands=INCOME_BANDS)) == (D(0), False, D(1))


def test_banded_order_of_bands_does_not_matter():
    shuffled = [INCOME_BANDS[2], INCOME_BANDS[0], INCOME_BANDS[1]]
    assert score(Rule.BANDED, D(120000), points="15", bands=shuffled).points == D(10)


@pytest.mark.parametrize(("value", "points"), [(D(0), D(10)), (D(1), D(10)), (D(3), D(4)), (D(5), D(4)), (D(6), D(0))])
def test_banded_lower_is_better_reaches_a_band_at_or_below_its_bound(value, points):
    assert score(Rule.BANDED, value, direction=LOWER, bands=[[5, 4], [1, 10]]).points == points


def test_banded_lower_is_better_above_every_band_gives_the_excess():
    assert outcome(score(Rule.BANDED, D(6), direction=LOWER, bands=[[5, 4], [1, 10]])) == (D(0), False, D(1))


def test_banded_reaching_only_a_zero_point_band_is_not_met():
    # The gap points at the nearest band that gives points, not at the zero band already reached.
    assert outcome(score(Rule.BANDED, D(3), bands=[[0, 0], [10, 5]])) == (D(0), False, D(7))


def test_banded_max_points_is_the_best_band():
    assert max_points(indicator("x", Rule.BANDED, points="20", bands=[[1, 5], [2, 12]])) == D(12)


# --- ratio -------------------------------------------------------------------------------------


def test_ratio_scales_points_by_the_share_of_the_target():
    assert outcome(score(Rule.RATIO, D(40), target=80)) == (D(5), False, D(40))


def test_ratio_exactly_at_target_meets_with_all_points():
    assert outcome(score(Rule.RATIO, D(80), target=80)) == (D(10), True, None)


def test_ratio_above_target_is_clamped_to_all_points():
    assert outcome(score(Rule.RATIO, D(120), target=80)) == (D(10), True, None)


def test_ratio_negative_value_is_clamped_to_zero_points():
    assert score(Rule.RATIO, D(-5), target=80).points == D(0)


def test_ratio_points_are_rounded_half_up_to_two_decimals():
    assert score(Rule.RATIO, D(1), target=3).points == D("3.33")
    assert score(Rule.RATIO, D(2), target=3).points == D("6.67")
    assert score(Rule.RATIO, D(1), points="1", target=8).points == D("0.13")  # 0.125 rounds up


def test_ratio_lower_is_better_zero_value_gives_all_points():
    assert outcome(score(Rule.RATIO, D(0), direction=LOWER, target=2)) == (D(10), True, None)


def test_ratio_lower_is_better_scales_by_target_over_value():
    assert outcome(score(Rule.RATIO, D(4), direction=LOWER, target=2)) == (D(5), False, D(2))
    assert outcome(score(Rule.RATIO, D(2), direction=LOWER, target=2)) == (D(10), True, None)
    assert outcome(score(Rule.RATIO, D(1), direction=LOWER, target=2)) == (D(10), True, None)


def test_ratio_target_zero_higher_is_better_any_value_from_zero_reaches_it():
    assert outcome(score(Rule.RATIO, D(0), target=0)) == (D(10), True, None)
    assert outcome(score(Rule.RATIO, D(7), target=0)) == (D(10), True, None)
    assert outcome(score(Rule.RATIO, D(-1), target=0)) == (D(0), False, D(1))


def test_ratio_target_zero_lower_is_better_only_zero_reaches_it():
    assert outcome(score(Rule.RATIO, D(0), direction=LOWER, target=0)) == (D(10), True, None)
    assert outcome(score(Rule.RATIO, D(3), direction=LOWER, target=0)) == (D(0), False, D(3))


def test_ratio_negative_target_is_read_as_zero():
    assert outcome(score(Rule.RATIO, D(5), target=-4)) == outcome(score(Rule.RATIO, D(5), target=0))


# --- deduction ---------------------------------------------------------------------------------


def test_deduction_without_events_keeps_all_points_and_meets():
    assert outcome(score(Rule.DEDUCTION, D(0), per_event=3)) == (D(10), True, None)


def test_deduction_takes_per_event_points_for_each_event():
    assert outcome(score(Rule.DEDUCTION, D(2), per_event=3)) == (D(4), False, D(2))
    assert score(Rule.DEDUCTION, D(3), per_event="0.5").points == D("8.5")


def test_deduction_floors_at_zero():
    assert score(Rule.DEDUCTION, D(4), per_event=3).points == D(0)
    assert score(Rule.DEDUCTION, D(100), per_event=3).points == D(0)


def test_deduction_counts_a_yes_as_one_event():
    assert score(Rule.DEDUCTION, True, per_event=3).points == D(7)


# --- veto --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "fired"), [(D(0), False), (False, False), (D(1), True), (True, True), (D(3), True)])
def test_veto_fires_on_any_event_and_carries_no_points(value, fired):
    result = score(Rule.VETO, value, points="0")
    assert (result.points, result.veto_fired, result.met) == (D(0), fired, not fired)


def test_veto_carries_no_points_even_if_the_spec_gives_some():
    result = score(Rule.VETO, D(0), points="5")
    assert (result.points, result.max_points) == (D(0), D(0))


def test_veto_gap_is_the_number_of_events():
    assert score(Rule.VETO, D(2), points="0").gap == D(2)


# --- bad parameters and values -----------------------------------------------------------------


@pytest.mark.parametrize(("rule", "params"), [
    (Rule.THRESHOLD, {}), (Rule.THRESHOLD, {"threshold": "high"}), (Rule.RATIO, {"target": None}),
    (Rule.DEDUCTION, {"per_event": "NaN"}), (Rule.BANDED, {"bands": "50000,5"}), (Rule.BANDED, {"bands": [[1]]}),
])
def test_unscorable_parameters_raise_naming_the_indicator(rule, params):
    with pytest.raises(InvalidParams, match="indicator x"):
        score(rule, D(1), **params)


def test_unscorable_parameters_raise_even_when_the_value_is_missing():
    # A broken standard must not pass unnoticed in the months before anyone enters data.
    with pytest.raises(InvalidParams):
        score(Rule.THRESHOLD, None)


@pytest.mark.parametrize(("raw", "expected"), [
    (True, D(1)), (False, D(0)), (D("1.5"), D("1.5")), (3, D(3)), ("2.25", D("2.25")),
    (None, None), ("abc", None), (D("NaN"), None), (D("Infinity"), None),
])
def test_as_decimal_reads_yes_no_numbers_and_drops_what_is_not_a_finite_number(raw, expected):
    assert as_decimal(raw) == expected


def test_non_numeric_value_counts_as_missing():
    assert outcome(score(Rule.THRESHOLD, "n/a", threshold=1)) == (D(0), False, None)


@pytest.mark.parametrize(("raw", "expected"), [
    (D("2.345"), D("2.35")), (D("2.344"), D("2.34")), (D("2.5"), D("2.50")), (D("-0.005"), D("-0.01")), (7, D("7.00")),
])
def test_round2_rounds_half_up_to_two_decimals(raw, expected):
    rounded = round2(raw)
    assert rounded == expected and rounded.as_tuple().exponent == -2
