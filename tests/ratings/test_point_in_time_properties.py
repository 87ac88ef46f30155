"""Property: for any month M of a closed year, records dated after M (a cooperative, a binding,
a listing, an acceptance, a recall, a sign-in, a meeting, an income month) leave M's live and
published figures unchanged, on the real providers and engine; and so does deleting them."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from branches.models import MeetingType, Rectification, RectificationStatus
from cadres.models import FirstSecretary, FirstSecretaryStatus, SignIn
from projects.models import Binding, CollectiveIncomeMonth, Cooperative
from projects.services import income_month_delete, income_month_save
from ratings.models import MonthClose, StarScore, View, VillageScore
from ratings.services.month_close import month_close
from ratings.services.scoring import _scope_villages, compute, recompute
from tests.branches.factories import MeetingFactory
from tests.factories import BranchFactory, FirstSecretaryFactory

from .scoring_helpers import fill_ledgers, make_villages

KINDS = ["cooperative", "binding", "listing", "acceptance", "recall", "sign_in", "meeting", "income_month"]


@pytest.fixture
def world(county, township, standard, township_clerk, this_month):
    """Last year (a closed year): three villages with a branch, a first secretary serving all
    year, a cooperative, an open weak-and-lax listing on one, ledgers every month."""
    from ratings.services.standard import standard_load_defaults

    year = this_month[0] - 1
    standard_load_defaults(year=year)
    villages = make_villages(township, 3)
    for v in villages:
        BranchFactory(village=v)
    for month in range(1, 13):
        fill_ledgers(villages, township_clerk, year, month)
    for v in villages:
        FirstSecretaryFactory(village=v, term_start=dt.date(year - 1, 3, 1), term_end=None)
        Cooperative.objects.create(village=v, name=f"{v.name}合作社", established_on=dt.date(year - 1, 5, 1))
    Rectification.objects.create(branch=villages[1].branch, year=year, reason="组织生活不规范",
                                 listed_on=dt.date(year, 1, 10), status=RectificationStatus.RECTIFYING)
    return year, villages


def _figures(year, month, view, villages):
    prefix, scope = _scope_villages(None, villages[0].parent.parent)
    village_rows, star_rows = compute(year=year, month=month, view=view, villages=scope, village_ids=None,
                                      prefix=prefix)
    return ([r[:9] for r in village_rows], [r[:12] for r in star_rows])


def _stored(year, month):
    return (list(VillageScore.objects.filter(year=year, month=month, view=View.PUBLISHED).order_by("village_id")
                 .values_list("star_level", "total", "county_rank", "township_rank", "county_movement")),
            list(StarScore.objects.filter(year=year, month=month, view=View.PUBLISHED).order_by("village_id", "star")
                 .values_list("score", "earned", "indicators")))


def _add(kind, villages, year, day, clerk):
    """Make the record (or the change) dated `day`; return how to undo it."""
    village = villages[0]
    if kind == "cooperative":
        row = Cooperative.objects.create(village=village, name="新合作社", established_on=day)
        return row.delete
    if kind == "binding":
        row = Binding.objects.create(cooperative=village.cooperatives.first(), enterprise="龙头企业", farmers_bound=20,
                                     started_on=day)
        return row.delete
    if kind == "listing":
        row = Rectification.objects.create(branch=village.branch, year=year, reason="班子软弱", listed_on=day)
        return row.delete
    if kind == "acceptance":
        listing = Rectification.objects.get(branch__village=villages[1])
        Rectification.objects.filter(pk=listing.pk).update(accepted_on=day, status=RectificationStatus.ACCEPTED)
        return lambda: Rectification.objects.filter(pk=listing.pk).update(accepted_on=None,
                                                                           status=RectificationStatus.RECTIFYING)
    if kind == "recall":
        fs = FirstSecretary.objects.get(village=village)
        FirstSecretary.objects.filter(pk=fs.pk).update(term_end=day, status=FirstSecretaryStatus.RECALLED)
        return lambda: FirstSecretary.objects.filter(pk=fs.pk).update(term_end=None, status=FirstSecretaryStatus.SERVING)
    if kind == "sign_in":
        row = SignIn.objects.create(first_secretary=FirstSecretary.objects.get(village=village), village=village,
                                    date=day, time=dt.time(8, 30))
        return row.delete
    if kind == "meeting":
        row = MeetingFactory(village=village, type=MeetingType.COMMITTEE_MEETING, date=day)
        return row.delete
    income_month_save(village=village, year=year, month=day.month, total=D(9000), operating=D(4000), by=clerk)
    row = CollectiveIncomeMonth.objects.get(village=village, year=year, month=day.month)
    return lambda: income_month_delete(row=row, by=clerk)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(month=st.integers(min_value=1, max_value=11), kind=st.sampled_from(KINDS), data=st.data())
def test_records_dated_after_a_month_never_change_it(world, county, township_clerk, month, kind, data):
    year, villages = world
    if not MonthClose.objects.filter(county=county, year=year, month=month).exists():
        month_close(county=county, year=year, month=month, bulletins=False)
    later = data.draw(st.integers(min_value=month + 1, max_value=12), label="later month")
    day = dt.date(year, later, data.draw(st.integers(min_value=1, max_value=28), label="day"))
    live, published, stored = (_figures(year, month, View.LIVE, villages), _figures(year, month, View.PUBLISHED, villages),
                               _stored(year, month))
    undo = _add(kind, villages, year, day, township_clerk)
    recompute(year=year, month=month, view=View.LIVE, region=county)
    recompute(year=year, month=month, view=View.PUBLISHED, region=county)
    assert _figures(year, month, View.LIVE, villages) == live
    assert _figures(year, month, View.PUBLISHED, villages) == published
    assert _stored(year, month) == stored
    undo()
    assert _figures(year, month, View.LIVE, villages) == live
    assert _figures(year, month, View.PUBLISHED, villages) == published
    assert _stored(year, month) == stored


def test_the_same_records_dated_in_the_month_do_change_it(world, county, township_clerk):
    """The property above can fail: a cooperative, a sign-in and a listing dated in M move M."""
    year, villages = world
    before = _figures(year, 6, View.LIVE, villages)
    _add("listing", villages, year, dt.date(year, 6, 30), township_clerk)
    assert _figures(year, 6, View.LIVE, villages) != before
