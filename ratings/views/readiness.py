"""The data readiness page (数据就绪) of a county or a township, and the county's start month."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cadres.county_start import county_start_set
from cadres.models import Role
from cadres.regions import region_get_for_user
from cadres.scope import has_role, user_posts
from config.params import int_param
from villages.models import Level, Region
from villages.start_month import county_start, parse_start

from ..readiness import readiness

MSG_ROLE = "只有县委组织部、牵头部门和乡镇专干可以查看数据就绪情况"


def _default_region(user) -> Region:
    posts = [p for p in user_posts(user) if p.role in (Role.ORGANISATION, Role.LEAD_DEPARTMENT, Role.TOWNSHIP_STAFF)]
    county = next((p.region for p in posts if p.region.level == Level.COUNTY), None)
    township = next((p.region for p in posts if p.region.level == Level.TOWNSHIP), None)
    region = county or township or (Region.objects.counties().order_by("code").first() if user.is_superuser else None)
    if region is None:
        raise Http404("您的岗位没有可查看的区划")
    return region


@require_http_methods(["GET", "POST"])
@login_required
def readiness_page(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.ORGANISATION, Role.LEAD_DEPARTMENT, Role.TOWNSHIP_STAFF):
        raise PermissionDenied(MSG_ROLE)
    if request.method == "POST":
        return _start_month_save(request)
    region = _default_region(request.user)
    if request.GET.get("township"):
        region = region_get_for_user(user=request.user, code=request.GET["township"])
        if region.level != Level.TOWNSHIP:
            raise Http404("请选择乡镇")
    today = timezone.localdate()
    year = int_param(request.GET.get("year"), today.year, 2000, 2100)
    month = int_param(request.GET.get("month"), today.month, 1, 12)
    rows = readiness(region=region, year=year, month=month)
    for row in rows:
        # A link the user may not follow is named, not linked.
        row.feed_links = [(feed, feed.open_to(request.user)) for feed in row.spec.feeds]
    county = region if region.level == Level.COUNTY else Region.objects.get(code=region.county_code)
    townships = Region.objects.townships().filter(code__startswith=county.prefix, is_active=True).order_by("code") \
        if region.level == Level.COUNTY or has_role(request.user, Role.ORGANISATION, Role.LEAD_DEPARTMENT) else []
    start = county_start(county)
    return render(request, "ratings/readiness.html", {
        "region": region, "county": county, "year": year, "month": month, "rows": rows, "months": range(1, 13),
        "ready": all(row.ready for row in rows), "townships": townships, "start": start,
        "can_set_start": has_role(request.user, Role.ORGANISATION),
    })


def _start_month_save(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.ORGANISATION):
        raise PermissionDenied("只有县委组织部可以设置起始月份")
    county = _default_region(request.user)
    if county.level != Level.COUNTY:
        raise PermissionDenied("只有县委组织部可以设置起始月份")
    try:
        start = parse_start(request.POST.get("start", ""))
        county_start_set(county=county, start=start, by=request.user)
    except ValueError:
        messages.error(request, "请填写正确的起始月份，如 2026-12")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已设置：{county.name}{county.start_words}使用本平台，此前各月不预警、不排名、不发通报")
    return redirect("ratings:readiness")
