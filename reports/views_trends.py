"""Trends (county, township, village) and the meeting-room screen: read-only views over stored
results. Who sees what: the county's offices and leaders the county (and any of its townships
and villages), a township's staff and leaders their township and its villages, a village's
secretary and first secretary their village. A page of a level the role does not read is a 403;
a region outside the user's scope a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cadres.models import Role
from cadres.scope import has_role, user_posts
from villages.models import Level, Region

from . import selectors_screen, selectors_trends
from .selectors import in_scope

COUNTY_ROLES = (Role.ORGANISATION, Role.LEAD_DEPARTMENT, Role.COUNTY_LEADER)
# The county dashboard's readers (reports.views_dashboards.COUNTY_ROLES): county leaders have none.
DASHBOARD_ROLES = (Role.ORGANISATION, Role.LEAD_DEPARTMENT)
TOWNSHIP_ROLES = (*COUNTY_ROLES, Role.TOWNSHIP_STAFF, Role.TOWNSHIP_LEADER)
# The screen refreshes its figures this often (seconds).
SCREEN_REFRESH_SECONDS = 60


def _year(request, region: Region) -> tuple[int, list[int]]:
    """The year asked for if it has results, else the latest year with results (else this year)."""
    years = selectors_trends.trend_years(region)
    try:
        asked = int(request.GET.get("year", ""))
    except ValueError:
        asked = None
    if asked in years:
        return asked, years
    return (years[0] if years else timezone.localdate().year), years


def _user_county(user) -> Region:
    county = next((p.region for p in user_posts(user) if p.region.level == Level.COUNTY), None)
    if county is None and getattr(user, "is_superuser", False):
        county = Region.objects.filter(level=Level.COUNTY).order_by("code").first()
    if county is None:
        raise Http404
    return county


@login_required
@require_GET
def trends_mine(request):
    """趋势分析 in the menu: the trends of the user's own level."""
    if has_role(request.user, *COUNTY_ROLES):
        return redirect("reports:trends_county")
    posts = user_posts(request.user)
    township = next((p.region for p in posts if p.region.level == Level.TOWNSHIP), None)
    if township is not None:
        return redirect("reports:trends_township", code=township.code)
    village = next((p.region for p in posts if p.region.level == Level.VILLAGE), None)
    if village is not None:
        return redirect("reports:trends_village", code=village.code)
    raise Http404


@login_required
@require_GET
def trends_county(request):
    if not has_role(request.user, *COUNTY_ROLES):
        raise PermissionDenied
    county = _user_county(request.user)
    year, years = _year(request, county)
    data = selectors_trends.region_trends(county, year=year)
    return render(request, "reports/trends_region.html", {
        "region": county, "year": year, "years": years, "data": data,
        "dashboard_link": has_role(request.user, *DASHBOARD_ROLES)})


@login_required
@require_GET
def trends_township(request, code: str):
    if not has_role(request.user, *TOWNSHIP_ROLES):
        raise PermissionDenied
    township = get_object_or_404(Region, code=code, level=Level.TOWNSHIP)
    if not in_scope(request.user, township):
        raise Http404
    year, years = _year(request, township)
    data = selectors_trends.region_trends(township, year=year)
    return render(request, "reports/trends_region.html", {
        "region": township, "year": year, "years": years, "data": data,
        "county_link": has_role(request.user, *COUNTY_ROLES)})


@login_required
@require_GET
def trends_village(request, code: str):
    village = get_object_or_404(Region.objects.select_related("parent"), code=code, level=Level.VILLAGE)
    if not in_scope(request.user, village):
        raise Http404
    year, years = _year(request, village)
    data = selectors_trends.village_trends(village, year=year)
    return render(request, "reports/trends_village.html", {
        "region": village, "year": year, "years": years, "data": data,
        "township_link": has_role(request.user, *TOWNSHIP_ROLES)})


@login_required
@require_GET
def screen(request):
    """The meeting-room screen; asked by htmx (every SCREEN_REFRESH_SECONDS) it answers with its
    body only, which the page swaps in."""
    if not has_role(request.user, *COUNTY_ROLES):
        raise PermissionDenied
    county = _user_county(request.user)
    context = {"region": county, "data": selectors_screen.screen_data(county), "now": timezone.localtime(),
               "refresh_seconds": SCREEN_REFRESH_SECONDS}
    if request.headers.get("HX-Request"):
        return render(request, "reports/_screen_body.html", context)
    return render(request, "reports/screen.html", context)
