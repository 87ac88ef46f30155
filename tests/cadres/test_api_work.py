"""The work-record API: scoped lists and details, writes through the services with the same
messages, roles refused, and a first secretary cannot sign in for someone else's village."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import (
    Evaluation,
    FirstSecretaryStatus,
    LeaveRequest,
    LeaveStatus,
    MonthlyReport,
    SignIn,
    SpotCheck,
)
from cadres.services_work import (
    MSG_EVALUATION_EXISTS,
    MSG_LEAVE_DECIDED,
    MSG_LEAVE_PAST,
    MSG_ORGANISATION_ONLY,
    MSG_REPORT_NOT_SUBMITTED,
    MSG_SIGN_IN_NOT_YOURS,
    MSG_SIGN_IN_TWICE,
    MSG_SIGN_IN_WRONG_VILLAGE,
    MSG_TOWNSHIP_ONLY,
)
from tests.cadres.work_factories import (
    LeaveRequestFactory,
    MonthlyReportFactory,
    SignInFactory,
    SpotCheckFactory,
)
from tests.factories import FirstSecretaryFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = ["sign-in", "leave-request", "spot-check", "monthly-report", "evaluation"]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def fs(village, first_secretary):
    return FirstSecretaryFactory(village=village, user=first_secretary, name="周第一", term_start=dt.date(2025, 3, 1))


@pytest.fixture
def other_fs(other_village):
    from cadres.models import Role
    from tests.factories import PostFactory, UserFactory

    user = UserFactory(username="other_first")
    PostFactory(user=user, role=Role.FIRST_SECRETARY, region=other_village)
    return FirstSecretaryFactory(village=other_village, user=user, name="红旗书记", term_start=dt.date(2025, 3, 1))


@pytest.fixture
def foreign_fs(foreign_village):
    return FirstSecretaryFactory(village=foreign_village, name="外乡书记", term_start=dt.date(2025, 3, 1))


@pytest.fixture
def records(fs, foreign_fs):
    rows = {}
    for who in (fs, foreign_fs):
        rows[who.pk] = {
            "sign-in": SignInFactory(first_secretary=who),
            "leave-request": LeaveRequestFactory(first_secretary=who),
            "spot-check": SpotCheckFactory(first_secretary=who),
            "monthly-report": MonthlyReportFactory(first_secretary=who),
            "evaluation": Evaluation.objects.create(first_secretary=who, year=2025, grade="competent"),
        }
    return rows


@pytest.mark.parametrize("name", ENDPOINTS)
def test_lists_and_details_are_scoped(name, records, fs, foreign_fs, api_for, township_clerk, county_admin):
    clerk = api_for(township_clerk)
    listed = clerk.get(reverse(f"{name}-list")).json()["results"]
    assert [row["first_secretary"] for row in listed] == [fs.pk]
    assert clerk.get(reverse(f"{name}-detail", args=[records[foreign_fs.pk][name].pk])).status_code == 404
    assert clerk.get(reverse(f"{name}-detail", args=[records[fs.pk][name].pk])).status_code == 200
    assert len(api_for(county_admin).get(reverse(f"{name}-list")).json()["results"]) == 2


@pytest.mark.parametrize("name", ENDPOINTS)
def test_record_endpoints_refuse_updates_and_deletes(name, records, fs, api_for, county_admin):
    url = reverse(f"{name}-detail", args=[records[fs.pk][name].pk])
    assert api_for(county_admin).put(url, {}).status_code == 405
    assert api_for(county_admin).delete(url).status_code == 405


def test_anonymous_is_refused(client):
    assert client.get(reverse("sign-in-list")).status_code in (401, 403)


# --- sign-ins ----------------------------------------------------------------------------------


def test_first_secretary_signs_in_through_the_api(fs, api_for, today):
    api = api_for(fs.user)
    response = api.post(reverse("sign-in-list"), {"note": "入户走访"}, format="json")
    assert response.status_code == 201
    assert (response.json()["date"], response.json()["village_code"]) == (today.isoformat(), fs.village.code)
    again = api.post(reverse("sign-in-list"), {}, format="json")
    assert again.status_code == 400 and again.json()["detail"] == MSG_SIGN_IN_TWICE
    assert SignIn.objects.count() == 1


def test_first_secretary_cannot_sign_in_for_someone_elses_village(fs, other_fs, foreign_fs, api_for, other_village):
    api = api_for(fs.user)
    wrong_village = api.post(reverse("sign-in-list"), {"village_code": other_village.code}, format="json")
    assert wrong_village.status_code == 400 and wrong_village.json()["detail"] == MSG_SIGN_IN_WRONG_VILLAGE
    # Another first secretary of the same township is outside his village scope: 404.
    assert api.post(reverse("sign-in-list"), {"first_secretary": other_fs.pk}, format="json").status_code == 404
    assert api.post(reverse("sign-in-list"), {"first_secretary": foreign_fs.pk}, format="json").status_code == 404
    assert not SignIn.objects.exists()


def test_township_staff_cannot_sign_in_for_a_first_secretary(fs, api_for, township_clerk):
    response = api_for(township_clerk).post(reverse("sign-in-list"), {"first_secretary": fs.pk}, format="json")
    assert response.status_code == 403 and response.json()["detail"] == MSG_SIGN_IN_NOT_YOURS
    no_own = api_for(township_clerk).post(reverse("sign-in-list"), {}, format="json")
    assert no_own.status_code == 403
    assert not SignIn.objects.exists()


def test_recalled_first_secretary_cannot_sign_in_through_the_api(fs, api_for):
    fs.status = FirstSecretaryStatus.RECALLED
    fs.save()
    assert api_for(fs.user).post(reverse("sign-in-list"), {"first_secretary": fs.pk}, format="json").status_code == 400
    assert not SignIn.objects.exists()


def test_sign_in_filters_by_date_range(fs, api_for, county_admin):
    for day in (1, 5, 9):
        SignInFactory(first_secretary=fs, date=dt.date(2026, 3, day))
    rows = api_for(county_admin).get(reverse("sign-in-list"), {"date_from": "2026-03-02", "date_to": "2026-03-09"}).json()
    assert [r["date"] for r in rows["results"]] == ["2026-03-09", "2026-03-05"]


# --- leave -------------------------------------------------------------------------------------


def test_leave_requested_then_decided_once_through_the_api(fs, api_for, township_clerk, other_township_clerk, today):
    start = (today + dt.timedelta(days=1)).isoformat()
    created = api_for(fs.user).post(reverse("leave-request-list"), {"start": start, "end": start, "reason": "培训"},
                                    format="json")
    assert created.status_code == 201
    url = reverse("leave-request-decide", args=[created.json()["id"]])
    assert api_for(other_township_clerk).post(url, {"approve": True}, format="json").status_code == 404
    assert api_for(fs.user).post(url, {"approve": True}, format="json").json()["detail"] == MSG_TOWNSHIP_ONLY
    decided = api_for(township_clerk).post(url, {"approve": False, "note": "迎检期间"}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "refused"
    again = api_for(township_clerk).post(url, {"approve": True}, format="json")
    assert again.status_code == 400 and again.json()["detail"] == MSG_LEAVE_DECIDED
    assert LeaveRequest.objects.get().status == LeaveStatus.REFUSED
    assert api_for(township_clerk).get(url).status_code == 405


def test_leave_in_the_past_is_refused_through_the_api(fs, api_for, today):
    past = (today - dt.timedelta(days=2)).isoformat()
    response = api_for(fs.user).post(reverse("leave-request-list"), {"start": past, "end": past, "reason": "x"},
                                     format="json")
    assert response.status_code == 400 and response.json()["detail"] == MSG_LEAVE_PAST
    bad = api_for(fs.user).post(reverse("leave-request-list"), {"start": "soon"}, format="json")
    assert bad.status_code == 400 and {"start", "end", "reason"} <= set(bad.json())
    assert not LeaveRequest.objects.exists()


# --- spot checks -------------------------------------------------------------------------------


def test_township_records_spot_checks_only_for_its_villages(fs, foreign_fs, api_for, township_clerk, county_admin,
                                                            today):
    clerk = api_for(township_clerk)
    ok = clerk.post(reverse("spot-check-list"), {"first_secretary": fs.pk, "date": today.isoformat(), "present": False},
                    format="json")
    assert ok.status_code == 201 and ok.json()["present"] is False
    assert clerk.post(reverse("spot-check-list"), {"first_secretary": foreign_fs.pk, "date": today.isoformat(),
                                                   "present": True}, format="json").status_code == 404
    county = api_for(county_admin).post(reverse("spot-check-list"), {"first_secretary": fs.pk,
                                                                     "date": today.isoformat(), "present": True},
                                        format="json")
    assert county.status_code == 403 and county.json()["detail"] == MSG_TOWNSHIP_ONLY
    assert SpotCheck.objects.count() == 1


# --- monthly reports ---------------------------------------------------------------------------


def test_report_filed_then_read_through_the_api(fs, api_for, township_clerk):
    data = {"year": 2026, "month": 10, "work_done": "召开主题党日", "submit": False}
    draft = api_for(fs.user).post(reverse("monthly-report-list"), data, format="json")
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    clerk = api_for(township_clerk)
    assert clerk.get(reverse("monthly-report-list")).json()["results"] == []  # a draft is the author's only
    assert api_for(fs.user).get(reverse("monthly-report-list")).json()["count"] == 1
    api_for(fs.user).post(reverse("monthly-report-list"), {**data, "submit": True}, format="json")
    report = MonthlyReport.objects.get()
    read = clerk.post(reverse("monthly-report-read", args=[report.pk]))
    assert read.status_code == 200 and read.json()["status"] == "read"
    again = clerk.post(reverse("monthly-report-read", args=[report.pk]))
    assert again.status_code == 400 and again.json()["detail"] == MSG_REPORT_NOT_SUBMITTED


def test_report_read_refused_to_the_county_and_other_township(fs, api_for, county_admin, other_township_clerk):
    report = MonthlyReportFactory(first_secretary=fs)
    assert api_for(county_admin).post(reverse("monthly-report-read", args=[report.pk])).status_code == 403
    assert api_for(other_township_clerk).post(reverse("monthly-report-read", args=[report.pk])).status_code == 404
    assert MonthlyReport.objects.get().status == "submitted"


# --- evaluations and recall --------------------------------------------------------------------


def test_county_records_an_evaluation_once_a_year(fs, api_for, county_admin, township_clerk):
    data = {"first_secretary": fs.pk, "year": 2025, "grade": "excellent", "note": "成绩突出"}
    denied = api_for(township_clerk).post(reverse("evaluation-list"), data, format="json")
    assert denied.status_code == 403 and denied.json()["detail"] == MSG_ORGANISATION_ONLY
    created = api_for(county_admin).post(reverse("evaluation-list"), data, format="json")
    assert created.status_code == 201 and created.json()["grade_display"] == "优秀"
    again = api_for(county_admin).post(reverse("evaluation-list"), {**data, "grade": "basic"}, format="json")
    assert again.status_code == 400 and again.json()["detail"] == MSG_EVALUATION_EXISTS.format(year=2025)
    bad = api_for(county_admin).post(reverse("evaluation-list"), {**data, "grade": "good"}, format="json")
    assert bad.status_code == 400 and "grade" in bad.json()
    assert Evaluation.objects.get().grade == "excellent"


def test_county_recalls_through_the_api(fs, api_for, county_admin, township_clerk):
    url = reverse("first-secretary-recall", args=[fs.pk])
    assert api_for(township_clerk).post(url, {"reason": "缺勤"}, format="json").status_code == 403
    response = api_for(county_admin).post(url, {"reason": "缺勤"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "recalled"
    assert api_for(county_admin).post(url, {"reason": "again"}, format="json").status_code == 400


def test_schema_documents_the_work_endpoints(client_for, county_admin):
    schema = client_for(county_admin).get(reverse("api-schema")).content.decode()
    for path in ("/api/sign-ins/", "/api/leave-requests/{id}/decide/", "/api/spot-checks/",
                 "/api/monthly-reports/{id}/read/", "/api/evaluations/", "/api/first-secretaries/{id}/recall/"):
        assert path in schema
