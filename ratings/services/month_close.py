"""Closing a month: the published view, frozen."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.models import Role
from cadres.scope import has_role
from villages.models import Region

from ..models import MonthClose, View
from .locks import county_month_lock
from .scoring import recompute

MSG_CLOSE_ROLE = "只有县委组织部可以关账发布"
MSG_CLOSE_FUTURE = "只能关账已结束的月份"


@transaction.atomic
def month_close(*, county: Region, year: int, month: int, by=None, bulletins: bool = True) -> MonthClose:
    """Recompute the county's month on approved entries only and freeze it as published.

    Idempotent: a month already closed is returned unchanged, so later approvals never alter
    a published month (they go to the live view).
    """
    if by is not None and not has_role(by, Role.ORGANISATION):
        raise PermissionDenied(MSG_CLOSE_ROLE)
    today = timezone.localdate()
    if (year, month) >= (today.year, today.month):
        raise ValidationError(MSG_CLOSE_FUTURE)
    # Two closes of one county and month at once (a second beat, a beat and a click): the
    # second waits here for the first to commit, then returns its close unchanged.
    county_month_lock(job="month_close", county_id=county.pk, year=year, month=month)
    existing = MonthClose.objects.select_for_update().filter(county=county, year=year, month=month).first()
    if existing:
        return existing
    recompute(year=year, month=month, view=View.PUBLISHED, region=county)
    closed = MonthClose.objects.create(county=county, year=year, month=month, closed_at=timezone.now(), closed_by=by)
    if bulletins:
        _after_close(county, year, month)
    return closed


def _after_close(county: Region, year: int, month: int) -> None:
    """Bulletins for the closed month, when the reports app provides them."""
    try:
        from reports.tasks import generate_bulletins_for_month
    except ImportError:
        return
    transaction.on_commit(lambda: generate_bulletins_for_month(county.pk, year, month))
