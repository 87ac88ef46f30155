"""The county's background jobs: recomputes, month closes, bulletins and imports, with their state."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cadres.models import Role
from cadres.scope import has_role, scope_q
from config.health import background_status
from config.models import ENDED_WITH_FAILURES, JobKind, JobRun, JobState
from config.paging import paginate

from .. import selectors

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
    # Batches on this page with failed counties of the user's scope: they get the resend button.
    batches = [run.pk for run in page if run.parent_id is None and run.state in ENDED_WITH_FAILURES]
    resendable = set(JobRun.objects.filter(parent_id__in=batches, state=JobState.FAILED)
                     .filter(scope_q(request.user, "county__code")).values_list("parent_id", flat=True))
    return render(request, "ratings/job_list.html", {
        "page_obj": page, "querystring_without_page": querystring, "filters": filters,
        "kinds": JobKind.choices, "states": JobState.choices, "resendable": resendable,
        "notices": selectors.job_notices(user=request.user), "background_problems": background_status(),
    })
