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


@pytest.fixture
def clock(monkeypatch, this_month):
    """`timezone.now()` as the test sets it (`clock.set(month, day)`), in this year."""
    from django.utils import timezone

    from .late_helpers import Clock

    kept = Clock(this_month[0])
    kept.set(7, 1)
    monkeypatch.setattr(timezone, "now", lambda: kept.at)
    return kept


@pytest.fixture
def ecology_reviewer(county):
    from cadres.models import Role
    from tests.factories import PostFactory, UserFactory

    user = UserFactory(username="ecology_reviewer", full_name="生态审核员")
    PostFactory(user=user, role=Role.LEAD_DEPARTMENT, region=county, star="ecology", department="县农业农村局")
    return user
