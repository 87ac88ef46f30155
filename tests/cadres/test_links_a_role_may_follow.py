"""A link is shown only to those who may follow it; where a role may read, it gets a read-only
page; the first secretary's own pages have a way back and their history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import ReportStatus
from tests.branches.factories import MeetingFactory
from tests.cadres.work_factories import MonthlyReportFactory
from tests.factories import FirstSecretaryFactory

pytestmark = pytest.mark.django_db

FOLLOW_UP_TABS = ["township_attendance", "leave_list", "spot_check_week", "monthly_report_list", "allowance"]


@pytest.fixture
def fs(village, first_secretary):
    return FirstSecretaryFactory(village=village, user=first_secretary)


def test_a_lead_department_sees_only_the_tabs_it_may_open(client_for, industry_reviewer, county_admin, fs):
    lead = client_for(industry_reviewer).get(reverse("cadres:first_secretary_list")).content.decode()
    for name in FOLLOW_UP_TABS:
        url = reverse(f"cadres:{name}")
        assert f'href="{url}"' not in lead
        assert client_for(industry_reviewer).get(url).status_code == 403
    org = client_for(county_admin).get(reverse("cadres:first_secretary_list")).content.decode()
    assert all(f'href="{reverse(f"cadres:{name}")}"' in org for name in FOLLOW_UP_TABS)


def test_a_lead_department_reads_the_report_titles_without_links(client_for, industry_reviewer, fs):
    report = MonthlyReportFactory(first_secretary=fs, year=2026, month=3, status=ReportStatus.SUBMITTED)
    body = client_for(industry_reviewer).get(reverse("cadres:first_secretary_detail", args=[fs.pk])).content.decode()
    assert "2026年3月工作报告" in body
    assert reverse("cadres:monthly_report_detail", args=[report.pk]) not in body


def test_the_county_reads_a_meeting_it_may_not_change(client_for, county_admin, industry_reviewer, village):
    meeting = MeetingFactory(village=village, date=timezone.localdate().replace(day=1))
    url = reverse("branches:meeting_edit", args=[meeting.pk])
    for user in (county_admin, industry_reviewer):
        response = client_for(user).get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "只读" in body and "查看组织生活记录" in body
        assert ">保存</button>" not in body and "删除</button>" not in body
        assert client_for(user).post(url, {"topic": "改"}).status_code == 403


def test_a_village_user_is_not_offered_the_township_grid(client_for, village_secretary, village, standard,
                                                         this_month):
    body = client_for(village_secretary).get(
        reverse("ratings:ledger_village", args=[village.code])).content.decode()
    assert reverse("ratings:ledger_grid") not in body
    assert client_for(village_secretary).get(reverse("ratings:ledger_grid")).status_code in (403, 404)


def test_a_lead_department_is_not_offered_the_excel_buttons(client_for, industry_reviewer, township, village,
                                                            standard):
    body = client_for(industry_reviewer).get(
        reverse("ratings:ledger_grid") + f"?township={township.code}").content.decode()
    assert reverse("ratings:ledger_template_download") not in body


def test_the_monthly_report_page_has_a_way_back_and_past_reports(client_for, first_secretary, fs):
    MonthlyReportFactory(first_secretary=fs, year=2025, month=11, status=ReportStatus.READ, work_done="修建村道")
    body = client_for(first_secretary).get(reverse("cadres:monthly_report")).content.decode()
    assert f'href="{reverse("home")}"' in body
    past = body.split('data-testid="past-reports"', 1)[1]
    assert "2025年11月工作报告" in past and "修建村道" in past


def test_today_is_not_absent_before_it_is_over(fs):
    from cadres.selectors import month_calendar

    today = timezone.localdate()
    days = month_calendar(first_secretary_id=fs.pk, year=today.year, month=today.month, today=today)
    assert next(d for d in days if d["date"] == today)["state"] == "future"
    if today.day > 1:
        assert next(d for d in days if d["date"] == today - dt.timedelta(days=1))["state"] == "absent"
