"""The kept year-to-date ledger values: marked by the ledger table's triggers whatever
writes it, refreshed for the marked villages only, and giving results identical to a full
rescan of the entries after any sequence of edits."""

from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratings.models import (
    Indicator,
    LedgerEntry,
    LedgerStatus,
    LedgerYearToDate,
    LedgerYearToDateMark,
    Source,
    View,
)
from ratings.services.scoring import _scope_villages, compute
from ratings.services.year_to_date import fold, year_to_date_refresh

from .scoring_helpers import make_villages

pytestmark = pytest.mark.django_db

STATUSES = [LedgerStatus.DRAFT, LedgerStatus.SUBMITTED, LedgerStatus.APPROVED, LedgerStatus.RETURNED,
            LedgerStatus.SUPERSEDED]
AGGREGATIONS = ["latest", "sum", "max", "count"]
MONTHS = 3


@pytest.fixture
def world(township, standard, township_clerk, this_month):
    """Three villages; four ledger indicators of the standard, one per aggregation."""
    villages = make_villages(township, 3)
    indicators = list(Indicator.objects.filter(star__standard=standard, source=Source.LEDGER)
                      .exclude(rule="veto").order_by("star__order", "order")[:4])
    for indicator, how in zip(indicators, AGGREGATIONS, strict=True):
        Indicator.objects.filter(pk=indicator.pk).update(aggregation=how)
    year_to_date_refresh()
    return this_month[0], villages, list(Indicator.objects.filter(pk__in=[i.pk for i in indicators]).order_by("pk"))


def _entry(village, indicator, year, month, value, status, user):
    return LedgerEntry(village=village, indicator=indicator, year=year, month=month, value=value, status=status,
                       entered_by=user, submitted_at=timezone.now())


def test_every_kind_of_write_marks_the_village_and_the_first_month(world, township_clerk):
    year, villages, indicators = world
    LedgerYearToDateMark.objects.all().delete()
    LedgerEntry.objects.bulk_create([_entry(villages[0], indicators[0], year, 4, D(1), LedgerStatus.APPROVED,
                                            township_clerk)])
    mark = LedgerYearToDateMark.objects.get(village=villages[0], year=year)
    assert (mark.from_month, mark.version) == (4, 1)

    entry = _entry(villages[0], indicators[1], year, 2, D(3), LedgerStatus.SUBMITTED, township_clerk)
    entry.save()
    mark.refresh_from_db()
    assert (mark.from_month, mark.version) == (2, 2)

    versions = [mark.version]
    for write in (lambda: LedgerEntry.objects.filter(pk=entry.pk).update(status=LedgerStatus.RETURNED),
                  lambda: LedgerEntry.objects.filter(village=villages[0], month=4).delete(),
                  # Raw SQL, as an import or a restore might write: marked too.
                  lambda: connection.cursor().execute("UPDATE ratings_ledgerentry SET value = 5 WHERE id = %s",
                                                      [entry.pk])):
        write()
        mark.refresh_from_db()
        assert mark.version > versions[-1]
        versions.append(mark.version)
    assert mark.from_month == 2
    assert not LedgerYearToDateMark.objects.filter(village=villages[1]).exists()


def test_a_refresh_rewrites_only_the_marked_villages_from_the_marked_month(world, township_clerk):
    year, villages, indicators = world
    LedgerEntry.objects.bulk_create([_entry(v, indicators[1], year, m, D(2), LedgerStatus.APPROVED, township_clerk)
                                     for v in villages for m in (1, 2, 3)])
    year_to_date_refresh()
    assert not LedgerYearToDateMark.objects.exists()
    # Month 2 of the edited village carries a sentinel: a refresh from month 3 leaves it alone.
    LedgerYearToDate.objects.filter(village=villages[1], month=2, view=View.LIVE).update(values={"sentinel": "1"})
    LedgerEntry.objects.filter(village=villages[1], month=3).update(value=D(7))
    assert year_to_date_refresh(village_ids=[villages[0].pk]) == 0  # another village's mark stays
    assert LedgerYearToDateMark.objects.filter(village=villages[1]).exists()
    year_to_date_refresh(village_ids=[villages[1].pk])
    rows = {(r.village_id, r.month, r.view): r for r in LedgerYearToDate.objects.filter(village=villages[1])}
    key = str(indicators[1].pk)
    assert rows[(villages[1].pk, 2, View.LIVE)].values == {"sentinel": "1"}
    assert D(rows[(villages[1].pk, 2, View.PUBLISHED)].values[key]) == D(4)  # sum of months 1-2
    assert D(rows[(villages[1].pk, 3, View.PUBLISHED)].values[key]) == D(11)
    assert D(rows[(villages[1].pk, 12, View.LIVE)].values[key]) == D(11)


def test_a_mark_changed_during_a_refresh_stays_for_the_next(world, township_clerk, monkeypatch):
    year, villages, indicators = world
    LedgerEntry.objects.bulk_create([_entry(villages[0], indicators[0], year, 1, D(1), LedgerStatus.APPROVED,
                                            township_clerk)])
    from ratings.services import year_to_date

    real = year_to_date._refresh_chunk

    def edit_while_refreshing(*args):
        real(*args)
        # An approval committed between the refresh's read of the ledger and its removal of marks.
        LedgerEntry.objects.filter(village=villages[0]).update(value=D(0))

    monkeypatch.setattr(year_to_date, "_refresh_chunk", edit_while_refreshing)
    year_to_date_refresh()
    assert LedgerYearToDateMark.objects.filter(village=villages[0]).exists()
    monkeypatch.setattr(year_to_date, "_refresh_chunk", real)
    year_to_date_refresh()
    row = LedgerYearToDate.objects.get(village=villages[0], month=1, view=View.LIVE)
    assert D(row.values[str(indicators[0].pk)]) == 0


@pytest.mark.parametrize(("how", "expected"), [
    ("latest", {2: D(5), 3: D(0), 4: D(0)}),
    ("sum", {2: D(5), 3: D(5), 4: D(5)}),
    ("max", {2: D(5), 3: D(5), 4: D(5)}),
    ("count", {2: D(1), 3: D(1), 4: D(1)}),
])
def test_fold_gives_each_month_the_aggregate_of_the_months_up_to_it(how, expected):
    live, published = fold([(3, D(0), False), (2, D(5), True)], how, range(1, 5))
    assert live == expected
    assert published == {m: {"latest": D(5), "sum": D(5), "max": D(5), "count": D(1)}[how] for m in (2, 3, 4)}


def _figures(year, month, view, villages, *, year_to_date):
    prefix, scope = _scope_villages(None, villages[0].parent.parent)
    village_rows, star_rows = compute(year=year, month=month, view=view, villages=scope, village_ids=None,
                                      prefix=prefix, year_to_date=year_to_date)
    return [r[:9] for r in village_rows], [r[:12] for r in star_rows]


EDIT = st.tuples(
    st.sampled_from(["create", "status", "value", "delete", "correct", "check"]),
    st.integers(0, 2), st.integers(0, 3), st.integers(1, MONTHS),
    st.one_of(st.none(), st.decimals(min_value=-5, max_value=120, places=2)),
    st.sampled_from(STATUSES),
)


@pytest.fixture
def filled(world, township_clerk):
    """Every village × indicator × month with an entry of its own value, statuses mixed."""
    year, villages, indicators = world
    LedgerEntry.objects.bulk_create([
        _entry(v, indicator, year, m, D(10 * n + 3 * m + i), STATUSES[(n + m + i) % 3], township_clerk)
        for n, v in enumerate(villages) for i, indicator in enumerate(indicators) for m in range(1, MONTHS + 1)])
    year_to_date_refresh()
    return world


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDIT, min_size=1, max_size=12))
def test_incremental_and_full_recompute_agree_after_any_edits(filled, township_clerk, edits):
    """Random creates, status changes, value changes, deletions and corrections, in the
    ORM's every way (save, queryset update, delete), with refreshes in between ("check"): the
    figures read from the kept year-to-date rows equal a full rescan, every month, both views."""
    year, villages, indicators = filled
    with transaction.atomic():
        for kind, v, i, month, value, status in edits:
            village, indicator = villages[v], indicators[i]
            current = LedgerEntry.objects.current().filter(village=village, indicator=indicator, year=year,
                                                           month=month).first()
            if kind == "check" or (current is None and kind != "create"):
                _assert_agree(year, villages, months=[month, MONTHS])
            elif kind == "create" and current is None:
                _entry(village, indicator, year, month, value, status, township_clerk).save()
            elif kind == "status" and current is not None:
                LedgerEntry.objects.filter(pk=current.pk).update(
                    status=LedgerStatus.APPROVED if status == LedgerStatus.SUPERSEDED else status)
            elif kind == "value" and current is not None:
                current.value = value
                current.save()
            elif kind == "delete" and current is not None:
                current.delete()
            elif kind == "correct" and current is not None:
                LedgerEntry.objects.filter(pk=current.pk).update(status=LedgerStatus.SUPERSEDED)
                replacement = _entry(village, indicator, year, month, value, LedgerStatus.APPROVED, township_clerk)
                replacement.supersedes = current
                replacement.save()
        _assert_agree(year, villages, months=range(1, MONTHS + 1))
        transaction.set_rollback(True)


def _assert_agree(year, villages, months):
    for month in months:
        for view in (View.LIVE, View.PUBLISHED):
            kept = _figures(year, month, view, villages, year_to_date=True)
            rescanned = _figures(year, month, view, villages, year_to_date=False)
            assert kept == rescanned, (month, view)


def test_the_ledger_table_carries_its_three_marking_triggers():
    """A later migration that rebuilds the ledger table (SQLite rebuilds a table to alter a
    column, dropping its triggers) must create them again: without them the kept values go stale."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'ratings_ledgerentry'::regclass "
                           "AND NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ratings_ledgerentry'")
        names = {row[0] for row in cursor.fetchall()}
    assert names == {"ratings_ledger_ytd_insert", "ratings_ledger_ytd_update", "ratings_ledger_ytd_delete"}
