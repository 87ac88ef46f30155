"""The running month (DESIGN "The running month"): pending indicators, secured and attainable
scores and levels, on generated stars and values (hypothesis) and on the cases the campaign meets."""

import datetime as dt
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from ratings.engine import (
    Aggregation,
    Opening,
    Rule,
    RunningDay,
    StandardSpec,
    StarSpec,
    State,
    VillageInput,
    evaluate_star,
    evaluate_village,
    indicator_state,
    running_levels,
    running_star,
    score_indicator,
)

from .builders import STARS, indicator, standard, village
from .test_properties import indicator_specs, values

DECEMBER_END = dt.date(2026, 12, 31)
openings = st.sampled_from(list(Opening))
days = st.integers(min_value=1, max_value=31).map(lambda d: dt.date(2026, 12, d))
maybe_values = st.one_of(st.none(), values)


@st.composite
def stars(draw):
    specs = tuple(draw(indicator_specs(code=f"i{n}")) for n in range(draw(st.integers(1, 4))))
    return StarSpec(code="branch", pass_mark=draw(st.decimals(min_value=0, max_value=100, places=2)),
                    indicators=specs, is_prerequisite=True)


@st.composite
def running_cases(draw):
    star = draw(stars())
    village = VillageInput(village_id=1, division_code="419901001001",
                           values={s.code: [(12, draw(maybe_values))] for s in star.indicators},
                           weak_lax=draw(st.booleans()))
    result = evaluate_star(star, village, 12)
    found = {s.code: draw(openings) for s in star.indicators}
    return star, result, found


@settings(max_examples=300, deadline=None)
@given(running_cases(), days)
def test_secured_never_above_attainable(case, day):
    star, result, found = case
    running = running_star(star, result, RunningDay(day, DECEMBER_END), found)
    assert running.secured == result.score
    assert running.secured <= running.attainable
    # A star secured today is attainable; a level secured is within reach.
    assert not running.secured_earned or running.attainable_earned
    for indicator_state_ in running.indicators:
        assert indicator_state_.secured <= indicator_state_.attainable


@settings(max_examples=300, deadline=None)
@given(running_cases(), st.integers(min_value=0, max_value=40))
def test_nothing_pending_once_the_period_ends(case, after):
    """On the last day or after, every indicator is met or unmet exactly as the month's result
    says, and the attainable figures are the month's figures."""
    star, result, found = case
    day = DECEMBER_END + dt.timedelta(days=after)
    running = running_star(star, result, RunningDay(day, DECEMBER_END), found)
    assert running.pending == ()
    assert [i.state == State.MET for i in running.indicators] == [r.met for r in result.indicators]
    assert running.attainable == result.score
    assert running.attainable_earned == result.earned


@settings(max_examples=300, deadline=None)
@given(running_cases(), days)
def test_a_met_indicator_stays_met_and_pending_needs_an_opening(case, day):
    star, result, found = case
    running = running_star(star, result, RunningDay(day, DECEMBER_END), found)
    for spec, r, state in zip(star.indicators, result.indicators, running.indicators, strict=True):
        if r.met:
            assert state.state == State.MET
        if state.state == State.PENDING:
            assert found[spec.code] != Opening.CLOSED and spec.rule != Rule.VETO
            assert state.attainable == r.max_points


def _day(d):
    return RunningDay(dt.date(2026, 12, d), DECEMBER_END)


def test_meetings_not_held_on_the_8th_are_pending_not_behind():
    meetings = indicator("life_meetings", Rule.THRESHOLD, points="15", threshold=2)
    state = indicator_state(meetings, score_indicator(meetings, D(0)), _day(8), Opening.EVENTS)
    assert state.state == State.PENDING and not state.behind
    assert state.needed == 2 and state.attainable == 15 and state.secured == 0


def test_meetings_needed_beyond_the_working_days_left_are_behind_pace():
    meetings = indicator("life_meetings", Rule.THRESHOLD, points="15", threshold=2)
    # 30 December 2026 is a Wednesday: one working day (the 31st) left, two meetings needed.
    state = indicator_state(meetings, score_indicator(meetings, D(0)), _day(30), Opening.EVENTS)
    assert state.state == State.PENDING and state.behind
    one_held = indicator_state(meetings, score_indicator(meetings, D(1)), _day(30), Opening.EVENTS)
    assert one_held.state == State.PENDING and not one_held.behind


def test_days_present_beyond_the_days_left_can_no_longer_be_met():
    days_present = indicator("fs_days", Rule.THRESHOLD, points="5", threshold=20)
    # On the 20th with 5 days present: 15 needed, 11 days left.
    lost = indicator_state(days_present, score_indicator(days_present, D(5)), _day(20), Opening.DAYS)
    assert lost.state == State.UNMET and lost.attainable == 0
    # On the 8th with 4 days: 16 needed, 23 days left of which 17 working days: pending, on pace.
    on_pace = indicator_state(days_present, score_indicator(days_present, D(4)), _day(8), Opening.DAYS)
    assert on_pace.state == State.PENDING and not on_pace.behind
    # On the 8th with 2 days: 18 needed, more than 17 working days: behind pace.
    behind = indicator_state(days_present, score_indicator(days_present, D(2)), _day(8), Opening.DAYS)
    assert behind.state == State.PENDING and behind.behind


def test_growing_counts_cannot_meet_a_lower_is_better_or_deduction_indicator():
    problems = indicator("problems", Rule.DEDUCTION, points="15", per_event=5)
    assert indicator_state(problems, score_indicator(problems, D(2)), _day(8), Opening.EVENTS).state == State.UNMET
    # A ledger value still to be entered may say anything: pending.
    assert indicator_state(problems, score_indicator(problems, D(2)), _day(8), Opening.ENTRY).state == State.PENDING


def test_months_counted_grow_by_one_at_most():
    months = indicator("months", Rule.THRESHOLD, points="10", aggregation=Aggregation.COUNT, threshold=12)
    assert indicator_state(months, score_indicator(months, D(11)), _day(8), Opening.EVENTS).state == State.PENDING
    assert indicator_state(months, score_indicator(months, D(10)), _day(8), Opening.EVENTS).state == State.UNMET


def test_a_fired_veto_and_a_closed_indicator_are_never_pending():
    veto = indicator("veto", Rule.VETO, points="0", aggregation=Aggregation.SUM)
    assert indicator_state(veto, score_indicator(veto, D(1)), _day(8), Opening.ENTRY).state == State.UNMET
    plan = indicator("plan", Rule.PASS_FAIL)
    assert indicator_state(plan, score_indicator(plan, D(0)), _day(8), Opening.CLOSED).state == State.UNMET


def test_village_levels_as_a_range():
    """Every star's `a` at 0 as of the 8th: secured level 0; with `a` still to be entered the
    village may reach five stars, with it closed it stays at 0."""
    std = standard()
    result = evaluate_village(std, village(a=0), 12)
    assert result.star_level == 0
    pending = {f"{s}.a": Opening.ENTRY for s in STARS}
    running = [running_star(spec, r, _day(8), pending) for spec, r in zip(std.stars, result.stars, strict=True)]
    assert running_levels(std, running) == (0, 5)
    assert running[0].secured == 50 and running[0].attainable == 100 and running[0].pending == ("branch.a",)
    closed = [running_star(spec, r, _day(8), {}) for spec, r in zip(std.stars, result.stars, strict=True)]
    assert running_levels(std, closed) == (0, 0)


def test_prerequisite_caps_the_attainable_level():
    std = StandardSpec(stars=standard().stars, prerequisite_from_level=1)
    result = evaluate_village(std, village(a=0), 12)
    # Only the non-prerequisite stars can still come: the branch star is out of reach.
    pending = {f"{s}.a": Opening.ENTRY for s in STARS if s != "branch"}
    running = [running_star(spec, r, _day(8), pending) for spec, r in zip(std.stars, result.stars, strict=True)]
    assert running_levels(std, running) == (0, 0)


def test_required_indicator_out_of_reach_blocks_the_star():
    spec = StarSpec(code="branch", pass_mark=D(10), is_prerequisite=True, indicators=(
        indicator("req", Rule.THRESHOLD, points="5", required=True, threshold=20),
        indicator("other", Rule.THRESHOLD, points="50", threshold=1)))
    result = evaluate_star(spec, VillageInput(1, "1", {"req": [(12, D(1))], "other": [(12, D(0))]}), 12)
    running = running_star(spec, result, _day(20), {"req": Opening.DAYS, "other": Opening.EVENTS})
    assert running.lost == ("req",) and running.pending == ("other",)
    # 50 attainable reaches the pass mark of 10, but the required indicator is out of reach.
    assert running.attainable == 50 and not running.attainable_earned


def test_amounts_have_no_pace():
    income = indicator("income", Rule.THRESHOLD, points="20", threshold=50000)
    state = indicator_state(income, score_indicator(income, D(1000)), _day(30), Opening.AMOUNTS)
    assert state.state == State.PENDING and not state.behind
    assert indicator_state(income, score_indicator(income, D(1000)), _day(30), Opening.EVENTS).behind
