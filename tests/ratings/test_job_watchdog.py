"""The watchdog finds county runs whose task is gone and sends them again; a batch with failed
counties ends as "部分失败" (or failed), naming them, and "重新计算失败的县" sends only those;
a city's or province's counties are recomputed from the command and the month-close page."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cadres.models import Role
from config.jobs import (
    MSG_NO_TASK,
    MSG_RESENT,
    MSG_UNSENT,
    MSG_WORKER_LOST,
    job_run_batch_create,
    job_run_fail,
    job_run_finish,
    job_runs_lost,
)
from config.models import JobKind, JobRun, JobState, WorkerHeartbeat
from ratings.models import Notice, VillageScore
from ratings.tasks import job_runs_watchdog
from tests.factories import CountyFactory, PostFactory, TownshipFactory, UserFactory
from villages.models import Level, Region

from .scoring_helpers import fill_ledgers, make_villages

LONG_AGO = dt.timedelta(minutes=5)


@pytest.fixture
def two_counties(township, standard, township_clerk, this_month):
    year, month = this_month
    other = TownshipFactory(parent=CountyFactory(code="419902000000", name="邻县"))
    fill_ledgers(make_villages(township, 2) + make_villages(other, 2), township_clerk, year, month)
    return township.parent, other.parent


def _batch(counties, this_month, **child):
    year, month = this_month
    run = job_run_batch_create(kind=JobKind.RECOMPUTE, county_ids=[c.pk for c in counties], year=year, month=month,
                               view="live")
    if child:
        run.children.update(**child)
    return run


def test_a_run_whose_worker_stopped_beating_is_sent_again_and_finishes(two_counties, this_month):
    first, _ = two_counties
    run = _batch([first], this_month, state=JobState.RUNNING, deliveries=1, worker="w1@host", task_id="t1",
                 started_at=timezone.now() - LONG_AGO)
    WorkerHeartbeat.objects.create(hostname="w1@host", seen_at=timezone.now() - LONG_AGO)
    assert job_runs_watchdog.apply().get() == 1  # the resend runs at once here (eager)
    child = run.children.get()
    assert (child.state, child.deliveries, child.note) == (JobState.DONE, 2, MSG_RESENT.format(n=2))
    run.refresh_from_db()
    assert run.state == JobState.DONE
    assert VillageScore.objects.filter(village__code__startswith=first.prefix, view="live").count() == 2


def test_a_run_held_by_a_live_worker_is_left_alone(two_counties, this_month):
    first, _ = two_counties
    run = _batch([first], this_month, state=JobState.RUNNING, deliveries=1, worker="w1@host", task_id="t1",
                 sent_at=timezone.now() - LONG_AGO)
    assert job_runs_lost(live_workers={"w1@host"}, held_task_ids={"t1"}) == []
    assert job_runs_lost(live_workers={"w1@host"}, held_task_ids=None) == []  # a worker did not answer
    assert run.children.get().state == JobState.RUNNING


def test_a_run_no_worker_holds_any_more_is_sent_again(two_counties, this_month):
    """Its failure could not be written (the database was down): it would stay `running`."""
    first, second = two_counties
    run = _batch([first, second], this_month, state=JobState.RUNNING, deliveries=1, worker="w1@host",
                 task_id="gone", sent_at=timezone.now() - LONG_AGO)
    run.children.filter(county=second).update(task_id="queued")
    again = job_runs_lost(live_workers={"w1@host"}, held_task_ids={"queued"})
    assert [r.county for r in again] == [first]
    assert again[0].note == MSG_NO_TASK.format(n=2) and again[0].state == JobState.PENDING
    # Just sent (the resend, and another): not judged yet (a worker may be about to take them).
    run.children.update(task_id="new", sent_at=timezone.now())
    assert job_runs_lost(live_workers={"w1@host"}, held_task_ids=set()) == []


def test_a_run_lost_too_often_fails_and_its_batch_ends_naming_it(two_counties, this_month, settings):
    first, second = two_counties
    run = _batch([first, second], this_month, state=JobState.RUNNING, worker="w1@host",
                 deliveries=settings.JOB_RUN_MAX_DELIVERIES)
    job_run_finish(run_id=run.children.get(county=second).pk, result="2 个村（社区）")
    assert job_runs_lost(live_workers=set(), held_task_ids=None) == []
    child = run.children.get(county=first)
    assert (child.state, child.error) == (JobState.FAILED, MSG_WORKER_LOST.format(n=settings.JOB_RUN_MAX_DELIVERIES))
    run.refresh_from_db()
    assert (run.state, run.error) == (JobState.PARTIAL, f"1 个县未完成：{first.name}")
    assert Notice.objects.filter(region=first, text__contains="重新计算失败的县").count() == 1


def test_a_run_the_broker_refused_is_sent_when_the_watchdog_runs(two_counties, this_month):
    first, _ = two_counties
    run = _batch([first], this_month, note=MSG_UNSENT)
    again = job_runs_lost(live_workers=set(), held_task_ids=None)
    assert [r.pk for r in again] == [run.children.get().pk] and again[0].note == ""


def test_the_watchdog_leaves_runs_done_in_a_request_alone(county, this_month):
    year, month = this_month
    JobRun.objects.create(kind=JobKind.IMPORT, county=county, state=JobState.RUNNING,
                          created_at=timezone.now() - LONG_AGO, started_at=timezone.now() - LONG_AGO)
    JobRun.objects.create(kind=JobKind.MONTH_CLOSE, county=county, year=year, month=month, state=JobState.RUNNING,
                          created_at=timezone.now() - LONG_AGO, started_at=timezone.now() - LONG_AGO)
    assert job_runs_lost(live_workers=set(), held_task_ids=set()) == []


# --- "部分失败" and "重新计算失败的县" -------------------------------------------------------


@pytest.fixture
def partial_batch(two_counties, this_month):
    first, second = two_counties
    run = _batch([first, second], this_month)
    job_run_finish(run_id=run.children.get(county=second).pk, result="2 个村（社区）")
    job_run_fail(run_id=run.children.get(county=first).pk, error="OperationalError: server closed the connection")
    run.refresh_from_db()
    return run


def test_the_job_page_shows_a_partial_batch_with_its_resend_button(partial_batch, county_admin, client_for):
    assert partial_batch.state == JobState.PARTIAL
    page = client_for(county_admin).get(reverse("ratings:job_list")).content.decode()
    assert "部分失败" in page and "1 个县未完成：示范县" in page
    assert reverse("ratings:job_resend_failed", args=[partial_batch.pk]) in page and "重新计算失败的县" in page


def test_resending_the_failed_counties_completes_the_batch(partial_batch, county_admin, client_for,
                                                          django_capture_on_commit_callbacks):
    first = Region.objects.get(code="419901000000")
    done_before = partial_batch.children.exclude(county=first).get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(county_admin).post(reverse("ratings:job_resend_failed", args=[partial_batch.pk]))
    assert response.status_code == 302
    partial_batch.refresh_from_db()
    assert (partial_batch.state, partial_batch.error) == (JobState.DONE, "")
    resent = partial_batch.children.get(county=first)
    assert (resent.state, resent.deliveries) == (JobState.DONE, 1) and resent.note.startswith("失败的县已重新发送")
    assert partial_batch.children.get(pk=done_before.pk).finished_at == done_before.finished_at  # not run again


def test_the_resend_takes_only_the_counties_in_the_users_scope(partial_batch, client_for):
    neighbour = Region.objects.get(code="419902000000")
    user = UserFactory(username="neighbour_admin")
    PostFactory(user=user, role=Role.ORGANISATION, region=neighbour)
    client_for(user).post(reverse("ratings:job_resend_failed", args=[partial_batch.pk]))
    partial_batch.refresh_from_db()
    assert partial_batch.state == JobState.PARTIAL  # the failed county is not the neighbour's


def test_the_resend_is_refused_to_read_only_roles_and_to_get(partial_batch, township_clerk, county_admin, client_for):
    url = reverse("ratings:job_resend_failed", args=[partial_batch.pk])
    assert client_for(township_clerk).post(url).status_code == 403
    assert client_for(county_admin).get(url).status_code == 405
    assert client_for(county_admin).post(reverse("ratings:job_resend_failed", args=[99999])).status_code == 404


def test_the_command_resends_only_the_failed_counties(partial_batch, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recompute", resend_failed=partial_batch.pk)
    partial_batch.refresh_from_db()
    assert partial_batch.state == JobState.DONE
    assert "失败的 1 个县" in capsys.readouterr().out


# --- a city's or province's counties, county by county --------------------------------------


@pytest.fixture
def city(two_counties):
    province = Region.objects.create(code="410000000000", name="河南省", level=Level.PROVINCE)
    city = Region.objects.create(code="419900000000", name="示范市", level=Level.CITY, parent=province)
    Region.objects.filter(level=Level.COUNTY).update(parent=city)
    return city


def test_the_command_fans_a_city_out_by_county_as_a_batch(city, this_month, capsys, django_capture_on_commit_callbacks):
    year, month = this_month
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recompute", region=city.code, year=year, month=month)
    run = JobRun.objects.get(parent=None)
    assert (run.state, run.result) == (JobState.DONE, "示范市：2 个县")
    assert sorted(run.children.values_list("county__code", flat=True)) == ["419901000000", "419902000000"]
    assert VillageScore.objects.filter(view="live", year=year, month=month).count() == 4
    assert f"后台任务 #{run.pk}" in capsys.readouterr().out


def test_the_city_organisation_department_starts_it_from_the_month_close_page(city, this_month, client_for,
                                                                             django_capture_on_commit_callbacks):
    year, month = this_month
    user = UserFactory(username="city_admin")
    PostFactory(user=user, role=Role.ORGANISATION, region=city)
    client = client_for(user)
    page = client.get(reverse("ratings:month_close"))
    assert page.status_code == 200 and "重新计算全部县" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ratings:region_recompute"), {"year": year, "month": month})
    assert response.status_code == 302 and response.url == reverse("ratings:job_list")
    run = JobRun.objects.get(parent=None)
    assert run.state == JobState.DONE and run.children.count() == 2
    jobs = client.get(reverse("ratings:job_list")).content.decode()
    assert "示范市：2 个县" in jobs


def test_a_county_user_cannot_start_a_city_recompute(city, county_admin, this_month, client_for):
    year, month = this_month
    response = client_for(county_admin).post(reverse("ratings:region_recompute"), {"year": year, "month": month})
    assert response.status_code == 403
    assert not JobRun.objects.exists()
