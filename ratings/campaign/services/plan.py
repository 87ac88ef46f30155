"""The township plan's versions (一乡一方案) and the PDFs of the four lists and the plan."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cadres.models import Role
from cadres.scope import can_see_region, has_role
from config.pdf import html_to_pdf
from ratings.models import TownshipPlan
from villages.models import Level, Region

from ..selectors import township_plan_data

MSG_NOT_ALLOWED = "您无权执行此操作。"
MSG_NOT_TOWNSHIP = "一乡一方案只能为乡镇制定。"
MSG_FUTURE = "方案日期不能晚于今天。"
PLAN_KEEPERS = (Role.TOWNSHIP_STAFF, Role.ORGANISATION)


def can_keep_plan(user, township: Region) -> bool:
    return can_see_region(user, township) and has_role(user, *PLAN_KEEPERS)


@transaction.atomic
def township_plan_save(*, by, township: Region, year: int, as_of: dt.date | None = None, note: str = "") -> TownshipPlan:
    """Freezes the township's plan as it stands into a version dated `as_of` (default today)."""
    if township.level != Level.TOWNSHIP:
        raise ValidationError(MSG_NOT_TOWNSHIP)
    if not can_keep_plan(by, township):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    today = timezone.localdate()
    as_of = as_of or today
    if as_of > today:
        raise ValidationError({"as_of": MSG_FUTURE})
    content = township_plan_data(township=township, year=year, on=as_of)
    return TownshipPlan.objects.create(township=township, year=year, as_of=as_of, content=content,
                                       note=note.strip()[:200], created_by=by)


def render_pdf(template: str, context: dict) -> bytes:
    """The four lists or the plan as PDF, in the project's own CJK font (never the host's)."""
    return html_to_pdf(render_to_string(template, context))
