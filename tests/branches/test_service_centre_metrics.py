"""The providers of pairings and the service centre, as of each month's last day, and the default
branch star scoring the service centre by them through the real engine."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from branches.services_pairing import pairing_activity_record, pairing_create
from branches.services_service_centre import duty_shift_add, duty_shift_end, errand_done, errand_record
from ratings.detail import detail_rows
from ratings.engine.types import NOT_APPLICABLE
from ratings.metrics import get_provider
from ratings.models import StarScore
from ratings.services.scoring import recompute

D = dt.date
TODAY = timezone.localdate()


def _errand(by, village, requested_on, days=5):
    return errand_record(by=by, village=village, request="代办社保认证", category="social_security",
                         resident_name="王秀英", runner="李会计", requested_on=requested_on, promised_days=days)


def test_pairing_activities_count_the_quarter_for_both_partners(county_admin, village, foreign_village, other_village,
                                                                village_secretary):
    pairing = pairing_create(by=county_admin, helper=foreign_village, receiver=village, started_on=D(2026, 2, 10))
    pairing_activity_record(by=village_secretary, pairing=pairing, held_on=D(2026, 3, 5), title="联合主题党日")
    pairing_activity_record(by=village_secretary, pairing=pairing, held_on=D(2026, 4, 8), title="电商培训")
    answer = get_provider("pairing_activities_quarter")(village_ids=None, year=2026, month=5)
    # January: no pairing yet (不适用); Feb 0, March 1 (Q1), April 1, May 1 (Q2)
    assert answer[village.pk] == [(1, NOT_APPLICABLE), (2, Decimal(0)), (3, Decimal(1)), (4, Decimal(1)), (5, Decimal(1))]
    assert answer[foreign_village.pk] == answer[village.pk]
    assert other_village.pk not in answer  # absent: 不适用 for a village in no pairing
    # as of March's last day an activity of April is not counted
    assert get_provider("pairing_activities_quarter")(village_ids=[village.pk], year=2026, month=3)[village.pk][-1] == (
        3, Decimal(1))


def test_errands_in_time_as_of_each_month(village_secretary, village):
    a = _errand(village_secretary, village, D(2026, 3, 2), days=5)
    errand_done(by=village_secretary, errand=a, done_on=D(2026, 3, 5))
    b = _errand(village_secretary, village, D(2026, 3, 20), days=5)  # due 25th, done in April: late
    errand_done(by=village_secretary, errand=b, done_on=D(2026, 4, 3))
    answer = dict(get_provider("errands_done_in_time")(village_ids=[village.pk], year=2026, month=4)[village.pk])
    assert answer == {3: Decimal("50.00"), 4: Decimal("0.00")}


def test_duty_days_follow_the_roster_of_each_day(village_secretary, village):
    shift = duty_shift_add(by=village_secretary, village=village, weekday=1, person="张书记", phone="1",
                           valid_from=D(2026, 3, 1))
    duty_shift_end(by=village_secretary, shift=shift, on=D(2026, 4, 12))
    answer = dict(get_provider("duty_days_covered")(village_ids=None, year=2026, month=5)[village.pk])
    # Mondays: March 2, 9, 16, 23, 30; April 6 (ended on the 12th); none in May
    assert answer[2] == 0 and answer[3] == 5 and answer[4] == 1 and answer[5] == 0


def test_default_branch_star_scores_the_service_centre(standard, village, village_secretary, this_month):
    year, month = this_month
    for weekday in range(1, 8):
        duty_shift_add(by=village_secretary, village=village, weekday=weekday, person="张书记", phone="1",
                       valid_from=D(year, month, 1))
    recompute(year=year, month=month, village_ids=[village.pk])
    star = StarScore.objects.get(village=village, year=year, month=month, view="live", star="branch")
    rows = {r["code"]: r for r in detail_rows(star.indicators)}
    duty, errands = rows["branch.duty_days"], rows["branch.errands_in_time"]
    # the posted roster covers every day of the month, the days still to come included
    assert Decimal(str(duty["value"])) == calendar.monthrange(year, month)[1] and Decimal(str(duty["max_points"])) == 5
    assert errands["value"] is None  # no errand due yet
