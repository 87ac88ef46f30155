"""The scoring engine: pure functions over plain data (no ORM, no I/O, no Django).

Read it next to the rule contract of docs/architecture.md, which it implements:
`types` the inputs and outputs, `params` what a rule's parameters must be, `rules` scores one
indicator, `aggregate` combines the periods of the year, `evaluate` decides the stars, star
level and total of a village, `gaps` says what is missing for a star, `ranking` orders villages, `running` says what the running month can still become.
"""

from .aggregate import aggregate
from .evaluate import evaluate_many, evaluate_star, evaluate_village, star_level
from .gaps import Shortfall, shortfalls, what_would_earn
from .params import InvalidParams
from .ranking import movement, rank, sort_key
from .rules import as_decimal, max_points, round2, score_indicator, validate_params
from .running import (
    Opening,
    RunningDay,
    RunningIndicator,
    RunningStar,
    State,
    indicator_state,
    running_levels,
    running_star,
)
from .types import (
    NOT_APPLICABLE,
    Aggregation,
    Direction,
    IndicatorResult,
    IndicatorSpec,
    NotApplicable,
    Rule,
    StandardSpec,
    StarResult,
    StarSpec,
    Value,
    VillageInput,
    VillageResult,
)

__all__ = [
    "NOT_APPLICABLE", "NotApplicable", "Opening", "RunningDay", "RunningIndicator", "RunningStar", "State",
    "indicator_state", "running_levels", "running_star", "Aggregation", "Direction", "IndicatorResult", "IndicatorSpec", "InvalidParams", "Rule", "Shortfall",
    "StandardSpec", "StarResult", "StarSpec", "Value", "VillageInput", "VillageResult", "aggregate", "as_decimal",
    "evaluate_many", "evaluate_star", "evaluate_village", "max_points", "movement", "rank", "round2",
    "score_indicator", "shortfalls", "sort_key", "star_level", "validate_params", "what_would_earn",
]
