"""The monthly bulletin list, on-demand generation and scoped downloads (never a raw media URL)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cadres.models import Role
from cadres.scope import has_role, visible_regions
from config.files import file_response
from config.paging import querystring_without_page
from villages.models import Level, Region

from .models import Bulletin
from .selectors_bulletins import bulletin_corrections
from .services.bulletin import bulletin_generate, last_closed_month

OFFICE_ROLES = (Role.ORGANISATION, Role.LEAD_DEPARTMENT, Role.TOWNSHIP_STAFF)
MSG_NO_GENERATE = "您无权生成该范围的通报"


def _may_see(user, region: Region) -> bool:
    # Own subtree, or an ancestor of it (a township user sees the county's bulletin).
    return any(region.code.startswith(p) or p.startswith(region.prefix) for p in visible_regions(user))


def _may_generate(user, region: Region) -> bool:
    if user.is_superuser:
        return True
    if has_role(user, Role.ORGANISATION):
        return _may_see(user, region) and any(region.code.startswith(p) for p in visible_regions(user))
    return region.level == Level.TOWNSHIP and has_role(user, Role.TOWNSHIP_STAFF) and \
        any(region.code.startswith(p) for p in visible_regions(user))


def _office(user) -> None:
    if not has_role(user, *OFFICE_ROLES):
        raise Http404


@login_required
@require_GET
def bulletin_list(request):
    _office(request.user)
    rows = [b for b in Bulletin.objects.select_related("region", "generated_by") if _may_see(request.user, b.region)]
    year = request.GET.get("year", "")
    if year.isdigit():
        rows = [b for b in rows if b.year == int(year)]
    regions = [r for r in Region.objects.filter(level__in=[Level.COUNTY, Level.TOWNSHIP]).order_by("code")
               if _may_generate(request.user, r)]
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    corrections = bulletin_corrections(page.object_list)
    for b in page.object_list:
        b.correction = corrections.get(b.pk)
    # The form proposes the last closed month: a bulletin shows published figures only.
    closed = last_closed_month(regions[0]) if regions else None
    return render(request, "reports/bulletin_list.html", {
        "page_obj": page, "regions": regions, "year": year, "closed": closed,
        "querystring_without_page": querystring_without_page(request.GET)})


@login_required
@require_POST
def bulletin_generate_view(request):
    _office(request.user)
    region = get_object_or_404(Region, pk=request.POST.get("region") or 0)
    if not _may_see(request.user, region):
        raise Http404
    if not _may_generate(request.user, region):
        raise PermissionDenied(MSG_NO_GENERATE)
    try:
        year, month = int(request.POST.get("year", "")), int(request.POST.get("month", ""))
        bulletin_generate(region=region, year=year, month=month, by=request.user)
    except (ValueError, ValidationError) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", ["年份或月份不正确"])))
    else:
        messages.success(request, f"已生成 {region.name}{year}年{month}月通报")
    return redirect("reports:bulletin_list")


@login_required
@require_GET
def bulletin_download(request, pk: int, fmt: str):
    _office(request.user)
    bulletin = get_object_or_404(Bulletin.objects.select_related("region"), pk=pk)
    if not _may_see(request.user, bulletin.region) or fmt not in ("xlsx", "pdf"):
        raise Http404
    f = getattr(bulletin, fmt)
    if not f:
        raise Http404
    # A superseded bulletin says so in its name, wherever the file is forwarded.
    mark = "（已被更正）" if bulletin.superseded_at else ""
    return file_response(f, as_attachment=True,
                         filename=f"{bulletin.region.name}{bulletin.year}年{bulletin.month}月通报{mark}.{fmt}")
