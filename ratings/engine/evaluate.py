"""Stars, star level and total of a village for a month (docs/architecture.md, "The rule contract")."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from operator import attrgetter

from .aggregate import aggregate
from .rules import score_indicator
from .types import (
    NOT_APPLICABLE,
    IndicatorResult,
    StandardSpec,
    StarResult,
    StarSpec,
    VillageInput,
    VillageResult,
)

ZERO = Decimal(0)
_POINTS_TO_GAIN = attrgetter("points_to_gain")


# Results kept per star and values (see `evaluate_star`); beyond this many a star's further
# results are computed each time.
MEMO_RESULTS = 4096


def evaluate_star(star: StarSpec, village: VillageInput, month: int) -> StarResult:
    """One star of one village, year to date up to `month`.

    1. each indicator is scored on its aggregated value;
    2. the score is the sum of their points, clamped to [0, max_score];
    3. the star is earned when the score reaches the pass mark, every required indicator is met
       and no veto fired; a weak-and-lax branch acts as a veto on the prerequisite star.

    The result depends on the star and the aggregated values only (and the branch's
    weak-and-lax flag for the prerequisite star): villages with the same values share one
    result, kept on the star (`StarSpec.memo`) when every value is a Decimal, None or
    NOT_APPLICABLE.
    """
    aggregated, periods = village.aggregated, village.values
    values = []
    kept = True  # every value a Decimal, None or NOT_APPLICABLE: the result may be kept
    for spec in star.indicators:
        code = spec.code
        value = (aggregated[code] if code in aggregated
                 else aggregate(periods.get(code, ()), spec.aggregation, month))
        if kept and not (value is None or value is NOT_APPLICABLE or value.__class__ is Decimal):
            kept = False
        values.append(value)
    values = tuple(values)
    weak_lax = star.is_prerequisite and village.weak_lax
    if not kept:
        return _evaluate_star(star, values, weak_lax)
    key = (weak_lax, values)
    memo = star.memo
    try:
        result = memo.get(key)
    except TypeError:  # a signalling NaN cannot be hashed
        return _evaluate_star(star, values, weak_lax)
    if result is None:
        # Every value hashes (the key did): each indicator's kept result is looked up here, the
        # rules are called only for a value not seen yet (see score_indicator).
        result = _evaluate_star(star, values, weak_lax, tuple([
            spec.memo.get(value) or score_indicator(spec, value)
            for spec, value in zip(star.indicators, values, strict=True)]))
        if len(memo) < MEMO_RESULTS:
            memo[key] = result
    return result


def _evaluate_star(star: StarSpec, values: tuple, weak_lax: bool,
                   results: tuple[IndicatorResult, ...] | None = None) -> StarResult:
    if results is None:
        results = tuple([score_indicator(spec, value) for spec, value in zip(star.indicators, values, strict=True)])
    score = min(star.max_score, max(ZERO, sum([r.points for r in results], ZERO)))
    reasons: list[str] = []
    if score < star.pass_mark:
        reasons.append("below_pass_mark")
    # Only a required indicator can be required and unmet, only a veto can fire.
    reasons += [f"required_unmet:{results[i].code}" for i in star.required_at if not results[i].met]
    reasons += [f"veto:{results[i].code}" for i in star.veto_at if results[i].veto_fired]
    if weak_lax:
        reasons.append("weak_lax")
    return StarResult(
        code=star.code, score=score, earned=not reasons, indicators=results, reasons=tuple(reasons),
        points_short=max(ZERO, star.pass_mark - score), unmet=_unmet_by_gain(results), pass_mark=star.pass_mark,
    )


def _unmet_by_gain(results: tuple[IndicatorResult, ...]) -> tuple[str, ...]:
    unmet = [r for r in results if not r.met]
    if len(unmet) < 2:
        return (unmet[0].code,) if unmet else ()
    # sorted() is stable, also with reverse=True: equal gains keep the standard's order.
    return tuple([r.code for r in sorted(unmet, key=_POINTS_TO_GAIN, reverse=True)])


def star_level(standard: StandardSpec, stars: tuple[StarResult, ...]) -> int:
    """The number of stars earned, capped below `prerequisite_from_level` when a prerequisite
    star is not earned (from_level 1: level 0; from_level 4: at most 3)."""
    return level_of(standard, {s.code for s in stars if s.earned})


def level_of(standard: StandardSpec, earned: set[str]) -> int:
    """The star level of these earned star codes (see `star_level`)."""
    level = len(earned)
    prerequisites = {star.code for star in standard.stars if star.is_prerequisite}
    if prerequisites - earned:
        level = min(level, max(0, standard.prerequisite_from_level - 1))
    return level


def evaluate_village(standard: StandardSpec, village: VillageInput, month: int) -> VillageResult:
    """Every star of the standard for one village, its star level and total score."""
    stars = tuple(evaluate_star(star, village, month) for star in standard.stars)
    return VillageResult(
        village_id=village.village_id, division_code=village.division_code, stars=stars,
        stars_earned=sum(1 for s in stars if s.earned), star_level=star_level(standard, stars),
        total=sum((s.score for s in stars), ZERO),
    )


def evaluate_many(standard: StandardSpec, villages: Iterable[VillageInput], month: int) -> list[VillageResult]:
    """Every village, in division-code order (then village id) whatever the input order."""
    ordered = sorted(villages, key=lambda v: (v.division_code, v.village_id))
    return [evaluate_village(standard, v, month) for v in ordered]
