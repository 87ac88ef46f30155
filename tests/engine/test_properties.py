"""Invariants of the engine, checked on generated villages (hypothesis)."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from ratings.engine import IndicatorSpec, Rule, evaluate_many, evaluate_village, rank, score_indicator
from ratings.engine.types import Direction

from .builders import STARS, standard, village

values = st.integers(min_value=0, max_value=200)
scores = st.fixed_dictionaries({"a": values, "b": values, "veto": st.integers(0, 2)})


def make(ident, draw_values):
    overrides = {}
    for s, v in zip(STARS, draw_values, strict=True):
        overrides[f"{s}.a"] = [(1, D(v["a"]))]
        overrides[f"{s}.b"] = [(1, D(v["b"]))]
        overrides[f"{s}.veto"] = [(1, D(v["veto"]))]
    return village(village_id=ident, code=f"419901001{ident:03d}", overrides=overrides)


@given(st.lists(scores, min_size=5, max_size=5))
def test_a_veto_always_removes_the_star(draw_values):
    result = evaluate_village(standard(), make(1, draw_values), 12)
    for star_result, v in zip(result.stars, draw_values, strict=True):
        if v["veto"] > 0:
            assert not star_result.earned


@given(st.lists(scores, min_size=5, max_size=5))
def test_no_level_above_zero_without_the_branch_star(draw_values):
    result = evaluate_village(standard(), make(1, draw_values), 12)
    if not result.star("branch").earned:
        assert result.star_level == 0
    assert 0 <= result.star_level <= result.stars_earned <= 5


RULE_SPECS = [
    IndicatorSpec(code="t", rule=Rule.THRESHOLD, points=D(10), params={"threshold": 50}),
    IndicatorSpec(code="r", rule=Rule.RATIO, points=D(10), params={"target": 80}),
    IndicatorSpec(code="b", rule=Rule.BANDED, points=D(10), params={"bands": [[20, 3], [60, 7], [90, 10]]}),
    IndicatorSpec(code="p", rule=Rule.PASS_FAIL, points=D(10)),
]
LOWER_SPECS = [
    IndicatorSpec(code="tl", rule=Rule.THRESHOLD, points=D(10), params={"threshold": 5}, direction=Direction.LOWER),
    IndicatorSpec(code="rl", rule=Rule.RATIO, points=D(10), params={"target": 2}, direction=Direction.LOWER),
    IndicatorSpec(code="bl", rule=Rule.BANDED, points=D(10), params={"bands": [[10, 4], [2, 10]]}, direction=Direction.LOWER),
    IndicatorSpec(code="d", rule=Rule.DEDUCTION, points=D(10), params={"per_event": 3}),
]


@given(st.integers(0, 300), st.integers(0, 300))
def test_more_of_a_good_value_never_lowers_the_score(low, extra):
    for spec in RULE_SPECS:
        assert score_indicator(spec, D(low + extra)).points >= score_indicator(spec, D(low)).points


@given(st.integers(0, 300), st.integers(0, 300))
def test_less_of_a_bad_value_never_lowers_the_score(low, extra):
    for spec in LOWER_SPECS:
        assert score_indicator(spec, D(low)).points >= score_indicator(spec, D(low + extra)).points


@given(st.lists(scores, min_size=5, max_size=5), st.sampled_from(STARS), st.integers(1, 100))
def test_raising_a_value_never_lowers_a_star_score(draw_values, star_code, extra):
    before = evaluate_village(standard(), make(1, draw_values), 12)
    raised = [dict(v) for v in draw_values]
    raised[STARS.index(star_code)]["a"] += extra
    after = evaluate_village(standard(), make(1, raised), 12)
    assert after.star(star_code).score >= before.star(star_code).score
    assert after.total >= before.total


@settings(max_examples=40)
@given(st.lists(st.lists(scores, min_size=5, max_size=5), min_size=2, max_size=12), st.randoms())
def test_results_and_ranks_do_not_depend_on_input_order(villages, rnd):
    inputs = [make(i + 1, v) for i, v in enumerate(villages)]
    shuffled = list(inputs)
    rnd.shuffle(shuffled)
    first, second = evaluate_many(standard(), inputs, 12), evaluate_many(standard(), shuffled, 12)
    assert first == second
    ranks = rank(first)
    assert ranks == rank(list(reversed(second)))
    assert sorted(r for _, r in ranks) == list(range(1, len(inputs) + 1))


def test_ties_are_broken_by_industry_score_then_division_code():
    a = village(village_id=1, code="419901001003")
    b = village(village_id=2, code="419901001001")
    c = village(village_id=3, code="419901001002", overrides={"industry.b": [(1, D(95))], "ecology.b": [(1, D(100))]})
    results = evaluate_many(standard(), [a, b, c], 12)
    assert [vid for vid, _ in rank(results)] == [2, 1, 3]
