"""The month-close page's other actions: reopen a closed month, run the figures check."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadres.models import Role
from cadres.scope import has_role, user_posts
from villages.models import Level, Region

from ..models import MonthCheckRun, MonthFollowUp, MonthReopening
from ..services.month_close import month_reopen

MSG_ORGANISATION_ONLY = "只有县委组织部可以操作关账月份"
MSG_NOT_COUNTY = "您的岗位不在县一级"
MSG_CHECK_RUNNING = "上一次核对尚未完成，请稍后刷新查看结果"


def organisation_county(request: HttpRequest) -> Region:
    """The county of an organisation-department user (403 for anyone else)."""
    if not has_role(request.user, Role.ORGANISATION):
        raise PermissionDenied(MSG_ORGANISATION_ONLY)
    county = next((p.region for p in user_posts(request.user)
                   if p.role == Role.ORGANISATION and p.region.level == Level.COUNTY), None)
    if county is None:
        raise PermissionDenied(MSG_NOT_COUNTY)
    return county


def month_close_history(county: Region) -> dict:
    """What the month-close page shows besides the closes: reopenings, the latest check, and
    what reached closed months after their close (late approvals, later months to deal with)."""
    from ..services.late_approvals import late_approval_months

    late = late_approval_months(county=county)
    return {
        "reopenings": MonthReopening.objects.filter(county=county).select_related(
            "reopened_by", "previously_closed_by")[:12],
        "check_run": MonthCheckRun.objects.filter(county=county).select_related("requested_by").first(),
        "close_day": settings.PORTAL["MONTH_CLOSE_DAY"],
        "late_entries": sum(row["entries"] for row in late), "late_months": len(late),
        "open_follow_ups": MonthFollowUp.objects.filter(county=county, state=MonthFollowUp.State.OPEN).count(),
    }


@require_POST
@login_required
def month_reopen_view(request: HttpRequest) -> HttpResponse:
    county = organisation_county(request)
    try:
        year, month = int(request.POST["year"]), int(request.POST["month"])
        month_reopen(county=county, year=year, month=month, by=request.user, reason=request.POST.get("reason", ""))
    except (KeyError, ValueError):
        messages.error(request, "请选择要重新打开的年月")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"{year}年{month}月已重新打开，该月通报已标为作废；修正后请再次关账发布")
    return redirect("ratings:month_close")


@require_POST
@login_required
def month_check_view(request: HttpRequest) -> HttpResponse:
    """Start the check of the county's closed months as a Celery task; the page shows the run."""
    county = organisation_county(request)
    if MonthCheckRun.objects.filter(county=county, status=MonthCheckRun.Status.RUNNING,
                                    requested_at__gte=timezone.now() - dt.timedelta(minutes=15)).exists():
        messages.info(request, MSG_CHECK_RUNNING)
        return redirect("ratings:month_close")
    run = MonthCheckRun.objects.create(county=county, requested_by=request.user, requested_at=timezone.now())
    from ..tasks import check_closed_months

    transaction.on_commit(lambda: check_closed_months.delay(run.pk))
    messages.success(request, "已开始核对已关账月份的数据，完成后在本页显示结果")
    return redirect("ratings:month_close")
