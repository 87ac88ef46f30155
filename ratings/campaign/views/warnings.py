"""The early warnings list (预警清单) and acknowledging a warning."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from branches.views import RECTIFICATION_ROLES
from cadres.models import Role
from cadres.scope import has_role, scope_q, visible_regions
from cadres.views_work import ATTENDANCE_ROLES
from config.paging import paginate
from ratings.campaign.selectors_warnings import warnings_for_user
from ratings.campaign.services.warnings import ACK_ROLES, warning_acknowledge
from ratings.models import WarningKind, WarningState
from ratings.views.ledger import GRID_ROLES
from villages.models import Level, Region

MSG_NO_SCOPE = "您没有可查看的区域"
# Who may open a first secretary's record (cadres/views_secretaries.py): an attendance warning
# links there for them, to the sign-in page for the first secretary himself, nowhere otherwise.
SECRETARY_RECORD_ROLES = (Role.ORGANISATION, Role.LEAD_DEPARTMENT, Role.TOWNSHIP_STAFF)


# Warning links whose pages only some roles may open: the row shows its text without the link
# for anyone else (a county or township leader reads the list, but not the rectification record).
LINK_ROLES = {
    "branches:rectification_detail": RECTIFICATION_ROLES,
    "cadres:first_secretary_detail": SECRETARY_RECORD_ROLES,
    "ratings:ledger_grid": GRID_ROLES,
    "cadres:township_attendance": ATTENDANCE_ROLES,
}


def warning_view_flags(user) -> dict:
    """What the warning rows of a page may offer this user."""
    return {"can_acknowledge": has_role(user, *ACK_ROLES),
            "sees_secretary_records": has_role(user, *SECRETARY_RECORD_ROLES),
            "is_first_secretary": has_role(user, Role.FIRST_SECRETARY),
            "closed_links": [name for name, roles in LINK_ROLES.items() if not has_role(user, *roles)]}


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
        **warning_view_flags(request.user),
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
