"""The data readiness page (数据就绪): which villages lack the records an indicator is computed
from, and where they are fed; the same as a check on the month-close page; the start month."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from branches import meeting_import
from ratings.readiness import readiness_gaps

from .sheets import xlsx


def _meeting(village, kind="支部委员会"):
    return [village.code, None, kind, timezone.localdate(), f"{village.name}{kind}", 7, 7, None]


def _import(rows, county, by):
    result = meeting_import.import_apply(file=xlsx(meeting_import.SHEET, rows), county=county, by=by)
    assert result.ok


def test_county_page_lists_missing_villages_then_nothing(client_for, standard, county, village, other_village,
                                                         county_admin):
    client = client_for(county_admin)
    page = client.get(reverse("ratings:readiness")).content.decode()
    row = page.split('data-testid="source-life_meetings"')[1].split("</tr>")[0]
    assert "0 / 2" in row and "缺 2 个" in row and "东风村" in row and "红旗村" in row
    assert reverse("cadres:import_page", args=["meetings"]) in row and "当月三会一课开展次数" in row
    _import([_meeting(village)], county, county_admin)
    row = client.get(reverse("ratings:readiness")).content.decode().split(
        'data-testid="source-life_meetings"')[1].split("</tr>")[0]
    assert "1 / 2" in row and "红旗村" in row and "东风村" not in row
    _import([_meeting(other_village)], county, county_admin)
    row = client.get(reverse("ratings:readiness")).content.decode().split(
        'data-testid="source-life_meetings"')[1].split("</tr>")[0]
    assert "2 / 2" in row and "齐全" in row


def test_month_close_page_lists_the_gaps_first(client_for, standard, county, village, county_admin):
    today = timezone.localdate()
    last = (today.replace(day=1) - dt.timedelta(days=1))
    gaps = readiness_gaps(region=county, year=last.year, month=last.month)
    assert "三会一课记录：1 个村（社区）没有数据（共 1 个）" in gaps
    page = client_for(county_admin).get(reverse("ratings:month_close")).content.decode()
    assert "关账前请核对" in page and "三会一课记录：1 个村（社区）没有数据" in page


def test_township_staff_see_their_township_other_township_404_village_403_put_405(
        client_for, standard, county, village, foreign_village, township, other_township, township_clerk,
        village_secretary):
    client = client_for(township_clerk)
    page = client.get(reverse("ratings:readiness")).content.decode()
    assert "城关镇 · 数据就绪" in page and "东风村" in page and "柳林村" not in page and "起始月份" not in page
    assert client.get(reverse("ratings:readiness"), {"township": other_township.code}).status_code == 404
    assert client.post(reverse("ratings:readiness"), {"start": "2026-10"}).status_code == 403
    assert client_for(village_secretary).get(reverse("ratings:readiness")).status_code == 403
    assert client_for(village_secretary).put(reverse("ratings:readiness")).status_code == 405


def test_organisation_department_sets_the_start_month(client_for, standard, county, county_admin):
    client = client_for(county_admin)
    client.post(reverse("ratings:readiness"), {"start": "2026-12"})
    county.refresh_from_db()
    assert county.start_month == dt.date(2026, 12, 1)
    assert "自2026年12月起" in client.get(reverse("ratings:readiness")).content.decode()
