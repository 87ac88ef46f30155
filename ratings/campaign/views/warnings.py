"""The early warnings list (预警清单) and acknowledging a warning."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from cadres.scope import scope_q, visible_regions
from config.paging import paginate
from ratings.campaign.access import warning_view_flags
from ratings.campaign.selectors_warnings import warnings_for_user
from ratings.campaign.services.warnings import warning_acknowledge
from ratings.models import WarningKind, WarningState
from villages.models import Level, Region

MSG_NO_SCOPE = "您没有可查看的区域"


@login_required
@require_GET
def warning_list(request):
    if not visible_regions(request.user):
        raise PermissionDenied(MSG_NO_SCOPE)
    rows = warnings_for_user(request.user)
    filters = {k: request.GET.get(k, "") for k in ("kind", "township", "state")}
    if filters["kind"] in WarningKind.values:
        rows = rows.filter(kind=filters["kind"])
    townships = Region.objects.filter(scope_q(request.user), level=Level.TOWNSHIP).order_by("code")
    if filters["township"]:
        if not townships.filter(code=filters["township"]).exists():
            raise Http404("乡镇不存在或不在您的权限范围内")
        rows = rows.filter(township__code=filters["township"])
    if filters["state"] in WarningState.values:
        rows = rows.filter(state=filters["state"])
    elif filters["state"] in ("", "active"):
        filters["state"] = "active"
        rows = rows.exclude(state=WarningState.CLEARED)
    page, querystring = paginate(request, rows, 50)
    return render(request, "campaign/warning_list.html", {
        "page_obj": page, "warnings": page.object_list, "filters": filters, "querystring_without_page": querystring,
        "kinds": WarningKind.choices, "states": WarningState.choices, "townships": townships,
        **warning_view_flags(request.user, page.object_list),
    })


@login_required
@require_POST
def warning_ack(request, pk: int):
    warning = warnings_for_user(request.user).filter(pk=pk).first()
    if warning is None:
        raise Http404("预警不存在或不在您的权限范围内")
    try:
        warning_acknowledge(warning=warning, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已确认该预警")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("campaign:warning_list")
