"""Recomputes started from the pages: a city's or province's counties (the organisation
department above the county, from its month-close page), and a batch's failed counties sent
again (the job page's "重新计算失败的县")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadres.models import Role
from cadres.scope import has_role, scope_q, user_posts
from config.models import ENDED_WITH_FAILURES, OPEN_STATES, JobKind, JobRun
from villages.models import Level, Region

from .. import selectors
from ..models import View

MSG_ORGANISATION_ONLY = "只有组织部可以发起重新计算"
MSG_RESEND_NONE = "该批次没有您辖区内失败的县"
MSG_RECOMPUTE_RUNNING = "{region}{year}年{month}月的重新计算正在进行，请在“后台任务”页查看进度"


def organisation_region_above_county(user) -> Region | None:
    """The city or province of an organisation-department post above the county, if any."""
    return next((p.region for p in user_posts(user)
                 if p.role == Role.ORGANISATION and p.region.level in (Level.CITY, Level.PROVINCE)), None)


def region_recompute_page(request: HttpRequest, region: Region) -> HttpResponse:
    """The month-close page of a city or province organisation department: each county closes
    its own months; from here the counties' live figures are recomputed, county by county."""
    today = timezone.localdate()
    runs = JobRun.objects.filter(kind=JobKind.RECOMPUTE, parent=None, county=None).order_by("-created_at", "-pk")[:5]
    return render(request, "ratings/region_recompute.html", {
        "region": region, "year": today.year, "month": today.month, "months": range(1, 13), "runs": runs,
        "counties": Region.objects.filter(level=Level.COUNTY, code__startswith=region.prefix).count(),
    })


@require_POST
@login_required
def region_recompute(request: HttpRequest) -> HttpResponse:
    from ..tasks import recompute_counties_start

    region = organisation_region_above_county(request.user)
    if region is None:
        raise PermissionDenied(MSG_ORGANISATION_ONLY)
    try:
        year, month = int(request.POST["year"]), int(request.POST["month"])
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise ValueError
    except (KeyError, ValueError):
        messages.error(request, "请选择要重新计算的年月")
        return redirect("ratings:month_close")
    if JobRun.objects.filter(kind=JobKind.RECOMPUTE, parent=None, county=None, year=year, month=month,
                             state__in=OPEN_STATES, result__startswith=f"{region.name}：").exists():
        messages.info(request, MSG_RECOMPUTE_RUNNING.format(region=region.name, year=year, month=month))
        return redirect("ratings:job_list")
    run = recompute_counties_start(region=region, year=year, month=month, view=View.LIVE)
    count = run.children.count()
    messages.success(request, f"已发起{region.name}{count} 个县{year}年{month}月实时得分的重新计算，进度见下表")
    return redirect("ratings:job_list")


@require_POST
@login_required
def job_resend_failed(request: HttpRequest, pk: int) -> HttpResponse:
    """"重新计算失败的县": the batch's failed counties within the user's scope, sent again."""
    from ..tasks import job_run_resend_failed_counties

    run = get_object_or_404(selectors.job_run_list(user=request.user).filter(parent=None), pk=pk)
    if not has_role(request.user, Role.ORGANISATION):
        raise PermissionDenied(MSG_ORGANISATION_ONLY)
    if run.state not in ENDED_WITH_FAILURES:
        messages.info(request, "该任务没有待重新计算的失败县")
        return redirect("ratings:job_list")
    counties = set(Region.objects.filter(scope_q(request.user), level=Level.COUNTY).values_list("pk", flat=True))
    sent = job_run_resend_failed_counties(run=run, county_ids=counties)
    if sent:
        messages.success(request, f"已重新发送 {sent} 个失败的县，完成后本批次状态随之更新")
    else:
        messages.error(request, MSG_RESEND_NONE)
    return redirect("ratings:job_list")
