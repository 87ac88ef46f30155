from decimal import Decimal as D

from ratings.engine import Aggregation, aggregate

PERIODS = [(1, D(3)), (2, None), (3, D(5)), (4, D(2)), (7, D(9))]


def test_latest_takes_the_latest_period_with_a_value_up_to_the_month():
    assert aggregate(PERIODS, Aggregation.LATEST, 4) == D(2)
    assert aggregate(PERIODS, Aggregation.LATEST, 2) == D(3)


def test_periods_after_the_month_are_ignored():
    assert aggregate(PERIODS, Aggregation.SUM, 6) == D(10)
    assert aggregate(PERIODS, Aggregation.MAX, 6) == D(5)


def test_sum_max_and_count_over_the_year():
    assert aggregate(PERIODS, Aggregation.SUM, 12) == D(19)
    assert aggregate(PERIODS, Aggregation.MAX, 12) == D(9)
    assert aggregate([(1, True), (2, False), (3, True)], Aggregation.COUNT, 12) == D(2)


def test_no_value_is_none_not_zero():
    assert aggregate([], Aggregation.SUM, 12) is None
    assert aggregate([(1, None)], Aggregation.LATEST, 12) is None
    assert aggregate([(5, D(1))], Aggregation.LATEST, 4) is None
