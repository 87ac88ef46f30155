"""Small standards and villages for engine tests, built from plain values (no database).

The default standard: five stars, `branch` the prerequisite. Each star has
  <star>.a     threshold 90, 50 points (higher is better)
  <star>.b     ratio to target 100, 50 points
  <star>.veto  a veto counting events (sum)
so a village at a=95, b=100, veto=0 earns every star with 100 points.
"""

from __future__ import annotations

from decimal import Decimal as D

from ratings.engine import (
    Aggregation,
    Direction,
    IndicatorSpec,
    Rule,
    StandardSpec,
    StarResult,
    StarSpec,
    VillageInput,
    VillageResult,
)

STARS = ["branch", "industry", "ecology", "safety", "civility"]


def indicator(code, rule, points="10", direction=Direction.HIGHER, required=False,
              aggregation=Aggregation.LATEST, **params):
    return IndicatorSpec(code=code, rule=rule, points=D(points), params=params, aggregation=aggregation,
                         direction=direction, required=required)


def star(code, prerequisite=False, required=False, pass_mark=80):
    return StarSpec(
        code=code, pass_mark=D(pass_mark), is_prerequisite=prerequisite,
        indicators=(
            indicator(f"{code}.a", Rule.THRESHOLD, points="50", required=required, threshold=90),
            indicator(f"{code}.b", Rule.RATIO, points="50", target=100),
            indicator(f"{code}.veto", Rule.VETO, points="0", aggregation=Aggregation.SUM),
        ),
    )


def standard(prerequisite_from_level=1):
    return StandardSpec(
        stars=tuple(star(code, prerequisite=code == "branch") for code in STARS),
        prerequisite_from_level=prerequisite_from_level,
    )


def village(village_id=1, code="419901001001", a=95, b=100, veto=0, weak_lax=False, overrides=None):
    """Every star gets the same a/b/veto values in month 1; `overrides` replaces indicators."""
    values = {}
    for s in STARS:
        values[f"{s}.a"] = [(1, D(a))]
        values[f"{s}.b"] = [(1, D(b))]
        values[f"{s}.veto"] = [(1, D(veto))]
    values.update(overrides or {})
    return VillageInput(village_id=village_id, division_code=code, values=values, weak_lax=weak_lax)


def single(value, month=1):
    """One period's value, as the ledger reports it."""
    return [(month, value)]


def made_result(village_id, code, level, total, industry="0", other_star="0"):
    """A VillageResult built by hand, for ranking tests that need exact (unrounded) figures."""

    def star_result(star_code, score):
        return StarResult(code=star_code, score=D(score), earned=False, indicators=(), reasons=(),
                          points_short=D(0), unmet=(), pass_mark=D(80))

    return VillageResult(
        village_id=village_id, division_code=code,
        stars=(star_result("industry", industry), star_result("ecology", other_star)),
        stars_earned=level, star_level=level, total=D(total),
    )
