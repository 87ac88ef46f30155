"""Beat runs once: two closes of one county and month at the same time publish one set."""

import threading

import pytest
from django.db import connections

from ratings.models import MonthClose, StarScore, VillageScore
from ratings.services.month_close import month_close

from .scoring_helpers import fill_ledgers, make_villages

# Two database sessions on one server: `make test` on SQLite deselects it, the PostgreSQL pass of
# .ci/run runs it.
pytestmark = pytest.mark.postgres


def _published():
    villages = list(VillageScore.objects.filter(view="published").order_by("village_id").values(
        "village_id", "year", "month", "standard_id", "stars_earned", "star_level", "total", "tiebreak_score",
        "county_rank", "township_rank", "county_movement", "township_movement", "computed_at"))
    stars = list(StarScore.objects.filter(view="published").order_by("village_id", "star").values(
        "village_id", "star", "score", "earned", "unmet", "indicators", "computed_at"))
    return villages, stars


def _without_time(rows):
    return [{k: v for k, v in row.items() if k != "computed_at"} for row in rows]


@pytest.mark.django_db(transaction=True)
def test_two_closes_at_once_publish_one_set_identical_to_a_single_close(township, county, township_clerk,
                                                                       last_year_standard, monkeypatch):
    year, month = last_year_standard, 6
    villages = make_villages(township, 6)
    fill_ledgers(villages, township_clerk, year, month)
    # Each close sits one second inside its transaction before writing, so the two overlap.
    monkeypatch.setenv("PORTAL_TEST_RECOMPUTE_PAUSE", "1")
    start = threading.Barrier(2)
    closes, errors = [], []

    def close():
        try:
            start.wait()
            closes.append(month_close(county=county, year=year, month=month, bulletins=False).pk)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(closes) == 2 and closes[0] == closes[1]
    assert MonthClose.objects.count() == 1
    villages_rows, star_rows = _published()
    # One recompute ran: every published row carries the same computation time.
    assert len({row["computed_at"] for row in villages_rows + star_rows}) == 1

    monkeypatch.delenv("PORTAL_TEST_RECOMPUTE_PAUSE")
    MonthClose.objects.all().delete()
    VillageScore.objects.filter(view="published").delete()
    StarScore.objects.filter(view="published").delete()
    month_close(county=county, year=year, month=month, bulletins=False)
    single_villages, single_stars = _published()
    assert len(single_villages) == 6 and len(single_stars) == 30
    assert _without_time(villages_rows) == _without_time(single_villages)
    assert _without_time(star_rows) == _without_time(single_stars)


@pytest.fixture
def last_year_standard(standard, this_month):
    """Closing needs a finished month: last year's standard, so the test runs in any month."""
    from ratings.services.standard import standard_load_defaults

    standard_load_defaults(year=this_month[0] - 1)
    return this_month[0] - 1
