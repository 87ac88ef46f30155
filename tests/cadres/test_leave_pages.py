"""Leave: the first secretary asks on the phone page, the township decides with a comment."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import LeaveRequest, LeaveStatus
from cadres.services_work import MSG_LEAVE_DECIDED, MSG_LEAVE_ORDER, MSG_LEAVE_OVERLAP, MSG_LEAVE_PAST
from tests.cadres.work_factories import LeaveRequestFactory
from tests.factories import FirstSecretaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def fs(village, first_secretary):
    return FirstSecretaryFactory(village=village, user=first_secretary, name="周第一")


def days(today, n):
    return (today + dt.timedelta(days=n)).isoformat()


def test_first_secretary_requests_leave_and_sees_the_decision(fs, client_for, township_clerk, today):
    client = client_for(fs.user)
    response = client.post(reverse("cadres:leave_request"), {"start": days(today, 2), "end": days(today, 3), "reason": "培训"})
    assert response.status_code == 302
    leave = LeaveRequest.objects.get()
    assert (leave.status, leave.reason) == (LeaveStatus.REQUESTED, "培训")
    clerk = client_for(township_clerk)
    pending = clerk.get(reverse("cadres:leave_list"))
    assert [lv.pk for lv in pending.context["pending"]] == [leave.pk]
    assert clerk.post(reverse("cadres:leave_decide", args=[leave.pk]),
                      {"decision": "refuse", "note": "近期迎检"}).status_code == 302
    leave.refresh_from_db()
    assert (leave.status, leave.decision_note, leave.decided_by) == (LeaveStatus.REFUSED, "近期迎检", township_clerk)
    page = client_for(fs.user).get(reverse("cadres:leave_request")).content.decode()
    assert "未批准" in page and "近期迎检" in page


@pytest.mark.parametrize(("start", "end", "message"), [
    (-1, 1, MSG_LEAVE_PAST),
    (3, 2, MSG_LEAVE_ORDER),
])
def test_bad_leave_dates_are_refused_with_a_message(fs, client_for, today, start, end, message):
    response = client_for(fs.user).post(reverse("cadres:leave_request"),
                                        {"start": days(today, start), "end": days(today, end), "reason": "家事"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_overlapping_leave_and_invalid_input_are_refused(fs, client_for, today):
    LeaveRequestFactory(first_secretary=fs, start=today + dt.timedelta(days=5), end=today + dt.timedelta(days=7))
    client = client_for(fs.user)
    response = client.post(reverse("cadres:leave_request"), {"start": days(today, 6), "end": days(today, 9), "reason": "家事"})
    assert response.status_code == 400
    assert MSG_LEAVE_OVERLAP.format(start=today + dt.timedelta(days=5), end=today + dt.timedelta(days=7)) in response.content.decode()
    garbage = client.post(reverse("cadres:leave_request"), {"start": "明天", "end": "", "reason": ""})
    assert garbage.status_code == 400 and "请输入有效的日期" in garbage.content.decode()
    assert LeaveRequest.objects.count() == 1


def test_leave_page_roles_and_method(fs, client_for, township_clerk, village_secretary):
    assert client_for(township_clerk).get(reverse("cadres:leave_request")).status_code == 403
    assert client_for(village_secretary).get(reverse("cadres:leave_request")).status_code == 403
    assert client_for(fs.user).put(reverse("cadres:leave_request")).status_code == 405


def test_deciding_an_already_decided_leave_is_refused(fs, client_for, township_clerk, today):
    leave = LeaveRequestFactory(first_secretary=fs, start=today, end=today, status=LeaveStatus.APPROVED)
    client = client_for(township_clerk)
    response = client.post(reverse("cadres:leave_decide", args=[leave.pk]), {"decision": "refuse"}, follow=True)
    assert MSG_LEAVE_DECIDED in response.content.decode()
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED


def test_leave_decision_refusals(fs, foreign_village, client_for, township_clerk, other_township_clerk, county_admin,
                                 village_secretary, today):
    leave = LeaveRequestFactory(first_secretary=fs, start=today, end=today)
    url = reverse("cadres:leave_decide", args=[leave.pk])
    assert client_for(other_township_clerk).post(url, {"decision": "approve"}).status_code == 404
    assert client_for(county_admin).post(url, {"decision": "approve"}).status_code == 403
    assert client_for(fs.user).post(url, {"decision": "approve"}).status_code == 403
    clerk = client_for(township_clerk)
    assert clerk.get(url).status_code == 405
    bad = clerk.post(url, {"decision": "maybe"}, follow=True)
    assert "请选择批准或不批准" in bad.content.decode()
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveStatus.REQUESTED


def test_leave_list_is_scoped_and_read_only_for_the_county(fs, foreign_village, client_for, other_township_clerk,
                                                           county_admin, village_secretary, today):
    leave = LeaveRequestFactory(first_secretary=fs, start=today, end=today)
    assert list(client_for(other_township_clerk).get(reverse("cadres:leave_list")).context["pending"]) == []
    county = client_for(county_admin).get(reverse("cadres:leave_list"))
    assert list(county.context["pending"]) == [leave] and not county.context["can_decide"]
    assert client_for(village_secretary).get(reverse("cadres:leave_list")).status_code == 403
    assert client_for(county_admin).post(reverse("cadres:leave_list")).status_code == 405
