"""Writes of the star task forces (一星一专班) and the joint consultations (联席会商).

The organisation department keeps the county's task forces and records the county's monthly
consultation; a township's staff keep their township's. Each measure decided becomes a task
item (origin "measure") of the village it concerns, with an owner and a due date, in the same
transaction; the village closes it when done (ratings.campaign.services.checklist.measure_complete).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from villages.models import Level, Region

from .models import Role, StarCode, split_star_key
from .models_taskforce import Consultation, ConsultationProgress, TaskForce, TaskForceMember
from .scope import can_see_region, has_role
from .signals import consultation_measures_decided

MSG_NOT_ALLOWED = "您无权执行此操作。"
MSG_REGION_LEVEL = "专班和联席会商只能设在县或乡镇。"
MSG_LEAD_REQUIRED = "请填写牵头部门。"
MSG_MEMBER_LINE = "第{n}行成员格式不对，应为：姓名 单位 职务（以空格分隔）。"
MSG_ATTENDEES_REQUIRED = "请填写参会人员。"
MSG_TITLE_REQUIRED = "请填写会议名称。"
MSG_FUTURE = "会商日期不能晚于今天。"
MSG_MEASURE_VILLAGE = "措施{n}：请选择{region}范围内的村（社区）。"
MSG_MEASURE_FIELDS = "措施{n}：请填写措施内容、责任人和完成时限。"
MSG_MEASURE_DUE = "措施{n}：完成时限不能早于会商日期。"
MSG_MEASURE_STAR = "措施{n}：请选择所属的星。"


# Where a new task force's lead department comes from: the year's published standard names one
# per star and variant. The standard is the ratings app's, which lists its lookup here in
# RatingsConfig.ready() (cadres never imports ratings); without one a new task force starts blank.
LEAD_DEPARTMENT_SOURCES: list[Callable[..., str]] = []


def standard_lead_department(*, year: int, kind: str, code: str) -> str:
    """The lead department the year's published standard of that kind names for the star."""
    for source in LEAD_DEPARTMENT_SOURCES:
        department = source(year=year, kind=kind, code=code)
        if department:
            return department
    return ""


@dataclass
class Measure:
    star: str
    village: Region | None
    title: str
    owner_text: str
    due_date: dt.date | None


def can_keep(user, region: Region) -> bool:
    """Who keeps a region's task forces and consultations."""
    if not can_see_region(user, region):
        return False
    if region.level == Level.COUNTY:
        return has_role(user, Role.ORGANISATION)
    return has_role(user, Role.ORGANISATION, Role.TOWNSHIP_STAFF)


def _check_region(by, region: Region) -> None:
    if region.level not in (Level.COUNTY, Level.TOWNSHIP):
        raise ValidationError(MSG_REGION_LEVEL)
    if not can_keep(by, region):
        raise PermissionDenied(MSG_NOT_ALLOWED)


def parse_members(text: str) -> list[tuple[str, str, str]]:
    """Lines of "姓名 单位 职务" (unit and post optional) → rows; a bad line is named."""
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        parts = line.replace("，", " ").replace(",", " ").split()
        if not parts:
            continue
        if len(parts) > 3:
            raise ValidationError({"members": MSG_MEMBER_LINE.format(n=n)})
        name, unit, role = (parts + ["", ""])[:3]
        rows.append((name[:40], unit[:60], (role or "成员")[:20]))
    return rows


@transaction.atomic
def task_force_save(*, by, region: Region, year: int, star: str, lead_department: str, member_units: str = "",
                    members: list[tuple[str, str, str]] | None = None) -> TaskForce:
    """Creates or replaces the region's task force of a star for the year, members included.
    `star` is a star key: "industry" for the rural star, "urban:industry" for the community's."""
    _check_region(by, region)
    try:
        star_kind, star = split_star_key(star)
    except ValueError:
        star_kind = star = ""
    if not star:
        raise ValidationError({"star": "请选择有效的星。"})
    if not lead_department.strip():
        raise ValidationError({"lead_department": MSG_LEAD_REQUIRED})
    force, _ = TaskForce.objects.select_for_update().update_or_create(
        region=region, year=year, star=star, star_kind=star_kind,
        defaults={"lead_department": lead_department.strip(), "member_units": member_units.strip(), "updated_by": by})
    force.members.all().delete()
    TaskForceMember.objects.bulk_create([TaskForceMember(task_force=force, name=name, unit=unit, role=role)
                                         for name, unit, role in members or []])
    return force


@transaction.atomic
def consultation_record(*, by, region: Region, date: dt.date, title: str, attendees: str,
                        progress: dict[str, str], problems: str = "", measures: list[Measure]) -> Consultation:
    """1. Check the keeper and every measure first (nothing is saved if one is wrong); 2. record
    the meeting and its progress by star; 3. make each measure a task item of its village (the
    campaign does, on `consultation_measures_decided`)."""
    _check_region(by, region)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors.setdefault("title", []).append(MSG_TITLE_REQUIRED)
    if not attendees.strip():
        errors.setdefault("attendees", []).append(MSG_ATTENDEES_REQUIRED)
    if date > timezone.localdate():
        errors.setdefault("date", []).append(MSG_FUTURE)
    wanted = []
    for n, m in enumerate(measures, start=1):
        if not (m.title.strip() or m.owner_text.strip() or m.village):
            continue  # an empty row of the form
        if m.village is None or m.village.level != Level.VILLAGE or not m.village.code.startswith(region.prefix) \
                or not can_see_region(by, m.village):
            errors.setdefault("measures", []).append(MSG_MEASURE_VILLAGE.format(n=n, region=region.name))
        elif m.star not in StarCode.values:
            errors.setdefault("measures", []).append(MSG_MEASURE_STAR.format(n=n))
        elif not (m.title.strip() and m.owner_text.strip() and m.due_date):
            errors.setdefault("measures", []).append(MSG_MEASURE_FIELDS.format(n=n))
        elif m.due_date < date:
            errors.setdefault("measures", []).append(MSG_MEASURE_DUE.format(n=n))
        else:
            wanted.append(m)
    if errors:
        raise ValidationError(errors)
    meeting = Consultation.objects.create(region=region, date=date, title=title.strip(), attendees=attendees.strip(),
                                          problems=problems.strip(), recorded_by=by)
    ConsultationProgress.objects.bulk_create([
        ConsultationProgress(consultation=meeting, star=star, text=text.strip())
        for star, text in progress.items() if star in StarCode.values and text.strip()])
    consultation_measures_decided.send(sender=Consultation, meeting=meeting, measures=wanted, by=by)
    return meeting
