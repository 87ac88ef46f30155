"""What stands between a village and a star: shortfalls and what_would_earn."""

from decimal import Decimal as D

import pytest

from ratings.engine import (
    Rule,
    Shortfall,
    StarSpec,
    VillageInput,
    evaluate_star,
    evaluate_village,
    shortfalls,
)
from ratings.engine import what_would_earn as earn

from .builders import indicator, single, standard, star, village


def ladder(pass_mark=80, max_score=100):
    """Four yes/no indicators worth 40, 30, 20 and 10 points, listed smallest first."""
    return StarSpec(code="x", pass_mark=D(pass_mark), max_score=D(max_score), indicators=tuple(
        indicator(f"x.{points}", Rule.PASS_FAIL, points=str(points)) for points in (10, 20, 30, 40)
    ))


def evaluated(spec, values, weak_lax=False):
    village_input = VillageInput(village_id=1, division_code="419901001001", values=values, weak_lax=weak_lax)
    return evaluate_star(spec, village_input, 12)


def test_what_would_earn_picks_the_indicator_with_most_points_to_gain():
    spec = star("ecology")
    result = evaluate_village(standard(), village(a=80, b=90), 6).star("ecology")  # 45 points, 50 to gain on a
    assert earn(spec, result) == ["ecology.a"]


def test_what_would_earn_adds_indicators_greedily_until_the_pass_mark():
    assert earn(ladder(), evaluated(ladder(), {})) == ["x.40", "x.30", "x.20"]


def test_what_would_earn_stops_as_soon_as_the_pass_mark_is_reached():
    result = evaluated(ladder(), {"x.40": single(True)})
    assert earn(ladder(), result) == ["x.30", "x.20"]


def test_what_would_earn_is_empty_for_an_earned_star():
    spec = star("ecology")
    assert earn(spec, evaluate_village(standard(), village(), 6).star("ecology")) == []


def test_what_would_earn_lists_a_required_indicator_even_above_the_pass_mark():
    spec = StarSpec(code="x", pass_mark=D(80), indicators=(
        indicator("x.gate", Rule.PASS_FAIL, points="10", required=True),
        indicator("x.bulk", Rule.RATIO, points="90", target=100),
    ))
    result = evaluated(spec, {"x.gate": single(False), "x.bulk": single(D(100))})
    assert earn(spec, result) == ["x.gate"]


def test_what_would_earn_lists_a_fired_veto_first_then_points():
    spec = star("safety")
    result = evaluate_village(standard(), village(b=0, overrides={"safety.veto": single(D(1))}), 6).star("safety")
    assert earn(spec, result) == ["safety.veto", "safety.b"]


def test_what_would_earn_is_empty_for_a_weak_lax_branch():
    # No indicator lifts weak-and-lax: only the rectification's acceptance does.
    spec = star("branch", prerequisite=True)
    result = evaluate_village(standard(), village(weak_lax=True, b=0), 6).star("branch")
    assert earn(spec, result) == []


def test_what_would_earn_is_empty_when_the_pass_mark_is_out_of_reach():
    spec = ladder(pass_mark=120)
    assert earn(spec, evaluated(spec, {})) == []


def test_what_would_earn_refuses_swapped_arguments():
    spec = ladder()
    with pytest.raises(TypeError, match="argument order"):
        earn(evaluated(spec, {}), spec)


def test_shortfalls_list_unmet_indicators_of_stars_not_earned():
    result = evaluate_village(standard(), village(overrides={
        "ecology.a": single(D(80)), "ecology.b": single(D(90)), "safety.veto": single(D(2)),
    }), 6)
    assert shortfalls(result) == [
        Shortfall("ecology", "ecology.a", gap=D(10), points_to_gain=D(50), blocking=False),
        Shortfall("ecology", "ecology.b", gap=D(10), points_to_gain=D(5), blocking=False),
        Shortfall("safety", "safety.veto", gap=D(2), points_to_gain=D(0), blocking=True),
    ]


def test_shortfalls_are_empty_when_every_star_is_earned():
    assert shortfalls(evaluate_village(standard(), village(), 6)) == []
