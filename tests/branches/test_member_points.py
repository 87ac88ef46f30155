"""Members' monthly points: the county scheme applied to the month's records.

The property test draws a scheme (points, caps, a deduction) and a month of records for two
members (with records of the months around it as noise), and checks the service against a
reimplementation written here from the rule's text, not from the service's code."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from branches.models import (
    DutyLog,
    HouseholdVisit,
    LinkedHousehold,
    MeetingAttendance,
    MemberPost,
    Pledge,
    PointsItem,
    PostKind,
    Recognition,
)
from branches.points import branch_averages, month_points
from tests.branches.factories import MeetingFactory, MemberFactory
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db

SOURCES = ["attendance", "duty_log", "pledge_kept", "household_visit", "recognition", "missed_meeting"]


def expected_points(scheme: dict, counts: dict) -> Decimal:
    """The scheme's text: each item earns its points per record up to its monthly cap; a
    deduction takes its points per record, at most its cap; the month is the items' sum."""
    total = Decimal(0)
    for source, (per, cap) in scheme.items():
        n = counts.get(source, 0)
        item = min(per * n, cap) if per >= 0 else -min(-per * n, cap)
        total += item.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return total


def _records(member, village, kind, source: str, day: dt.date, n: int) -> None:
    for i in range(n):
        if source in ("attendance", "missed_meeting"):
            meeting = MeetingFactory(village=village, date=day, topic=f"{source}{day}{i}", members_expected=9,
                                     attendance=1)
            MeetingAttendance.objects.create(meeting=meeting, member=member, present=source == "attendance")
        elif source == "duty_log":
            post = MemberPost.objects.filter(member=member).first() or MemberPost.objects.create(
                member=member, kind=kind, duty="宣传", started_on=dt.date(2025, 1, 1))
            DutyLog.objects.create(post=post, date=day, note="入户宣传")
        elif source == "pledge_kept":
            Pledge.objects.create(member=member, year=day.year, text="承诺", made_on=dt.date(day.year, 1, 1),
                                  outcome="kept", confirmed_on=day)
        elif source == "household_visit":
            household = LinkedHousehold.objects.filter(member=member).first() or LinkedHousehold.objects.create(
                member=member, head_name="户主", since=dt.date(2025, 1, 1))
            HouseholdVisit.objects.create(household=household, date=day, note="走访")
        else:
            Recognition.objects.create(member=member, date=day)


money = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("6"), places=1)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(per=st.lists(money, min_size=6, max_size=6), caps=st.lists(money, min_size=6, max_size=6),
       counts=st.lists(st.fixed_dictionaries({s: st.integers(0, 4) for s in SOURCES}), min_size=2, max_size=2),
       noise=st.integers(0, 2))
def test_monthly_points_equal_the_scheme_applied_to_the_records(county, village, per, caps, counts, noise):
    scheme = {s: ((-p if s == "missed_meeting" else p), c) for s, p, c in zip(SOURCES, per, caps, strict=True)}
    sid = transaction.savepoint()
    try:
        for source, (p, c) in scheme.items():
            PointsItem.objects.create(county=county, source=source, points=p, monthly_cap=c)
        branch = BranchFactory(village=village)
        kind = PostKind.objects.create(county=county, name="环境卫生岗")
        members = [MemberFactory(branch=branch) for _ in counts]
        for member, drawn in zip(members, counts, strict=True):
            for source, n in drawn.items():
                _records(member, village, kind, source, dt.date(2026, 5, 1 + n), n)
                # Records of April and June never count in May.
                _records(member, village, kind, source, dt.date(2026, 4, 30), noise)
                _records(member, village, kind, source, dt.date(2026, 6, 1), noise)
        got = month_points(prefix=village.code, year=2026, month=5, county=county)
        for member, drawn in zip(members, counts, strict=True):
            assert got[member.pk].total == expected_points(scheme, drawn)
    finally:
        transaction.savepoint_rollback(sid)


def test_caps_and_deductions_on_a_known_month(county, village):
    branch = BranchFactory(village=village)
    member = MemberFactory(branch=branch)
    kind = PostKind.objects.create(county=county, name="矛盾调解岗")
    _records(member, village, kind, "attendance", dt.date(2026, 5, 3), 6)   # 6 × 2 = 12, capped at 8
    _records(member, village, kind, "missed_meeting", dt.date(2026, 5, 9), 4)  # 4 × −3 = −12, capped at −9
    _records(member, village, kind, "recognition", dt.date(2026, 5, 9), 1)  # 5
    result = month_points(prefix=village.code, year=2026, month=5)[member.pk]
    assert result.total == Decimal(4)
    assert dict((s, p) for s, _, p in result.lines) == {"attendance": 8, "missed_meeting": -9, "recognition": 5}


def test_branch_average_counts_members_in_the_branch_at_month_end(village):
    branch = BranchFactory(village=village)
    stays = MemberFactory(branch=branch)
    MemberFactory(branch=branch, left_on=dt.date(2026, 5, 10), leave_reason="transfer")
    MemberFactory(branch=branch, joined_on=dt.date(2026, 6, 1))
    Recognition.objects.create(member=stays, date=dt.date(2026, 5, 2))
    assert branch_averages(prefix=village.code, year=2026, month=5) == {village.pk: Decimal("5.00")}
