"""Dashboards and the village page: read-only views over the engine's stored results."""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cadres.accounts import post_holders
from cadres.models import Role, StarCode
from cadres.scope import has_role, scope_q, user_posts
from config.health import background_status
from ratings.campaign.access import warning_view_flags
from ratings.campaign.selectors_warnings import warnings_panel
from ratings.models import Notice
from ratings.selectors_running import month_state, running_states
from ratings.templatetags.stars import place_word
from villages.models import Level, Region

from . import selectors
from .cache import cached_results, lazy, results_version

COUNTY_ROLES = (Role.ORGANISATION, Role.LEAD_DEPARTMENT)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _period(request, region: Region, version: str) -> selectors.Period:
    year, month, view = _int(request.GET.get("year")), _int(request.GET.get("month")), request.GET.get("view")
    # Without results the period falls back to today's month: today is part of the key.
    return cached_results("period", region, version, (year, month, view, timezone.localdate()),
                          lambda: selectors.resolve_period(region, year=year, month=month, view=view))


def _scoped_region(user, code: str, level: str) -> Region:
    region = get_object_or_404(Region, code=code, level=level)
    if not selectors.in_scope(user, region):
        raise Http404
    return region


def _context(request, region: Region, period: selectors.Period, version: str, **extra) -> dict:
    months = lazy(lambda: cached_results("months", region, version, (), lambda: selectors.available_months(region)))
    latest = lazy(lambda: cached_results("latest_periods", region, version, (),
                                         lambda: selectors.latest_periods(region)))
    return {"region": region, "period": period, "months": months, "latest_periods": latest,
            # What a cached fragment of stored results varies on (besides the region).
            # The running month's state moves with the date alone (a pace falls behind): its
            # fragments vary by the day too; another month's by whether it has begun.
            "cache_vary": f"{period.year}:{period.month}:{period.view}:{version}:{_month_key(period)}",
            "period_running": selectors.is_running(period),
            "period_future": month_state(period.year, period.month) == "future",
            "star_names": selectors.STAR_NAMES, "star_codes": selectors.STAR_CODES,
            "star_headers": list(StarCode.choices), **extra}


def _month_key(period: selectors.Period) -> str:
    state = month_state(period.year, period.month)
    return timezone.localdate().isoformat() if state == "running" else state


def _warnings(request, region: Region, limit: int = 8) -> dict:
    """The region's early warnings panel: live (never cached), open ones first."""
    rows, open_count = warnings_panel(region, limit=limit)
    return {"warnings": rows, "warnings_open": open_count,
            **warning_view_flags(request.user, rows),
            "warnings_township": region.code if region.level == Level.TOWNSHIP else ""}


def _url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@login_required
@require_GET
def county_dashboard(request):
    if not has_role(request.user, *COUNTY_ROLES):
        raise Http404
    county = next((p.region for p in user_posts(request.user) if p.region.level == Level.COUNTY), None)
    if county is None:
        county = Region.objects.filter(level=Level.COUNTY).order_by("code").first()
    if county is None or not selectors.in_scope(request.user, county):
        raise Http404
    version = results_version(county)
    period = _period(request, county, version)
    data = selectors.county_dashboard(county, period, version=version)
    # The organisation department is told when background work lags (read from the database).
    problems = background_status() if has_role(request.user, Role.ORGANISATION) else []
    return render(request, "reports/county_dashboard.html", _context(request, county, period, version, data=data,
                                                                     **_running(county, period, version),
                                                                     background_problems=problems,
                                                                     **_warnings(request, county, limit=5)))


def _running(region: Region, period: selectors.Period, version: str) -> dict:
    """The running month beside the month shown: its progress (secured and attainable levels).
    When the month shown is itself the running one (`period_running`), its change against last
    month is only the calendar and is not shown."""
    return {"running": lazy(lambda: selectors.running_progress(region, version=version))}


@login_required
@require_GET
def township_dashboard_mine(request):
    post = next((p for p in user_posts(request.user) if p.region.level == Level.TOWNSHIP), None)
    if post is not None:
        return redirect("reports:township_dashboard", code=post.region.code)
    if not has_role(request.user, *COUNTY_ROLES):
        raise Http404
    townships = Region.objects.filter(level=Level.TOWNSHIP).order_by("code")
    townships = [t for t in townships if selectors.in_scope(request.user, t)]
    return render(request, "reports/township_picker.html", {"townships": townships})


@login_required
@require_GET
def township_dashboard(request, code: str):
    township = _scoped_region(request.user, code, Level.TOWNSHIP)
    version = results_version(township)
    period = _period(request, township, version)
    data = selectors.township_dashboard(township, period, version=version)
    return render(request, "reports/township_dashboard.html", _context(
        request, township, period, version, data=data, can_mark_read=has_role(request.user, Role.TOWNSHIP_STAFF),
        clerks=_clerks_then(township, period), **_running(township, period, version), **_warnings(request, township)))


def _clerks_then(township: Region, period) -> list:
    """The township staff in post on the month's last day (today for the running month): a
    past month shows who was clerk then, not who is now."""
    last = dt.date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])
    return post_holders(region=township, role=Role.TOWNSHIP_STAFF, on=min(last, timezone.localdate()))


@login_required
@require_POST
def notice_read(request, pk: int):
    """Township staff mark a notice to their township as read."""
    notice = get_object_or_404(Notice.objects.filter(scope_q(request.user, "region__code")), pk=pk)
    if not has_role(request.user, Role.TOWNSHIP_STAFF):
        raise PermissionDenied
    if not notice.read:
        notice.read = True
        notice.save(update_fields=["read"])
    return redirect("reports:township_dashboard", code=notice.region.code)


@login_required
@require_GET
def my_village(request):
    post = next((p for p in user_posts(request.user) if p.region.level == Level.VILLAGE), None)
    if post is None:
        raise Http404
    return redirect("reports:village", code=post.region.code)


def _running_beside(village: Region) -> dict | None:
    """The running month of one village, beside a closed month the page shows."""
    today = timezone.localdate()
    state = running_states(year=today.year, month=today.month, village_ids=[village.pk], today=today).get(village.pk)
    if state is None:
        return None
    return {"year": today.year, "month": today.month, "secured": state.secured_level,
            "attainable": state.attainable_level, "pending": len(state.pending)}


@login_required
@require_GET
def village(request, code: str):
    village = _scoped_region(request.user, code, Level.VILLAGE)
    version = results_version(village)
    period = _period(request, village, version)

    def build() -> dict:
        data = selectors.village_page(village, period)
        for s in data["star_scores"]:
            # The explanation keeps the page's month and view (published or live): the same figure.
            url = _url_or_none("ratings:explain", village.code, period.year, period.month, s.star)
            s.explain_url = f"{url}?view={period.view}" if url else None
        # The running month's live point is today's figure, not the month's: labelled so.
        for t in data["trend"]:
            t["running"] = period.view == "live" and month_state(t["year"], t["month"]) == "running"
        data["trend_json"] = [{"label": f"{t['year']}-{t['month']:02d}{'（进行中）' if t['running'] else ''}",
                               "total": float(t["total"]), "level": t["star_level"]} for t in data["trend"]]
        return data

    context = _context(request, village, period, version, data=lazy(build),
                       running_beside=None if selectors.is_running(period) else _running_beside(village),
                       task_list_url=_url_or_none("campaign:task_list"), **_warnings(request, village, limit=5),
                       warnings_title=f"本{place_word(village)}预警")
    # The page also shows the village's target for the year, which is set outside a recompute.
    target = village.targets.filter(year=period.year).values_list("level", "target_stars").first()
    context["cache_vary"] += f":{target}"
    return render(request, "reports/village.html", context)
