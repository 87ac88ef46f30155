"""Corrections reach every month they touch: the later closed months of a re-closed month.

A reopened month closed again publishes its corrected figures; the later closed months of the
year keep theirs (they are never rewritten by it), although they carry its values forward. When
the month is closed again (`month_close`), every later closed month whose figures would now
differ is found (`follow_ups_find`) and listed with its differences (`MonthFollowUp`) until the
county organisation department either reopens it too, in month order, or records a decision to
leave it as published (who, when, why). The figures check reports what such a decision left
apart (services/month_check.py).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.models import Role
from cadres.scope import can_see_region, has_role

from ..models import MonthClose, MonthFollowUp, MonthReopening
from .approved_by import approved_by_from_closes, county_closes
from .month_check import left_as_published, month_differences
from .month_close import month_reopen
from .scoring_inputs import load_standards

MSG_FOLLOW_UP_ROLE = "只有本县县委组织部可以处理更正影响的后续月份"
MSG_FOLLOW_UP_REASON = "请填写原因"
MSG_FOLLOW_UP_DONE = "该月份已处理，请刷新页面"
MSG_FOLLOW_UP_ORDER = "请按月份顺序重新打开：先处理{year}年{month}月"

State = MonthFollowUp.State


def follow_ups_find(*, reopening: MonthReopening) -> list[MonthFollowUp]:
    """After a reopened month was closed again: 1. compare each later closed month of its year
    with a fresh computation (the check's rule); 2. leave out what a decision already left as
    published; 3. record (or bring up to date) the month's open follow-up with the remaining
    differences, or settle it when none remain; 4. note on the reopening when this was done.
    Returns the open follow-ups. Idempotent."""
    county, year = reopening.county, reopening.year
    closes = county_closes(county, year)
    standards = load_standards(year)
    now = timezone.now()
    found = []
    for closed in MonthClose.objects.filter(county=county, year=year, month__gt=reopening.month).order_by("month"):
        _, differences = month_differences(county, year, closed.month, standards=standards,
                                           approved_by=approved_by_from_closes(closes, closed.month))
        left = left_as_published(closed)
        remaining = [d for d in differences if d.key() not in left]
        with transaction.atomic():
            current = (MonthFollowUp.objects.select_for_update()
                       .filter(county=county, year=year, month=closed.month, state=State.OPEN).first())
            if not remaining:
                if current is not None:
                    current.state, current.decided_at = State.SETTLED, now
                    current.save(update_fields=["state", "decided_at"])
                continue
            current = current or MonthFollowUp(county=county, year=year, month=closed.month)
            current.cause, current.found_at = reopening, now
            current.differences = [d.as_dict() for d in remaining]
            current.villages = len({d.village for d in remaining})
            current.save()
        found.append(current)
    MonthReopening.objects.filter(pk=reopening.pk).update(later_months_checked_at=now)
    return found


def _check_role(by, follow_up: MonthFollowUp) -> None:
    if by is None or not has_role(by, Role.ORGANISATION) or not can_see_region(by, follow_up.county):
        raise PermissionDenied(MSG_FOLLOW_UP_ROLE)


def _locked_open(follow_up: MonthFollowUp) -> MonthFollowUp:
    follow_up = MonthFollowUp.objects.select_for_update().select_related("county").get(pk=follow_up.pk)
    if follow_up.state != State.OPEN:
        raise ValidationError(MSG_FOLLOW_UP_DONE)
    return follow_up


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": MSG_FOLLOW_UP_REASON})
    return reason


@transaction.atomic
def month_follow_up_leave(*, follow_up: MonthFollowUp, by, reason: str) -> MonthFollowUp:
    """Record the decision to leave a later month as published (county organisation department).

    1. role, reason, still open; 2. the month's differences computed again now, so the decision
    acknowledges exactly the figures it leaves (what an earlier decision left stays with it);
    3. recorded with who, when and why, or settled when nothing differs any more."""
    _check_role(by, follow_up)
    reason = _reason(reason)
    follow_up = _locked_open(follow_up)
    closed = MonthClose.objects.get(county=follow_up.county, year=follow_up.year, month=follow_up.month)
    _, differences = month_differences(follow_up.county, follow_up.year, follow_up.month)
    left = left_as_published(closed)
    remaining = [d for d in differences if d.key() not in left]
    follow_up.state = State.LEFT if remaining else State.SETTLED
    follow_up.differences = [d.as_dict() for d in remaining]
    follow_up.villages = len({d.village for d in remaining})
    follow_up.decided_by, follow_up.decided_at, follow_up.decision_reason = by, timezone.now(), reason
    follow_up.save()
    return follow_up


@transaction.atomic
def month_follow_up_reopen(*, follow_up: MonthFollowUp, by, reason: str) -> MonthReopening:
    """Reopen a later month to take the correction in (county organisation department), the
    earliest open one first: closing it again changes what the months after it carry."""
    _check_role(by, follow_up)
    reason = _reason(reason)
    follow_up = _locked_open(follow_up)
    earlier = (MonthFollowUp.objects.filter(county=follow_up.county, state=State.OPEN)
               .filter(year__lte=follow_up.year).exclude(pk=follow_up.pk).order_by("year", "month").first())
    if earlier is not None and (earlier.year, earlier.month) < (follow_up.year, follow_up.month):
        raise ValidationError(MSG_FOLLOW_UP_ORDER.format(year=earlier.year, month=earlier.month))
    # month_reopen marks this follow-up reopened (as it does when the month is reopened from
    # the month-close page).
    return month_reopen(county=follow_up.county, year=follow_up.year, month=follow_up.month, by=by, reason=reason)
