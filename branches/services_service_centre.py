"""Writes of the service centre (党群服务中心): the duty roster (挂牌值班) and the errands ledger
(代办制), and the resident's satisfaction mark given on the errand's QR page.

Who keeps them: the village's secretary and first secretary, and its township's staff. Every step
is dated (never in the future); a roster change ends the old shift on a day and starts a new one,
so a past month keeps the roster it had. A resident marks an errand once, by its random token,
without an account; the public page never shows the resident's name or phone.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.models import Role
from cadres.scope import can_see_region, has_role
from villages.models import Level, Region
from villages.signals import village_records_changed

from .models_pairing import DutyShift, Errand, ErrandCategory, Satisfaction, Weekday

MSG_NOT_ALLOWED = "您无权执行此操作。"
MSG_NOT_VILLAGE = "值班和代办只用于村（社区）。"
MSG_FUTURE = "日期不能晚于今天。"
MSG_REQUIRED = "请填写{field}。"
MSG_CHOICE = "请选择有效的{field}。"
MSG_DAYS = "承诺办结天数应在 1 到 90 天之间。"
MSG_DONE_BEFORE = "办结日期不能早于受理日期（{date}）。"
MSG_ALREADY_DONE = "该事项已于{date}办结。"
MSG_END_BEFORE = "截止日期不能早于起始日期（{date}）。"
MSG_ALREADY_ENDED = "该值班安排已于{date}截止。"
MSG_NOT_DONE = "事项办结后才能评价。"
MSG_ALREADY_RATED = "该事项已经评价过了，感谢您的反馈。"
MSG_BAD_MARK = "请选择满意、基本满意或不满意。"

KEEPERS = (Role.VILLAGE_SECRETARY, Role.FIRST_SECRETARY, Role.TOWNSHIP_STAFF)


def can_keep(user, village: Region) -> bool:
    return village.level == Level.VILLAGE and can_see_region(user, village) and has_role(user, *KEEPERS)


def _check(by, village: Region) -> None:
    if village.level != Level.VILLAGE:
        raise ValidationError(MSG_NOT_VILLAGE)
    if not can_keep(by, village):
        raise PermissionDenied(MSG_NOT_ALLOWED)


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: MSG_FUTURE})


def _required(value: str, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: MSG_REQUIRED.format(field=label)})
    return value[:limit]


def _rescore(village_id: int, day: dt.date) -> None:
    village_records_changed.send(sender=Errand, village_id=village_id, day=day)


@transaction.atomic
def duty_shift_add(*, by, village: Region, weekday: int, person: str, phone: str, title: str = "",
                   hours: str = "", valid_from: dt.date) -> DutyShift:
    _check(by, village)
    if weekday not in Weekday.values:
        raise ValidationError({"weekday": MSG_CHOICE.format(field="值班日")})
    shift = DutyShift.objects.create(
        village=village, weekday=weekday, person=_required(person, "person", "值班干部", 40),
        phone=_required(phone, "phone", "值班电话", 20), title=(title or "").strip()[:40],
        hours=(hours or "").strip()[:40] or "8:30—17:30", valid_from=valid_from, recorded_by=by)
    _rescore(village.pk, valid_from)
    return shift


@transaction.atomic
def duty_shift_end(*, by, shift: DutyShift, on: dt.date) -> DutyShift:
    shift = DutyShift.objects.select_for_update().get(pk=shift.pk)
    _check(by, shift.village)
    if shift.valid_to is not None:
        raise ValidationError(MSG_ALREADY_ENDED.format(date=shift.valid_to))
    if on < shift.valid_from:
        raise ValidationError(MSG_END_BEFORE.format(date=shift.valid_from))
    shift.valid_to = on
    shift.save(update_fields=["valid_to"])
    _rescore(shift.village_id, on)
    return shift


@transaction.atomic
def errand_record(*, by, village: Region, request: str, category: str, resident_name: str, runner: str,
                  requested_on: dt.date, promised_days: int = 7, resident_phone: str = "") -> Errand:
    _check(by, village)
    _not_future(requested_on, "requested_on")
    if category not in ErrandCategory.values:
        raise ValidationError({"category": MSG_CHOICE.format(field="类别")})
    if not 1 <= (promised_days or 0) <= 90:
        raise ValidationError({"promised_days": MSG_DAYS})
    errand = Errand.objects.create(
        village=village, request=_required(request, "request", "代办事项", 120), category=category,
        resident_name=_required(resident_name, "resident_name", "群众姓名", 40),
        resident_phone=(resident_phone or "").strip()[:20], runner=_required(runner, "runner", "代办干部", 40),
        requested_on=requested_on, promised_days=promised_days, recorded_by=by)
    _rescore(village.pk, requested_on)
    return errand


@transaction.atomic
def errand_done(*, by, errand: Errand, done_on: dt.date, result: str = "") -> Errand:
    errand = Errand.objects.select_for_update().get(pk=errand.pk)
    _check(by, errand.village)
    if errand.done_on is not None:
        raise ValidationError(MSG_ALREADY_DONE.format(date=errand.done_on))
    _not_future(done_on, "done_on")
    if done_on < errand.requested_on:
        raise ValidationError({"done_on": MSG_DONE_BEFORE.format(date=errand.requested_on)})
    errand.done_on, errand.result = done_on, (result or "").strip()[:200]
    errand.save(update_fields=["done_on", "result"])
    _rescore(errand.village_id, done_on)
    return errand


@transaction.atomic
def errand_rate(*, errand: Errand, mark: int) -> Errand:
    """The resident's mark, once, on a done errand (no account: the token is the right)."""
    errand = Errand.objects.select_for_update().get(pk=errand.pk)
    if errand.done_on is None:
        raise ValidationError(MSG_NOT_DONE)
    if errand.satisfaction is not None:
        raise ValidationError(MSG_ALREADY_RATED)
    if mark not in Satisfaction.values:
        raise ValidationError(MSG_BAD_MARK)
    errand.satisfaction, errand.rated_at = mark, timezone.now()
    errand.save(update_fields=["satisfaction", "rated_at"])
    return errand
