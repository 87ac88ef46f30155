"""Stars, star level and total of one village (docs/architecture.md, "The rule contract")."""

from decimal import Decimal as D

from ratings.engine import (
    Direction,
    Rule,
    StandardSpec,
    StarSpec,
    VillageInput,
    evaluate_many,
    evaluate_star,
    evaluate_village,
)

from .builders import STARS, indicator, single, standard, star, village


def gated_star(code="x"):
    """A required 10-point gate and 90 other points: the score can pass without the gate."""
    return StarSpec(code=code, pass_mark=D(80), indicators=(
        indicator(f"{code}.gate", Rule.PASS_FAIL, points="10", required=True),
        indicator(f"{code}.bulk", Rule.RATIO, points="90", target=100),
    ))


def values_village(values, weak_lax=False):
    return VillageInput(village_id=1, division_code="419901001001", values=values, weak_lax=weak_lax)


def test_full_marks_earn_all_five_stars():
    result = evaluate_village(standard(), village(), 6)
    assert (result.stars_earned, result.star_level, result.total) == (5, 5, D(500))
    assert all(s.reasons == () and s.unmet == () and s.points_short == 0 for s in result.stars)


def test_exactly_at_the_pass_mark_earns_the_star():
    result = evaluate_village(standard(), village(b=60), 6)  # 50 + 30 = 80
    assert all(s.score == D(80) and s.earned for s in result.stars)


def test_just_below_the_pass_mark_does_not():
    industry = evaluate_village(standard(), village(b=59), 6).star("industry")
    assert (industry.score, industry.earned, industry.reasons) == (D("79.5"), False, ("below_pass_mark",))
    assert industry.points_short == D("0.5")


def test_star_score_is_clamped_to_the_star_maximum():
    generous = StarSpec(code="x", pass_mark=D(80), indicators=(
        indicator("x.a", Rule.PASS_FAIL, points="60"), indicator("x.b", Rule.PASS_FAIL, points="60"),
    ))
    result = evaluate_star(generous, values_village({"x.a": single(True), "x.b": single(True)}), 1)
    assert (result.score, result.earned) == (D(100), True)


def test_star_score_is_clamped_at_zero():
    # Negative band points are refused by the editor; the clamp still keeps a score from going below 0.
    odd = StarSpec(code="x", pass_mark=D(80), indicators=(indicator("x.a", Rule.BANDED, bands=[[0, -5]]),))
    assert evaluate_star(odd, values_village({"x.a": single(D(1))}), 1).score == D(0)


def test_required_indicator_unmet_blocks_the_star_above_the_pass_mark():
    result = evaluate_star(gated_star(), values_village({"x.gate": single(False), "x.bulk": single(D(100))}), 1)
    assert (result.score, result.earned, result.reasons) == (D(90), False, ("required_unmet:x.gate",))


def test_required_indicator_missing_blocks_the_star():
    result = evaluate_star(gated_star(), values_village({"x.bulk": single(D(100))}), 1)
    assert (result.score, result.earned, result.reasons) == (D(90), False, ("required_unmet:x.gate",))


def test_required_indicator_met_with_the_pass_mark_earns_the_star():
    result = evaluate_star(gated_star(), values_village({"x.gate": single(True), "x.bulk": single(D(80))}), 1)
    assert (result.score, result.earned) == (D(82), True)


def test_veto_blocks_the_star_even_at_100_points():
    result = evaluate_village(standard(), village(overrides={"safety.veto": single(D(1), month=3)}), 6)
    safety = result.star("safety")
    assert (safety.score, safety.earned, safety.reasons) == (D(100), False, ("veto:safety.veto",))
    assert (result.stars_earned, result.star_level) == (4, 4)


def test_veto_reported_as_yes_blocks_the_star():
    assert not evaluate_village(standard(), village(overrides={"safety.veto": single(True)}), 6).star("safety").earned


def test_veto_after_the_month_does_not_count_yet():
    result = evaluate_village(standard(), village(overrides={"safety.veto": single(D(1), month=9)}), 6)
    assert result.star("safety").earned


def test_veto_not_reported_is_no_event():
    # A veto is entered only when an event happens: no value is no event, met, nothing to do.
    values = {k: v for k, v in village().values.items() if k != "safety.veto"}
    safety = evaluate_village(standard(), values_village(values), 6).star("safety")
    assert safety.earned and safety.unmet == ()
    assert safety.indicator("safety.veto").met


def test_weak_lax_blocks_only_the_prerequisite_star():
    result = evaluate_village(standard(), village(weak_lax=True), 6)
    branch = result.star("branch")
    assert (branch.score, branch.earned, branch.reasons) == (D(100), False, ("weak_lax",))
    assert [s.code for s in result.stars if s.earned] == STARS[1:]


def test_weak_lax_keeps_level_zero_with_the_default_prerequisite():
    result = evaluate_village(standard(), village(weak_lax=True), 6)
    assert (result.stars_earned, result.star_level, result.total) == (4, 0, D(500))


def test_weak_lax_without_a_prerequisite_star_blocks_nothing():
    plain = StandardSpec(stars=tuple(star(code) for code in STARS))
    assert evaluate_village(plain, village(weak_lax=True), 6).star_level == 5


def test_reasons_are_listed_in_a_fixed_order():
    blocked = StarSpec(code="branch", pass_mark=D(80), is_prerequisite=True, indicators=(
        indicator("g", Rule.PASS_FAIL, points="50", required=True), indicator("v", Rule.VETO, points="0"),
    ))
    result = evaluate_star(blocked, values_village({"g": single(False), "v": single(D(2))}, weak_lax=True), 1)
    assert result.reasons == ("below_pass_mark", "required_unmet:g", "veto:v", "weak_lax")


def test_without_branch_star_level_is_zero_by_default():
    result = evaluate_village(standard(), village(overrides={"branch.a": single(D(10))}), 6)
    assert (result.stars_earned, result.star_level) == (4, 0)


def test_prerequisite_from_level_four_allows_level_three_without_the_branch_star():
    result = evaluate_village(standard(prerequisite_from_level=4), village(overrides={"branch.a": single(D(10))}), 6)
    assert (result.stars_earned, result.star_level) == (4, 3)


def test_prerequisite_from_level_four_leaves_lower_levels_alone():
    missing = {"branch.a": single(D(10)), "safety.a": single(D(10)), "civility.a": single(D(10))}
    result = evaluate_village(standard(prerequisite_from_level=4), village(overrides=missing), 6)
    assert (result.stars_earned, result.star_level) == (2, 2)


def test_prerequisite_from_level_four_with_the_branch_star_reaches_five():
    assert evaluate_village(standard(prerequisite_from_level=4), village(), 6).star_level == 5


def test_total_is_the_sum_of_star_scores():
    result = evaluate_village(standard(), village(b=59, overrides={"ecology.a": single(D(0))}), 6)
    assert result.total == sum(s.score for s in result.stars) == D("79.5") * 4 + D("29.5")


def test_unmet_lists_most_points_to_gain_first_with_gaps():
    ecology = evaluate_village(standard(), village(a=80, b=90), 6).star("ecology")
    assert ecology.unmet == ("ecology.a", "ecology.b")  # 50 points to gain, then 5
    assert (ecology.indicator("ecology.a").gap, ecology.indicator("ecology.b").gap) == (D(10), D(10))


def test_unmet_keeps_the_standard_order_for_equal_gains():
    pair = StarSpec(code="x", pass_mark=D(80), indicators=(
        indicator("x.z", Rule.THRESHOLD, threshold=5), indicator("x.a", Rule.THRESHOLD, threshold=5),
        indicator("x.low", Rule.THRESHOLD, direction=Direction.LOWER, points="20", threshold=1),
    ))
    values = {"x.z": single(D(1)), "x.a": single(D(1)), "x.low": single(D(3))}
    assert evaluate_star(pair, values_village(values), 1).unmet == ("x.low", "x.z", "x.a")


def test_values_are_aggregated_year_to_date_for_the_month():
    monthly = StarSpec(code="x", pass_mark=D(10), indicators=(
        indicator("x.meetings", Rule.THRESHOLD, points="10", aggregation="count", threshold=3),
    ))
    values = values_village({"x.meetings": [(1, D(1)), (2, D(1)), (3, D(1))]})
    assert not evaluate_star(monthly, values, 2).earned
    assert evaluate_star(monthly, values, 3).earned


def test_evaluate_many_returns_villages_in_division_code_order():
    villages = [village(village_id=i, code=f"41990100100{i}") for i in (3, 1, 2)]
    assert [r.village_id for r in evaluate_many(standard(), villages, 6)] == [1, 2, 3]
