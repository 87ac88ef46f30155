"""The turn of the year, step by step, for one county: each step says whether it is done, and
runs only when the organisation department presses its button.

1. last year's standards copied to drafts of the new year; 2. the drafts edited and published
(in the standard editor); 3. last year's targets carried forward as proposals, confirmed one by
one on the targets page; 4. January open for entry; 5. December of last year closed, which
publishes the year's final ranking; 6. the year's named list (the award workflow's naming).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.models import Role
from cadres.scope import has_role
from villages.models import Level, Region

from ..campaign.models import Application, ApplicationStatus, TargetChangeSource
from ..campaign.services.targets import record_created
from ..models import MonthClose, Standard, StandardKind, TargetLevel, View, VillageScore
from .ledger import ledger_deadline, ledger_window_is_open, ledger_window_reopen
from .month_close import month_close
from .standard import standard_copy

MSG_ROLE = "只有县委组织部可以办理年度交替"
MSG_NOTHING_TO_COPY = "{year}年没有可复制的标准"
MSG_NOT_PUBLISHED = "{year}年的标准尚未发布，发布后才能开放填报"
MSG_JANUARY_NOT_STARTED = "{year}年1月尚未开始，1月1日起可以填报"
MSG_DECEMBER_NOT_OVER = "{year}年12月尚未结束，不能关账"
MSG_REOPEN_REASON = "年度交替：开放{year}年1月台账填报"


@dataclass
class Step:
    key: str
    title: str
    done: bool
    detail: str
    can_run: bool = False
    blocked: str = ""


def _require(by) -> None:
    if not has_role(by, Role.ORGANISATION):
        raise PermissionDenied(MSG_ROLE)


def _kinds_used(county: Region) -> list[str]:
    kinds = set(Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE, is_active=True)
                .values_list("kind", flat=True))
    return [k for k in (StandardKind.RURAL, StandardKind.URBAN) if k in kinds or not kinds and k == StandardKind.RURAL]


def _standards(year: int) -> dict[str, Standard]:
    return {s.kind: s for s in Standard.objects.filter(year=year)}


def year_turn_status(*, county: Region, year: int, now: dt.datetime | None = None) -> list[Step]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    kinds = _kinds_used(county)
    labels = dict(StandardKind.choices)
    new, old = _standards(year), _standards(year - 1)
    missing = [k for k in kinds if k not in new]
    steps = [Step(
        "copy", f"复制{year - 1}年标准为{year}年草稿", not missing,
        "已有：" + "、".join(new[k].name for k in kinds if k in new) if not missing
        else "尚缺：" + "、".join(labels[k] for k in missing),
        can_run=bool(missing) and any(k in old for k in missing),
        blocked="" if not missing or any(k in old for k in missing) else MSG_NOTHING_TO_COPY.format(year=year - 1),
    )]
    unpublished = [k for k in kinds if k not in new or not new[k].is_published]
    steps.append(Step(
        "publish", f"修改并发布{year}年标准", not unpublished,
        "已发布" if not unpublished else "待发布：" + "、".join(labels[k] for k in unpublished)
        + "（在评星标准中逐项修改后发布）",
    ))
    villages = Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE, is_active=True)
    set_now = TargetLevel.objects.filter(year=year, village__in=villages)
    proposals = set_now.filter(proposed=True).count()
    last = TargetLevel.objects.filter(year=year - 1, village__in=villages).count()
    steps.append(Step(
        "targets", f"结转创建目标（以{year - 1}年目标和完成情况为建议）", set_now.exists(),
        f"{year}年已有目标 {set_now.count()} 个，其中待确认的建议 {proposals} 个" if set_now.exists()
        else f"{year - 1}年有目标 {last} 个，尚未结转",
        can_run=last > 0 or VillageScore.objects.filter(village__in=villages, year=year - 1, month=12,
                                                        view=View.PUBLISHED).exists(),
        blocked="" if last else f"{year - 1}年没有创建目标，也没有12月的发布结果，请在创建目标页逐村设定",
    ))
    townships = list(Region.objects.filter(code__startswith=county.prefix, level=Level.TOWNSHIP, is_active=True))
    january_started = today >= dt.date(year, 1, 1)
    closed_for = [t for t in townships if not ledger_window_is_open(township=t, year=year, month=1, now=now)]
    deadline = timezone.localtime(ledger_deadline(year, 1))
    if unpublished:
        january = Step("january", f"开放{year}年1月台账填报", False, MSG_NOT_PUBLISHED.format(year=year))
    elif not january_started:
        january = Step("january", f"开放{year}年1月台账填报", False, MSG_JANUARY_NOT_STARTED.format(year=year))
    elif not closed_for:
        january = Step("january", f"开放{year}年1月台账填报", True,
                       f"各乡镇可以填报1月台账（填报截止 {deadline:%Y-%m-%d}，之后由县委组织部重新开放）")
    else:
        january = Step("january", f"开放{year}年1月台账填报", False,
                       f"已过截止日 {deadline:%Y-%m-%d}，尚有 {len(closed_for)} 个乡镇不能填报", can_run=True)
    steps.append(january)
    closed = MonthClose.objects.filter(county=county, year=year - 1, month=12).first()
    steps.append(Step(
        "december", f"关账{year - 1}年12月，发布全年最终排名", closed is not None,
        f"已于 {timezone.localtime(closed.closed_at):%Y-%m-%d %H:%M} 关账发布" if closed
        else ("可以关账" if today >= dt.date(year, 1, 1) else MSG_DECEMBER_NOT_OVER.format(year=year - 1)),
        can_run=closed is None and today >= dt.date(year, 1, 1),
    ))
    named = Application.objects.filter(year=year - 1, village__in=villages, status=ApplicationStatus.NAMED).count()
    pending = Application.objects.filter(year=year - 1, village__in=villages).exclude(
        status=ApplicationStatus.NAMED).count()
    steps.append(Step(
        "named", f"公布{year - 1}年命名名单", named > 0 and pending == 0,
        f"已命名 {named} 个村，尚在评定流程中 {pending} 个（在创星评定中办理命名）",
    ))
    return steps


@transaction.atomic
def year_turn_copy_standards(*, county: Region, year: int, by) -> list[Standard]:
    _require(by)
    old, new = _standards(year - 1), _standards(year)
    copies = [standard_copy(standard=old[k], year=year, by=by) for k in _kinds_used(county) if k not in new and k in old]
    if not copies:
        raise ValidationError(MSG_NOTHING_TO_COPY.format(year=year - 1))
    return copies


@transaction.atomic
def year_turn_carry_targets(*, county: Region, year: int, by) -> int:
    """Proposals for the new year (never overwriting a target already set): last year's target,
    one star higher where the village reached it in December's published result (at most 5);
    a village without a target but with a result is proposed its level plus one."""
    _require(by)
    villages = Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE, is_active=True)
    already = set(TargetLevel.objects.filter(year=year, village__in=villages).values_list("village_id", flat=True))
    last = {t.village_id: t for t in TargetLevel.objects.filter(year=year - 1, village__in=villages)}
    achieved = dict(VillageScore.objects.filter(village__in=villages, year=year - 1, month=12, view=View.PUBLISHED)
                    .values_list("village_id", "star_level"))
    rows = []
    for village_id in sorted((set(last) | set(achieved)) - already):
        target, level = last.get(village_id), achieved.get(village_id)
        proposal = target.level if target else min(5, (level or 0) + 1)
        if target and level is not None and level >= target.level:
            proposal = min(5, target.level + 1)
        stars = target.target_stars if target and proposal == target.level else []
        rows.append(TargetLevel(village_id=village_id, year=year, level=proposal, target_stars=stars, set_by=by,
                                proposed=True))
    TargetLevel.objects.bulk_create(rows)
    record_created(rows, by=by, source=TargetChangeSource.PROPOSAL)
    return len(rows)


@transaction.atomic
def year_turn_open_january(*, county: Region, year: int, until: dt.datetime, by) -> int:
    """Reopen January for every township whose deadline has passed (a late turn of the year)."""
    _require(by)
    new = _standards(year)
    if any(k not in new or not new[k].is_published for k in _kinds_used(county)):
        raise ValidationError(MSG_NOT_PUBLISHED.format(year=year))
    if timezone.localdate() < dt.date(year, 1, 1):
        raise ValidationError(MSG_JANUARY_NOT_STARTED.format(year=year))
    opened = 0
    for township in Region.objects.filter(code__startswith=county.prefix, level=Level.TOWNSHIP, is_active=True):
        if not ledger_window_is_open(township=township, year=year, month=1):
            ledger_window_reopen(township=township, year=year, month=1, until=until,
                                 reason=MSG_REOPEN_REASON.format(year=year), by=by)
            opened += 1
    return opened


def year_turn_close_december(*, county: Region, year: int, by) -> MonthClose:
    _require(by)
    if timezone.localdate() < dt.date(year, 1, 1):
        raise ValidationError(MSG_DECEMBER_NOT_OVER.format(year=year - 1))
    return month_close(county=county, year=year - 1, month=12, by=by)
