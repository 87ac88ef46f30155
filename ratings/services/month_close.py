"""Closing a month: the published view, frozen; reopening it, recorded.

A closed month's published rows are written once, by `month_close`, from the entries approved
by then; what was still waiting for review is counted on the close, by star. Later recomputes
leave them alone (see scoring.recompute). The county organisation department may reopen a
closed month with a reason (`month_reopen`): the month is open again, its bulletins are marked
superseded, and closing it again recomputes it, refreshes the movement of the month after it
(measured against its ranks), recomputes the running month's live view at once, and has the
later closed months it would change listed (services/follow_ups.py).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.models import Role
from cadres.scope import can_see_region, has_role
from villages.models import Region
from villages.start_month import before_start

from ..models import MonthClose, MonthFollowUp, MonthReopening, View, VillageScore
from ..signals import month_closed, month_reopened
from .late_approvals import unreviewed_by_star
from .locks import county_month_lock
from .scoring import recompute
from .scoring_ranks import rerank

MSG_CLOSE_ROLE = "只有县委组织部可以关账发布"
MSG_CLOSE_FUTURE = "只能关账已结束的月份"
MSG_CLOSE_BEFORE_START = "{county}{start}使用本平台，{year}年{month}月无需关账"
MSG_REOPEN_ROLE = "只有本县县委组织部可以重新打开已关账的月份"
MSG_REOPEN_REASON = "请填写重新打开的原因"
MSG_REOPEN_NOT_CLOSED = "该月尚未关账，无需重新打开"

# The figures that month close freezes and a re-close may change (compared to count changes).
_FROZEN = ("village_id", "star_level", "total", "tiebreak_score", "county_rank", "township_rank",
           "county_movement", "township_movement")


@transaction.atomic
def month_close(*, county: Region, year: int, month: int, by=None, bulletins: bool = True) -> MonthClose:
    """Recompute the county's month on approved entries only and freeze it as published.

    Idempotent: a month already closed is returned unchanged, so later approvals never alter
    a published month (they go to the live view). Closing a reopened month records it on the
    reopening and refreshes the next month's movement (`_refresh_following_movement`).
    """
    if by is not None and not has_role(by, Role.ORGANISATION):
        raise PermissionDenied(MSG_CLOSE_ROLE)
    today = timezone.localdate()
    if (year, month) >= (today.year, today.month):
        raise ValidationError(MSG_CLOSE_FUTURE)
    if before_start(county, year, month):
        raise ValidationError(MSG_CLOSE_BEFORE_START.format(county=county.name, start=county.start_words, year=year,
                                                            month=month))
    # Two closes of one county and month at once (a second beat, a beat and a click): the
    # second waits here for the first to commit, then returns its close unchanged.
    county_month_lock(job="month_close", county_id=county.pk, year=year, month=month)
    existing = MonthClose.objects.select_for_update().filter(county=county, year=year, month=month).first()
    if existing:
        return existing
    before = _published_figures(county, year, month)
    unreviewed = unreviewed_by_star(county=county, year=year, month=month)
    recompute(year=year, month=month, view=View.PUBLISHED, region=county)
    closed = MonthClose.objects.create(county=county, year=year, month=month, closed_at=timezone.now(), closed_by=by,
                                       unreviewed=unreviewed)
    reopening = _pending_reopening(county, year, month)
    if reopening is not None:
        after = _published_figures(county, year, month)
        reopening.closed_again_at = closed.closed_at
        reopening.figures_changed = sum(1 for key, row in after.items() if before.get(key) != row)
        reopening.save(update_fields=["closed_again_at", "figures_changed"])
        _refresh_following_movement(county, year, month, bulletins=bulletins)
        # The running month carries the corrected values forward: its live view follows now,
        # not at the next approval or the nightly recompute.
        recompute(year=today.year, month=today.month, view=View.LIVE, region=county)
        transaction.on_commit(lambda: _find_follow_ups(reopening.pk))
    if bulletins:
        _after_close(county, year, month)
    return closed


@transaction.atomic
def month_reopen(*, county: Region, year: int, month: int, by, reason: str,
                 at: dt.datetime | None = None) -> MonthReopening:
    """Reopen a closed month (county organisation department of that county, reason required),
    now, or `at` the time a replay of the past (the demo county's year) gives it.

    1. check the role, the reason and that the month is closed; 2. record the reopening with
    who had closed it; 3. remove the month's close, so it reads as open everywhere and can be
    closed again; 4. mark its bulletins superseded. The published rows stay as they were until
    the month is closed again.
    """
    if by is None or not has_role(by, Role.ORGANISATION) or not can_see_region(by, county):
        raise PermissionDenied(MSG_REOPEN_ROLE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": MSG_REOPEN_REASON})
    county_month_lock(job="month_close", county_id=county.pk, year=year, month=month)
    closed = MonthClose.objects.select_for_update().filter(county=county, year=year, month=month).first()
    if closed is None:
        raise ValidationError(MSG_REOPEN_NOT_CLOSED)
    now = at or timezone.now()
    reopening = MonthReopening.objects.create(
        county=county, year=year, month=month, reason=reason, reopened_at=now, reopened_by=by,
        previously_closed_at=closed.closed_at, previously_closed_by=closed.closed_by)
    # A later month listed after an earlier correction is dealt with by this reopening.
    MonthFollowUp.objects.filter(county=county, year=year, month=month, state=MonthFollowUp.State.OPEN).update(
        state=MonthFollowUp.State.REOPENED, reopening=reopening, decided_by=by, decided_at=now, decision_reason=reason)
    closed.delete()
    _supersede_bulletins(county, year, month, reason=reason, at=now)
    return reopening


def _find_follow_ups(reopening_id: int) -> None:
    from config.celery import publish

    from ..tasks import find_month_follow_ups

    # Not sent (broker down): the nightly recompute finds the reopening unchecked and sends it.
    publish(find_month_follow_ups, args=[reopening_id])


def _pending_reopening(county: Region, year: int, month: int) -> MonthReopening | None:
    return (MonthReopening.objects.select_for_update()
            .filter(county=county, year=year, month=month, closed_again_at__isnull=True).order_by("-reopened_at").first())


def _published_figures(county: Region, year: int, month: int) -> dict[int, tuple]:
    rows = VillageScore.objects.filter(village__code__startswith=county.prefix, year=year, month=month,
                                       view=View.PUBLISHED).values_list(*_FROZEN)
    return {row[0]: row for row in rows}


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _refresh_following_movement(county: Region, year: int, month: int, *, bulletins: bool) -> None:
    """The month after a re-closed month measures its movement against the re-closed ranks:
    re-rank its stored figures (ranks are unchanged, movement follows) in both views, and
    regenerate its bulletins if it is closed and a movement changed."""
    next_year, next_month = _next_month(year, month)
    before = _published_figures(county, next_year, next_month)
    for view in (View.PUBLISHED, View.LIVE):
        rerank(county_prefix=county.code[:6], year=next_year, month=next_month, view=view)
    closed = MonthClose.objects.filter(county=county, year=next_year, month=next_month).exists()
    if bulletins and closed and _published_figures(county, next_year, next_month) != before:
        _after_close(county, next_year, next_month)


def _supersede_bulletins(county: Region, year: int, month: int, *, reason: str, at) -> None:
    """The reports app marks the month's bulletins superseded (it listens: ratings never imports it)."""
    month_reopened.send(sender=MonthReopening, county=county, year=year, month=month, reason=reason, at=at)


def _after_close(county: Region, year: int, month: int) -> None:
    """Announce the closed month; the reports app queues its bulletins on commit."""
    month_closed.send(sender=MonthClose, county=county, year=year, month=month)
