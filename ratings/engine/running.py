"""The running month: what an indicator not met today can still become before its period ends.

DESIGN.md "The running month". A star result computed as of a day before the month's end (the
live figure of the running month) says what is true today. Here each indicator not met today is
either **pending** (进行中: what is still to come in the month can meet it) or **unmet** (it can no
longer be met this month); each star gets a secured score (today's figure) and an attainable
score (pending indicators at their full points), and a village a secured and an attainable level.
On or after the period's last day nothing is pending: the figures are the month's, unchanged.

How an indicator's value can still move is its `Opening`, which the caller knows from where the
value comes (a ledger entry not entered yet, a provider that counts the month's events); the
engine decides what that opening makes of the indicator as of the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from .evaluate import level_of
from .rules import score_indicator
from .types import Aggregation, Direction, IndicatorSpec, Rule, StandardSpec, StarResult, StarSpec

ZERO = Decimal(0)
ONE = Decimal(1)


class Opening(StrEnum):
    """How an indicator's value can still change before its period ends."""

    # Nothing still to come in the month changes it (a yearly plan adopted, a veto, a listing).
    CLOSED = "closed"
    # Its ledger value for the month is not entered yet and the entry deadline has not passed:
    # any value may still come.
    ENTRY = "entry"
    # It counts days of the month, at most one a day (a first secretary's days present).
    DAYS = "days"
    # It counts events of the month with no daily bound (meetings held, needs done): it can
    # only grow, at the ordinary pace of one a working day.
    EVENTS = "events"
    # It sums amounts received in the month (incomes): it can only grow, by any amount a day,
    # so it has no pace.
    AMOUNTS = "amounts"


class State(StrEnum):
    MET = "met"
    UNMET = "unmet"
    PENDING = "pending"


class RunningDay(NamedTuple):
    """The day the figures are as of, and the last day of the period they belong to."""

    as_of: dt.date
    end: dt.date

    @property
    def ended(self) -> bool:
        return self.as_of >= self.end

    @property
    def days_left(self) -> int:
        """Days after `as_of` up to the period's end (what a figure as of `as_of` has not counted)."""
        return max(0, (self.end - self.as_of).days)

    @property
    def working_days_left(self) -> int:
        """Monday to Friday after `as_of` up to the period's end (public holidays not known here)."""
        return sum(1 for n in range(1, self.days_left + 1) if (self.as_of + dt.timedelta(days=n)).weekday() < 5)


class RunningIndicator(NamedTuple):
    code: str
    state: State
    # Pending and behind pace: more still needed than working days left (one meeting, one day
    # present a working day), so meeting it takes more than the ordinary pace.
    behind: bool
    # How much more of the value would meet it (pending ones; 1 for a yes/no), else None.
    needed: Decimal | None
    # Points as of today (the live figure) and at best by the period's end (pending: full points).
    secured: Decimal
    attainable: Decimal


class RunningStar(NamedTuple):
    code: str
    secured: Decimal
    attainable: Decimal
    secured_earned: bool
    attainable_earned: bool
    indicators: tuple[RunningIndicator, ...]

    def codes(self, state: State) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators if i.state == state)

    @property
    def pending(self) -> tuple[str, ...]:
        return self.codes(State.PENDING)

    @property
    def lost(self) -> tuple[str, ...]:
        """Unmet and no longer reachable this month."""
        return self.codes(State.UNMET)

    @property
    def behind(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators if i.behind)


def _needed(spec: IndicatorSpec, value: Decimal | None, gap: Decimal | None) -> Decimal:
    """How much more of a growing value meets the indicator: its gap, counted from 0 when the
    value is missing; 1 for a yes/no (one event makes it true)."""
    if value is None:
        gap = score_indicator(spec, ZERO).gap
    return gap if gap is not None and gap > 0 else ONE


def indicator_state(spec: IndicatorSpec, result, day: RunningDay, opening: Opening | str) -> RunningIndicator:
    """One indicator's state as of the day (`result` its IndicatorResult as of that day).

    1. met today, the period over, a veto, or nothing still to come: met or unmet as today;
    2. a ledger value still to be entered: pending (any value may come);
    3. a value that only grows (days, events, amounts): pending when growing can meet it (higher
       is better, not a deduction; days bounded by the days left), behind pace when it needs more
       days or events than the working days left.
    """
    rule = spec.rule  # a Rule (StrEnum): compares as its text, no lookup per indicator
    points = result.points
    if result.met or day.ended or rule == Rule.VETO or opening == Opening.CLOSED:
        return RunningIndicator(spec.code, State.MET if result.met else State.UNMET, False, None, points, points)
    if opening == Opening.ENTRY:
        return RunningIndicator(spec.code, State.PENDING, False, result.gap, points, result.max_points)
    if spec.direction == Direction.LOWER or rule == Rule.DEDUCTION:
        # More events only move it further away.
        return RunningIndicator(spec.code, State.UNMET, False, None, points, points)
    needed = _needed(spec, result.value, result.gap)
    if spec.aggregation == Aggregation.COUNT:
        # Months with an event: the running month adds one at most.
        reachable = needed <= ONE
    elif opening == Opening.DAYS:
        reachable = needed <= day.days_left
    else:
        reachable = True
    if not reachable:
        return RunningIndicator(spec.code, State.UNMET, False, None, points, points)
    behind = opening != Opening.AMOUNTS and needed > day.working_days_left
    return RunningIndicator(spec.code, State.PENDING, behind, needed, points, result.max_points)


def running_star(spec: StarSpec, result: StarResult, day: RunningDay,
                 openings: Mapping[str, Opening | str]) -> RunningStar:
    """A star's secured and attainable scores and stars as of the day.

    Secured is the result as it is. Attainable: pending indicators at full points; the star is
    attainable when that score reaches the pass mark, no required indicator is unmet beyond
    reach, no veto fired and the branch is not weak-and-lax."""
    indicators = tuple(
        indicator_state(s, r, day, openings.get(s.code, Opening.CLOSED))
        for s, r in zip(spec.indicators, result.indicators, strict=True))
    attainable = min(spec.max_score, max(ZERO, sum((i.attainable for i in indicators), ZERO)))
    blocked = (any(indicators[i].state == State.UNMET for i in spec.required_at)
               or any(r.veto_fired for r in result.indicators) or "weak_lax" in result.reasons)
    return RunningStar(code=spec.code, secured=result.score, attainable=attainable, secured_earned=result.earned,
                       attainable_earned=attainable >= result.pass_mark and not blocked, indicators=indicators)


def running_levels(standard: StandardSpec, stars: Sequence[RunningStar]) -> tuple[int, int]:
    """(secured level, attainable level): the star level of the stars secured today, and of the
    stars still attainable by the month's end."""
    return (level_of(standard, {s.code for s in stars if s.secured_earned}),
            level_of(standard, {s.code for s in stars if s.attainable_earned}))
