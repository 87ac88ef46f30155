"""The first secretary list and detail pages, spot checks, recall and yearly evaluation:
roles, scope, methods, refused inputs and query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Evaluation, FirstSecretary, FirstSecretaryStatus, LeaveRequest, SignIn, SpotCheck
from cadres.services_work import (
    MSG_EVALUATION_EXISTS,
    MSG_NOT_SERVING,
    MSG_RECALL_NOT_SERVING,
    MSG_RECALL_REASON,
    MSG_SIGN_IN_FUTURE,
    sign_in_record,
)
from tests.cadres.work_factories import LeaveRequestFactory, SignInFactory, SpotCheckFactory
from tests.factories import FirstSecretaryFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def fs(village, first_secretary):
    return FirstSecretaryFactory(village=village, user=first_secretary, name="周第一", term_start=dt.date(2025, 3, 1))


@pytest.fixture
def foreign_fs(foreign_village):
    return FirstSecretaryFactory(village=foreign_village, name="外乡书记")


def names(response):
    return [row["fs"].name for row in response.context["rows"]]


# --- list ------------------------------------------------------------------------------------


def test_township_clerk_lists_only_its_townships_first_secretaries(fs, foreign_fs, client_for, township_clerk, today):
    SignInFactory(first_secretary=fs, date=today)
    response = client_for(township_clerk).get(reverse("cadres:first_secretary_list"))
    assert response.status_code == 200
    assert names(response) == ["周第一"]
    row = response.context["rows"][0]
    assert (row["days"], row["signed_today"], row["below"], row["last_report"]) == (1, True, True, "未提交")
    assert "外乡书记" not in response.content.decode()


def test_county_roles_list_the_whole_county(fs, foreign_fs, client_for, county_admin, branch_reviewer):
    for user in (county_admin, branch_reviewer):
        response = client_for(user).get(reverse("cadres:first_secretary_list"))
        assert response.status_code == 200
        assert set(names(response)) == {"周第一", "外乡书记"}


def test_list_is_forbidden_to_village_roles_and_405_on_post(fs, client_for, village_secretary, township_clerk):
    assert client_for(village_secretary).get(reverse("cadres:first_secretary_list")).status_code == 403
    assert client_for(fs.user).get(reverse("cadres:first_secretary_list")).status_code == 403
    assert client_for(township_clerk).post(reverse("cadres:first_secretary_list")).status_code == 405


def test_list_filters_by_status_township_and_below_minimum(fs, foreign_fs, other_village, client_for, county_admin,
                                                           township, settings, today):
    settings.PORTAL = {**settings.PORTAL, "FIRST_SECRETARY_MIN_DAYS": 1}
    FirstSecretaryFactory(village=other_village, name="已召回", status=FirstSecretaryStatus.RECALLED)
    SignInFactory(first_secretary=fs, date=today)
    client = client_for(county_admin)
    url = reverse("cadres:first_secretary_list")
    assert set(names(client.get(url))) == {"周第一", "外乡书记"}
    assert names(client.get(url, {"status": "recalled"})) == ["已召回"]
    assert set(names(client.get(url, {"status": ""}))) == {"周第一", "外乡书记", "已召回"}
    assert names(client.get(url, {"township": township.code})) == ["周第一"]
    assert names(client.get(url, {"below": "1"})) == ["外乡书记"]
    assert names(client.get(url, {"sort": "-days"})) == ["周第一", "外乡书记"]
    assert names(client.get(url, {"sort": "days"})) == ["外乡书记", "周第一"]
    assert client.get(url, {"sort": "bogus", "page": "x", "status": "???"}).status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_list_is_a_constant_number_of_queries(count, township, client_for, township_clerk, today,
                                              django_assert_max_num_queries):
    for i in range(count):
        fs = FirstSecretaryFactory(village=VillageFactory(parent=township, code=f"419901001{i + 100:03d}"))
        SignInFactory(first_secretary=fs, date=today)
        SpotCheckFactory(first_secretary=fs, date=today)
    client = client_for(township_clerk)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("cadres:first_secretary_list"))
    assert len(response.context["page_obj"].paginator.object_list) == count
    assert all(row["days"] == 1 for row in response.context["rows"])


# --- detail ----------------------------------------------------------------------------------


def test_detail_shows_the_month_calendar_with_each_kind_of_day(fs, client_for, township_clerk):
    SignInFactory(first_secretary=fs, date=dt.date(2026, 3, 2))
    SpotCheckFactory(first_secretary=fs, date=dt.date(2026, 3, 3), present=True)
    SpotCheckFactory(first_secretary=fs, date=dt.date(2026, 3, 4), present=False, note="不在村")
    LeaveRequestFactory(first_secretary=fs, start=dt.date(2026, 3, 5), end=dt.date(2026, 3, 6), status="approved")
    LeaveRequestFactory(first_secretary=fs, start=dt.date(2026, 3, 9), end=dt.date(2026, 3, 9), status="refused")
    response = client_for(township_clerk).get(reverse("cadres:first_secretary_detail", args=[fs.pk]), {"month": "2026-03"})
    assert response.status_code == 200
    states = {d["date"].day: d["state"] for d in response.context["days"]}
    assert [states[d] for d in (2, 3, 4, 5, 6, 9)] == ["signed", "checked", "absent", "leave", "leave", "absent"]
    assert response.context["present"] == 2
    page = response.content.decode()
    assert "不在村" in page and "未批准" in page and "记录抽查" in page


def test_detail_of_another_township_is_404_and_village_roles_403(fs, foreign_fs, client_for, township_clerk,
                                                                 village_secretary):
    assert client_for(township_clerk).get(reverse("cadres:first_secretary_detail", args=[foreign_fs.pk])).status_code == 404
    assert client_for(village_secretary).get(reverse("cadres:first_secretary_detail", args=[fs.pk])).status_code == 403


def test_detail_405_and_bad_month_falls_back(fs, client_for, county_admin):
    client = client_for(county_admin)
    url = reverse("cadres:first_secretary_detail", args=[fs.pk])
    assert client.post(url).status_code == 405
    assert client.get(url, {"month": "2026-13"}).status_code == 200
    page = client.get(url).content.decode()
    assert "召回第一书记" in page and "记录抽查" not in page


# --- spot checks -----------------------------------------------------------------------------


def test_township_records_a_spot_check_from_the_detail_page(fs, client_for, township_clerk, today):
    response = client_for(township_clerk).post(reverse("cadres:spot_check_create", args=[fs.pk]),
                                               {"date": today.isoformat(), "present": "0", "note": "电话未接"})
    assert response.status_code == 302
    check = SpotCheck.objects.get()
    assert (check.present, check.note, check.checked_by) == (False, "电话未接", township_clerk)


def test_spot_check_refusals(fs, foreign_fs, client_for, township_clerk, other_township_clerk, county_admin, today):
    url = reverse("cadres:spot_check_create", args=[fs.pk])
    data = {"date": today.isoformat(), "present": "1"}
    assert client_for(other_township_clerk).post(url, data).status_code == 404
    assert client_for(county_admin).post(url, data).status_code == 403
    clerk = client_for(township_clerk)
    assert clerk.get(url).status_code == 405
    future = clerk.post(url, {"date": (today + dt.timedelta(days=1)).isoformat(), "present": "1"})
    assert future.status_code == 400 and MSG_SIGN_IN_FUTURE in future.content.decode()
    bad = clerk.post(url, {"date": "昨天", "present": "maybe"})
    assert bad.status_code == 400 and "请输入有效的日期" in bad.content.decode()
    assert not SpotCheck.objects.exists()


def test_week_page_lists_who_has_not_been_spot_checked_this_week(fs, other_village, foreign_fs, client_for,
                                                                  township_clerk, today):
    unchecked = FirstSecretaryFactory(village=other_village, name="未抽查书记")
    SpotCheckFactory(first_secretary=fs, date=today)
    SpotCheckFactory(first_secretary=unchecked, date=today - dt.timedelta(days=today.weekday() + 1))  # last week
    response = client_for(township_clerk).get(reverse("cadres:spot_check_week"))
    assert response.status_code == 200
    assert [f.name for f in response.context["not_checked"]] == ["未抽查书记"]
    assert [f.name for f, _ in response.context["checked"]] == ["周第一"]
    assert "外乡书记" not in response.content.decode()
    post = client_for(township_clerk).post(reverse("cadres:spot_check_create", args=[unchecked.pk]),
                                           {"date": today.isoformat(), "present": "1", "next": "week"})
    assert post.url == reverse("cadres:spot_check_week")


def test_week_page_roles_and_method(client_for, county_admin, village_secretary, township_clerk):
    assert client_for(county_admin).get(reverse("cadres:spot_check_week")).status_code == 200
    assert client_for(village_secretary).get(reverse("cadres:spot_check_week")).status_code == 403
    assert client_for(township_clerk).post(reverse("cadres:spot_check_week")).status_code == 405


# --- recall ----------------------------------------------------------------------------------


def test_county_recalls_a_first_secretary_who_then_cannot_sign_in(fs, client_for, county_admin, today):
    pending = LeaveRequestFactory(first_secretary=fs, start=today + dt.timedelta(days=3), end=today + dt.timedelta(days=3))
    response = client_for(county_admin).post(reverse("cadres:first_secretary_recall", args=[fs.pk]),
                                             {"reason": "驻村天数连续不足"})
    assert response.status_code == 302
    fs.refresh_from_db()
    assert (fs.status, fs.term_end, fs.recall_reason, fs.recalled_by) == (
        FirstSecretaryStatus.RECALLED, today, "驻村天数连续不足", county_admin)
    assert fs.recalled_at is not None
    assert LeaveRequest.objects.get(pk=pending.pk).status == "refused"
    with pytest.raises(Exception) as exc:
        sign_in_record(first_secretary=fs, date=today, by=fs.user)
    assert MSG_NOT_SERVING in str(exc.value)
    assert client_for(fs.user).get(reverse("cadres:sign_in")).status_code == 403
    assert not SignIn.objects.exists()


def test_recall_refusals(fs, foreign_fs, client_for, county_admin, township_clerk, other_township_clerk):
    url = reverse("cadres:first_secretary_recall", args=[fs.pk])
    assert client_for(township_clerk).post(url, {"reason": "x"}).status_code == 403
    assert client_for(other_township_clerk).post(url, {"reason": "x"}).status_code == 403
    admin = client_for(county_admin)
    assert admin.get(url).status_code == 405
    empty = admin.post(url, {"reason": "  "})
    assert empty.status_code == 400 and ("此项为必填项" in empty.content.decode() or MSG_RECALL_REASON in empty.content.decode())
    assert FirstSecretary.objects.get(pk=fs.pk).status == FirstSecretaryStatus.SERVING
    admin.post(url, {"reason": "工作不到位"})
    again = admin.post(url, {"reason": "再次召回"})
    assert again.status_code == 400 and MSG_RECALL_NOT_SERVING in again.content.decode()
    assert FirstSecretary.objects.get(pk=fs.pk).recall_reason == "工作不到位"


def test_recall_button_asks_for_confirmation(fs, client_for, county_admin):
    page = client_for(county_admin).get(reverse("cadres:first_secretary_detail", args=[fs.pk])).content.decode()
    assert 'data-confirm="确定召回 周第一？此操作不能撤销。"' in page


# --- yearly evaluation -----------------------------------------------------------------------


def test_county_records_one_evaluation_a_year_with_its_evidence(fs, client_for, county_admin, township_clerk):
    for day in range(2, 7):
        SignInFactory(first_secretary=fs, date=dt.date(2025, 6, day))
    SpotCheckFactory(first_secretary=fs, date=dt.date(2025, 6, 9))
    url = reverse("cadres:evaluation_create", args=[fs.pk])
    admin = client_for(county_admin)
    assert admin.post(url, {"year": "2025", "grade": "competent", "note": "工作扎实"}).status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.year, evaluation.get_grade_display(), evaluation.days_present, evaluation.evaluated_by) == (
        2025, "称职", 6, county_admin)
    again = admin.post(url, {"year": "2025", "grade": "excellent"})
    assert again.status_code == 400 and MSG_EVALUATION_EXISTS.format(year=2025) in again.content.decode()
    assert Evaluation.objects.get().grade == "competent"
    before_term = admin.post(url, {"year": "2024", "grade": "excellent"})
    assert before_term.status_code == 400 and "请选择任期内的年度" in before_term.content.decode()
    assert admin.get(url).status_code == 405
    assert client_for(township_clerk).post(url, {"year": "2025", "grade": "excellent"}).status_code == 403
    assert Evaluation.objects.count() == 1


@pytest.fixture
def other_county_admin(db):
    from cadres.models import Role
    from tests.factories import CountyFactory, PostFactory, UserFactory

    user = UserFactory(username="other_county_admin")
    PostFactory(user=user, role=Role.ORGANISATION, region=CountyFactory(code="419902000000", name="邻县"))
    return user


def test_another_countys_organisation_gets_404_for_recall_evaluation_and_detail(fs, client_for, other_county_admin):
    client = client_for(other_county_admin)
    assert client.post(reverse("cadres:first_secretary_recall", args=[fs.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("cadres:evaluation_create", args=[fs.pk]),
                       {"year": "2025", "grade": "excellent"}).status_code == 404
    assert client.get(reverse("cadres:first_secretary_detail", args=[fs.pk])).status_code == 404
    assert FirstSecretary.objects.get(pk=fs.pk).status == FirstSecretaryStatus.SERVING
