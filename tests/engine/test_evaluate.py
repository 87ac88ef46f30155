from decimal import Decimal as D

from ratings.engine import evaluate_village, what_would_earn

from .builders import standard, star, village


def test_full_marks_earn_all_five_stars():
    result = evaluate_village(standard(), village(), 6)
    assert (result.stars_earned, result.star_level, result.total) == (5, 5, D(500))


def test_exactly_at_the_pass_mark_earns_the_star():
    result = evaluate_village(standard(), village(b=60), 6)  # 50 + 30 = 80
    assert all(s.score == D(80) and s.earned for s in result.stars)


def test_just_below_the_pass_mark_does_not():
    result = evaluate_village(standard(), village(b=59), 6)
    star_result = result.star("industry")
    assert not star_result.earned
    assert star_result.reasons == ("below_pass_mark",)
    assert star_result.score == D("79.5")
    assert star_result.points_short == D("0.5")


def test_required_indicator_unmet_blocks_the_star_even_above_the_pass_mark():
    spec = star("industry", required=True)
    from ratings.engine.evaluate import evaluate_star

    result = evaluate_star(spec, village(overrides={"industry.a": [(1, D(85))], "industry.b": [(1, D(100))]}), 6)
    assert result.score == D(50)
    assert "required_unmet:industry.a" in result.reasons


def test_veto_blocks_the_star_at_full_score():
    result = evaluate_village(standard(), village(overrides={"safety.veto": [(3, D(1))]}), 6)
    safety = result.star("safety")
    assert safety.score == D(100) and not safety.earned
    assert safety.reasons == ("veto:safety.veto",)
    assert result.star_level == 4


def test_veto_after_the_month_does_not_count_yet():
    result = evaluate_village(standard(), village(overrides={"safety.veto": [(9, D(1))]}), 6)
    assert result.star("safety").earned


def test_weak_lax_blocks_only_the_branch_star_and_so_the_level():
    result = evaluate_village(standard(), village(weak_lax=True), 6)
    assert not result.star("branch").earned
    assert result.star("branch").reasons == ("weak_lax",)
    assert result.stars_earned == 4
    assert result.star_level == 0


def test_without_branch_star_level_is_zero_by_default():
    result = evaluate_village(standard(), village(overrides={"branch.a": [(1, D(10))]}), 6)
    assert result.stars_earned == 4
    assert result.star_level == 0


def test_prerequisite_from_level_four_allows_three_stars_without_branch():
    result = evaluate_village(standard(prerequisite_from_level=4), village(overrides={"branch.a": [(1, D(10))]}), 6)
    assert result.star_level == 3


def test_unmet_lists_most_points_to_gain_first_with_gaps():
    result = evaluate_village(standard(), village(a=80, b=90), 6).star("ecology")
    assert result.unmet == ("ecology.a", "ecology.b")
    gaps = {r.code: r.gap for r in result.indicators}
    assert gaps["ecology.a"] == D(10) and gaps["ecology.b"] == D(10)


def test_what_would_earn_names_the_indicators_to_fix():
    spec = star("ecology")
    result = evaluate_village(standard(), village(a=80, b=90), 6).star("ecology")
    assert what_would_earn(spec, result) == ["ecology.a"]
    earned = evaluate_village(standard(), village(), 6).star("ecology")
    assert what_would_earn(spec, earned) == []
