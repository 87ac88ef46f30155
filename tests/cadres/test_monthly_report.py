"""The monthly work report: draft, submit, locked once submitted, read by the township."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cadres.models import MonthlyReport, ReportStatus
from cadres.services_work import (
    MSG_REPORT_LOCKED,
    MSG_TOWNSHIP_ONLY,
    monthly_report_mark_read,
    monthly_report_save,
)
from tests.factories import FirstSecretaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fs(village, first_secretary):
    return FirstSecretaryFactory(village=village, user=first_secretary)


def test_save_then_submit_locks_the_report_and_the_township_marks_it_read(fs, township_clerk, other_township_clerk):
    monthly_report_save(first_secretary=fs, year=2026, month=3, work_done="走访", problems="", next_steps="", by=fs.user)
    report = monthly_report_save(first_secretary=fs, year=2026, month=3, work_done="走访12户", problems="路灯",
                                 next_steps="修路灯", by=fs.user, submit=True)
    assert (report.status, MonthlyReport.objects.count()) == (ReportStatus.SUBMITTED, 1)
    with pytest.raises(ValidationError) as exc:
        monthly_report_save(first_secretary=fs, year=2026, month=3, work_done="改", problems="", next_steps="", by=fs.user)
    assert MSG_REPORT_LOCKED in exc.value.messages
    with pytest.raises(PermissionDenied) as denied:
        monthly_report_mark_read(report=report, by=other_township_clerk)
    assert str(denied.value) == MSG_TOWNSHIP_ONLY
    read = monthly_report_mark_read(report=report, by=township_clerk)
    assert (read.status, read.read_by) == (ReportStatus.READ, township_clerk)


def test_first_secretary_files_the_report_on_the_page(fs, client_for):
    client = client_for(fs.user)
    data = {"work_done": "组织主题党日", "problems": "无", "next_steps": "发展合作社", "submit": "1"}
    assert client.post(reverse("cadres:monthly_report"), data).status_code == 302
    today = timezone.localdate()
    report = MonthlyReport.objects.get(first_secretary=fs, year=today.year, month=today.month)
    assert report.status == ReportStatus.SUBMITTED
    assert "已提交" in client.get(reverse("cadres:monthly_report")).content.decode()


def test_empty_report_shows_a_field_error_and_saves_nothing(fs, client_for):
    response = client_for(fs.user).post(reverse("cadres:monthly_report"), {"work_done": ""})
    assert response.status_code == 200 and not MonthlyReport.objects.exists()


def test_report_page_forbidden_to_others_and_405_on_put(fs, client_for, township_clerk):
    assert client_for(township_clerk).get(reverse("cadres:monthly_report")).status_code == 403
    assert client_for(fs.user).put(reverse("cadres:monthly_report")).status_code == 405
