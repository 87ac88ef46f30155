import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ratings.campaign.services import awards as award_services
from ratings.campaign.services import checklist as svc
from ratings.models import ChecklistItem, ItemStatus
from tests.uploads import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def problem(village, township_clerk):
    return svc.problem_record(village=village, year=dt.date.today().year, star="ecology", title="垃圾堆放",
                              by=township_clerk)


def test_task_list_shows_the_village_its_own_items(client_for, village_secretary, problem, foreign_village):
    ChecklistItem.objects.create(village=foreign_village, year=problem.year, star="branch", origin="inspection",
                                 title="别村问题", status="collected")
    body = client_for(village_secretary).get(reverse("campaign:task_list")).content.decode()
    assert "垃圾堆放" in body and "别村问题" not in body


def test_task_list_filters_for_the_county(client_for, county_admin, problem, other_village):
    ChecklistItem.objects.create(village=other_village, year=problem.year, star="branch", origin="gap",
                                 indicator_code="x", title="差距事项", status="open")
    response = client_for(county_admin).get(reverse("campaign:task_list"), {"origin": "inspection"})
    body = response.content.decode()
    assert "垃圾堆放" in body and "差距事项" not in body


def test_task_list_queries_do_not_grow_with_rows(client_for, township_clerk, village, django_assert_max_num_queries):
    ChecklistItem.objects.bulk_create([ChecklistItem(village=village, year=dt.date.today().year, star="branch",
                                                     origin="inspection", title=f"问题{n}", status="collected")
                                       for n in range(60)])
    client = client_for(township_clerk)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("campaign:task_list")).status_code == 200


def test_task_list_rejects_post(client_for, township_clerk):
    assert client_for(township_clerk).post(reverse("campaign:task_list")).status_code == 405


def test_item_detail_of_another_township_is_404(client_for, other_township_clerk, problem):
    assert client_for(other_township_clerk).get(reverse("campaign:task_item", args=[problem.pk])).status_code == 404


def test_item_detail_shows_actions_for_the_role(client_for, township_clerk, village_secretary, problem):
    assert "上报" in client_for(township_clerk).get(reverse("campaign:task_item", args=[problem.pk])).content.decode()
    body = client_for(village_secretary).get(reverse("campaign:task_item", args=[problem.pk])).content.decode()
    # A collected problem waits for the township: the village may only note progress.
    assert reverse("campaign:problem_action", args=[problem.pk, "progress"]) in body
    assert reverse("campaign:problem_action", args=[problem.pk, "report"]) not in body
    assert reverse("campaign:problem_action", args=[problem.pk, "feedback"]) not in body


def test_problem_action_walks_the_ledger(client_for, township_clerk, problem):
    client = client_for(township_clerk)
    assert client.post(reverse("campaign:problem_action", args=[problem.pk, "report"])).status_code == 302
    problem.refresh_from_db()
    assert problem.status == ItemStatus.REPORTED


def test_problem_action_by_the_village_is_403(client_for, village_secretary, problem):
    response = client_for(village_secretary).post(reverse("campaign:problem_action", args=[problem.pk, "report"]))
    assert response.status_code == 403


def test_problem_action_out_of_order_shows_a_message_and_changes_nothing(client_for, township_clerk, problem):
    response = client_for(township_clerk).post(reverse("campaign:problem_action", args=[problem.pk, "close"]),
                                               follow=True)
    assert "不能执行“销号”" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == ItemStatus.COLLECTED


def test_problem_action_other_township_404_and_get_405(client_for, other_township_clerk, township_clerk, problem):
    url = reverse("campaign:problem_action", args=[problem.pk, "report"])
    assert client_for(other_township_clerk).post(url).status_code == 404
    assert client_for(township_clerk).get(url).status_code == 405


def test_award_list_shows_candidates_in_scope(client_for, county_admin, township_clerk, other_township_clerk,
                                              village):
    award_services.target_set(village=village, year=dt.date.today().year, level=4, by=township_clerk)
    assert village.name in client_for(county_admin).get(reverse("campaign:award_list")).content.decode()
    assert village.name in client_for(township_clerk).get(reverse("campaign:award_list")).content.decode()
    assert village.name not in client_for(other_township_clerk).get(reverse("campaign:award_list")).content.decode()
    assert client_for(county_admin).post(reverse("campaign:award_list")).status_code == 405


def test_named_export_is_excel_and_refused_to_the_village(client_for, county_admin, village_secretary):
    response = client_for(county_admin).get(reverse("campaign:award_named_export"))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value == "村（社区）代码"
    assert client_for(village_secretary).get(reverse("campaign:award_named_export")).status_code == 403
    assert client_for(county_admin).post(reverse("campaign:award_named_export")).status_code == 405


def test_inspection_table_ranks_villages_and_hides_other_townships(client_for, township, village, other_village,
                                                                    township_clerk, other_township_clerk):
    inspection = svc.inspection_record(region=township, year=2026, quarter=2, date=dt.date(2026, 6, 1),
                                       scores=[(village, "branch", "70", ""), (other_village, "branch", "90", "")],
                                       by=township_clerk)
    body = client_for(township_clerk).get(reverse("campaign:inspection_table", args=[inspection.pk])).content.decode()
    assert body.index(other_village.name) < body.index(village.name)
    assert "@media print" in body
    assert client_for(other_township_clerk).get(
        reverse("campaign:inspection_table", args=[inspection.pk])).status_code == 404
    assert "排名表" in client_for(township_clerk).get(reverse("campaign:inspection_list")).content.decode()
    assert client_for(township_clerk).post(reverse("campaign:inspection_list")).status_code == 405


def test_application_detail_shows_reviews_and_is_scoped(client_for, village, township_clerk, village_secretary,
                                                        other_township_clerk, county_admin):
    year = dt.date.today().year
    award_services.target_set(village=village, year=year, level=1, target_stars=["branch"], by=township_clerk)
    application = award_services.application_submit(village=village, year=year, stars=["branch"],
                                                     by=village_secretary)
    url = reverse("campaign:application_detail", args=[application.pk])
    assert "已申报" in client_for(county_admin).get(url).content.decode()
    assert client_for(village_secretary).get(url).status_code == 200
    assert client_for(other_township_clerk).get(url).status_code == 404
    assert client_for(county_admin).post(url).status_code == 405


def test_village_secretary_notes_progress_on_a_gap_item_with_evidence(client_for, village_secretary, village,
                                                                       other_township_clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ratings.models import ChecklistItem, ChecklistProgress

    item = ChecklistItem.objects.create(village=village, year=2026, star="industry", origin="gap",
                                        indicator_code="industry.jobs", title="补齐指标 产业带动就业人数", status="open")
    url = reverse("campaign:problem_action", args=[item.pk, "progress"])
    c = client_for(village_secretary)
    assert "记录进展" in c.get(reverse("campaign:task_item", args=[item.pk])).content.decode()
    png = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    c.post(url, {"note": "新引进帮扶车间一家，吸纳就业 12 人", "evidence": png})
    progress = ChecklistProgress.objects.get(item=item)
    assert (progress.action, progress.by) == ("进展", village_secretary) and progress.evidence
    item.refresh_from_db()
    assert item.status == "open"  # a gap item closes only when its gap does
    response = c.post(url, {"note": " "}, follow=True)
    assert "请填写进展情况" in response.content.decode()
    fake = SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")
    assert "只能上传 JPG、PNG 图片或 PDF 文件" in c.post(url, {"note": "x", "evidence": fake}, follow=True).content.decode()
    assert client_for(other_township_clerk).post(url, {"note": "x"}).status_code == 404
    assert ChecklistProgress.objects.count() == 1
