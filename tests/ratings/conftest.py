"""Fixtures shared by the scoring tests."""

from decimal import Decimal as D

import pytest

from ratings.models import View
from ratings.services.scoring import recompute

from .scoring_helpers import fill_ledgers, make_villages


@pytest.fixture
def scored(county, township, standard, township_clerk, this_month):
    """Four villages of the township with approved ledgers (every value 7, 4, 1 or 8 by the
    code's last digit), recomputed once: (year, month, villages)."""
    year, month = this_month
    villages = make_villages(township, 4)
    fill_ledgers(villages, township_clerk, year, month,
                 value_for=lambda village, indicator: D(int(village.code[-1]) * 7 % 10))
    recompute(year=year, month=month, view=View.LIVE, region=county)
    return year, month, villages
