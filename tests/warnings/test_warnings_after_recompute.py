"""Warnings follow each recompute (the approval drain) and the nightly task."""

from decimal import Decimal as D

from ratings.models import EarlyWarning, LedgerStatus, WarningKind
from ratings.tasks import enqueue_recompute, warnings_refresh_all_task
from tests.factories import StarScoreFactory, VillageScoreFactory
from tests.ratings.scoring_helpers import fill_ledgers


def test_a_live_recompute_raises_the_warning_of_a_star_it_loses(county, village, township_clerk, standard,
                                                                 this_month, django_capture_on_commit_callbacks):
    year, month = this_month
    prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    VillageScoreFactory(village=village, year=prev_year, month=prev_month, view="published")
    StarScoreFactory(village=village, year=prev_year, month=prev_month, view="published", star="ecology",
                     score=D(95), earned=True)
    # This month's ecology ledger is entered with nothing done: the live recompute scores the star
    # far below its pass mark and, its values entered, it can no longer be earned this month (an
    # empty ledger would be pending, not a warning: see tests/ratings/test_running_month.py).
    fill_ledgers([village], township_clerk, year, month, status=LedgerStatus.SUBMITTED,
                 value_for=lambda v, i: D(0) if i.code.startswith("ecology.") and i.rule != "deduction" else D(1))
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_recompute(village_ids=[village.pk], year=year, month=month)
    warning = EarlyWarning.objects.get(kind=WarningKind.STAR_MISSED)
    assert warning.region == village and warning.key == f"{year}-{month}:ecology"


def test_the_nightly_task_refreshes_every_county(county, village):
    import datetime as dt

    from ratings.models import ChecklistItem, ItemOrigin, ItemStatus

    ChecklistItem.objects.create(village=village, year=2026, star="ecology", origin=ItemOrigin.GAP, title="改厕",
                                 status=ItemStatus.OPEN, due_date=dt.date(2020, 1, 1))
    assert warnings_refresh_all_task.delay().get() >= 1
    assert EarlyWarning.objects.filter(kind=WarningKind.TASK_OVERDUE).count() == 1
