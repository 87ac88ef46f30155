"""Writes of pairings (结对共建): set up and edit a pairing with its yearly targets, record joint
activities.

Who keeps a pairing: the county organisation department (any two branches of the county) and a
township's staff (two branches of their own township); both partners' village secretaries and
first secretaries record joint activities. Dates are never in the future, so the providers read a
quarter as it stood.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.models import Role
from cadres.scope import can_see_region, has_role, user_posts
from config.uploads import IMAGE_KINDS, upload_verify
from villages.models import Level, Region
from villages.signals import village_records_changed

from .models_pairing import Pairing, PairingActivity, PairingKind, PairingTarget

MSG_NOT_ALLOWED = "您无权执行此操作。"
MSG_NOT_VILLAGE = "结对双方必须是村（社区）。"
MSG_SAME_PARTNER = "帮扶方和受援方不能是同一个村（社区）。"
MSG_OUT_OF_SCOPE = "只能为本辖区的村（社区）建立结对；跨乡镇结对由县委组织部建立。"
MSG_END_BEFORE_START = "结束日期不能早于开始日期。"
MSG_FUTURE = "日期不能晚于今天。"
MSG_REQUIRED = "请填写{field}。"
MSG_LEVEL = "目标星级应在 0 到 5 之间。"
MSG_NEGATIVE = "{field}不能为负数。"
MSG_TARGET_YEAR = "目标年度应在结对期间内（{start}—{end}年）。"
MSG_ACTIVITY_OUTSIDE = "活动日期应在结对期间内（{start} 至 {end}）。"
MSG_RUNNING_TWICE = "这两个村（社区）已有进行中的结对。"

KEEPERS = (Role.ORGANISATION, Role.TOWNSHIP_STAFF)
PARTNER_ROLES = (Role.VILLAGE_SECRETARY, Role.FIRST_SECRETARY)


def keeper_region(user) -> Region | None:
    """The county or township under which `user` sets up pairings (the widest such post)."""
    regions = [p.region for p in user_posts(user) if p.role in KEEPERS and p.region.level in (Level.COUNTY, Level.TOWNSHIP)]
    return min(regions, key=lambda r: len(r.code.rstrip("0")), default=None)


def can_keep(user, pairing: Pairing) -> bool:
    return has_role(user, *KEEPERS) and can_see_region(user, pairing.region)


def can_record_activity(user, pairing: Pairing) -> bool:
    if can_keep(user, pairing):
        return True
    partners = {pairing.helper_id, pairing.receiver_id}
    return any(p.role in PARTNER_ROLES and p.region_id in partners for p in user_posts(user))


def _check_partners(by, region: Region, helper: Region, receiver: Region) -> None:
    if helper.level != Level.VILLAGE or receiver.level != Level.VILLAGE:
        raise ValidationError(MSG_NOT_VILLAGE)
    if helper.pk == receiver.pk:
        raise ValidationError({"receiver": MSG_SAME_PARTNER})
    if not (helper.code.startswith(region.prefix) and receiver.code.startswith(region.prefix)):
        raise ValidationError(MSG_OUT_OF_SCOPE)


def _check_dates(started_on: dt.date, ended_on: dt.date | None) -> None:
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": MSG_FUTURE})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": MSG_END_BEFORE_START})


def _check_no_overlap(helper: Region, receiver: Region, started_on, ended_on, exclude: int | None = None) -> None:
    others = Pairing.objects.filter(helper=helper, receiver=receiver).exclude(pk=exclude)
    for other in others:
        other_end = other.ended_on or dt.date.max
        end = ended_on or dt.date.max
        if other.started_on <= end and started_on <= other_end:
            raise ValidationError(MSG_RUNNING_TWICE)


def _agreement(upload):
    return upload_verify(upload).content if upload else None


@transaction.atomic
def pairing_create(*, by, helper: Region, receiver: Region, kind: str = PairingKind.STRONG_WEAK,
                   started_on: dt.date, ended_on: dt.date | None = None, content: str = "",
                   agreement=None) -> Pairing:
    region = keeper_region(by)
    if region is None:
        raise PermissionDenied(MSG_NOT_ALLOWED)
    _check_partners(by, region, helper, receiver)
    _check_dates(started_on, ended_on)
    _check_no_overlap(helper, receiver, started_on, ended_on)
    pairing = Pairing(helper=helper, receiver=receiver, kind=kind, region=region, started_on=started_on,
                      ended_on=ended_on, content=(content or "").strip(), created_by=by)
    stored = _agreement(agreement)
    if stored is not None:
        pairing.agreement.save(stored.name, stored, save=False)
    pairing.save()
    return pairing


@transaction.atomic
def pairing_update(*, by, pairing: Pairing, kind: str, started_on: dt.date, ended_on: dt.date | None,
                   content: str = "", agreement=None) -> Pairing:
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if not can_keep(by, pairing):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    _check_dates(started_on, ended_on)
    _check_no_overlap(pairing.helper, pairing.receiver, started_on, ended_on, exclude=pairing.pk)
    pairing.kind, pairing.started_on, pairing.ended_on = kind, started_on, ended_on
    pairing.content = (content or "").strip()
    stored = _agreement(agreement)
    if stored is not None:
        pairing.agreement.save(stored.name, stored, save=False)
    pairing.save()
    return pairing


@transaction.atomic
def pairing_target_set(*, by, pairing: Pairing, year: int, star_level: int, income: Decimal) -> PairingTarget:
    if not can_keep(by, pairing):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    end_year = (pairing.ended_on or dt.date(pairing.started_on.year + 10, 12, 31)).year
    if not pairing.started_on.year <= year <= end_year:
        raise ValidationError({"year": MSG_TARGET_YEAR.format(start=pairing.started_on.year,
                                                             end=end_year if pairing.ended_on else "")})
    if not 0 <= star_level <= 5:
        raise ValidationError({"star_level": MSG_LEVEL})
    if income < 0:
        raise ValidationError({"income": MSG_NEGATIVE.format(field="目标收入")})
    target, _ = PairingTarget.objects.update_or_create(pairing=pairing, year=year,
                                                       defaults={"star_level": star_level, "income": income})
    return target


@transaction.atomic
def pairing_activity_record(*, by, pairing: Pairing, held_on: dt.date, title: str, participants: str = "",
                            resources: str = "", resource_value: Decimal = Decimal(0), photo=None) -> PairingActivity:
    if not can_record_activity(by, pairing):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": MSG_FUTURE})
    if not pairing.is_running_on(held_on):
        raise ValidationError({"held_on": MSG_ACTIVITY_OUTSIDE.format(start=pairing.started_on,
                                                                      end=pairing.ended_on or "今")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": MSG_REQUIRED.format(field="活动内容")})
    if resource_value is None:
        resource_value = Decimal(0)
    if resource_value < 0:
        raise ValidationError({"resource_value": MSG_NEGATIVE.format(field="资源价值")})
    activity = PairingActivity(pairing=pairing, held_on=held_on, title=title[:120],
                               participants=(participants or "").strip()[:200],
                               resources=(resources or "").strip()[:200], resource_value=resource_value,
                               recorded_by=by)
    if photo:
        stored = upload_verify(photo, kinds=IMAGE_KINDS).content
        activity.photo.save(stored.name, stored, save=False)
    activity.save()
    # Both partners' stars read the activities of the quarter: score their month again.
    for village_id in (pairing.helper_id, pairing.receiver_id):
        village_records_changed.send(sender=Pairing, village_id=village_id, day=held_on)
    return activity
