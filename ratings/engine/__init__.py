"""The scoring engine: pure functions over plain data (no ORM, no I/O).

Read it next to DESIGN.md's "Rule semantics" table, which it implements:
`rules` scores one indicator, `aggregate` combines the periods of the year, `evaluate` decides
stars and the star level of a village, `ranking` orders villages.
"""

from .aggregate import aggregate
from .evaluate import evaluate_many, evaluate_village, what_would_earn
from .ranking import movement, rank
from .rules import round2, score_indicator, validate_params
from .types import (
    Aggregation,
    Direction,
    IndicatorResult,
    IndicatorSpec,
    Rule,
    StandardSpec,
    StarResult,
    StarSpec,
    VillageInput,
    VillageResult,
)

__all__ = [
    "Aggregation", "Direction", "IndicatorResult", "IndicatorSpec", "Rule", "StandardSpec", "StarResult",
    "StarSpec", "VillageInput", "VillageResult", "aggregate", "evaluate_many", "evaluate_village", "movement",
    "rank", "round2", "score_indicator", "validate_params", "what_would_earn",
]
