"""Year-to-date aggregation of period values, up to and including the month scored."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ratings.engine import NOT_APPLICABLE, Aggregation, aggregate

# Month 2 was not reported (None), nothing in 5 and 6, month 7 comes after most months scored.
PERIODS = [(1, D(3)), (2, None), (3, D(5)), (4, D(2)), (7, D(9))]


def test_latest_takes_the_latest_period_with_a_value_up_to_the_month():
    assert aggregate(PERIODS, Aggregation.LATEST, 4) == D(2)
    assert aggregate(PERIODS, Aggregation.LATEST, 6) == D(2)
    assert aggregate(PERIODS, Aggregation.LATEST, 12) == D(9)


def test_latest_skips_an_unreported_latest_period():
    assert aggregate(PERIODS, Aggregation.LATEST, 2) == D(3)


def test_latest_does_not_assume_the_periods_are_sorted():
    assert aggregate(list(reversed(PERIODS)), Aggregation.LATEST, 4) == D(2)


def test_latest_keeps_a_zero_value_as_zero():
    assert aggregate([(1, D(5)), (2, D(0))], Aggregation.LATEST, 2) == D(0)


def test_sum_adds_up_the_reported_periods_up_to_the_month():
    assert aggregate(PERIODS, Aggregation.SUM, 6) == D(10)
    assert aggregate(PERIODS, Aggregation.SUM, 12) == D(19)


def test_max_takes_the_largest_reported_value_up_to_the_month():
    assert aggregate(PERIODS, Aggregation.MAX, 6) == D(5)
    assert aggregate(PERIODS, Aggregation.MAX, 12) == D(9)


def test_count_is_the_number_of_periods_above_zero_not_the_sum():
    # Two meetings in January, none reported in February, one in March, four in May, none in June.
    meetings = [(1, D(2)), (2, None), (3, D(1)), (5, D(4)), (6, D(0))]
    assert aggregate(meetings, Aggregation.COUNT, 4) == D(2)
    assert aggregate(meetings, Aggregation.COUNT, 12) == D(3)
    assert aggregate(meetings, Aggregation.SUM, 12) == D(7)


def test_count_of_periods_all_zero_is_zero_not_missing():
    assert aggregate([(1, D(0)), (2, D(0))], Aggregation.COUNT, 2) == D(0)


def test_count_of_yes_no_periods_counts_the_yes():
    assert aggregate([(1, True), (2, False), (3, True), (9, True)], Aggregation.COUNT, 6) == D(2)


def test_max_of_yes_no_periods_is_ever_yes():
    assert aggregate([(1, False), (2, True), (3, False)], Aggregation.MAX, 12) == D(1)


@pytest.mark.parametrize("how", list(Aggregation))
def test_periods_after_the_month_are_ignored(how):
    assert aggregate([(1, D(1)), (8, D(100))], how, 7) == D(1)


@pytest.mark.parametrize("how", list(Aggregation))
@pytest.mark.parametrize("periods", [[], [(1, None), (2, None)], [(5, D(1))]])
def test_no_reported_value_up_to_the_month_is_missing_not_zero(how, periods):
    assert aggregate(periods, how, 4) is None


def test_aggregation_accepts_the_stored_string():
    assert aggregate(PERIODS, "sum", 12) == D(19)


def test_latest_not_applicable_period_is_not_applicable():
    assert aggregate([(1, D(12)), (2, NOT_APPLICABLE)], Aggregation.LATEST, 2) is NOT_APPLICABLE
    # A later reported month after a not-applicable one counts as usual.
    assert aggregate([(1, NOT_APPLICABLE), (2, D(12))], Aggregation.LATEST, 2) == D(12)


@pytest.mark.parametrize("how", [Aggregation.SUM, Aggregation.MAX, Aggregation.COUNT])
def test_other_aggregations_leave_not_applicable_periods_out(how):
    assert aggregate([(1, D(3)), (2, NOT_APPLICABLE)], how, 2) == {
        Aggregation.SUM: D(3), Aggregation.MAX: D(3), Aggregation.COUNT: D(1)}[how]
    assert aggregate([(1, NOT_APPLICABLE), (2, NOT_APPLICABLE)], how, 2) is NOT_APPLICABLE


@given(value=st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000)
       | st.sampled_from([D("-0.00"), D("0"), D("5.00"), D("-0")]),
       period=st.integers(1, 12), month=st.integers(1, 12), how=st.sampled_from(list(Aggregation)))
def test_one_period_reads_as_the_general_rules_give_it(value, period, month, how):
    """A list of one period with a finite number (what most providers answer) takes a short path:
    it gives the same value, in the same form (a sum of -0.00 is 0.00, as sum() makes it), as the
    general rules (which a tuple of the same period takes)."""
    short = aggregate([(period, value)], how, month)
    general = aggregate(((period, value),), how, month)
    assert short == general
    assert str(short) == str(general)
