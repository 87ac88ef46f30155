"""The branch records API: scoped lists and details, writes through the services, documented."""

import datetime as dt

import pytest
from django.urls import reverse

from branches.models import Branch, Meeting, RecordEvent, RectificationStatus
from branches.services import MSG_ACCEPT_WITHOUT_PLAN, MSG_NOT_ACCEPTOR
from tests.factories import BranchFactory

from .factories import DecisionFactory, MeetingFactory, PostingFactory, RectificationFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = {"branch-meeting": MeetingFactory, "branch-decision": DecisionFactory, "branch-posting": PostingFactory}


@pytest.fixture
def world(village, foreign_village):
    rows = {}
    for name, factory in ENDPOINTS.items():
        rows[name] = (factory(village=village), factory(village=foreign_village))
    return rows


def meeting_body(village, **overrides):
    body = {"village": village.code, "type": "themed_party_day", "date": "2026-03-10", "topic": "重温入党誓词",
            "members_expected": 30, "attendance": 27}
    body.update(overrides)
    return body


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_a_clerk_lists_only_his_township(name, api_for, township_clerk, world, village):
    response = api_for(township_clerk).get(reverse(f"{name}-list"))
    assert response.status_code == 200
    assert [row["village"] for row in response.json()["results"]] == [village.code]


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_the_county_lists_every_village(name, api_for, county_admin, world):
    assert response_count(api_for(county_admin).get(reverse(f"{name}-list"))) == 2


def response_count(response):
    assert response.status_code == 200
    return response.json()["count"]


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_another_townships_row_is_404(name, api_for, other_township_clerk, world):
    mine, _ = world[name]
    assert api_for(other_township_clerk).get(reverse(f"{name}-detail", args=[mine.pk])).status_code == 404


def test_anonymous_is_refused(client, world):
    assert client.get(reverse("branch-meeting-list")).status_code in (401, 403)


def test_a_village_secretary_records_a_meeting(api_for, village_secretary, village):
    response = api_for(village_secretary).post(reverse("branch-meeting-list"), meeting_body(village), format="json")
    assert response.status_code == 201, response.json()
    meeting = Meeting.objects.get()
    assert (meeting.created_by, response.json()["created_by"]) == (village_secretary, "village_secretary")
    assert RecordEvent.objects.filter(record_id=meeting.pk, action="create").exists()


def test_a_partial_update_keeps_the_other_fields_and_logs_the_change(api_for, township_clerk, village):
    meeting = MeetingFactory(village=village, topic="旧主题")
    response = api_for(township_clerk).patch(reverse("branch-meeting-detail", args=[meeting.pk]),
                                             {"topic": "新主题"}, format="json")
    assert response.status_code == 200, response.json()
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.attendance, meeting.updated_by) == ("新主题", 5, township_clerk)
    event = RecordEvent.objects.get(record_id=meeting.pk, action="update")
    assert event.changes == {"topic": {"before": "旧主题", "after": "新主题"}}


@pytest.mark.parametrize("role", ["county_admin", "branch_reviewer"])
def test_read_only_roles_are_refused_a_write(role, request, api_for, village, world):
    api = api_for(request.getfixturevalue(role))
    assert api.post(reverse("branch-meeting-list"), meeting_body(village), format="json").status_code == 403
    mine, _ = world["branch-meeting"]
    assert api.patch(reverse("branch-meeting-detail", args=[mine.pk]), {"topic": "x"}, format="json").status_code == 403
    assert api.delete(reverse("branch-meeting-detail", args=[mine.pk])).status_code == 403
    assert Meeting.objects.count() == 2


def test_a_village_outside_the_scope_is_a_clear_400(api_for, township_clerk, foreign_village):
    response = api_for(township_clerk).post(reverse("branch-meeting-list"), meeting_body(foreign_village),
                                            format="json")
    assert response.status_code == 400
    assert "不在您的权限范围内" in response.json()["village"][0]
    assert not Meeting.objects.exists()


def test_invalid_input_gives_chinese_messages(api_for, village_secretary, village):
    api = api_for(village_secretary)
    response = api.post(reverse("branch-meeting-list"), meeting_body(village, attendance=40), format="json")
    assert response.status_code == 400 and response.json()["attendance"] == ["实到人数不能超过应到人数"]
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = api.post(reverse("branch-meeting-list"), meeting_body(village, date=future), format="json")
    assert response.status_code == 400 and response.json()["date"] == ["日期不能晚于今天"]
    response = api.post(reverse("branch-decision-list"),
                        {"village": village.code, "matter": "议题", "proposed_on": "2026-03-05",
                         "discussed_on": "2026-03-01"}, format="json")
    assert response.status_code == 400 and "不能早于" in response.json()["discussed_on"][0]
    assert not Meeting.objects.exists()


def test_wrong_method_is_405(api_for, township_clerk, world):
    mine, _ = world["branch-decision"]
    assert api_for(township_clerk).delete(reverse("branch-decision-detail", args=[mine.pk])).status_code == 405
    rect = RectificationFactory(branch=BranchFactory(village=mine.village))
    assert api_for(township_clerk).get(reverse("branch-rectification-accept", args=[rect.pk])).status_code == 405


def test_meetings_filter_by_type_and_dates(api_for, county_admin, village):
    MeetingFactory(village=village, type="party_lecture", date=dt.date(2026, 2, 1))
    MeetingFactory(village=village, type="party_lecture", date=dt.date(2026, 5, 1))
    MeetingFactory(village=village, type="committee_meeting", date=dt.date(2026, 2, 2))
    response = api_for(county_admin).get(reverse("branch-meeting-list"),
                                         {"type": "party_lecture", "date_to": "2026-03-31"})
    assert [row["date"] for row in response.json()["results"]] == ["2026-02-01"]


# --- rectifications ------------------------------------------------------------------------


@pytest.fixture
def rectification(village):
    return RectificationFactory(branch=BranchFactory(village=village, is_weak_lax=True))


def test_rectifications_are_for_township_and_county_roles(api_for, village_secretary, township_clerk,
                                                          other_township_clerk, rectification, foreign_village):
    RectificationFactory(branch=BranchFactory(village=foreign_village, is_weak_lax=True))
    assert api_for(village_secretary).get(reverse("branch-rectification-list")).status_code == 403
    assert response_count(api_for(township_clerk).get(reverse("branch-rectification-list"))) == 1
    detail = reverse("branch-rectification-detail", args=[rectification.pk])
    assert api_for(other_township_clerk).get(detail).status_code == 404


def test_the_rectification_workflow_through_the_api(api_for, township_clerk, county_admin, rectification):
    clerk, county = api_for(township_clerk), api_for(county_admin)
    accept = reverse("branch-rectification-accept", args=[rectification.pk])
    response = county.post(accept, {"accepted_on": "2026-05-01"}, format="json")
    assert response.status_code == 400 and response.json()["detail"] == MSG_ACCEPT_WITHOUT_PLAN
    assert clerk.post(reverse("branch-rectification-plan", args=[rectification.pk]), {"plan": "方案"},
                      format="json").status_code == 200
    response = clerk.post(reverse("branch-rectification-progress", args=[rectification.pk]),
                          {"date": "2026-04-01", "note": "已调整班子"}, format="json")
    assert response.status_code == 200 and response.json()["updates"][0]["note"] == "已调整班子"
    response = clerk.post(accept, {"accepted_on": "2026-05-01"}, format="json")
    assert response.status_code == 403 and response.json()["detail"] == MSG_NOT_ACCEPTOR
    response = county.post(accept, {"accepted_on": "2026-05-01", "note": "整改到位"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == RectificationStatus.ACCEPTED
    assert Branch.objects.get(pk=rectification.branch_id).is_weak_lax is False


def test_the_schema_documents_every_record_endpoint(api_for, county_admin):
    response = api_for(county_admin).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/branch-meetings/", "/api/branch-decisions/", "/api/branch-postings/",
                 "/api/branch-rectifications/{id}/accept/"):
        assert path in paths
