"""The township's list of this month's reports, the report page and marking it read."""

import pytest
from django.urls import reverse

from cadres.models import MonthlyReport, ReportStatus
from cadres.services_work import MSG_REPORT_NOT_SUBMITTED
from tests.cadres.work_factories import MonthlyReportFactory
from tests.factories import FirstSecretaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(village, other_village, foreign_village):
    reading = FirstSecretaryFactory(village=village, name="已交书记")
    drafting = FirstSecretaryFactory(village=other_village, name="草稿书记")
    foreign = FirstSecretaryFactory(village=foreign_village, name="外乡书记")
    return {
        "submitted": MonthlyReportFactory(first_secretary=reading),
        "draft": MonthlyReportFactory(first_secretary=drafting, status=ReportStatus.DRAFT),
        "foreign": MonthlyReportFactory(first_secretary=foreign, status=ReportStatus.READ),
    }


def test_township_sees_each_first_secretarys_state_for_the_month(world, client_for, township_clerk):
    response = client_for(township_clerk).get(reverse("cadres:monthly_report_list"), {"month": "2026-03"})
    assert response.status_code == 200
    states = {row["fs"].name: row["state"] for _, rows in response.context["groups"] for row in rows}
    assert states == {"已交书记": "submitted", "草稿书记": "draft"}
    assert response.context["counts"] == {"missing": 0, "draft": 1, "submitted": 1, "read": 0}
    other_month = client_for(township_clerk).get(reverse("cadres:monthly_report_list"), {"month": "2026-04"})
    assert other_month.context["counts"]["missing"] == 2


def test_county_sees_every_township_and_filters_one(world, client_for, county_admin, other_township):
    client = client_for(county_admin)
    all_rows = client.get(reverse("cadres:monthly_report_list"), {"month": "2026-03"})
    assert len(all_rows.context["groups"]) == 2
    one = client.get(reverse("cadres:monthly_report_list"), {"month": "2026-03", "township": other_township.code})
    assert [t.code for t, _ in one.context["groups"]] == [other_township.code]
    assert client.get(reverse("cadres:monthly_report_list"), {"month": "bad"}).status_code == 200


def test_township_marks_a_submitted_report_read_once(world, client_for, township_clerk):
    report = world["submitted"]
    client = client_for(township_clerk)
    page = client.get(reverse("cadres:monthly_report_detail", args=[report.pk]))
    assert page.status_code == 200 and "标记已阅" in page.content.decode()
    assert client.post(reverse("cadres:monthly_report_read", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.read_by) == (ReportStatus.READ, township_clerk)
    again = client.post(reverse("cadres:monthly_report_read", args=[report.pk]), follow=True)
    assert MSG_REPORT_NOT_SUBMITTED in again.content.decode()


def test_report_refusals(world, client_for, township_clerk, other_township_clerk, county_admin, village_secretary):
    report, draft, foreign = world["submitted"], world["draft"], world["foreign"]
    clerk = client_for(township_clerk)
    assert clerk.get(reverse("cadres:monthly_report_detail", args=[draft.pk])).status_code == 404
    assert clerk.get(reverse("cadres:monthly_report_detail", args=[foreign.pk])).status_code == 404
    assert clerk.post(reverse("cadres:monthly_report_read", args=[foreign.pk])).status_code == 404
    assert clerk.get(reverse("cadres:monthly_report_read", args=[report.pk])).status_code == 405
    assert clerk.post(reverse("cadres:monthly_report_list")).status_code == 405
    assert client_for(other_township_clerk).post(reverse("cadres:monthly_report_read", args=[report.pk])).status_code == 404
    county = client_for(county_admin)
    assert county.get(reverse("cadres:monthly_report_detail", args=[report.pk])).status_code == 200
    assert county.post(reverse("cadres:monthly_report_read", args=[report.pk])).status_code == 403
    assert client_for(village_secretary).get(reverse("cadres:monthly_report_list")).status_code == 403
    assert MonthlyReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
