"""The member roster's providers, each as of the month's last day: a record dated after the month
never counts in it, a member who left before the month's end is not counted, one who joined after
it neither."""

import datetime as dt
from decimal import Decimal as D

import pytest

from branches.models import (
    ContactRecord,
    LinkedHousehold,
    MeetingAttendance,
    MemberCategory,
    MemberPost,
    Pledge,
    PledgeProgress,
    PostKind,
    Recognition,
)
from ratings.engine import NOT_APPLICABLE
from ratings.providers.members import (
    away_contacted_share,
    member_attendance_rate,
    member_average_points,
    members_linked_share,
    no_office_posted_share,
    pledges_on_track_share,
)
from tests.branches.factories import MeetingFactory, MemberFactory
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db
YEAR = 2026


def value(provider, village, month):
    answer = provider(village_ids=[village.pk], year=YEAR, month=month)
    return answer[village.pk][-1][1] if village.pk in answer else None


@pytest.fixture
def branch(village):
    return BranchFactory(village=village)


def test_posted_share_counts_posts_held_on_the_last_day(branch, village, county):
    kind = PostKind.objects.create(county=county, name="政策宣传岗")
    posted = MemberFactory(branch=branch, category=MemberCategory.NO_OFFICE)
    MemberFactory(branch=branch, category=MemberCategory.NO_OFFICE)
    MemberFactory(branch=branch, category=MemberCategory.NO_OFFICE, left_on=dt.date(2026, 3, 15),
                  leave_reason="transfer")  # left in March: not counted from March on
    MemberPost.objects.create(member=posted, kind=kind, duty="宣传", started_on=dt.date(2026, 3, 31),
                              ended_on=dt.date(2026, 5, 10))
    assert value(no_office_posted_share, village, 2) == D("0.00")  # 3 members, post not yet held
    assert value(no_office_posted_share, village, 3) == D("50.00")  # started on the last day
    assert value(no_office_posted_share, village, 5) == D("0.00")  # ended before May's last day


def test_posted_share_is_not_applicable_without_no_office_members(branch, village):
    MemberFactory(branch=branch, category=MemberCategory.IN_WORK)
    assert value(no_office_posted_share, village, 3) is NOT_APPLICABLE


def test_branch_without_roster_has_no_value(branch, village):
    assert value(no_office_posted_share, village, 3) is None
    assert value(member_average_points, village, 3) is None


def test_pledges_on_track_follow_reports_and_outcomes_as_of(branch, village):
    member = MemberFactory(branch=branch)
    first = Pledge.objects.create(member=member, year=YEAR, text="带动5户", made_on=dt.date(2026, 1, 10))
    Pledge.objects.create(member=member, year=YEAR, text="修路", made_on=dt.date(2026, 1, 10))
    PledgeProgress.objects.create(pledge=first, quarter=1, on_track=True, note="已带动2户",
                                  reported_on=dt.date(2026, 3, 30))
    assert value(pledges_on_track_share, village, 2) == D("100.00")  # made this quarter, no report due yet
    assert value(pledges_on_track_share, village, 3) == D("100.00")
    assert value(pledges_on_track_share, village, 4) == D("50.00")  # second has no report since Q1
    PledgeProgress.objects.create(pledge=first, quarter=2, on_track=False, note="滞后",
                                  reported_on=dt.date(2026, 6, 5))
    assert value(pledges_on_track_share, village, 5) == D("50.00")  # the June report is not yet known
    assert value(pledges_on_track_share, village, 6) == D("0.00")
    first.outcome, first.confirmed_on = "kept", dt.date(2026, 12, 20)
    first.save()
    assert value(pledges_on_track_share, village, 11) == D("0.00")
    assert value(pledges_on_track_share, village, 12) == D("50.00")


def test_away_contacted_counts_this_quarter_only(branch, village):
    away = MemberFactory(branch=branch, category=MemberCategory.AWAY)
    MemberFactory(branch=branch, category=MemberCategory.AWAY, joined_on=dt.date(2026, 5, 1))
    ContactRecord.objects.create(member=away, date=dt.date(2026, 2, 28), way="phone", by_name="张书记")
    assert value(away_contacted_share, village, 1) == D("0.00")
    assert value(away_contacted_share, village, 3) == D("100.00")  # one member, contacted in Q1
    assert value(away_contacted_share, village, 4) == D("0.00")  # a new quarter
    assert value(away_contacted_share, village, 5) == D("0.00")  # two members now, none contacted


def test_linked_share_counts_households_linked_on_the_last_day(branch, village):
    member = MemberFactory(branch=branch)
    MemberFactory(branch=branch)
    LinkedHousehold.objects.create(member=member, head_name="赵大", since=dt.date(2026, 4, 1),
                                   until=dt.date(2026, 8, 1))
    assert value(members_linked_share, village, 3) == D("0.00")
    assert value(members_linked_share, village, 4) == D("50.00")
    assert value(members_linked_share, village, 8) == D("0.00")


def test_average_points_count_the_month_and_the_members_on_its_last_day(branch, village):
    member = MemberFactory(branch=branch)
    MemberFactory(branch=branch)
    MemberFactory(branch=branch, joined_on=dt.date(2026, 6, 1))  # not yet in the branch in May
    Recognition.objects.create(member=member, date=dt.date(2026, 5, 31))
    Recognition.objects.create(member=member, date=dt.date(2026, 6, 1))  # June's, never May's
    assert value(member_average_points, village, 5) == D("2.50")
    assert value(member_average_points, village, 6) == D("1.67")


def test_attendance_rate_reads_the_rolls_of_the_month(branch, village):
    a, b = MemberFactory(branch=branch), MemberFactory(branch=branch)
    may = MeetingFactory(village=village, date=dt.date(2026, 5, 31))
    june = MeetingFactory(village=village, date=dt.date(2026, 6, 1), topic="六月")
    MeetingAttendance.objects.create(meeting=may, member=a, present=True)
    MeetingAttendance.objects.create(meeting=may, member=b, present=False)
    MeetingAttendance.objects.create(meeting=june, member=b, present=True)
    assert value(member_attendance_rate, village, 5) == D("50.00")
    assert value(member_attendance_rate, village, 6) == D("100.00")
    assert value(member_attendance_rate, village, 4) is None
