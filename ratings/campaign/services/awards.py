"""The year's award workflow (docs/architecture.md, "Checklists and the year's awards").

The application window is simply the whole year: a village may apply any time in the year it
applies for, once per year.
"""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.models import Role, StarCode, star_label
from cadres.scope import can_see_region, has_role, lead_stars
from config.excel import safe_row
from ratings.models import (
    Application,
    ApplicationStatus,
    Notice,
    Objection,
    ObjectionSource,
    StarReview,
    StarWithdrawal,
    TargetLevel,
)
from villages.models import Region

from .targets import change_for

MSG_NOT_ALLOWED = "您无权执行此操作。"
MSG_WRONG_STATE = "申报当前状态为“{status}”，不能执行此操作。"
MSG_BAD_LEVEL = "目标星级应在 0 到 5 之间。"
MSG_TARGET_STARS_COUNT = "指定的目标星数量应与目标星级一致（不指定则自动选择）。"
MSG_NO_TARGET = "该村尚未设定年度目标星级。"
MSG_STARS_NOT_AIMED = "只能申报目标星：{stars}不是本{place}{year}年的目标星（目标星为{aimed}）。"
MSG_NO_STARS = "请至少选择一颗星。"
MSG_OUT_OF_WINDOW = "不在申报期内（申报期为当年全年）。"
MSG_ALREADY_APPLIED = "该村本年度已申报。"
MSG_STAR_NOT_APPLIED = "该星未申报。"
MSG_ALREADY_REVIEWED = "该星已评审。"
MSG_REASON_REQUIRED = "请填写理由。"
MSG_REVIEWS_PENDING = "还有星级未完成部门评审。"
MSG_NOTICE_NOT_OVER = "公示期尚未结束。"
MSG_OBJECTIONS_OPEN = "还有公示异议未处理。"
MSG_NOT_EARNED = "该村本年度未获得此星，不能降星。"
MSG_BAD_NOTICE_DAYS = "公示期应为 {low} 到 {high} 天。"
NOTICE_DAYS_RANGE = (5, 30)


def notice_days() -> int:
    """The default public-notice period in days (PORTAL["PUBLIC_NOTICE_DAYS"])."""
    return settings.PORTAL["PUBLIC_NOTICE_DAYS"]


def _region_ok(by, village: Region) -> None:
    if not can_see_region(by, village):
        raise PermissionDenied(MSG_NOT_ALLOWED)


def _expect(app: Application, status: str) -> None:
    if app.status != status:
        raise ValidationError(MSG_WRONG_STATE.format(status=app.get_status_display()))


def _lock(app: Application) -> Application:
    return Application.objects.select_for_update().select_related("village").get(pk=app.pk)


@transaction.atomic
def target_set(*, village: Region, year: int, level: int, target_stars: list[str] | None = None, by) -> TargetLevel:
    """Set the year's target level (township staff or the organisation department)."""
    _region_ok(by, village)
    if not has_role(by, Role.TOWNSHIP_STAFF, Role.ORGANISATION):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not 0 <= int(level) <= 5:
        raise ValidationError(MSG_BAD_LEVEL)
    stars = sorted({s for s in (target_stars or []) if s in StarCode.values})
    if stars and len(stars) != int(level):
        raise ValidationError(MSG_TARGET_STARS_COUNT)
    before = TargetLevel.objects.select_for_update().filter(village=village, year=year).first()
    target, _ = TargetLevel.objects.update_or_create(
        village=village, year=year, defaults={"level": level, "target_stars": stars, "set_by": by, "proposed": False})
    if before is None or (before.level, sorted(before.target_stars), before.proposed) != (int(level), stars, False):
        # The history the plan's as-of reading uses; setting the same target again adds nothing.
        change_for(target, before=before, by=by).save()
    return target


def candidates(*, year: int, villages):
    """备选村: villages aiming at four stars or more."""
    return TargetLevel.objects.filter(year=year, level__gte=4, village__in=villages, proposed=False) \
        .select_related("village")


def aimed_stars(target: TargetLevel) -> list[str]:
    """The stars a village aims at this year: the target's own, else those its latest live scores
    put first. The application page ticks these and the application accepts these, the same list."""
    from ratings.campaign.services.checklist import stars_aimed_at
    from ratings.models import StarScore, VillageScore

    latest = VillageScore.objects.filter(village_id=target.village_id, year=target.year, view="live").order_by(
        "-month").values_list("month", flat=True).first()
    scores = {} if latest is None else {s.star: s for s in StarScore.objects.filter(
        village_id=target.village_id, year=target.year, month=latest, view="live")}
    return stars_aimed_at(target, scores)


@transaction.atomic
def application_submit(*, village: Region, year: int, stars: list[str], by, today: dt.date | None = None) -> Application:
    _region_ok(by, village)
    if not has_role(by, Role.VILLAGE_SECRETARY):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if (today or timezone.localdate()).year != year:
        raise ValidationError(MSG_OUT_OF_WINDOW)
    if not stars:
        raise ValidationError(MSG_NO_STARS)
    target = TargetLevel.objects.filter(village=village, year=year).first()
    if target is None:
        raise ValidationError(MSG_NO_TARGET)
    aimed = aimed_stars(target)
    if not set(stars) <= set(aimed):
        from ratings.selectors import star_names

        names = star_names(village.kind)
        raise ValidationError(MSG_STARS_NOT_AIMED.format(
            stars="、".join(names.get(c, c) for c in stars if c not in aimed), year=year,
            place="社区" if village.kind == "urban" else "村",
            aimed="、".join(names.get(c, c) for c in aimed) or "无"))
    if Application.objects.filter(village=village, year=year).exists():
        raise ValidationError(MSG_ALREADY_APPLIED)
    return Application.objects.create(village=village, year=year, stars=sorted(set(stars)), applied_by=by)


@transaction.atomic
def application_township_check(*, application: Application, by) -> Application:
    app = _lock(application)
    _region_ok(by, app.village)
    if not has_role(by, Role.TOWNSHIP_STAFF):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    _expect(app, ApplicationStatus.APPLIED)
    app.status, app.checked_by, app.checked_at = ApplicationStatus.TOWNSHIP_CHECKED, by, timezone.now()
    app.save()
    return app


@transaction.atomic
def application_star_review(*, application: Application, star: str, approved: bool, reason: str = "", by) -> StarReview:
    app = _lock(application)
    _region_ok(by, app.village)
    if star not in lead_stars(by, app.village):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    _expect(app, ApplicationStatus.TOWNSHIP_CHECKED)
    if star not in app.stars:
        raise ValidationError(MSG_STAR_NOT_APPLIED)
    if not approved and not reason.strip():
        raise ValidationError(MSG_REASON_REQUIRED)
    if app.reviews.filter(star=star).exists():
        raise ValidationError(MSG_ALREADY_REVIEWED)
    review = StarReview.objects.create(application=app, star=star, approved=approved, reason=reason.strip(), by=by)
    if app.reviews.count() == len(app.stars):
        app.status = ApplicationStatus.REVIEWED
        app.save(update_fields=["status"])
    return review


@transaction.atomic
def public_notice_start(*, application: Application, by, start: dt.date | None = None,
                        days: int | None = None) -> Application:
    """公示: the period defaults to PORTAL["PUBLIC_NOTICE_DAYS"] and may be set per notice."""
    app = _lock(application)
    _region_ok(by, app.village)
    if not has_role(by, Role.ORGANISATION):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if app.status == ApplicationStatus.TOWNSHIP_CHECKED:
        raise ValidationError(MSG_REVIEWS_PENDING)
    _expect(app, ApplicationStatus.REVIEWED)
    days = notice_days() if days is None else days
    low, high = NOTICE_DAYS_RANGE
    if not low <= days <= high:
        raise ValidationError(MSG_BAD_NOTICE_DAYS.format(low=low, high=high))
    app.notice_start = start or timezone.localdate()
    app.notice_end = app.notice_start + dt.timedelta(days=days)
    app.status = ApplicationStatus.PUBLIC_NOTICE
    app.save()
    return app


@transaction.atomic
def objection_record(*, application: Application, content: str, handling: str = "", by) -> Objection:
    app = _lock(application)
    _region_ok(by, app.village)
    if not has_role(by, Role.ORGANISATION):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    _expect(app, ApplicationStatus.PUBLIC_NOTICE)
    if not content.strip():
        raise ValidationError(MSG_REASON_REQUIRED)
    return Objection.objects.create(application=app, content=content.strip(), handling=handling.strip(), recorded_by=by)


MSG_NOTICE_CLOSED = "该村（社区）的公示期已结束或尚未开始，不能再提交异议。"
MSG_OBJECTION_EMPTY = "请填写异议内容。"


@transaction.atomic
def objection_submit_public(*, application: Application, content: str, name: str = "", phone: str = "",
                            today: dt.date | None = None) -> Objection:
    """An objection sent by a villager from the public notice page (no account): it enters the
    workflow as one recorded by hand does, and must be handled before the naming."""
    app = _lock(application)
    day = today or timezone.localdate()
    if app.status != ApplicationStatus.PUBLIC_NOTICE or not (app.notice_start <= day <= app.notice_end):
        raise ValidationError(MSG_NOTICE_CLOSED)
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": MSG_OBJECTION_EMPTY})
    return Objection.objects.create(application=app, content=content[:2000], source=ObjectionSource.PUBLIC,
                                    submitter_name=(name or "").strip()[:40], submitter_phone=(phone or "").strip()[:20],
                                    recorded_by=None)


@transaction.atomic
def objection_handle(*, objection: Objection, handling: str, by) -> Objection:
    _region_ok(by, objection.application.village)
    if not has_role(by, Role.ORGANISATION):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not handling.strip():
        raise ValidationError(MSG_REASON_REQUIRED)
    objection.handling = handling.strip()
    objection.save(update_fields=["handling"])
    return objection


@transaction.atomic
def application_name(*, application: Application, by, today: dt.date | None = None) -> Application:
    """命名授牌: the approved stars become the village's named stars."""
    app = _lock(application)
    _region_ok(by, app.village)
    if not has_role(by, Role.ORGANISATION):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    _expect(app, ApplicationStatus.PUBLIC_NOTICE)
    if (today or timezone.localdate()) <= app.notice_end:
        raise ValidationError(MSG_NOTICE_NOT_OVER)
    if any(not o.handled for o in app.objections.all()):
        raise ValidationError(MSG_OBJECTIONS_OPEN)
    app.named_stars = sorted(r.star for r in app.reviews.all() if r.approved)
    app.status, app.named_by, app.named_at = ApplicationStatus.NAMED, by, timezone.now()
    app.save()
    return app


@transaction.atomic
def star_withdraw(*, village: Region, year: int, star: str, reason: str, by) -> StarWithdrawal:
    """降星: a veto during the year takes a named star away and tells the township."""
    _region_ok(by, village)
    if not (has_role(by, Role.ORGANISATION) or star in lead_stars(by, village)):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not reason.strip():
        raise ValidationError(MSG_REASON_REQUIRED)
    app = Application.objects.select_for_update().filter(village=village, year=year,
                                                         status=ApplicationStatus.NAMED).first()
    if app is None or star not in app.named_stars:
        raise ValidationError(MSG_NOT_EARNED)
    app.named_stars = [s for s in app.named_stars if s != star]
    app.save(update_fields=["named_stars"])
    withdrawal = StarWithdrawal.objects.create(village=village, year=year, star=star, reason=reason.strip(), by=by,
                                               township_notified=True)
    Notice.objects.create(region=village.parent, text=f"{village.name}被摘除{star_label(star, village)}：{reason.strip()}")
    return withdrawal


def named_list_xlsx(*, year: int, villages) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年命名名单"
    ws.append(["村（社区）代码", "村（社区）", "乡镇", "命名星", "星数", "命名时间"])
    apps = (Application.objects.filter(year=year, status=ApplicationStatus.NAMED, village__in=villages)
            .select_related("village__parent").order_by("village__code"))
    for app in apps:
        ws.append(safe_row([app.village.code, app.village.name, app.village.parent.name if app.village.parent else "",
                   "、".join(star_label(s, app.village) for s in app.named_stars), len(app.named_stars),
                   timezone.localtime(app.named_at).strftime("%Y-%m-%d") if app.named_at else ""]))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
