"""What stands between a village and a star: the material of the task list (任务清单).

Per star not earned, `StarResult.unmet` lists the unmet indicators (most points to gain
first) and each `IndicatorResult` says by how much it misses (`gap`) and what meeting it would
add (`points_to_gain`). `shortfalls()` flattens that for a village; `what_would_earn()` picks
the indicators that, once met, would earn the star.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .types import StarResult, StarSpec, VillageResult

ZERO = Decimal(0)


@dataclass(frozen=True)
class Shortfall:
    star_code: str
    indicator_code: str
    # How much more/less of the value would meet the indicator (None: yes/no or missing).
    gap: Decimal | None
    # Points the star gains once the indicator is met at its best.
    points_to_gain: Decimal
    # Met or not, the star cannot be earned while this one is unmet (required, or a veto fired).
    blocking: bool


def shortfalls(result: VillageResult) -> list[Shortfall]:
    """Every unmet indicator of every star not earned, star by star in the standard's order,
    most points to gain first within a star."""
    items = []
    for star in result.stars:
        if star.earned:
            continue
        blocking = _blocking_codes(star)
        for code in star.unmet:
            indicator = star.indicator(code)
            assert indicator is not None  # unmet only lists the star's own indicators
            items.append(Shortfall(star_code=star.code, indicator_code=code, gap=indicator.gap,
                                   points_to_gain=indicator.points_to_gain, blocking=code in blocking))
    return items


def _blocking_codes(star: StarResult) -> set[str]:
    prefixes = ("required_unmet:", "veto:")
    return {reason.split(":", 1)[1] for reason in star.reasons if reason.startswith(prefixes)}


def what_would_earn(star: StarSpec, result: StarResult) -> list[str]:
    """Indicator codes that, once met (at their best points), would earn the star.

    Every blocking indicator (required and unmet, or a veto that fired) comes first, in the
    standard's order; then, greedily by points to gain, as many of the other unmet indicators
    as the pass mark still needs. Greedy by points is simple and usually short, not always the
    shortest list.

    Empty when the star is earned, and also when no set of indicators can earn it: the branch
    is weak-and-lax (only the rectification's acceptance lifts that), or even meeting every
    indicator would not reach the pass mark.
    """
    if not isinstance(star, StarSpec) or not isinstance(result, StarResult):
        raise TypeError("what_would_earn(star: StarSpec, result: StarResult): check the argument order")
    if result.earned or "weak_lax" in result.reasons:
        return []
    blocking = _blocking_codes(result)
    # Only an unmet indicator has points to gain, and every blocking one is unmet.
    gains = {r.code: r.points_to_gain for r in result.indicators if not r.met}
    needed = [r.code for r in result.indicators if r.code in blocking] if blocking else []
    score = result.score + sum((gains.get(code, ZERO) for code in needed), ZERO)
    for code in result.unmet:
        if min(star.max_score, score) >= result.pass_mark:
            break
        gain = gains.get(code, ZERO)
        if code not in blocking and gain > 0:
            needed.append(code)
            score += gain
    return needed if min(star.max_score, score) >= result.pass_mark else []
