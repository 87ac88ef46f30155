"""The daily notices for new warnings: one per township and county a day, never duplicated."""

import datetime as dt

from django.utils import timezone

from ratings.campaign.services.warnings import NOTICE_PREFIX, warning_notices_send
from ratings.models import EarlyWarning, Notice, WarningKind, WarningState


def _warning(region, township, key, kind=WarningKind.TASK_OVERDUE):
    return EarlyWarning.objects.create(kind=kind, region=region, township=township, key=key, year=2026, month=6,
                                       text="逾期")


def test_running_twice_sends_one_notice_per_township_and_county(county, township, other_township, village,
                                                                  foreign_village):
    for n in range(3):
        _warning(village, township, f"item:{n}")
    _warning(foreign_village, other_township, "item:9", kind=WarningKind.WEAK_LAX)
    now = timezone.now()
    assert warning_notices_send(now=now) == 3
    assert warning_notices_send(now=now + dt.timedelta(minutes=5)) == 0
    notices = {n.region_id: n.text for n in Notice.objects.all()}
    assert set(notices) == {township.pk, other_township.pk, county.pk}
    assert notices[township.pk].startswith(NOTICE_PREFIX) and "4条" in notices[county.pk]
    assert "任务逾期3条" in notices[township.pk]
    assert not EarlyWarning.objects.filter(notified_at__isnull=True).exists()


def test_a_new_warning_later_the_same_day_updates_that_days_notice(county, township, village):
    _warning(village, township, "item:1")
    now = timezone.now()
    warning_notices_send(now=now)
    Notice.objects.filter(region=township).update(read=True)
    _warning(village, township, "item:2")
    assert warning_notices_send(now=now + dt.timedelta(minutes=1)) == 0
    notice = Notice.objects.get(region=township)
    assert "新增预警2条" in notice.text and not notice.read
    assert Notice.objects.count() == 2


def test_the_next_day_gets_its_own_notice_and_acknowledged_or_cleared_warnings_are_not_told(county, township,
                                                                                              village):
    _warning(village, township, "item:1")
    yesterday = timezone.now() - dt.timedelta(days=1)
    warning_notices_send(now=yesterday)
    _warning(village, township, "item:2")
    EarlyWarning.objects.create(kind=WarningKind.VETO, region=village, township=township, key="x", year=2026,
                                month=6, text="否决", state=WarningState.CLEARED)
    assert warning_notices_send() == 2
    assert Notice.objects.filter(region=township).count() == 2
    assert "新增预警1条" in Notice.objects.filter(region=township).order_by("-created_at").first().text
