"""Rank order (docs/architecture.md): star level, then total score, then the tie-break star's score (all
descending, on the rounded figures as stored), then division code ascending; ranks 1, 2, 3…
without gaps, every village its own rank."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .rules import round2
from .types import VillageResult

ZERO = Decimal(0)


def sort_key(result: VillageResult, tiebreak_star_code: str) -> tuple[int, Decimal, Decimal, str, int]:
    """The rank order as a sort key. The village id comes last only so the order stays total
    should two inputs ever share a division code (codes are unique in the region tree)."""
    tiebreak = result.star(tiebreak_star_code)
    # A standard without the tie-break star (a misnamed code) ties everyone on it at 0.
    tiebreak_score = round2(tiebreak.score) if tiebreak is not None else ZERO
    return (-result.star_level, -round2(result.total), -tiebreak_score, result.division_code, result.village_id)


def rank(results: Iterable[VillageResult], tiebreak_star_code: str = "industry") -> list[tuple[int, int]]:
    """[(village_id, rank), …] best first; ranks are 1..n, a permutation whatever the input order."""
    ordered = sorted(results, key=lambda r: sort_key(r, tiebreak_star_code))
    return [(r.village_id, position) for position, r in enumerate(ordered, start=1)]


def movement(previous_rank: int | None, rank: int | None) -> int | None:
    """Places gained since the previous published month: previous − current (positive = up).
    None when there is no previous rank (a first month, a new village) or no current one."""
    if previous_rank is None or rank is None:
        return None
    return previous_rank - rank
