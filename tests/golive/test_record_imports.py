"""The imports of the records a county keeps on paper: organisational-life meetings of the year
so far, cooperatives with their bindings. All or nothing, every bad cell named with its value,
the same file twice a no-op, the engine's providers reading what was imported."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from branches import meeting_import
from branches.models_records import Meeting
from projects import cooperative_import
from projects.models import Binding, Cooperative
from ratings.providers.branch_life import organisational_life_meetings, themed_party_days
from ratings.providers.collective_economy import bindings, branch_led_cooperatives

from .sheets import xlsx


def _day(months_ago: int = 0) -> dt.date:
    today = timezone.localdate()
    month = today.month - months_ago
    return dt.date(today.year, month, 1) if month >= 1 else dt.date(today.year, 1, 1)


def test_meeting_import_creates_once_and_feeds_the_branch_star(county_admin, village, other_village):
    day = _day()
    rows = [[village.code, village.name, "支部委员会", day, "学习传达会议精神", 7, 6, None],
            [village.code, None, "主题党日", day, "主题党日活动", 30, 25, "清扫村道"],
            [other_village.code, None, "党课", day, "书记讲党课", 28, 28, None]]
    result = meeting_import.import_apply(file=xlsx(meeting_import.SHEET, rows), county=village.parent.parent,
                                         by=county_admin)
    assert result.ok and (result.created, result.unchanged) == (3, 0)
    again = meeting_import.import_apply(file=xlsx(meeting_import.SHEET, rows), county=village.parent.parent,
                                        by=county_admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3) and Meeting.objects.count() == 3
    life = organisational_life_meetings(village_ids=[village.pk, other_village.pk], year=day.year, month=day.month)
    assert dict(life[village.pk])[day.month] == 1 and dict(life[other_village.pk])[day.month] == 1
    assert dict(themed_party_days(village_ids=[village.pk], year=day.year, month=day.month)[village.pk])[day.month] == 1


def test_meeting_import_names_every_bad_cell_with_its_value_and_writes_nothing(county_admin, village, foreign_village):
    today = timezone.localdate()
    rows = [[village.code, village.name, "支部委员会", today, "会议", 7, 6, None],
            [village.code, "红旗村", "例会", today + dt.timedelta(days=3), "会议二", 5, 9, None],
            ["419901009009", None, "党课", "2026-02-30", None, "十", 1, None]]
    result = meeting_import.import_apply(file=xlsx(meeting_import.SHEET, rows), county=village.parent.parent,
                                         by=county_admin)
    text = "\n".join(result.messages())
    assert {(e["row"], e["column"]) for e in result.errors} >= {(3, "C"), (4, "A"), (4, "D"), (4, "E"), (4, "F")}
    assert "“例会”不是可选值" in text and "“2026-02-30”不是有效的日期" in text and "“十”不是有效的整数" in text
    assert not Meeting.objects.exists()
    rows = [[village.code, "红旗村", "党课", today + dt.timedelta(days=3), "会议二", 5, 9, None]]
    result = meeting_import.import_apply(file=xlsx(meeting_import.SHEET, rows), county=village.parent.parent,
                                         by=county_admin)
    assert {(e["row"], e["column"]) for e in result.errors} == {(2, "B"), (2, "D"), (2, "G")}
    assert "实到人数 9 超过应到人数 5" in "\n".join(result.messages()) and not Meeting.objects.exists()


def test_cooperative_import_with_two_bindings_counts_for_the_industry_star(village):
    day = _day(1)
    rows = [[village.code, "东风村种植合作社", "是", day, None, 40, "小麦", "某面业公司", 120, day, None, "保底收购"],
            [village.code, "东风村种植合作社", "是", day, None, 40, "小麦", "某食品公司", 60, day, None, "订单"],
            [village.code, "东风村养殖合作社", "否", None, None, 12, "肉牛", None, None, None, None, None]]
    county = village.parent.parent
    result = cooperative_import.import_apply(file=xlsx(cooperative_import.SHEET, rows), county=county)
    assert result.ok and result.created == 4
    again = cooperative_import.import_apply(file=xlsx(cooperative_import.SHEET, rows), county=county)
    assert (again.created, again.updated) == (0, 0) and Cooperative.objects.count() == 2 and Binding.objects.count() == 2
    today = timezone.localdate()
    led = branch_led_cooperatives(village_ids=[village.pk], year=today.year, month=today.month)
    bound = bindings(village_ids=[village.pk], year=today.year, month=today.month)
    assert dict(led[village.pk])[today.month] == 1 and dict(bound[village.pk])[today.month] == 2


def test_cooperative_import_refuses_rows_that_disagree_and_writes_nothing(village):
    rows = [[village.code, "合作社甲", "是", "2025-03-01", "2025-01-01", 40, None, None, None, None, None, None],
            [village.code, "合作社乙", "是", None, None, 10, None, "公司甲", 5, None, None, None],
            [village.code, "合作社乙", "否", None, None, 10, None, "公司乙", 5, None, None, None],
            [village.code, "合作社丙", "是", None, None, 10, None, None, 30, None, None, None]]
    result = cooperative_import.import_apply(file=xlsx(cooperative_import.SHEET, rows), county=village.parent.parent)
    assert {(e["row"], e["column"]) for e in result.errors} == {(2, "E"), (4, "C"), (5, "H")}
    assert "注销日期“2025-01-01”早于成立日期" in "\n".join(result.messages())
    assert not Cooperative.objects.exists() and not Binding.objects.exists()
