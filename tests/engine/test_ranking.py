"""Rank order and movement (docs/architecture.md): level, total, tie-break star, division code."""

from decimal import Decimal as D

import pytest

from ratings.engine import evaluate_many, movement, rank

from .builders import made_result, single, standard, village


def test_star_level_outranks_a_higher_total():
    results = [made_result(1, "419901001001", level=2, total="400"), made_result(2, "419901001002", level=3, total="300")]
    assert rank(results) == [(2, 1), (1, 2)]


def test_equal_levels_are_ordered_by_total():
    results = [made_result(1, "419901001001", level=3, total="300"), made_result(2, "419901001002", level=3, total="310")]
    assert rank(results) == [(2, 1), (1, 2)]


def test_equal_totals_are_ordered_by_the_industry_score():
    results = [
        made_result(1, "419901001001", level=3, total="300", industry="80"),
        made_result(2, "419901001002", level=3, total="300", industry="90"),
    ]
    assert rank(results) == [(2, 1), (1, 2)]


def test_full_ties_are_ordered_by_division_code():
    results = [made_result(i, f"41990100100{i}", level=3, total="300", industry="90") for i in (3, 1, 2)]
    assert rank(results) == [(1, 1), (2, 2), (3, 3)]


def test_ranking_compares_rounded_totals_not_exact_ones():
    # 300.004 and 300.001 are both stored as 300.00, so the tie-break decides, as on the pages.
    results = [
        made_result(1, "419901001001", level=3, total="300.004", industry="80"),
        made_result(2, "419901001002", level=3, total="300.001", industry="90"),
    ]
    assert rank(results) == [(2, 1), (1, 2)]


def test_ranking_compares_rounded_tiebreak_scores():
    results = [
        made_result(1, "419901001001", level=3, total="300", industry="80.004"),
        made_result(2, "419901001002", level=3, total="300", industry="80.001"),
    ]
    assert rank(results) == [(1, 1), (2, 2)]


def test_a_different_tiebreak_star_can_be_named():
    # Urban communities break ties on their own star, not on the rural industry star.
    results = [
        made_result(1, "419901001001", level=3, total="300", industry="90", other_star="70"),
        made_result(2, "419901001002", level=3, total="300", industry="80", other_star="75"),
    ]
    assert rank(results, "ecology") == [(2, 1), (1, 2)]


def test_ranks_are_one_to_n_without_gaps():
    results = [made_result(i, f"4199010010{i:02d}", level=i % 3, total=str(100 * (i % 2))) for i in range(1, 11)]
    assert sorted(r for _, r in rank(results)) == list(range(1, 11))


def test_ranks_of_evaluated_villages_follow_industry_then_division_code():
    a = village(village_id=1, code="419901001003", b=95)
    b = village(village_id=2, code="419901001001", b=95)
    # Village 3 trades 2.5 industry points for 2.5 ecology points: same total, weaker industry.
    c = village(village_id=3, code="419901001002", b=95,
                overrides={"industry.b": single(D(90)), "ecology.b": single(D(100))})
    results = evaluate_many(standard(), [a, b, c], 12)
    assert len({r.total for r in results}) == 1
    assert [vid for vid, _ in rank(results)] == [2, 1, 3]


def test_rank_of_nothing_is_empty():
    assert rank([]) == []


@pytest.mark.parametrize(("previous", "current", "moved"), [(5, 3, 2), (3, 5, -2), (4, 4, 0), (None, 1, None), (2, None, None)])
def test_movement_is_previous_minus_current_rank(previous, current, moved):
    assert movement(previous, current) == moved
