"""Income bands and growth: the pure rules the pages and the providers share."""

from decimal import Decimal as D

import pytest

from projects.figures import OPERATING, TOTAL, YearFigure, comparable, growth_rate, rounded
from projects.models import IncomeBand, income_band


@pytest.mark.parametrize(("total", "band"), [
    (None, IncomeBand.NONE), (D(0), IncomeBand.NONE), (D("0.01"), IncomeBand.WEAK), (D("49999.99"), IncomeBand.WEAK),
    (D(50_000), IncomeBand.BASIC), (D("99999.99"), IncomeBand.BASIC), (D(100_000), IncomeBand.TEN),
    (D("499999.99"), IncomeBand.TEN), (D(500_000), IncomeBand.FIFTY), (D(1_000_000), IncomeBand.HUNDRED),
])
def test_income_band_bounds(total, band):
    assert income_band(total) == band


def _monthly(values: dict[int, int]) -> YearFigure:
    months = {m: (D(v), D(v) / 2) for m, v in values.items()}
    return YearFigure(total=sum((t for t, _ in months.values()), D(0)),
                      operating=sum((o for _, o in months.values()), D(0)), monthly=True, months=months)


def test_two_whole_years_compare_in_full():
    assert growth_rate(YearFigure(D(120), D(60)), YearFigure(D(100), D(50))) == D(20)
    assert growth_rate(YearFigure(D(120), D(40)), YearFigure(D(100), D(50)), OPERATING) == D(-20)


def test_a_running_year_compares_with_the_same_months_of_last_year():
    this = _monthly({1: 100, 2: 100, 3: 130})
    last = _monthly({m: 100 for m in range(1, 13)})
    assert comparable(this, last, TOTAL) == (D(330), D(300))
    assert growth_rate(this, last) == D(10)


def test_a_running_year_does_not_compare_with_a_whole_year():
    """A part of a year against a full one would read as a fall: no figure instead."""
    assert growth_rate(_monthly({1: 500}), YearFigure(D(1200), D(600))) is None


def test_a_complete_monthly_year_compares_with_a_whole_year():
    this = _monthly({m: 110 for m in range(1, 13)})
    assert this.complete
    assert growth_rate(this, YearFigure(D(1200), D(600))) == D(10)


def test_no_growth_without_last_year_or_from_zero():
    assert growth_rate(YearFigure(D(100), D(0)), None) is None
    assert growth_rate(YearFigure(D(100), D(0)), YearFigure(D(0), D(0))) is None


def test_up_to_keeps_only_the_months_known_by_then():
    figure = _monthly({1: 10, 2: 20, 5: 50}).up_to(2)
    assert figure.total == D(30) and figure.latest_month == 2 and not figure.complete


def test_rounding_is_half_up_to_two_decimals():
    assert rounded(D("12.345")) == D("12.35")
    assert rounded(D("-12.345")) == D("-12.35")
    assert rounded(None) is None
