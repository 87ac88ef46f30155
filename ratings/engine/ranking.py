"""Rank order (DESIGN.md): star level, then total, then the tie-break star's score (all
descending, on the rounded figures), then division code; ranks 1, 2, 3… without gaps."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .rules import round2
from .types import VillageResult


def sort_key(result: VillageResult, tiebreak_star_code: str) -> tuple:
    tiebreak = result.star(tiebreak_star_code)
    tiebreak_score = round2(tiebreak.score) if tiebreak else Decimal(0)
    return (-result.star_level, -round2(result.total), -tiebreak_score, result.division_code)


def rank(results: Iterable[VillageResult], tiebreak_star_code: str = "industry") -> list[tuple[int, int]]:
    ordered = sorted(results, key=lambda r: sort_key(r, tiebreak_star_code))
    return [(r.village_id, position) for position, r in enumerate(ordered, start=1)]


def movement(previous_rank: int | None, current_rank: int | None) -> int | None:
    """Places gained since the previous published month (positive = up)."""
    if previous_rank is None or current_rank is None:
        return None
    return previous_rank - current_rank
