"""Task lists, problem ledgers and the award list (engineer C): views call services only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cadres.models import Role, StarCode
from cadres.scope import scope_q, user_roles, visible_regions
from config.paging import paginate
from ratings.models import ChecklistItem, ItemOrigin, ItemStatus
from ratings.services import checklist as checklist_services
from villages.models import Level, Region

VILLAGE_ROLES = {Role.VILLAGE_SECRETARY, Role.FIRST_SECRETARY}


def _items_for(user):
    return ChecklistItem.objects.filter(scope_q(user, "village__code")).select_related("village__parent", "owner")


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@login_required
@require_GET
def task_list(request):
    year = _year(request)
    items = _items_for(request.user).filter(year=year)
    is_village = bool(user_roles(request.user)) and user_roles(request.user) <= VILLAGE_ROLES
    filters = {k: request.GET.get(k, "") for k in ("township", "village", "star", "origin", "status", "overdue")}
    if filters["township"]:
        items = items.filter(village__code__startswith=filters["township"][:9])
    if filters["village"]:
        items = items.filter(village__code=filters["village"])
    if filters["star"] in StarCode.values:
        items = items.filter(star=filters["star"])
    if filters["origin"] in ItemOrigin.values:
        items = items.filter(origin=filters["origin"])
    if filters["status"] == "open":
        items = items.exclude(status=ItemStatus.CLOSED)
    elif filters["status"] in ItemStatus.values:
        items = items.filter(status=filters["status"])
    if filters["overdue"]:
        items = items.exclude(status=ItemStatus.CLOSED).filter(due_date__lt=timezone.localdate())
    items = items.order_by("village__code", "star", "pk")
    page, querystring = paginate(request, items, 50)
    townships = Region.objects.filter(scope_q(request.user), level=Level.TOWNSHIP).order_by("code")
    return render(request, "reports/campaign/task_list.html", {
        "page_obj": page, "items": page.object_list, "year": year, "filters": filters, "is_village": is_village,
        "querystring_without_page": querystring, "stars": StarCode.choices, "origins": ItemOrigin.choices,
        "statuses": ItemStatus.choices, "townships": townships,
    })


PROBLEM_ACTIONS = {
    "report": ("上报", {ItemStatus.COLLECTED}, {Role.TOWNSHIP_STAFF, Role.ORGANISATION}),
    "assign": ("交办", {ItemStatus.REPORTED}, {Role.TOWNSHIP_STAFF, Role.ORGANISATION}),
    "feedback": ("反馈", {ItemStatus.ASSIGNED}, VILLAGE_ROLES),
    "close": ("销号", {ItemStatus.FEEDBACK}, {Role.TOWNSHIP_STAFF}),
}


@login_required
@require_GET
def item_detail(request, pk: int):
    item = get_object_or_404(_items_for(request.user), pk=pk)
    roles = user_roles(request.user)
    actions = [(key, label) for key, (label, states, allowed) in PROBLEM_ACTIONS.items()
               if item.origin == ItemOrigin.INSPECTION and item.status in states and roles & allowed]
    return render(request, "reports/campaign/item_detail.html", {
        "item": item, "progress": item.progress.select_related("by"), "actions": actions})


@login_required
@require_POST
def problem_action(request, pk: int, action: str):
    item = get_object_or_404(_items_for(request.user), pk=pk)
    if action not in PROBLEM_ACTIONS:
        raise Http404
    note = request.POST.get("note", "")
    try:
        if action == "report":
            checklist_services.problem_report(item=item, by=request.user, note=note)
        elif action == "assign":
            checklist_services.problem_assign(item=item, by=request.user, note=note,
                                              owner_text=request.POST.get("owner_text", ""))
        elif action == "feedback":
            checklist_services.problem_feedback(item=item, by=request.user, note=note,
                                                evidence=request.FILES.get("evidence"))
        else:
            checklist_services.problem_close(item=item, by=request.user, note=note)
    except ValidationError as exc:
        from django.contrib import messages

        messages.error(request, "；".join(exc.messages))
    return redirect("reports:task_item", pk=item.pk)


@login_required
@require_GET
def inspection_list(request):
    from ratings.models import Inspection

    inspections = (Inspection.objects.filter(scope_q(request.user, "region__code") | _county_inspections(request.user))
                   .select_related("region", "inspected_by").order_by("-date", "-pk"))
    page, querystring = paginate(request, inspections, 30)
    return render(request, "reports/campaign/inspection_list.html", {
        "page_obj": page, "inspections": page.object_list, "querystring_without_page": querystring})


def _county_inspections(user):
    # A township also sees its county's inspections, but only its own villages' scores in them.
    condition = Q(pk__in=[])
    for prefix in {p[:6] for p in visible_regions(user) if len(p) >= 6}:
        condition |= Q(region__level=Level.COUNTY, region__code__startswith=prefix)
    return condition


@login_required
@require_GET
def inspection_table(request, pk: int):
    from ratings.models import Inspection, InspectionScore

    inspections = Inspection.objects.filter(scope_q(request.user, "region__code") | _county_inspections(request.user))
    inspection = get_object_or_404(inspections.select_related("region"), pk=pk)
    scores = (InspectionScore.objects.filter(inspection=inspection).filter(scope_q(request.user, "village__code"))
              .select_related("village__parent"))
    totals: dict[int, dict] = {}
    for s in scores:
        row = totals.setdefault(s.village_id, {"village": s.village, "stars": {}, "total": 0})
        row["stars"][s.star] = s.score
        row["total"] += s.score
    ranked = sorted(totals.values(), key=lambda r: (-r["total"], r["village"].code))
    for rank, row in enumerate(ranked, start=1):
        row["rank"] = rank
        row["cells"] = [row["stars"].get(code, "—") for code in StarCode.values]
    return render(request, "reports/campaign/inspection_table.html", {
        "inspection": inspection, "rows": ranked, "stars": StarCode.labels})
