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
from .models_taskforce import Consultation, ConsultationProgress, Department, TaskForce, TaskForceMember
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
MSG_UNIT_UNKNOWN = "成员单位“{name}”不在{county}的部门和单位名单中，请从名单中选择（名单由县委组织部维护）。"
MSG_DEPARTMENTS_ROLE = "只有县委组织部可以维护本县的部门和单位名单。"
MSG_DEPARTMENT_NAME = "第{n}行单位名称过长（最多60个字）。"
MSG_DEPARTMENT_IN_USE = "“{name}”是{forces}的成员单位，不能从名单中删除；请先在专班中取消。"


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


def county_of(region: Region) -> Region:
    """The county a county's or a township's task force belongs to."""
    return region if region.level == Level.COUNTY else region.parent


def departments_of(county: Region):
    return Department.objects.filter(county=county).order_by("order", "name")


def _unit_names(member_units: str | list[str]) -> list[str]:
    lines = member_units.splitlines() if isinstance(member_units, str) else member_units
    names = []
    for line in lines:
        if line.strip() and line.strip() not in names:
            names.append(line.strip())
    return names


def member_departments(county: Region, member_units: str | list[str]) -> list[Department]:
    """The county's departments named (one a line, or a list); a name not on the county's list
    is refused with its name: member units are picked, never typed."""
    known = {d.name: d for d in departments_of(county)}
    names = _unit_names(member_units)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValidationError({"member_units": [MSG_UNIT_UNKNOWN.format(name=n[:60], county=county.name)
                                                for n in unknown[:5]]})
    return [known[n] for n in names]


@transaction.atomic
def departments_save(*, by, county: Region, names: str | list[str]) -> list[Department]:
    """Replace the county's list of departments and units (one a line, in that order). A
    department still a member unit of a task force cannot be dropped."""
    if county.level != Level.COUNTY:
        raise ValidationError(MSG_REGION_LEVEL)
    if not (can_see_region(by, county) and has_role(by, Role.ORGANISATION)):
        raise PermissionDenied(MSG_DEPARTMENTS_ROLE)
    wanted = _unit_names(names)
    errors = [MSG_DEPARTMENT_NAME.format(n=n) for n, name in enumerate(wanted, start=1) if len(name) > 60]
    current = {d.name: d for d in Department.objects.select_for_update().filter(county=county)}
    for name, department in current.items():
        if name not in wanted:
            forces = list(department.task_forces.select_related("region")[:3])
            if forces:
                errors.append(MSG_DEPARTMENT_IN_USE.format(name=name, forces="、".join(str(f) for f in forces)))
    if errors:
        raise ValidationError({"names": errors})
    Department.objects.filter(county=county).exclude(name__in=wanted).delete()
    kept = []
    for order, name in enumerate(wanted, start=1):
        department = current.get(name) or Department(county=county, name=name)
        department.order = order
        department.save()
        kept.append(department)
    return kept


def departments_ensure(county: Region, names) -> None:
    """Add these names to the county's list where missing (the demo, the going-live import)."""
    have = set(Department.objects.filter(county=county).values_list("name", flat=True))
    start = Department.objects.filter(county=county).count()
    Department.objects.bulk_create([Department(county=county, name=name, order=start + k)
                                    for k, name in enumerate(n for n in _unit_names(list(names)) if n not in have)],
                                   ignore_conflicts=True)


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
def task_force_save(*, by, region: Region, year: int, star: str, lead_department: str,
                    member_units: str | list[str] = "",
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
    units = member_departments(county_of(region), member_units)
    force, _ = TaskForce.objects.select_for_update().update_or_create(
        region=region, year=year, star=star, star_kind=star_kind,
        defaults={"lead_department": lead_department.strip(), "updated_by": by})
    force.member_departments.set(units)
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
