"""The county's background jobs: recomputes, month closes, bulletins and imports, with their state."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cadres.models import Role
from cadres.scope import has_role
from config.paging import paginate

from .. import selectors
from ..models import JobKind, JobState

MSG_JOBS_ROLE = "只有县委组织部可以查看后台任务"


@require_GET
@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.ORGANISATION):
        raise PermissionDenied(MSG_JOBS_ROLE)
    filters = {
        "kind": request.GET.get("kind") if request.GET.get("kind") in JobKind.values else "",
        "state": request.GET.get("state") if request.GET.get("state") in JobState.values else "",
    }
    page, querystring = paginate(request, selectors.job_run_list(user=request.user, filters=filters), 50)
    return render(request, "ratings/job_list.html", {
        "page_obj": page, "querystring_without_page": querystring, "filters": filters,
        "kinds": JobKind.choices, "states": JobState.choices,
        "notices": selectors.job_notices(user=request.user),
    })
