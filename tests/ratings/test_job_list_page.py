"""The organisation department's jobs page: the last background jobs with state, duration and error."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from config.models import JobKind, JobRun, JobState
from ratings.models import Notice
from ratings.views.jobs import MSG_JOBS_ROLE
from tests.factories import CountyFactory


def _run(county, **kwargs):
    start = timezone.now() - dt.timedelta(minutes=3)
    fields = {"kind": JobKind.RECOMPUTE, "county": county, "year": 2026, "month": 5, "state": JobState.DONE,
              "started_at": start, "finished_at": start + dt.timedelta(seconds=83), "deliveries": 1}
    return JobRun.objects.create(**{**fields, **kwargs})


def test_the_organisation_department_sees_its_county_jobs_with_state_duration_and_error(client_for, county_admin,
                                                                                       county):
    _run(county, result="300 个村（社区）")
    _run(county, kind=JobKind.MONTH_CLOSE, state=JobState.FAILED, error="OperationalError: server closed the connection")
    _run(county, kind=JobKind.BULLETINS, state=JobState.PENDING, started_at=None, finished_at=None)
    _run(CountyFactory(code="419902000000", name="邻县"), kind=JobKind.IMPORT, error="邻县的错误")
    Notice.objects.create(region=county, text="后台任务失败：2026年5月月度关账未完成")
    response = client_for(county_admin).get(reverse("ratings:job_list"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("重新计算", "300 个村（社区）", "1 分 23 秒", "月度关账", "失败",
                 "OperationalError: server closed the connection", "月度通报", "排队中", "2026年5月月度关账未完成"):
        assert text in html, text
    assert "邻县的错误" not in html and "数据导入" not in html.split("<tbody>")[1]


def test_the_jobs_page_filters_by_state(client_for, county_admin, county):
    _run(county, result="保留")
    _run(county, state=JobState.FAILED, error="失败的那条")
    html = client_for(county_admin).get(reverse("ratings:job_list"), {"state": "failed", "kind": "bogus"}).content.decode()
    assert "失败的那条" in html and "保留" not in html


def test_other_roles_may_not_see_the_jobs_page(client_for, township_clerk, industry_reviewer, client):
    for user in (township_clerk, industry_reviewer):
        response = client_for(user).get(reverse("ratings:job_list"))
        assert response.status_code == 403
        assert MSG_JOBS_ROLE in response.content.decode()
    client.logout()
    assert client.get(reverse("ratings:job_list")).status_code == 302


def test_the_jobs_page_answers_get_only(client_for, county_admin):
    assert client_for(county_admin).post(reverse("ratings:job_list")).status_code == 405


def test_the_jobs_page_lists_50_runs_in_a_fixed_number_of_queries(client_for, county_admin, county,
                                                                 django_assert_max_num_queries):
    JobRun.objects.bulk_create(JobRun(kind=JobKind.RECOMPUTE, county=county, state=JobState.DONE) for _ in range(60))
    c = client_for(county_admin)
    with django_assert_max_num_queries(12):
        response = c.get(reverse("ratings:job_list"))
    assert "共 60 条" in response.content.decode()
