"""Recording problems (问题台账) and quarterly inspections (观摩) in the browser forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ratings.campaign.services import checklist as svc
from ratings.models import ChecklistItem, Inspection, InspectionScore, ItemOrigin, ItemStatus

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
QUARTER = (TODAY.month - 1) // 3 + 1


def test_township_records_a_problem_that_starts_collected(client_for, township_clerk, village):
    due = TODAY + dt.timedelta(days=20)
    response = client_for(township_clerk).post(reverse("campaign:problem_new"), {
        "village": village.code, "star": "ecology", "title": "村内垃圾清运不及时", "detail": "观摩发现",
        "due_date": due.isoformat()})
    item = ChecklistItem.objects.get()
    assert response.url == reverse("campaign:task_item", args=[item.pk])
    assert (item.origin, item.status, item.due_date, item.created_by) == (
        ItemOrigin.INSPECTION, ItemStatus.COLLECTED, due, township_clerk)


def test_problem_form_shows_chinese_errors_and_saves_nothing(client_for, township_clerk, village):
    response = client_for(township_clerk).post(reverse("campaign:problem_new"), {
        "village": village.code, "star": "ecology", "title": "", "due_date": "2000-01-01"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "请填写问题内容。" in body and "整改时限不能早于今天。" in body
    assert not ChecklistItem.objects.exists()


def test_problem_for_another_township_is_refused(client_for, township_clerk, foreign_village):
    response = client_for(township_clerk).post(reverse("campaign:problem_new"), {
        "village": foreign_village.code, "star": "ecology", "title": "x"})
    assert "请选择权限范围内的村（社区）。" in response.content.decode()
    assert not ChecklistItem.objects.exists()


def test_village_roles_and_lead_departments_cannot_record_problems(client_for, village_secretary, industry_reviewer,
                                                                    township_clerk):
    assert client_for(village_secretary).get(reverse("campaign:problem_new")).status_code == 403
    assert client_for(industry_reviewer).post(reverse("campaign:problem_new"), {}).status_code == 403
    assert client_for(township_clerk).put(reverse("campaign:problem_new")).status_code == 405


def test_assign_sets_the_owner_and_due_date(client_for, township_clerk, village):
    item = svc.problem_record(village=village, year=TODAY.year, star="branch", title="三会一课记录不全",
                              by=township_clerk)
    c = client_for(township_clerk)
    c.post(reverse("campaign:problem_action", args=[item.pk, "report"]))
    due = TODAY + dt.timedelta(days=10)
    c.post(reverse("campaign:problem_action", args=[item.pk, "assign"]),
           {"owner_text": "村支书", "due_date": due.isoformat()})
    item.refresh_from_db()
    assert (item.status, item.owner_text, item.due_date) == (ItemStatus.ASSIGNED, "村支书", due)


def _new(client, region, **extra):
    data = {"region": region.code, "year": TODAY.year, "quarter": QUARTER, "date": TODAY.isoformat(), **extra}
    return client.post(reverse("campaign:inspection_new"), data)


def test_township_creates_an_inspection_and_enters_scores(client_for, township_clerk, township, village,
                                                          other_village):
    c = client_for(township_clerk)
    inspection = Inspection.objects.get(pk=int(_new(c, township).url.split("/")[-3]))
    url = reverse("campaign:inspection_scores", args=[inspection.pk])
    page = c.get(url).content.decode()
    assert village.name in page and other_village.name in page
    response = c.post(url, {f"s-{village.pk}-branch": "88.5", f"s-{other_village.pk}-branch": "92",
                            f"n-{other_village.pk}": "亮点突出"})
    assert response.status_code == 302
    assert {(s.village_id, s.score) for s in InspectionScore.objects.all()} == {
        (village.pk, Decimal("88.5")), (other_village.pk, Decimal("92"))}
    table = c.get(reverse("campaign:inspection_table", args=[inspection.pk])).content.decode()
    assert table.index(other_village.name) < table.index(village.name)  # ranked by total


def test_a_bad_score_saves_nothing_and_names_the_cell(client_for, township_clerk, township, village, other_village):
    c = client_for(township_clerk)
    inspection = svc.inspection_record(region=township, year=TODAY.year, quarter=QUARTER, date=TODAY,
                                       by=township_clerk)
    url = reverse("campaign:inspection_scores", args=[inspection.pk])
    response = c.post(url, {f"s-{village.pk}-branch": "88", f"s-{other_village.pk}-safety": "120"})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{other_village.name} 平安法治星：得分应在 0 到 100 之间。" in body
    assert 'value="120"' in body  # what was typed is kept
    assert not InspectionScore.objects.exists()


def test_a_second_inspection_in_the_quarter_is_refused(client_for, township_clerk, township):
    c = client_for(township_clerk)
    _new(c, township)
    response = _new(c, township)
    assert "已有观摩记录" in response.content.decode()
    assert Inspection.objects.count() == 1


def test_inspection_scope_and_roles(client_for, township_clerk, other_township_clerk, village_secretary, township,
                                    other_township, county, county_admin):
    assert "请选择权限范围内的乡镇或县" in _new(client_for(township_clerk), other_township).content.decode()
    assert "请选择权限范围内的乡镇或县" in _new(client_for(township_clerk), county).content.decode()
    assert client_for(village_secretary).get(reverse("campaign:inspection_new")).status_code == 403
    inspection = svc.inspection_record(region=township, year=TODAY.year, quarter=QUARTER, date=TODAY,
                                       by=township_clerk)
    url = reverse("campaign:inspection_scores", args=[inspection.pk])
    assert client_for(other_township_clerk).get(url).status_code == 404
    assert client_for(village_secretary).get(url).status_code == 404  # the township's inspection is outside a village's scope
    assert client_for(township_clerk).delete(url).status_code == 405
    assert Inspection.objects.count() == 1


def test_county_inspection_is_scored_one_township_at_a_time(client_for, county_admin, county, township,
                                                            other_township, village, foreign_village):
    c = client_for(county_admin)
    _new(c, county)
    inspection = Inspection.objects.get(region=county)
    url = reverse("campaign:inspection_scores", args=[inspection.pk])
    page = c.get(url, {"township": other_township.code}).content.decode()
    assert foreign_village.name in page and village.name not in page
    c.post(url, {"township": other_township.code, f"s-{foreign_village.pk}-civility": "77"})
    assert InspectionScore.objects.get().village == foreign_village
