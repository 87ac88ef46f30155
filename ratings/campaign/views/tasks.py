"""Task lists, problem ledgers (问题台账) and quarterly inspections (观摩): views call services only."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadres.models import Role, StarCode, star_choices_for_kinds
from cadres.scope import can_see_region, has_role, scope_q, user_roles
from config.paging import paginate
from config.params import year_param
from ratings.campaign.models.checklist import OPEN_STATUSES
from ratings.campaign.services import checklist as checklist_services
from ratings.models import ChecklistItem, Inspection, InspectionScore, ItemOrigin, ItemStatus
from ratings.selectors import inspections_for
from ratings.selectors_running import running_states
from villages.models import Level, Region

from ..forms import InspectionForm, ProblemForm

VILLAGE_ROLES = {Role.VILLAGE_SECRETARY, Role.FIRST_SECRETARY}


def _items_for(user):
    return ChecklistItem.objects.filter(scope_q(user, "village__code")).select_related("village__parent", "owner")


@login_required
@require_GET
def task_list(request):
    year = year_param(request.GET)
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
    page.object_list = list(page.object_list)
    _mark_running(page.object_list)
    townships = Region.objects.filter(scope_q(request.user), level=Level.TOWNSHIP).order_by("code")
    return render(request, "campaign/task_list.html", {
        "page_obj": page, "items": page.object_list, "year": year, "filters": filters, "is_village": is_village,
        "querystring_without_page": querystring, "origins": ItemOrigin.choices,
        "stars": star_choices_for_kinds(Region.objects.filter(scope_q(request.user), level=Level.VILLAGE)
                                        .values_list("kind", flat=True).distinct()),
        "statuses": ItemStatus.choices, "townships": townships,
        "can_record": has_role(request.user, *checklist_services.RECORDERS),
    })


def _mark_running(items: list) -> None:
    """Mark the items whose indicator is still pending (进行中) or behind pace in the running
    month: what is not due yet is not failed (one read of the page's villages' live rows)."""
    today = timezone.localdate()
    village_ids = list({item.village_id for item in items if item.indicator_code and item.year == today.year})
    states = running_states(year=today.year, month=today.month, village_ids=village_ids) if village_ids else {}
    for item in items:
        state = states.get(item.village_id)
        star = state.stars.get(item.star) if state else None
        found = next((i for i in star.indicators if i.code == item.indicator_code), None) if star else None
        item.pending = bool(found and found.state == "pending")
        item.behind = bool(found and found.behind)


# (label, states it applies to, roles); "progress" applies to task and problem items alike.
PROBLEM_ACTIONS = {
    "progress": ("记录进展", set(OPEN_STATUSES), VILLAGE_ROLES | {Role.TOWNSHIP_STAFF}),
    "report": ("上报", {ItemStatus.COLLECTED}, {Role.TOWNSHIP_STAFF, Role.ORGANISATION}),
    "assign": ("交办", {ItemStatus.REPORTED}, {Role.TOWNSHIP_STAFF, Role.ORGANISATION}),
    "feedback": ("反馈", {ItemStatus.ASSIGNED}, VILLAGE_ROLES),
    "close": ("销号", {ItemStatus.FEEDBACK}, {Role.TOWNSHIP_STAFF}),
    "complete": ("完成销号", {ItemStatus.OPEN}, VILLAGE_ROLES | {Role.TOWNSHIP_STAFF}),
}
# Which items an action applies to: the problem ledger's steps to problems, "complete" to the
# measures decided at a joint consultation, "progress" to every item.
ACTION_ORIGINS = {"progress": set(ItemOrigin.values), "complete": {ItemOrigin.MEASURE}}


@login_required
@require_GET
def item_detail(request, pk: int):
    item = get_object_or_404(_items_for(request.user), pk=pk)
    roles = user_roles(request.user)
    actions = [(key, label) for key, (label, states, allowed) in PROBLEM_ACTIONS.items()
               if item.origin in ACTION_ORIGINS.get(key, {ItemOrigin.INSPECTION}) and item.status in states
               and roles & allowed]
    return render(request, "campaign/item_detail.html", {
        "item": item, "progress": item.progress.select_related("by"), "actions": actions})


@login_required
@require_GET
def progress_evidence(request, pk: int, progress_id: int):
    """A progress note's evidence file, for whoever may see the item (404 else)."""
    from config.files import file_response

    item = get_object_or_404(_items_for(request.user), pk=pk)
    progress = get_object_or_404(item.progress, pk=progress_id)
    return file_response(progress.evidence, filename=f"佐证-{item.pk}-{progress.pk}")


@login_required
@require_POST
def problem_action(request, pk: int, action: str):
    item = get_object_or_404(_items_for(request.user), pk=pk)
    if action not in PROBLEM_ACTIONS:
        raise Http404
    note = request.POST.get("note", "")
    try:
        if action == "progress":
            checklist_services.item_progress(item=item, by=request.user, note=note,
                                             evidence=request.FILES.get("evidence"))
        elif action == "report":
            checklist_services.problem_report(item=item, by=request.user, note=note)
        elif action == "assign":
            checklist_services.problem_assign(item=item, by=request.user, note=note,
                                              owner_text=request.POST.get("owner_text", ""),
                                              due_date=_date(request.POST.get("due_date")))
        elif action == "feedback":
            checklist_services.problem_feedback(item=item, by=request.user, note=note,
                                                evidence=request.FILES.get("evidence"))
        elif action == "complete":
            checklist_services.measure_complete(item=item, by=request.user, note=note)
        else:
            checklist_services.problem_close(item=item, by=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已{PROBLEM_ACTIONS[action][0]}。")
    return redirect("campaign:task_item", pk=item.pk)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def problem_new(request):
    """登记问题: township staff or the organisation department record a problem for a village."""
    if not has_role(request.user, *checklist_services.RECORDERS):
        raise PermissionDenied
    villages = Region.objects.filter(scope_q(request.user), level=Level.VILLAGE, is_active=True)
    form = ProblemForm(request.POST or None, villages=villages,
                       initial={"village": request.GET.get("village"), "star": request.GET.get("star")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = checklist_services.problem_record(
                village=data["village"], year=timezone.localdate().year, star=data["star"], title=data["title"],
                detail=data["detail"], due_date=data["due_date"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "问题已登记，下一步请上报。")
            return redirect("campaign:task_item", pk=item.pk)
    return render(request, "campaign/problem_form.html", {"form": form})


@login_required
@require_GET
def inspection_list(request):
    inspections = (inspections_for(request.user)
                   .select_related("region", "inspected_by").order_by("-date", "-pk"))
    page, querystring = paginate(request, inspections, 30)
    return render(request, "campaign/inspection_list.html", {
        "page_obj": page, "inspections": page.object_list, "querystring_without_page": querystring,
        "can_record": has_role(request.user, *checklist_services.RECORDERS)})


@login_required
@require_GET
def inspection_table(request, pk: int):
    inspections = inspections_for(request.user)
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
    return render(request, "campaign/inspection_table.html", {
        "inspection": inspection, "rows": ranked, "stars": StarCode.labels,
        "can_edit": _can_edit_inspection(request.user, inspection)})


def _can_edit_inspection(user, inspection: Inspection) -> bool:
    return has_role(user, *checklist_services.RECORDERS) and can_see_region(user, inspection.region)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request):
    """A new quarterly inspection of the user's township (or, for the county, of the county)."""
    if not has_role(request.user, *checklist_services.RECORDERS):
        raise PermissionDenied
    regions = Region.objects.filter(scope_q(request.user), level__in=[Level.COUNTY, Level.TOWNSHIP])
    form = InspectionForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = checklist_services.inspection_record(
                region=data["region"], year=data["year"], quarter=data["quarter"], date=data["date"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "观摩已创建，请录入各村得分。")
            return redirect("campaign:inspection_scores", pk=inspection.pk)
    return render(request, "campaign/inspection_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def inspection_scores(request, pk: int):
    """Score entry for an inspection: villages × stars, one township at a time for a county's."""
    inspection = get_object_or_404(Inspection.objects.filter(scope_q(request.user, "region__code"))
                                   .select_related("region"), pk=pk)
    if not _can_edit_inspection(request.user, inspection):
        raise PermissionDenied
    townships = []
    villages = Region.objects.filter(scope_q(request.user), level=Level.VILLAGE, is_active=True,
                                     code__startswith=inspection.region.prefix)
    township = request.GET.get("township") or request.POST.get("township") or ""
    if inspection.region.level == Level.COUNTY:
        townships = list(Region.objects.filter(scope_q(request.user), parent=inspection.region, level=Level.TOWNSHIP)
                         .order_by("code"))
        township = township if any(t.code == township for t in townships) else (townships[0].code if townships else "")
        villages = villages.filter(code__startswith=township[:9]) if township else villages.none()
    villages = list(villages.select_related("parent").order_by("code"))
    stars = StarCode.values
    errors: list[str] = []
    if request.method == "POST":
        rows = [(v, star, request.POST.get(f"s-{v.pk}-{star}", ""), request.POST.get(f"n-{v.pk}", ""))
                for v in villages for star in stars]
        try:
            counts = checklist_services.inspection_scores_save(inspection=inspection, scores=rows, by=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"得分已保存：新增 {counts['created']} 项，修改 {counts['updated']} 项，"
                                      f"清除 {counts['removed']} 项。")
            suffix = f"?township={township}" if township else ""
            return redirect(f"{reverse('campaign:inspection_scores', args=[pk])}{suffix}")
    saved = {(s.village_id, s.star): s for s in InspectionScore.objects.filter(
        inspection=inspection, village__in=villages)}
    grid = []
    for v in villages:
        cells = []
        for star in stars:
            posted = request.POST.get(f"s-{v.pk}-{star}") if errors else None
            score = saved.get((v.pk, star))
            cells.append({"name": f"s-{v.pk}-{star}", "value": posted if posted is not None else (score.score if score else "")})
        note = next((saved[(v.pk, s)].note for s in stars if (v.pk, s) in saved and saved[(v.pk, s)].note), "")
        grid.append({"village": v, "cells": cells, "note_name": f"n-{v.pk}",
                     "note": request.POST.get(f"n-{v.pk}", "") if errors else note})
    return render(request, "campaign/inspection_scores.html", {
        "inspection": inspection, "grid": grid, "stars": StarCode.labels, "errors": errors,
        "townships": townships, "township": township})
