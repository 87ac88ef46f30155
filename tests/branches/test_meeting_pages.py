"""The organisational-life pages: list with compliance, record, edit, delete; scope and input checks."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from branches.models import Meeting, MeetingType, RecordEvent
from branches.services import MSG_FILE_SIZE, MSG_FILE_TYPE, MSG_FUTURE_DATE
from tests.factories import BranchFactory, VillageFactory
from tests.uploads import png_bytes

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db

LIST = reverse("branches:meeting_list")
CREATE = reverse("branches:meeting_create")
PNG = png_bytes()


def today():
    return timezone.localdate()


def form_data(village, **overrides):
    data = {"village": village.code, "type": MeetingType.COMMITTEE_MEETING, "date": today().isoformat(),
            "topic": "研究五星支部创建推进措施", "members_expected": "5", "attendance": "4", "minutes": "会议决定……"}
    data.update(overrides)
    return data


@pytest.fixture
def meeting(village):
    return MeetingFactory(village=village, date=today().replace(day=1))


@pytest.fixture
def foreign_meeting(foreign_village):
    return MeetingFactory(village=foreign_village, date=today().replace(day=1), topic="外乡会议")


# --- the list and its compliance table ---------------------------------------------------------


@pytest.mark.parametrize("role", ["village_secretary", "first_secretary", "township_clerk", "county_admin",
                                  "branch_reviewer"])
def test_every_posted_role_sees_the_list(role, request, client_for, meeting):
    response = client_for(request.getfixturevalue(role)).get(LIST)
    assert response.status_code == 200
    assert meeting.topic in response.content.decode()


def test_village_roles_see_their_village_compliance_per_type(client_for, village_secretary, village):
    MeetingFactory(village=village, type=MeetingType.COMMITTEE_MEETING, date=today().replace(day=1))
    MeetingFactory(village=village, type=MeetingType.COMMITTEE_MEETING, date=today().replace(day=2))
    response = client_for(village_secretary).get(LIST)
    rows = {r.type: r for r in response.context["compliance"]}
    assert response.context["village"] == village
    assert (rows["committee_meeting"].held, rows["committee_meeting"].done, rows["committee_meeting"].status) == (2, 1, "met")
    assert rows["group_meeting"].done == 0


def test_township_sees_its_villages_not_the_other_townships(client_for, township_clerk, meeting, foreign_meeting,
                                                           village, other_village, foreign_village):
    response = client_for(township_clerk).get(LIST)
    body = response.content.decode()
    assert meeting.topic in body and foreign_meeting.topic not in body
    table = [entry["village"] for entry in response.context["table_page"]]
    assert table == [village, other_village]


def test_a_village_of_another_township_is_404(client_for, township_clerk, foreign_village):
    assert client_for(township_clerk).get(LIST, {"village": foreign_village.code}).status_code == 404


def test_filters_by_type_and_quarter(client_for, county_admin, village):
    year = today().year
    MeetingFactory(village=village, type=MeetingType.PARTY_LECTURE, date=dt.date(year, 2, 3), topic="党课一")
    MeetingFactory(village=village, type=MeetingType.COMMITTEE_MEETING, date=dt.date(year, 2, 4), topic="支委会一")
    MeetingFactory(village=village, type=MeetingType.PARTY_LECTURE, date=dt.date(year, 4, 3), topic="党课二")
    response = client_for(county_admin).get(LIST, {"type": "party_lecture", "month": f"{year}-01", "quarter": "1"})
    assert [m.topic for m in response.context["meetings"]] == ["党课一"]


def test_a_bad_month_shows_a_message_not_an_error(client_for, township_clerk):
    response = client_for(township_clerk).get(LIST, {"month": "二〇二六年"})
    assert response.status_code == 200
    assert "月份格式应为" in response.content.decode()


def test_list_without_a_post_is_403(client, django_user_model):
    user = django_user_model.objects.create_user(username="nobody", password="x")
    client.force_login(user)
    assert client.get(LIST).status_code == 403


def test_wrong_method_is_405(client_for, township_clerk, meeting):
    api = client_for(township_clerk)
    assert api.post(LIST).status_code == 405
    assert api.get(reverse("branches:meeting_delete", args=[meeting.pk])).status_code == 405
    assert api.delete(reverse("branches:meeting_edit", args=[meeting.pk])).status_code == 405


def _list_queries(client, township, start, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import DecisionFactory, PostingFactory, RectificationFactory

    for i in range(start, start + count):
        v = VillageFactory(parent=township, code=f"419901001{i + 100:03d}")
        branch = BranchFactory(village=v)
        MeetingFactory(village=v, date=today().replace(day=1))
        DecisionFactory(village=v)
        PostingFactory(village=v)
        RectificationFactory(branch=branch)
    counts = {}
    for name in ("meeting_list", "decision_list", "posting_list", "rectification_list"):
        client.get(reverse(f"branches:{name}"))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"branches:{name}")).status_code == 200
        counts[name] = len(queries)
    return counts


def test_the_county_lists_run_the_same_queries_for_3_and_30_villages(township, client_for, county_admin):
    client = client_for(county_admin)
    three = _list_queries(client, township, 0, 3)
    thirty = _list_queries(client, township, 3, 27)
    assert three == thirty
    assert max(thirty.values()) <= 10


# --- recording -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["village_secretary", "first_secretary", "township_clerk"])
def test_recording_roles_record_a_meeting_with_who_and_when(role, request, client_for, village):
    user = request.getfixturevalue(role)
    response = client_for(user).post(CREATE, form_data(village))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.village, meeting.created_by, meeting.updated_by, meeting.attendance) == (village, user, user, 4)
    event = RecordEvent.objects.get(record_type="meeting", record_id=meeting.pk)
    assert (event.action, event.actor, event.changes["topic"]) == ("create", user, "研究五星支部创建推进措施")


def test_a_photo_is_kept_with_the_meeting(client_for, village_secretary, village):
    photo = SimpleUploadedFile("会议.png", PNG, content_type="image/png")
    response = client_for(village_secretary).post(CREATE, {**form_data(village), "attachment": photo})
    assert response.status_code == 302
    assert Meeting.objects.get().attachment.name.endswith(".png")


@pytest.mark.parametrize("role", ["county_admin", "branch_reviewer"])
def test_county_roles_read_but_do_not_record(role, request, client_for, village, meeting):
    client = client_for(request.getfixturevalue(role))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(village)).status_code == 403
    assert client.post(reverse("branches:meeting_edit", args=[meeting.pk]), form_data(village)).status_code == 403
    assert client.post(reverse("branches:meeting_delete", args=[meeting.pk])).status_code == 403
    assert Meeting.objects.count() == 1


def test_a_village_secretary_cannot_record_for_another_village(client_for, village_secretary, other_village):
    response = client_for(village_secretary).post(CREATE, form_data(other_village))
    assert response.status_code == 200  # not one of the choices: the form says so
    assert "village" in response.context["chooser"].errors
    assert not Meeting.objects.exists()


def test_another_townships_meeting_is_404(client_for, other_township_clerk, meeting):
    client = client_for(other_township_clerk)
    assert client.get(reverse("branches:meeting_edit", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("branches:meeting_delete", args=[meeting.pk])).status_code == 404
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_editing_keeps_the_before_and_after(client_for, first_secretary, township_clerk, village, meeting):
    url = reverse("branches:meeting_edit", args=[meeting.pk])
    response = client_for(first_secretary).post(url, form_data(village, topic="改过的主题", date=meeting.date.isoformat()))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.updated_by) == ("改过的主题", first_secretary)
    event = RecordEvent.objects.get(record_id=meeting.pk, action="update")
    assert event.changes["topic"] == {"before": "研究本月重点工作", "after": "改过的主题"}
    page = client_for(township_clerk).get(url)
    assert "改过的主题" in page.content.decode() and "修改记录" in page.content.decode()


def test_deleting_is_recorded(client_for, township_clerk, meeting):
    response = client_for(township_clerk).post(reverse("branches:meeting_delete", args=[meeting.pk]))
    assert response.status_code == 302
    assert not Meeting.objects.exists()
    assert RecordEvent.objects.get(record_id=meeting.pk, action="delete").actor == township_clerk


# --- invalid input -------------------------------------------------------------------------


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"attendance": "9"}, "attendance", "实到人数不能超过应到人数"),
    ({"date": (dt.date.today() + dt.timedelta(days=40)).isoformat()}, "date", MSG_FUTURE_DATE),
    ({"topic": ""}, "topic", "该字段是必填项。"),
    ({"members_expected": "-3"}, "members_expected", None),
    ({"type": "dinner"}, "type", None),
])
def test_invalid_input_gives_a_message_and_saves_nothing(overrides, field, message, client_for, village_secretary,
                                                         village):
    response = client_for(village_secretary).post(CREATE, form_data(village, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in errors[field]
    assert not Meeting.objects.exists()


def test_a_renamed_text_file_is_refused_by_its_content(client_for, village_secretary, village):
    fake = SimpleUploadedFile("会议.jpg", b"just some text, not a picture", content_type="image/jpeg")
    response = client_for(village_secretary).post(CREATE, {**form_data(village), "attachment": fake})
    assert MSG_FILE_TYPE in response.context["form"].errors["attachment"]
    assert not Meeting.objects.exists()


def test_a_file_over_the_limit_is_refused(client_for, village_secretary, village, settings):
    settings.PORTAL = {**settings.PORTAL, "EVIDENCE_MAX_BYTES": 50}
    photo = SimpleUploadedFile("会议.png", PNG, content_type="image/png")
    response = client_for(village_secretary).post(CREATE, {**form_data(village), "attachment": photo})
    assert MSG_FILE_SIZE.format(mb=0) in response.context["form"].errors["attachment"]
    assert not Meeting.objects.exists()


def test_editing_without_a_new_file_keeps_the_stored_one(client_for, village_secretary, village):
    photo = SimpleUploadedFile("会议.png", PNG, content_type="image/png")
    client = client_for(village_secretary)
    client.post(CREATE, {**form_data(village), "attachment": photo})
    meeting = Meeting.objects.get()
    stored = meeting.attachment.name
    response = client.post(reverse("branches:meeting_edit", args=[meeting.pk]), form_data(village, topic="补充主题"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.attachment.name) == ("补充主题", stored)
