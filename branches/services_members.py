"""Writes to the member roster and its records (posts, pledges, households, contacts, care).

Who may write: the village secretary and the first secretary for their own village, township
staff for the villages of their township (the same rule as organisational life,
`services.may_record`). Every write validates the row, saves it and leaves a `RecordEvent` in
one transaction; a member is never deleted, he leaves with a date and a reason. Once a branch
has a roster its member counts are the roster's (`branch_counts_sync`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from config.phones import MOBILE_RE, MSG_MOBILE

from .models import Branch
from .models_members import (
    CareVisit,
    ContactRecord,
    DutyLog,
    HouseholdVisit,
    LinkedHousehold,
    Member,
    MemberCategory,
    MemberPost,
    MemberStanding,
    Pledge,
    PledgeProgress,
    Recognition,
)
from .models_records import RecordEvent
from .services import _diff, _event, _snapshot, record_check

MSG_ALREADY_LEFT = "该党员已离开本支部"
MSG_LEFT_FUTURE = "离开日期不能晚于今天"
MSG_FUTURE = "日期不能晚于今天"
MSG_POST_CATEGORY = "只有无职党员设岗定责"
MSG_CONTACT_CATEGORY = "只有流动党员需要登记联系记录"
MSG_CARE_CATEGORY = "只有年老体弱党员登记关爱走访"
MSG_LEFT_MEMBER = "该党员已离开本支部，不能再登记"
MSG_PLEDGE_CONFIRMED = "该承诺已由支部确认践诺情况"
MSG_NOT_IN_BRANCH = "“{name}”不是本支部的党员"

MEMBER_FIELDS = ("name", "gender", "birth_year", "joined_on", "standing", "category", "committee_role", "phone",
                 "contact_name", "note")


def _future(errors: dict, field: str, value) -> None:
    if value and value > timezone.localdate():
        errors[field] = MSG_FUTURE


def branch_counts_sync(branch_ids) -> None:
    """The member counts of branches that have a roster, from their current members (two
    queries whatever the number): the typed figures stay for branches without one."""
    rows = (Member.objects.filter(branch_id__in=list(branch_ids)).order_by().values("branch_id")
            .annotate(total=Count("id", filter=Q(left_on__isnull=True)),
                      probationary=Count("id", filter=Q(left_on__isnull=True, standing=MemberStanding.PROBATIONARY))))
    counts = {r["branch_id"]: (r["total"], r["probationary"]) for r in rows}
    branches = list(Branch.objects.filter(pk__in=list(counts)))
    for branch in branches:
        branch.member_count, branch.probationary_count = counts[branch.pk]
    Branch.objects.bulk_update(branches, ["member_count", "probationary_count"], batch_size=500)


def branch_has_roster(branch: Branch) -> bool:
    return Member.objects.filter(branch=branch).exists()


@transaction.atomic
def member_save(*, branch: Branch, by, member: Member | None = None, **fields) -> Member:
    """1. who may write, 2. validate (phone, dates, model rules), 3. save with its event and
    bring the branch's counts to the roster."""
    record_check(by, branch.village)
    row = member or Member(branch=branch)
    if row.pk and row.has_left:
        raise ValidationError(MSG_LEFT_MEMBER)
    before = _snapshot(Member.objects.get(pk=row.pk), list(MEMBER_FIELDS)) if row.pk else {}
    errors: dict[str, str] = {}
    phone = (fields.get("phone") or "").strip()
    if phone and not MOBILE_RE.match(phone):
        errors["phone"] = MSG_MOBILE
    _future(errors, "joined_on", fields.get("joined_on"))
    if errors:
        raise ValidationError(errors)
    for name in MEMBER_FIELDS:
        if name in fields:
            setattr(row, name, fields[name] if fields[name] is not None else "")
    row.phone = phone
    if row.category != MemberCategory.AWAY:
        row.contact_name = row.contact_name or ""
    creating = row.pk is None
    if creating:
        row.created_by = by
    row.updated_by = by
    row.full_clean()
    row.save()
    after = _snapshot(row, list(MEMBER_FIELDS))
    changes = after if creating else _diff(before, after)
    if changes:
        _event(row=row, village=branch.village, action=RecordEvent.Action.CREATE if creating else RecordEvent.Action.UPDATE,
               by=by, changes=changes)
    branch_counts_sync([branch.pk])
    return row


@transaction.atomic
def member_leave(*, member: Member, left_on: dt.date, reason: str, by) -> Member:
    """A member leaves the branch (transfer, death…): dated, never deleted. Two clerks leaving
    the same member at once: the second is told he already left."""
    branch = member.branch
    record_check(by, branch.village)
    row = Member.objects.select_for_update().get(pk=member.pk)
    if row.has_left:
        raise ValidationError(MSG_ALREADY_LEFT)
    if left_on and left_on > timezone.localdate():
        raise ValidationError({"left_on": MSG_LEFT_FUTURE})
    row.left_on, row.leave_reason, row.updated_by = left_on, reason, by
    row.full_clean()
    row.save()
    _event(row=row, village=branch.village, action=RecordEvent.Action.LEAVE, by=by,
           changes={"left_on": left_on.isoformat(), "leave_reason": row.get_leave_reason_display()})
    branch_counts_sync([branch.pk])
    return row


# --- the member's records --------------------------------------------------------------------


def _check_member(member: Member, by, *, category: str | None = None, message: str = "") -> None:
    record_check(by, member.branch.village)
    if member.has_left:
        raise ValidationError(MSG_LEFT_MEMBER)
    if category and member.category != category:
        raise ValidationError(message)


def _create(row, *, member: Member, by, date_fields: tuple[str, ...] = ()):
    errors: dict[str, str] = {}
    for name in date_fields:
        _future(errors, name, getattr(row, name))
    if errors:
        raise ValidationError(errors)
    if hasattr(row, "created_by_id") and row.created_by_id is None:
        row.created_by = by
    if hasattr(row, "updated_by_id"):
        row.updated_by = by
    row.full_clean()
    row.save()
    fields = [f.name for f in row._meta.concrete_fields
              if f.name not in ("id", "member", "created_by", "updated_by", "created_at", "updated_at", "post",
                                "household", "pledge", "kind")]
    _event(row=row, village=member.branch.village, action=RecordEvent.Action.CREATE, by=by,
           changes={"member": member.name, **_snapshot(row, fields)})
    return row


@transaction.atomic
def member_post_add(*, member: Member, kind, duty: str, started_on: dt.date, by) -> MemberPost:
    _check_member(member, by, category=MemberCategory.NO_OFFICE, message=MSG_POST_CATEGORY)
    return _create(MemberPost(member=member, kind=kind, duty=duty, started_on=started_on), member=member, by=by,
                   date_fields=("started_on",))


@transaction.atomic
def duty_log_add(*, post: MemberPost, date: dt.date, note: str, by) -> DutyLog:
    _check_member(post.member, by)
    return _create(DutyLog(post=post, date=date, note=note), member=post.member, by=by, date_fields=("date",))


@transaction.atomic
def pledge_add(*, member: Member, year: int, text: str, made_on: dt.date, by) -> Pledge:
    _check_member(member, by)
    return _create(Pledge(member=member, year=year, text=text, made_on=made_on), member=member, by=by,
                   date_fields=("made_on",))


@transaction.atomic
def pledge_progress_save(*, pledge: Pledge, quarter: int, on_track: bool, note: str, reported_on: dt.date,
                         by) -> PledgeProgress:
    """A quarter's progress; a second report for the same quarter replaces the first."""
    _check_member(pledge.member, by)
    row = PledgeProgress.objects.filter(pledge=pledge, quarter=quarter).first() or PledgeProgress(
        pledge=pledge, quarter=quarter)
    row.on_track, row.note, row.reported_on = on_track, note, reported_on
    return _create(row, member=pledge.member, by=by, date_fields=("reported_on",))


@transaction.atomic
def pledge_confirm(*, pledge: Pledge, outcome: str, confirmed_on: dt.date, by) -> Pledge:
    """The branch confirms the year-end outcome (已践诺 / 未践诺), once."""
    _check_member(pledge.member, by)
    row = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if row.outcome:
        raise ValidationError(MSG_PLEDGE_CONFIRMED)
    row.outcome, row.confirmed_on = outcome, confirmed_on
    return _create(row, member=pledge.member, by=by, date_fields=("confirmed_on",))


@transaction.atomic
def household_add(*, member: Member, head_name: str, group: str, people: int, since: dt.date, by) -> LinkedHousehold:
    _check_member(member, by)
    return _create(LinkedHousehold(member=member, head_name=head_name, group=group, people=people, since=since),
                   member=member, by=by, date_fields=("since",))


@transaction.atomic
def household_visit_add(*, household: LinkedHousehold, date: dt.date, note: str, by) -> HouseholdVisit:
    _check_member(household.member, by)
    return _create(HouseholdVisit(household=household, date=date, note=note), member=household.member, by=by,
                   date_fields=("date",))


@transaction.atomic
def contact_add(*, member: Member, date: dt.date, way: str, by_name: str, note: str, by) -> ContactRecord:
    _check_member(member, by, category=MemberCategory.AWAY, message=MSG_CONTACT_CATEGORY)
    return _create(ContactRecord(member=member, date=date, way=way, by_name=by_name, note=note), member=member,
                   by=by, date_fields=("date",))


@transaction.atomic
def care_visit_add(*, member: Member, date: dt.date, visitor: str, note: str, by) -> CareVisit:
    _check_member(member, by, category=MemberCategory.ELDERLY, message=MSG_CARE_CATEGORY)
    return _create(CareVisit(member=member, date=date, visitor=visitor, note=note), member=member, by=by,
                   date_fields=("date",))


@transaction.atomic
def recognition_add(*, member: Member, date: dt.date, title: str, by) -> Recognition:
    _check_member(member, by)
    return _create(Recognition(member=member, date=date, title=title), member=member, by=by, date_fields=("date",))


MSG_ROLL_EMPTY = "该会议日期本支部没有在册党员，无法登记出席"


@transaction.atomic
def attendance_roll_save(*, meeting, present_ids: set[int], excused_ids: set[int], by) -> int:
    """The roll of a meeting: every member in the branch on its date is present, absent with
    leave (excused) or absent; the meeting's expected and present figures follow the roll (with
    an event, as any change of a meeting). Returns the number present."""
    from .models_members import MeetingAttendance
    from .models_records import Meeting

    record_check(by, meeting.village)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    members = list(Member.objects.current_on(meeting.date).filter(branch__village=meeting.village))
    if not members:
        raise ValidationError(MSG_ROLL_EMPTY)
    MeetingAttendance.objects.filter(meeting=meeting).delete()
    MeetingAttendance.objects.bulk_create([
        MeetingAttendance(meeting=meeting, member=m, present=m.pk in present_ids,
                          excused=m.pk not in present_ids and m.pk in excused_ids) for m in members])
    present = sum(1 for m in members if m.pk in present_ids)
    before = {"members_expected": meeting.members_expected, "attendance": meeting.attendance}
    meeting.members_expected, meeting.attendance, meeting.updated_by = len(members), present, by
    meeting.save(update_fields=["members_expected", "attendance", "updated_by", "updated_at"])
    changes = _diff(before, {"members_expected": len(members), "attendance": present})
    _event(row=meeting, village=meeting.village, action=RecordEvent.Action.UPDATE, by=by,
           changes={**changes, "roll": {"before": None, "after": f"出席 {present} 人"}})
    from .services import _rescore

    _rescore(meeting.village_id, meeting.date)
    return present
