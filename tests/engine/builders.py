"""A small standard for engine tests: five stars, the branch star the prerequisite."""

from decimal import Decimal as D

from ratings.engine import IndicatorSpec, Rule, StandardSpec, StarSpec, VillageInput
from ratings.engine.types import Aggregation

STARS = ["branch", "industry", "ecology", "safety", "civility"]


def star(code, prerequisite=False, required=False):
    return StarSpec(
        code=code, pass_mark=D(80), is_prerequisite=prerequisite,
        indicators=(
            IndicatorSpec(code=f"{code}.a", rule=Rule.THRESHOLD, points=D(50), params={"threshold": 90}, required=required),
            IndicatorSpec(code=f"{code}.b", rule=Rule.RATIO, points=D(50), params={"target": 100}),
            IndicatorSpec(code=f"{code}.veto", rule=Rule.VETO, points=D(0), aggregation=Aggregation.SUM),
        ),
    )


def standard(prerequisite_from_level=1):
    return StandardSpec(
        stars=tuple(star(code, prerequisite=code == "branch") for code in STARS),
        prerequisite_from_level=prerequisite_from_level,
    )


def village(village_id=1, code="419901001001", a=95, b=100, veto=0, weak_lax=False, overrides=None):
    values = {}
    for s in STARS:
        values[f"{s}.a"] = [(1, D(a))]
        values[f"{s}.b"] = [(1, D(b))]
        values[f"{s}.veto"] = [(1, D(veto))]
    values.update(overrides or {})
    return VillageInput(village_id=village_id, division_code=code, values=values, weak_lax=weak_lax)
