"""The member roster's pages: who reads (scope, 404 outside), who writes (403 for read-only
roles), the phone masked outside the township, leaving confirmed, the records' forms."""

import datetime as dt

import pytest
from django.urls import reverse

from branches.models import Member, MemberCategory, PostKind
from tests.branches.factories import MemberFactory
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(village):
    return BranchFactory(village=village)


@pytest.fixture
def member(branch):
    return MemberFactory(branch=branch, name="王建国", phone="13812345678", category=MemberCategory.NO_OFFICE)


def test_secretary_lands_on_own_roster(client_for, village_secretary, member, village):
    client = client_for(village_secretary)
    response = client.get(reverse("branches:member_index"))
    assert response.status_code == 302 and response.url == reverse("branches:member_roster", args=[village.code])
    page = client.get(response.url).content.decode()
    assert "王建国" in page and "13812345678" in page


def test_township_lists_its_villages_with_counts(client_for, township_clerk, member, village, other_village,
                                                 foreign_village):
    page = client_for(township_clerk).get(reverse("branches:member_index")).content.decode()
    assert village.name in page and other_village.name in page and foreign_village.name not in page


def test_county_reads_roster_with_phone_masked_and_cannot_write(client_for, county_admin, member, village):
    client = client_for(county_admin)
    page = client.get(reverse("branches:member_roster", args=[village.code])).content.decode()
    assert "王建国" in page and "138****5678" in page and "13812345678" not in page
    detail = client.get(reverse("branches:member_detail", args=[member.pk])).content.decode()
    assert "13812345678" not in detail
    assert client.get(reverse("branches:member_create", args=[village.code])).status_code == 403
    assert client.get(reverse("branches:member_leave", args=[member.pk])).status_code == 403


@pytest.mark.parametrize("name", ["member_detail", "member_edit", "member_leave"])
def test_other_township_gets_404_for_a_member(client_for, other_township_clerk, member, name):
    assert client_for(other_township_clerk).get(reverse(f"branches:{name}", args=[member.pk])).status_code == 404


def test_other_township_gets_404_for_a_roster(client_for, other_township_clerk, member, village):
    client = client_for(other_township_clerk)
    assert client.get(reverse("branches:member_roster", args=[village.code])).status_code == 404
    assert client.get(reverse("branches:member_create", args=[village.code])).status_code == 404


def test_secretary_adds_a_member_by_form(client_for, village_secretary, branch, village):
    response = client_for(village_secretary).post(reverse("branches:member_create", args=[village.code]), {
        "name": "李芳", "gender": "女", "birth_year": 1985, "joined_on": "2010-07-01", "standing": "full",
        "category": "away", "committee_role": "", "phone": "13912345678", "contact_name": "张书记", "note": ""})
    assert response.status_code == 302
    assert Member.objects.get(name="李芳").category == "away"
    branch.refresh_from_db()
    assert branch.member_count == 1


def test_bad_input_is_shown_in_chinese_not_500(client_for, village_secretary, branch, village):
    response = client_for(village_secretary).post(reverse("branches:member_create", args=[village.code]), {
        "name": "李芳", "gender": "女", "birth_year": 1985, "joined_on": "2010-07-01", "standing": "full",
        "category": "away", "phone": "123"})
    assert response.status_code == 200 and "手机号应为11位数字" in response.content.decode()


def test_leave_asks_for_confirmation_then_keeps_the_member(client_for, township_clerk, member):
    client = client_for(township_clerk)
    url = reverse("branches:member_leave", args=[member.pk])
    page = client.get(url).content.decode()
    assert "确认登记" in page and "不能撤销" in page
    assert Member.objects.get(pk=member.pk).left_on is None
    response = client.post(url, {"left_on": "2026-03-01", "reason": "transfer"})
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).left_on == dt.date(2026, 3, 1)


def test_record_forms_add_a_post_and_a_duty_log(client_for, village_secretary, member, county):
    kind = PostKind.objects.create(county=county, name="环境卫生岗")
    client = client_for(village_secretary)
    assert "尚无岗位" in client.get(reverse("branches:member_record_add", args=[member.pk, "duty"])).content.decode()
    client.post(reverse("branches:member_record_add", args=[member.pk, "post"]),
                {"kind": kind.pk, "duty": "负责村内环境卫生", "started_on": "2026-01-05"})
    post = member.posts.get()
    client.post(reverse("branches:member_record_add", args=[member.pk, "duty"]),
                {"post": post.pk, "date": "2026-02-05", "note": "清理垃圾"})
    assert post.logs.count() == 1
    page = client.get(reverse("branches:member_detail", args=[member.pk])).content.decode()
    assert "环境卫生岗" in page


def test_record_kind_of_another_category_is_404(client_for, village_secretary, member):
    assert client_for(village_secretary).get(
        reverse("branches:member_record_add", args=[member.pk, "contact"])).status_code == 404


def test_wrong_method_is_405(client_for, village_secretary, member):
    assert client_for(village_secretary).post(reverse("branches:member_detail", args=[member.pk])).status_code == 405


def test_roster_query_count_does_not_grow_with_members(client_for, township_clerk, branch, village,
                                                       django_assert_max_num_queries):
    for _ in range(30):
        MemberFactory(branch=branch)
    client = client_for(township_clerk)
    client.get(reverse("branches:member_roster", args=[village.code]))
    with django_assert_max_num_queries(30):
        client.get(reverse("branches:member_roster", args=[village.code]))


def test_meeting_roll_sets_attendance_and_scores(client_for, village_secretary, branch, village, county_admin,
                                                 other_township_clerk):
    from branches.models import MeetingAttendance
    from branches.points import month_points
    from tests.branches.factories import MeetingFactory

    a, b, c = (MemberFactory(branch=branch) for _ in range(3))
    meeting = MeetingFactory(village=village, date=dt.date(2026, 3, 5), members_expected=9, attendance=9)
    url = reverse("branches:meeting_roll", args=[meeting.pk])
    assert client_for(other_township_clerk).get(url).status_code == 404
    county = client_for(county_admin)
    assert county.get(url).status_code == 200 and county.post(url, {}).status_code == 403
    client = client_for(village_secretary)
    assert client.post(url, {f"m{a.pk}": "present", f"m{b.pk}": "excused", f"m{c.pk}": "absent"}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.members_expected, meeting.attendance) == (3, 1)
    assert MeetingAttendance.objects.filter(meeting=meeting).count() == 3
    points = month_points(prefix=village.code, year=2026, month=3)
    assert [points[m.pk].total for m in (a, b, c)] == [2, 0, -3]
