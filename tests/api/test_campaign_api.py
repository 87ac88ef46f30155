"""The campaign API: scoped reads, and writes through the same services as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ratings.campaign.services import awards as award_services
from ratings.campaign.services import checklist as checklist_services
from ratings.models import Application, ApplicationStatus, ChecklistItem, Inspection, InspectionScore, Notice

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year
QUARTER = (TODAY.month - 1) // 3 + 1


@pytest.fixture
def problems(village, foreign_village, township_clerk, other_township_clerk):
    mine = checklist_services.problem_record(village=village, year=YEAR, star="branch", title="本乡问题",
                                             by=township_clerk)
    theirs = checklist_services.problem_record(village=foreign_village, year=YEAR, star="branch", title="别乡问题",
                                               by=other_township_clerk)
    return mine, theirs


def test_checklist_items_are_scoped(api_for, township_clerk, problems):
    mine, theirs = problems
    api = api_for(township_clerk)
    titles = [r["title"] for r in api.get(reverse("checklist-item-list")).json()["results"]]
    assert titles == ["本乡问题"]
    assert api.get(reverse("checklist-item-detail", args=[theirs.pk])).status_code == 404
    assert api.post(reverse("checklist-item-report", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "collected"


def test_problem_is_recorded_and_moved_through_its_steps(api_for, township_clerk, village_secretary, village):
    clerk, secretary = api_for(township_clerk), api_for(village_secretary)
    response = clerk.post(reverse("checklist-item-list"), {
        "village": village.code, "year": YEAR, "star": "safety", "title": "消防通道堵塞"}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert clerk.post(reverse("checklist-item-report", args=[pk])).json()["status"] == "reported"
    due = (TODAY + dt.timedelta(days=7)).isoformat()
    assigned = clerk.post(reverse("checklist-item-assign", args=[pk]), {"owner_text": "村支书", "due_date": due},
                          format="json").json()
    assert (assigned["status"], assigned["owner_text"], assigned["due_date"]) == ("assigned", "村支书", due)
    # Progress notes keep the state; feedback needs a note: the service's message comes back as a 400.
    assert secretary.post(reverse("checklist-item-progress", args=[pk]), {"note": "正在清理"},
                          format="json").json()["status"] == "assigned"
    refused = secretary.post(reverse("checklist-item-feedback", args=[pk]), {}, format="json")
    assert refused.status_code == 400 and "请填写反馈说明" in refused.content.decode()
    assert secretary.post(reverse("checklist-item-feedback", args=[pk]), {"note": "已清理"},
                          format="json").json()["status"] == "feedback"
    # Only the township closes it.
    assert secretary.post(reverse("checklist-item-close", args=[pk])).status_code == 403
    assert clerk.post(reverse("checklist-item-close", args=[pk])).json()["status"] == "closed"


def test_problem_for_a_village_out_of_scope_is_refused(api_for, township_clerk, foreign_village, village_secretary,
                                                       village):
    response = api_for(township_clerk).post(reverse("checklist-item-list"), {
        "village": foreign_village.code, "year": YEAR, "star": "safety", "title": "x"}, format="json")
    assert response.status_code == 400 and "权限范围内没有该村" in response.content.decode()
    response = api_for(village_secretary).post(reverse("checklist-item-list"), {
        "village": village.code, "year": YEAR, "star": "safety", "title": "x"}, format="json")
    assert response.status_code == 403
    assert not ChecklistItem.objects.exists()


def test_inspection_is_recorded_with_scores_and_a_bad_row_saves_nothing(api_for, township_clerk, township, village,
                                                                         other_village):
    api = api_for(township_clerk)
    body = {"region": township.code, "year": YEAR, "quarter": QUARTER, "date": TODAY.isoformat(),
            "scores": [{"village": village.code, "star": "branch", "score": "88"},
                       {"village": other_village.code, "star": "branch", "score": "abc"}]}
    response = api.post(reverse("inspection-list"), body, format="json")
    assert response.status_code == 400 and "得分必须是数字" in response.content.decode()
    assert not Inspection.objects.exists()
    body["scores"][1]["score"] = "91"
    created = api.post(reverse("inspection-list"), body, format="json").json()
    assert sorted(s["score"] for s in created["scores"]) == ["88.00", "91.00"]
    again = api.post(reverse("inspection-scores", args=[created["id"]]),
                     [{"village": village.code, "star": "branch", "score": ""}], format="json")
    assert [s["village_code"] for s in again.json()["scores"]] == [other_village.code]


def test_county_inspection_shows_a_township_only_its_villages(api_for, county_admin, county, township_clerk, village,
                                                              foreign_village):
    inspection = checklist_services.inspection_record(
        region=county, year=YEAR, quarter=QUARTER, date=TODAY, by=county_admin,
        scores=[(village, "branch", "80", ""), (foreign_village, "branch", "90", "")])
    rows = api_for(township_clerk).get(reverse("inspection-detail", args=[inspection.pk])).json()["scores"]
    assert [r["village_code"] for r in rows] == [village.code]
    refused = api_for(township_clerk).post(reverse("inspection-scores", args=[inspection.pk]),
                                           [{"village": village.code, "star": "branch", "score": "10"}], format="json")
    assert refused.status_code == 403
    assert InspectionScore.objects.get(village=village).score == 80


def test_award_workflow_through_the_api(api_for, village, township_clerk, village_secretary, branch_reviewer,
                                        county_admin):
    assert api_for(township_clerk).post(reverse("target-level-list"), {
        "village": village.code, "year": YEAR, "level": 1, "target_stars": ["branch"]}, format="json").status_code == 201
    created = api_for(village_secretary).post(reverse("application-list"), {
        "village": village.code, "year": YEAR, "stars": ["branch"]}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    # Out of order: the star review before the township check.
    out_of_order = api_for(branch_reviewer).post(reverse("application-review", args=[pk]),
                                                 {"star": "branch", "approved": True}, format="json")
    assert out_of_order.status_code == 400 and "不能执行此操作" in out_of_order.content.decode()
    # Wrong role: the village secretary checking its own application.
    assert api_for(village_secretary).post(reverse("application-check", args=[pk])).status_code == 403
    assert api_for(township_clerk).post(reverse("application-check", args=[pk])).json()["status"] == "township_checked"
    api_for(branch_reviewer).post(reverse("application-review", args=[pk]), {"star": "branch", "approved": True},
                                  format="json")
    noticed = api_for(county_admin).post(reverse("application-notice", args=[pk]), {"days": 7}, format="json").json()
    assert noticed["status"] == "public_notice"
    Application.objects.filter(pk=pk).update(notice_end=TODAY - dt.timedelta(days=1))
    named = api_for(county_admin).post(reverse("application-name", args=[pk])).json()
    assert (named["status"], named["named_stars"]) == (ApplicationStatus.NAMED, ["branch"])
    api_for(county_admin).post(reverse("application-withdraw", args=[pk]), {"star": "branch", "reason": "违纪"},
                               format="json")
    notices = api_for(township_clerk).get(reverse("notice-list")).json()["results"]
    assert any("违纪" in n["text"] for n in notices)
    assert api_for(township_clerk).get(reverse("star-withdrawal-list")).json()["count"] == 1


def test_applications_of_another_township_are_invisible(api_for, village, township_clerk, village_secretary,
                                                        other_township_clerk):
    award_services.target_set(village=village, year=YEAR, level=1, by=township_clerk)
    app = award_services.application_submit(village=village, year=YEAR, stars=["branch"], by=village_secretary)
    api = api_for(other_township_clerk)
    assert api.get(reverse("application-list")).json()["count"] == 0
    assert api.post(reverse("application-check", args=[app.pk])).status_code == 404
    assert api.get(reverse("target-level-list")).json()["count"] == 0
    Notice.objects.create(region=village.parent, text="x")
    assert api.get(reverse("notice-list")).json()["count"] == 0


def test_the_api_schema_has_no_warnings(capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
