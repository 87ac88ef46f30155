"""The township plan as of a past day reads what was true that day: the target in force then
(from the targets' change history), the tasks and problems open then (created/closed dates),
the assignments active then; a version saved later for a past day freezes that; the query
count does not grow with the township; the PDF of a past day renders."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Duty, DutyTier
from cadres.services_duty import assignment_create
from ratings.campaign.selectors import township_plan_data
from ratings.campaign.services.awards import target_set
from ratings.campaign.services.plan import township_plan_save
from ratings.models import ChecklistItem, ItemOrigin, ItemStatus, TargetLevel, TargetLevelChange
from tests.factories import VillageFactory

from .test_plans import _pdf_text_and_page1

TODAY = timezone.localdate()
LAST = TODAY.year - 1  # a whole past year: March, April, May, June and October all lie behind us


def moment(month: int, day: int, year: int = LAST) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10))


@contextlib.contextmanager
def on_day(monkeypatch, month: int, day: int):
    """Run the services as if it were that day (their timestamps are timezone.now())."""
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment(month, day))
        yield


def candidates(plan: dict) -> dict[str, str]:
    return {c["village"]: c["label"] for c in plan["candidates"]}


def open_tasks(plan: dict, star: str) -> dict[str, int]:
    return {v["village"]: v["open_tasks"] for s in plan["stars"] if s["code"] == star for v in s["villages"]}


@pytest.fixture
def year_of_targets(monkeypatch, village, other_village, township_clerk):
    """东风村 aims at four stars from March and at five from October; 红旗村 aims at three from
    March and is raised to a four-star candidate in October."""
    with on_day(monkeypatch, 3, 10):
        target_set(village=village, year=LAST, level=4, target_stars=["branch", "industry", "ecology", "safety"],
                   by=township_clerk)
        target_set(village=other_village, year=LAST, level=3, by=township_clerk)
    with on_day(monkeypatch, 10, 8):
        target_set(village=village, year=LAST, level=5, by=township_clerk)
        target_set(village=other_village, year=LAST, level=4, by=township_clerk)


def test_plan_as_of_april_shows_marchs_target_and_today_octobers(year_of_targets, township, township_clerk):
    april = township_plan_data(township=township, year=LAST, on=dt.date(LAST, 4, 15))
    assert candidates(april) == {"东风村": "四星"}
    assert {lv["label"]: lv["count"] for lv in april["levels"]}["三星"] == 1
    now = township_plan_data(township=township, year=LAST, on=TODAY)
    assert candidates(now) == {"东风村": "五星", "红旗村": "四星"}
    # Before any target was set, the plan has none.
    february = township_plan_data(township=township, year=LAST, on=dt.date(LAST, 2, 28))
    assert february["targeted"] == 0 and february["candidates"] == []
    # The day of the change counts as changed (the whole day is read).
    assert candidates(township_plan_data(township=township, year=LAST, on=dt.date(LAST, 10, 8))) == {
        "东风村": "五星", "红旗村": "四星"}


def test_a_version_saved_later_for_april_freezes_aprils_plan(year_of_targets, township, township_clerk, client_for):
    version = township_plan_save(by=township_clerk, township=township, year=LAST, as_of=dt.date(LAST, 4, 30),
                                 note="补存四月方案")
    assert candidates(version.content) == {"东风村": "四星"}
    url = reverse("campaign:township_plan", args=[township.code])
    body = client_for(township_clerk).get(url, {"year": LAST, "as_of": f"{LAST}-05-15"}).content.decode()
    table = body.split('id="plan-candidates"')[1].split("</table>")[0]
    assert "补存四月方案" in body and "四星" in table and "五星" not in table


def test_the_page_as_of_a_day_without_version_is_rebuilt_from_that_days_records(year_of_targets, township,
                                                                                  township_clerk, client_for):
    url = reverse("campaign:township_plan", args=[township.code])
    body = client_for(township_clerk).get(url, {"year": LAST, "as_of": f"{LAST}-04-15"}).content.decode()
    table = body.split('id="plan-candidates"')[1].split("</table>")[0]
    assert "东风村" in table and "四星" in table and "红旗村" not in table
    assert "按当日有效的目标" in body
    table = client_for(township_clerk).get(url, {"year": LAST}).content.decode().split('id="plan-candidates"')[1]
    assert "五星" in table.split("</table>")[0]


def test_each_target_setting_is_kept_with_who_when_before_and_after(year_of_targets, monkeypatch, village,
                                                                    township_clerk):
    changes = list(TargetLevelChange.objects.filter(village=village, year=LAST).order_by("at"))
    assert [(c.level_before, c.level, c.at.month, c.by) for c in changes] == [
        (None, 4, 3, township_clerk), (4, 5, 10, township_clerk)]
    assert changes[1].stars_before == ["branch", "ecology", "industry", "safety"] and changes[1].target_stars == []
    # Setting the same target again is no change and adds no row.
    with on_day(monkeypatch, 11, 2):
        target_set(village=village, year=LAST, level=5, by=township_clerk)
    assert TargetLevelChange.objects.filter(village=village, year=LAST).count() == 2
    assert TargetLevel.objects.get(village=village, year=LAST).level == 5


def test_a_task_closed_in_may_is_open_in_april_and_not_in_june(year_of_targets, township, village):
    ChecklistItem.objects.create(village=village, year=LAST, star="industry", origin=ItemOrigin.GAP,
                                 title="补齐指标 村集体经营性收入", status=ItemStatus.CLOSED,
                                 created_at=moment(2, 1), closed_at=moment(5, 20))
    ChecklistItem.objects.create(village=village, year=LAST, star="industry", origin=ItemOrigin.INSPECTION,
                                 title="账目公开不及时", status=ItemStatus.ASSIGNED, created_at=moment(7, 3))
    # Closed with no date recorded: not counted open on any past day.
    ChecklistItem.objects.create(village=village, year=LAST, star="industry", origin=ItemOrigin.GAP,
                                 title="旧数据", status=ItemStatus.CLOSED, created_at=moment(1, 5))
    assert open_tasks(township_plan_data(township=township, year=LAST, on=dt.date(LAST, 4, 15)),
                      "industry") == {"东风村": 1}
    assert open_tasks(township_plan_data(township=township, year=LAST, on=dt.date(LAST, 6, 15)),
                      "industry") == {"东风村": 0}
    # October: the July problem is open; 东风村 aims at five stars by score order, industry among them.
    assert open_tasks(township_plan_data(township=township, year=LAST, on=dt.date(LAST, 10, 15)),
                      "industry").get("东风村") == 1


def test_assignments_are_read_as_of_the_day(year_of_targets, township, village, township_clerk):
    assignment_create(by=township_clerk, year=LAST, duty=Duty.GROUP_LEADER, tier=DutyTier.TOWNSHIP_LEADER,
                      region=village, start_date=dt.date(LAST, 1, 1), end_date=dt.date(LAST, 5, 31),
                      person_name="赵委员", person_title="组织委员")
    assignment_create(by=township_clerk, year=LAST, duty=Duty.GROUP_LEADER, tier=DutyTier.TOWNSHIP_LEADER,
                      region=village, start_date=dt.date(LAST, 6, 1), person_name="钱委员", person_title="宣传委员")
    people = lambda on: [a["person"] for a in township_plan_data(township=township, year=LAST, on=on)["leaders"]]  # noqa: E731
    assert people(dt.date(LAST, 4, 15)) == ["赵委员"] and people(dt.date(LAST, 7, 1)) == ["钱委员"]


def _township_of(size: int, township, township_clerk) -> list:
    villages = [VillageFactory(parent=township, code=f"{township.code[:9]}{100 + i:03d}", name=f"第{i + 1}村")
                for i in range(size)]
    for i, v in enumerate(villages):
        TargetLevel.objects.create(village=v, year=LAST, level=3 + i % 3)
        TargetLevelChange.objects.bulk_create([
            TargetLevelChange(village=v, year=LAST, level=3, at=moment(3, 1)),
            TargetLevelChange(village=v, year=LAST, level_before=3, level=3 + i % 3, at=moment(9, 1))])
        ChecklistItem.objects.create(village=v, year=LAST, star="branch", origin=ItemOrigin.GAP, title="任务",
                                     status=ItemStatus.CLOSED, created_at=moment(2, 1), closed_at=moment(6, 1))
        ChecklistItem.objects.create(village=v, year=LAST, star="branch", origin=ItemOrigin.INSPECTION, title="问题",
                                     status=ItemStatus.REPORTED, created_at=moment(4, 1))
        assignment_create(by=township_clerk, year=LAST, duty=Duty.CONTACT, tier=DutyTier.TOWNSHIP_LEADER, region=v,
                          start_date=dt.date(LAST, 1, 1), person_name=f"联系人{i}")
    return villages


@pytest.mark.parametrize("size", [2, 30])
def test_the_plan_as_of_a_day_takes_the_same_queries_for_a_small_and_a_larger_township(
        size, township, township_clerk, client_for, django_assert_max_num_queries):
    _township_of(size, township, township_clerk)
    for on in (dt.date(LAST, 4, 15), TODAY):
        with django_assert_max_num_queries(7):
            plan = township_plan_data(township=township, year=LAST, on=on)
    assert plan["villages"] == size
    assert township_plan_data(township=township, year=LAST, on=dt.date(LAST, 4, 15))["targeted"] == size
    client = client_for(township_clerk)
    url = reverse("campaign:township_plan", args=[township.code])
    with django_assert_max_num_queries(20):
        assert client.get(url, {"year": LAST, "as_of": f"{LAST}-04-15"}).status_code == 200


def test_the_pdf_of_a_past_day_and_of_a_past_version_render(year_of_targets, township, township_clerk, client_for,
                                                            other_township_clerk):
    client = client_for(township_clerk)
    url = reverse("campaign:township_plan_pdf", args=[township.code])
    response = client.get(url, {"year": LAST, "as_of": f"{LAST}-04-15"})
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text_and_page1(response.content, "township_plan_past_day")
    assert "东风村" in text and "四星" in text and "五星备选村" in text and "时的情况" in text
    township_plan_save(by=township_clerk, township=township, year=LAST, as_of=dt.date(LAST, 4, 30), note="四月版")
    text = _pdf_text_and_page1(client.get(url, {"year": LAST, "as_of": f"{LAST}-05-01"}).content,
                               "township_plan_past_version")
    assert "四月版" in text and "四星" in text
    assert client_for(other_township_clerk).get(url, {"year": LAST, "as_of": f"{LAST}-04-15"}).status_code == 404
