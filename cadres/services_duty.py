"""The responsibility system's writes: assignments (包联, 责任组) and contact visits (走访).

Who may assign: the organisation department for the whole county; a township's staff for the
villages of their township, and only township leaders, village secretaries and other members
(county leaders and the department's own staff are assigned by the department). A visit is
recorded by the assigned person himself, for a village his assignment covers on that day; the
problems he raises become problem-ledger items already reported to the township, in the same
transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.scope import can_see_region, has_role
from villages.models import Level, Region

from .models import Role, StarCode
from .models_duty import Assignment, ContactVisit, Duty, DutyTier
from .signals import visit_problems_raised

MSG_NOT_ALLOWED = "您无权执行此操作。"
MSG_NAME_REQUIRED = "请填写责任人姓名或选择责任人账号。"
MSG_DATE_ORDER = "结束日期不能早于开始日期。"
MSG_START_YEAR = "开始日期应在{year}年内。"
MSG_REGION_LEVEL = "{tier}分包的对象应为{levels}。"
MSG_GROUP_VILLAGE = "责任组只能设在村（社区）。"
MSG_GROUP_LEADER_TIER = "责任组组长应由包村的乡镇领导（包村干部）担任。"
MSG_GROUP_DEPUTY_TIER = "责任组副组长应由村党支部书记担任。"
MSG_GROUP_TAKEN = "{village}{year}年在该期间已有{duty}：{name}。"
MSG_ALREADY_ENDED = "该包联责任已结束。"
MSG_END_BEFORE_START = "结束日期不能早于开始日期（{start}）。"
MSG_VISIT_NOT_ASSIGNED = "您在{date}没有分包{village}，不能记录走访。"
MSG_VISIT_FUTURE = "走访日期不能晚于今天。"
MSG_FINDINGS_REQUIRED = "请填写走访发现的情况。"
MSG_PROBLEM_STAR = "第{n}个问题请选择所属的星。"

VISITING_DUTIES = (Duty.CONTACT, Duty.GROUP_LEADER)
# Which regions each tier is assigned to (contacts); groups are always a village's.
CONTACT_LEVELS = {
    DutyTier.COUNTY_LEADER: (Level.TOWNSHIP, Level.VILLAGE),
    DutyTier.ORG_STAFF: (Level.TOWNSHIP, Level.VILLAGE),
    DutyTier.TOWNSHIP_LEADER: (Level.VILLAGE,),
}
TOWNSHIP_TIERS = (DutyTier.TOWNSHIP_LEADER, DutyTier.VILLAGE_SECRETARY, DutyTier.MEMBER)
VISIT_ORIGIN_NOTE = "包联走访提出"


def can_assign(user, region: Region | None = None, tier: str | None = None) -> bool:
    if has_role(user, Role.ORGANISATION):
        return region is None or can_see_region(user, region)
    if has_role(user, Role.TOWNSHIP_STAFF):
        if tier is not None and tier not in TOWNSHIP_TIERS:
            return False
        return region is None or (region.level == Level.VILLAGE and can_see_region(user, region))
    return False


def _check_rules(*, duty: str, tier: str, region: Region, year: int, start: dt.date, end: dt.date | None,
                 exclude_pk: int | None = None) -> None:
    errors: dict[str, str] = {}
    if start.year != year:
        errors["start_date"] = MSG_START_YEAR.format(year=year)
    if end and end < start:
        errors["end_date"] = MSG_DATE_ORDER
    if duty == Duty.CONTACT:
        levels = CONTACT_LEVELS.get(tier)
        if levels is None or region.level not in levels:
            names = "、".join(Level(level).label for level in (levels or (Level.VILLAGE,)))
            errors["region"] = MSG_REGION_LEVEL.format(tier=DutyTier(tier).label, levels=names)
    else:
        if region.level != Level.VILLAGE:
            errors["region"] = MSG_GROUP_VILLAGE
        elif duty == Duty.GROUP_LEADER and tier != DutyTier.TOWNSHIP_LEADER:
            errors["tier"] = MSG_GROUP_LEADER_TIER
        elif duty == Duty.GROUP_DEPUTY and tier != DutyTier.VILLAGE_SECRETARY:
            errors["tier"] = MSG_GROUP_DEPUTY_TIER
    if errors:
        raise ValidationError(errors)
    if duty in (Duty.GROUP_LEADER, Duty.GROUP_DEPUTY):
        # One leader and one deputy at a time: periods of the same post may not overlap.
        clash = Assignment.objects.select_for_update().filter(region=region, year=year, duty=duty).active_between(
            start, end or dt.date(year, 12, 31)).exclude(pk=exclude_pk).first()
        if clash:
            raise ValidationError({"duty": MSG_GROUP_TAKEN.format(
                village=region.name, year=year, duty=Duty(duty).label, name=clash.person_name)})


@transaction.atomic
def assignment_create(*, by, year: int, duty: str, tier: str, region: Region, start_date: dt.date,
                      end_date: dt.date | None = None, person=None, person_name: str = "", person_title: str = "",
                      note: str = "") -> Assignment:
    if not can_see_region(by, region):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not can_assign(by, region, tier):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    name = (person_name or "").strip() or (person.display_name if person else "")
    if not name:
        raise ValidationError({"person_name": MSG_NAME_REQUIRED})
    _check_rules(duty=duty, tier=tier, region=region, year=year, start=start_date, end=end_date)
    return Assignment.objects.create(
        year=year, duty=duty, tier=tier, region=region, start_date=start_date, end_date=end_date, person=person,
        person_name=name, person_title=person_title.strip(), note=note.strip(), created_by=by)


@transaction.atomic
def assignment_end(*, assignment: Assignment, by, end_date: dt.date) -> Assignment:
    """Ends an assignment on a day (never deletes it: who answered when stays on record)."""
    assignment = Assignment.objects.select_for_update().select_related("region").get(pk=assignment.pk)
    if not can_see_region(by, assignment.region) or not can_assign(by, assignment.region, assignment.tier):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if assignment.end_date and assignment.end_date <= end_date:
        raise ValidationError(MSG_ALREADY_ENDED)
    if end_date < assignment.start_date:
        raise ValidationError(MSG_END_BEFORE_START.format(start=assignment.start_date.isoformat()))
    assignment.end_date = end_date
    assignment.ended_by = by
    assignment.save(update_fields=["end_date", "ended_by"])
    return assignment


def visiting_assignment(*, user, village: Region, day: dt.date) -> Assignment | None:
    """The user's assignment that covers the village on the day (the village itself, or its township)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (Assignment.objects.active_on(day)
            .filter(person=user, duty__in=VISITING_DUTIES, region_id__in=[village.pk, village.parent_id])
            .order_by("-region__level", "id").first())


@transaction.atomic
def contact_visit_record(*, by, village: Region, date: dt.date, findings: str,
                         problems: list[tuple[str, str]] | None = None) -> ContactVisit:
    """1. Check the visitor answers for the village that day; 2. record the visit; 3. turn each
    raised problem (star, text) into a problem-ledger item reported to the township (the campaign
    does, on `visit_problems_raised`)."""
    if village.level != Level.VILLAGE:
        raise ValidationError({"village": MSG_VISIT_NOT_ASSIGNED.format(date=date, village=village.name)})
    if date > timezone.localdate():
        raise ValidationError({"date": MSG_VISIT_FUTURE})
    assignment = visiting_assignment(user=by, village=village, day=date)
    if assignment is None:
        raise PermissionDenied(MSG_VISIT_NOT_ASSIGNED.format(date=date.isoformat(), village=village.name))
    if not findings.strip():
        raise ValidationError({"findings": MSG_FINDINGS_REQUIRED})
    raised = []
    for n, (star, title) in enumerate(problems or [], start=1):
        if not title.strip():
            continue
        if star not in StarCode.values:
            raise ValidationError({"problems": MSG_PROBLEM_STAR.format(n=n)})
        raised.append((star, title.strip()))
    visit = ContactVisit.objects.create(assignment=assignment, visitor=by, village=village, date=date,
                                        findings=findings.strip())
    visit_problems_raised.send(sender=ContactVisit, visit=visit, problems=raised, by=by)
    return visit
