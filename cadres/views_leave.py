"""Leave: the first secretary asks on his phone, the township approves or refuses with a comment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import LeaveDecisionForm, LeaveRequestForm
from .models import Role
from .models_work import LeaveStatus
from .selectors import leaves_for, pending_leaves
from .services_work import leave_decide, leave_request
from .views_secretaries import require_roles
from .views_work import _own_first_secretary


@login_required
@require_http_methods(["GET", "POST"])
def leave_request_page(request):
    """The first secretary's own leave: the request form and every decision taken on it."""
    fs = _own_first_secretary(request.user)
    form = LeaveRequestForm(request.POST or None, initial={"start": timezone.localdate(), "end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            leave_request(first_secretary=fs, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "请假申请已提交，等待乡镇审批。")
            return redirect("cadres:leave_request")
    leaves = fs.leave_requests.select_related("decided_by").order_by("-start")
    status = 400 if request.method == "POST" else 200
    return render(request, "cadres/leave_request.html", {"fs": fs, "form": form, "leaves": leaves}, status=status)


@login_required
@require_GET
def leave_list(request):
    """Pending leaves of the township's first secretaries, then the decided ones (history)."""
    require_roles(request.user, Role.TOWNSHIP_STAFF, Role.ORGANISATION)
    decided = leaves_for(request.user).exclude(status=LeaveStatus.REQUESTED).order_by("-decided_at", "-pk")
    page = Paginator(decided, 30).get_page(request.GET.get("page"))
    return render(request, "cadres/leave_list.html", {
        "pending": pending_leaves(user=request.user), "page_obj": page, "decided": page.object_list,
        "can_decide": has_township_role(request.user), "decision_form": LeaveDecisionForm(),
        "querystring_without_page": "",
    })


def has_township_role(user) -> bool:
    from .scope import has_role

    return has_role(user, Role.TOWNSHIP_STAFF)


@login_required
@require_POST
def leave_decide_view(request, pk: int):
    leave = get_object_or_404(leaves_for(request.user), pk=pk)
    require_roles(request.user, Role.TOWNSHIP_STAFF)
    form = LeaveDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("cadres:leave_list")
    try:
        leave_decide(leave=leave, approve=form.cleaned_data["decision"] == "approve", by=request.user,
                     note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已{'批准' if form.cleaned_data['decision'] == 'approve' else '不批准'}"
                                  f"{leave.first_secretary.name}的请假。")
    return redirect("cadres:leave_list")
