"""The member roster's writes: who may write, leaving (never deleting), counts from the roster,
category rules of the records, the audit trail."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from branches import services_members as svc
from branches.models import Branch, Member, MemberCategory, PostKind, RecordEvent
from tests.branches.factories import MemberFactory
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db

FIELDS = {"name": "王建国", "gender": "男", "birth_year": 1968, "joined_on": dt.date(1995, 7, 1),
          "standing": "full", "category": "no_office", "committee_role": "", "phone": "13812345678",
          "contact_name": "", "note": ""}


def test_secretary_adds_member_and_branch_counts_come_from_the_roster(village, village_secretary):
    branch = BranchFactory(village=village, member_count=40, probationary_count=2)
    svc.member_save(branch=branch, by=village_secretary, **FIELDS)
    svc.member_save(branch=branch, by=village_secretary, **{**FIELDS, "name": "李芳", "standing": "probationary"})
    branch.refresh_from_db()
    assert (branch.member_count, branch.probationary_count) == (2, 1)
    assert RecordEvent.objects.filter(record_type="member", action="create").count() == 2


def test_branch_without_roster_keeps_its_typed_count(village, other_village, village_secretary):
    typed = BranchFactory(village=other_village, member_count=40)
    branch = BranchFactory(village=village)
    svc.member_save(branch=branch, by=village_secretary, **FIELDS)
    typed.refresh_from_db()
    assert typed.member_count == 40


def test_clerk_of_other_township_cannot_add_member(village, other_township_clerk):
    branch = BranchFactory(village=village)
    with pytest.raises(PermissionDenied):
        svc.member_save(branch=branch, by=other_township_clerk, **FIELDS)
    assert not Member.objects.exists()


def test_bad_phone_is_refused_in_chinese(village, village_secretary):
    branch = BranchFactory(village=village)
    with pytest.raises(ValidationError) as error:
        svc.member_save(branch=branch, by=village_secretary, **{**FIELDS, "phone": "12345"})
    assert "手机号" in str(error.value)


def test_leave_keeps_the_member_and_updates_counts(village, township_clerk):
    branch = BranchFactory(village=village)
    member = svc.member_save(branch=branch, by=township_clerk, **FIELDS)
    svc.member_save(branch=branch, by=township_clerk, **{**FIELDS, "name": "李芳"})
    svc.member_leave(member=member, left_on=dt.date(2026, 3, 1), reason="death", by=township_clerk)
    assert Member.objects.filter(pk=member.pk, left_on=dt.date(2026, 3, 1)).exists()
    assert Branch.objects.get(pk=branch.pk).member_count == 1
    assert RecordEvent.objects.filter(record_type="member", record_id=member.pk, action="leave").exists()
    with pytest.raises(ValidationError) as error:
        svc.member_leave(member=member, left_on=dt.date(2026, 3, 2), reason="transfer", by=township_clerk)
    assert svc.MSG_ALREADY_LEFT in error.value.messages


def test_leave_needs_a_reason(village, township_clerk):
    member = MemberFactory(branch=BranchFactory(village=village))
    with pytest.raises(ValidationError):
        svc.member_leave(member=member, left_on=dt.date(2026, 3, 1), reason="", by=township_clerk)


def test_records_follow_the_member_category(village, county, village_secretary):
    branch = BranchFactory(village=village)
    in_work = MemberFactory(branch=branch, category=MemberCategory.IN_WORK)
    away = MemberFactory(branch=branch, category=MemberCategory.AWAY)
    kind = PostKind.objects.create(county=county, name="政策宣传岗")
    with pytest.raises(ValidationError) as error:
        svc.member_post_add(member=in_work, kind=kind, duty="宣传政策", started_on=dt.date(2026, 1, 5),
                            by=village_secretary)
    assert svc.MSG_POST_CATEGORY in error.value.messages
    with pytest.raises(ValidationError):
        svc.care_visit_add(member=away, date=dt.date(2026, 1, 5), visitor="张书记", note="", by=village_secretary)
    contact = svc.contact_add(member=away, date=dt.date(2026, 1, 5), way="phone", by_name="张书记", note="在外务工",
                              by=village_secretary)
    assert contact.pk and RecordEvent.objects.filter(record_type="contactrecord").exists()


def test_pledge_outcome_is_confirmed_once(village, village_secretary):
    member = MemberFactory(branch=BranchFactory(village=village))
    pledge = svc.pledge_add(member=member, year=2026, text="带动5户发展产业", made_on=dt.date(2026, 1, 10),
                            by=village_secretary)
    svc.pledge_confirm(pledge=pledge, outcome="kept", confirmed_on=dt.date(2026, 1, 20), by=village_secretary)
    with pytest.raises(ValidationError):
        svc.pledge_confirm(pledge=pledge, outcome="not_kept", confirmed_on=dt.date(2026, 1, 21), by=village_secretary)


def test_future_dates_are_refused(village, village_secretary):
    member = MemberFactory(branch=BranchFactory(village=village))
    with pytest.raises(ValidationError):
        svc.recognition_add(member=member, date=dt.date(2099, 1, 1), title="好家风", by=village_secretary)
