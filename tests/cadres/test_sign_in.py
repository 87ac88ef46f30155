"""Sign-in, leave and spot-check services; days present, compliance and the branch-star score."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from cadres.models import LeaveRequest, LeaveStatus, SignIn, SpotCheck
from cadres.selectors import days_present_by_month, is_compliant
from cadres.services_work import (
    MSG_LEAVE_OVERLAP,
    MSG_SIGN_IN_FUTURE,
    MSG_SIGN_IN_TWICE,
    MSG_SIGN_IN_WRONG_VILLAGE,
    MSG_TOWNSHIP_ONLY,
    leave_decide,
    leave_request,
    sign_in_record,
    spot_check_record,
)
from ratings.detail import detail_rows
from ratings.models import StarScore
from ratings.providers.first_secretaries import (
    first_secretary_days_present,
    first_secretary_sign_in_compliance,
)
from ratings.services.scoring import recompute
from tests.factories import FirstSecretaryFactory, VillageFactory

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 3  # March: 31 days


def at(day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(YEAR, MONTH, day, hour, 0))


@pytest.fixture
def fs(village, first_secretary):
    return FirstSecretaryFactory(village=village, user=first_secretary)


def sign_in_days(fs, days):
    for day in days:
        sign_in_record(first_secretary=fs, date=dt.date(YEAR, MONTH, day), by=fs.user, now=at(day))


def test_sign_in_twice_on_one_day_is_refused_and_saves_nothing(fs):
    sign_in_record(first_secretary=fs, date=dt.date(YEAR, MONTH, 2), by=fs.user, note="走访", now=at(2))
    with pytest.raises(ValidationError) as exc:
        sign_in_record(first_secretary=fs, date=dt.date(YEAR, MONTH, 2), by=fs.user, now=at(2, 15))
    assert MSG_SIGN_IN_TWICE in exc.value.messages
    assert SignIn.objects.count() == 1


def test_sign_in_for_a_village_that_is_not_ones_own_is_refused(fs, other_village):
    with pytest.raises(ValidationError) as exc:
        sign_in_record(first_secretary=fs, date=dt.date(YEAR, MONTH, 2), by=fs.user, village=other_village, now=at(2))
    assert MSG_SIGN_IN_WRONG_VILLAGE in exc.value.messages
    assert not SignIn.objects.exists()


def test_sign_in_by_another_user_is_forbidden(fs, village_secretary):
    with pytest.raises(PermissionDenied):
        sign_in_record(first_secretary=fs, date=dt.date(YEAR, MONTH, 2), by=village_secretary, now=at(2))
    assert not SignIn.objects.exists()


def test_sign_in_for_a_future_day_is_refused(fs):
    with pytest.raises(ValidationError) as exc:
        sign_in_record(first_secretary=fs, date=dt.date(YEAR, MONTH, 3), by=fs.user, now=at(2))
    assert MSG_SIGN_IN_FUTURE in exc.value.messages


def test_backdating_within_the_grace_is_allowed_beyond_it_refused(fs, settings):
    settings.PORTAL = {**settings.PORTAL, "SIGN_IN_GRACE_DAYS": 1}
    sign_in_record(first_secretary=fs, date=dt.date(YEAR, MONTH, 9), by=fs.user, now=at(10))
    with pytest.raises(ValidationError):
        sign_in_record(first_secretary=fs, date=dt.date(YEAR, MONTH, 8), by=fs.user, now=at(10))
    assert list(SignIn.objects.values_list("date", flat=True)) == [dt.date(YEAR, MONTH, 9)]


def test_leave_overlapping_another_leave_is_refused_with_a_clear_message(fs):
    leave_request(first_secretary=fs, start=dt.date(YEAR, MONTH, 10), end=dt.date(YEAR, MONTH, 12), reason="体检", by=fs.user, today=dt.date(YEAR, MONTH, 1))
    with pytest.raises(ValidationError) as exc:
        leave_request(first_secretary=fs, start=dt.date(YEAR, MONTH, 12), end=dt.date(YEAR, MONTH, 14), reason="家事", by=fs.user, today=dt.date(YEAR, MONTH, 1))
    assert exc.value.messages == [MSG_LEAVE_OVERLAP.format(start=dt.date(YEAR, MONTH, 10), end=dt.date(YEAR, MONTH, 12))]
    assert LeaveRequest.objects.count() == 1


def test_a_refused_leave_does_not_block_a_new_request(fs, township_clerk):
    leave = leave_request(first_secretary=fs, start=dt.date(YEAR, MONTH, 10), end=dt.date(YEAR, MONTH, 12), reason="体检", by=fs.user, today=dt.date(YEAR, MONTH, 1))
    leave_decide(leave=leave, approve=False, by=township_clerk, note="工作需要")
    leave_request(first_secretary=fs, start=dt.date(YEAR, MONTH, 11), end=dt.date(YEAR, MONTH, 11), reason="体检", by=fs.user, today=dt.date(YEAR, MONTH, 1))
    assert LeaveRequest.objects.filter(status=LeaveStatus.REQUESTED).count() == 1


def test_only_the_villages_township_decides_leave(fs, other_township_clerk, township_clerk):
    leave = leave_request(first_secretary=fs, start=dt.date(YEAR, MONTH, 10), end=dt.date(YEAR, MONTH, 10), reason="体检", by=fs.user, today=dt.date(YEAR, MONTH, 1))
    with pytest.raises(PermissionDenied) as exc:
        leave_decide(leave=leave, approve=True, by=other_township_clerk)
    assert str(exc.value) == MSG_TOWNSHIP_ONLY
    decided = leave_decide(leave=leave, approve=True, by=township_clerk)
    assert decided.status == LeaveStatus.APPROVED and decided.decided_by == township_clerk


def test_a_month_with_sign_ins_an_approved_leave_and_a_missed_day(fs, township_clerk, village):
    # 31 days: signed in on 27, approved leave on the 10th-12th (excused, not present), the 20th missed,
    # and the 21st found present by a spot check without a sign-in.
    leave = leave_request(first_secretary=fs, start=dt.date(YEAR, MONTH, 10), end=dt.date(YEAR, MONTH, 12), reason="体检", by=fs.user, today=dt.date(YEAR, MONTH, 1))
    leave_decide(leave=leave, approve=True, by=township_clerk)
    sign_in_days(fs, [d for d in range(1, 32) if d not in (10, 11, 12, 20, 21)])
    spot_check_record(first_secretary=fs, date=dt.date(YEAR, MONTH, 21), present=True, by=township_clerk)
    assert days_present_by_month(first_secretary_ids=[fs.pk], year=YEAR, month_to=MONTH) == {fs.pk: {MONTH: 27}}
    assert is_compliant(27)
    # Year to date: the months of his term before March count 0 days present; March counts 27.
    assert dict(first_secretary_days_present(village_ids=[village.pk], year=YEAR, month=MONTH)[village.pk])[MONTH] == 27
    assert dict(first_secretary_sign_in_compliance(village_ids=[village.pk], year=YEAR, month=MONTH)[village.pk])[MONTH] is True


def test_a_spot_check_on_a_signed_in_day_is_not_counted_twice(fs, township_clerk, village):
    sign_in_days(fs, [5])
    spot_check_record(first_secretary=fs, date=dt.date(YEAR, MONTH, 5), present=True, by=township_clerk)
    spot_check_record(first_secretary=fs, date=dt.date(YEAR, MONTH, 6), present=False, by=township_clerk)
    assert dict(first_secretary_days_present(village_ids=None, year=YEAR, month=MONTH)[village.pk])[MONTH] == 1
    assert dict(first_secretary_sign_in_compliance(village_ids=None, year=YEAR, month=MONTH)[village.pk])[MONTH] is False
    assert SpotCheck.objects.count() == 2


def _village_days_value(village):
    row = StarScore.objects.get(village=village, year=YEAR, month=MONTH, view="live", star="branch")
    rows = detail_rows(row.indicators)
    return next(r["value"] for r in rows if r["code"] == "branch.first_secretary_days"), row.score


def test_sign_ins_change_the_branch_star_score_through_the_engine(fs, village):
    call_command("load_standard", "--year", str(YEAR), stdout=StringIO())
    sign_in_days(fs, range(1, 11))
    recompute(year=YEAR, month=MONTH, village_ids=[village.pk])
    value_before, score_before = _village_days_value(village)
    sign_in_days(fs, range(11, 25))
    recompute(year=YEAR, month=MONTH, village_ids=[village.pk])
    value_after, score_after = _village_days_value(village)
    assert (value_before, value_after) == ("10", "24")
    assert score_after > score_before


@pytest.mark.parametrize("count", [3, 30])
def test_each_provider_is_one_query_whatever_the_scope(count, township, django_assert_num_queries):
    ids = []
    for i in range(count):
        v = VillageFactory(parent=township, code=f"41990100{i + 100:04d}"[:12])
        fs = FirstSecretaryFactory(village=v)
        SignIn.objects.create(first_secretary=fs, village=v, date=dt.date(YEAR, MONTH, 1), time=dt.time(9))
        ids.append(v.pk)
    for provider in (first_secretary_days_present, first_secretary_sign_in_compliance):
        with django_assert_num_queries(1):
            result = provider(village_ids=ids, year=YEAR, month=MONTH)
        assert len(result) == count
