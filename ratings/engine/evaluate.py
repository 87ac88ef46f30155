"""Stars, star level and total of a village for a month."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .aggregate import aggregate
from .rules import score_indicator
from .types import StandardSpec, StarResult, StarSpec, VillageInput, VillageResult

ZERO = Decimal(0)


def evaluate_star(star: StarSpec, village: VillageInput, month: int) -> StarResult:
    """1. score each indicator on its aggregated value; 2. clamp the sum to [0, max];
    3. the star is earned at the pass mark with every required indicator met and no veto —
    a weak-and-lax branch acts as a veto on the prerequisite (branch) star."""
    results = tuple(
        score_indicator(spec, aggregate(village.values.get(spec.code, ()), spec.aggregation, month))
        for spec in star.indicators
    )
    score = min(star.max_score, max(ZERO, sum((r.points for r in results), ZERO)))
    reasons: list[str] = []
    if score < star.pass_mark:
        reasons.append("below_pass_mark")
    specs = {spec.code: spec for spec in star.indicators}
    reasons += [f"required_unmet:{r.code}" for r in results if specs[r.code].required and not r.met]
    reasons += [f"veto:{r.code}" for r in results if r.veto_fired]
    if star.is_prerequisite and village.weak_lax:
        reasons.append("weak_lax")
    unmet = sorted((r for r in results if not r.met), key=lambda r: (-(r.max_points - r.points), r.code))
    return StarResult(
        code=star.code, score=score, pass_mark=star.pass_mark, earned=not reasons, indicators=results,
        reasons=tuple(reasons), points_short=max(ZERO, star.pass_mark - score),
        unmet=tuple(r.code for r in unmet),
    )


def evaluate_village(standard: StandardSpec, village: VillageInput, month: int) -> VillageResult:
    stars = tuple(evaluate_star(star, village, month) for star in standard.stars)
    earned = sum(1 for s in stars if s.earned)
    level = earned
    prerequisite = next((s for s in stars if s.code in _prerequisite_codes(standard)), None)
    if prerequisite is not None and not prerequisite.earned:
        # Without the branch star a village stays below the level from which it is required.
        level = min(level, max(0, standard.prerequisite_from_level - 1))
    return VillageResult(
        village_id=village.village_id, division_code=village.division_code, stars=stars,
        stars_earned=earned, star_level=level, total=sum((s.score for s in stars), ZERO),
    )


def evaluate_many(standard: StandardSpec, villages: Iterable[VillageInput], month: int) -> list[VillageResult]:
    """Every village, in division-code order whatever the input order."""
    return [evaluate_village(standard, v, month) for v in sorted(villages, key=lambda v: v.division_code)]


def what_would_earn(star: StarSpec, result: StarResult) -> list[str]:
    """Indicator codes that, once met, would earn the star: every blocking one (veto, required,
    weak-and-lax cannot be fixed here) plus, greedily by points to gain, enough of the others
    to reach the pass mark. Empty when the star is earned."""
    if result.earned:
        return []
    by_code = {r.code: r for r in result.indicators}
    specs = {s.code: s for s in star.indicators}
    needed = [c for c in result.unmet if specs[c].required or by_code[c].veto_fired]
    score = result.score + sum((by_code[c].max_points - by_code[c].points for c in needed), ZERO)
    for code in result.unmet:
        if score >= result.pass_mark:
            break
        if code in needed:
            continue
        gain = by_code[code].max_points - by_code[code].points
        if gain > 0:
            needed.append(code)
            score += gain
    return needed


def _prerequisite_codes(standard: StandardSpec) -> set[str]:
    return {star.code for star in standard.stars if star.is_prerequisite}
