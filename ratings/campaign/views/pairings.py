"""Pairing pages (结对共建): the list with the receiver's lift (受援方提升, closed months' published
rows only) and the early warning of pairings without a joint activity this quarter; a pairing's
page with both partners' star levels and incomes month by month against the target; setting up
and editing a pairing, its yearly targets and joint activities.

Every user sees the pairings where either partner is in scope; the county organisation department
and township staff keep them (branches/services_pairing.py), both partners record activities.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.models_pairing import PairingActivity
from branches.selectors_pairing import activities_in_quarter, pairings_for, quarter_span, running_on_q
from branches.services_pairing import (
    can_keep,
    can_record_activity,
    keeper_region,
    pairing_activity_record,
    pairing_create,
    pairing_target_set,
    pairing_update,
)
from cadres.scope import scope_q, visible_regions
from config.files import file_response
from config.forms import service_errors
from config.paging import paginate
from villages.models import Level, Region

from ..forms_pairings import ActivityForm, PairingForm, TargetForm
from ..selectors_pairings import lifts, pairing_months

MSG_NO_SCOPE = "您没有可查看的区域"


def _pairing(user, pk: int):
    return get_object_or_404(pairings_for(user=user).prefetch_related("targets"), pk=pk)


@login_required
@require_GET
def pairing_list(request):
    """结对共建 list: partners, period, lift, activities this quarter; `?warning=1` keeps the
    pairings without a joint activity this quarter."""
    user = request.user
    if not visible_regions(user):
        raise PermissionDenied(MSG_NO_SCOPE)
    today = timezone.localdate()
    rows = pairings_for(user=user).order_by("receiver__code", "-started_on", "id")
    townships = Region.objects.filter(scope_q(user), level=Level.TOWNSHIP).order_by("code")
    township = request.GET.get("township", "")
    if township:
        if not townships.filter(code=township).exists():
            raise Http404("乡镇不存在或不在您的权限范围内")
        rows = rows.filter(Q(receiver__parent__code=township) | Q(helper__parent__code=township))
    running = rows.filter(running_on_q(today))
    quarter_start, _ = quarter_span(today)
    warned_ids = set(running.filter(started_on__lt=quarter_start)
                     .exclude(activities__held_on__gte=quarter_start, activities__held_on__lte=today)
                     .values_list("pk", flat=True))
    warning = request.GET.get("warning") == "1"
    if warning:
        rows = rows.filter(pk__in=warned_ids)
    page, query = paginate(request, rows, 30)
    pairings = list(page.object_list)
    lift_of = lifts(pairings, today=today)
    counts = activities_in_quarter([p.pk for p in pairings], today)
    items = [{"pairing": p, "lift": lift_of[p.pk], "activities": counts.get(p.pk, 0), "warned": p.pk in warned_ids,
              "running": p.is_running_on(today), "can_keep": can_keep(user, p)} for p in pairings]
    return render(request, "campaign/pairing_list.html", {
        "items": items, "page_obj": page, "querystring_without_page": query, "townships": townships,
        "township": township, "warning": warning, "warned_count": len(warned_ids), "running_count": running.count(),
        "can_create": keeper_region(user) is not None, "quarter": (today.month - 1) // 3 + 1, "today": today})


def _villages_for(user):
    return Region.objects.filter(scope_q(user), level=Level.VILLAGE, is_active=True)


@login_required
@require_http_methods(["GET", "POST"])
def pairing_new(request):
    region = keeper_region(request.user)
    if region is None:
        raise PermissionDenied
    form = PairingForm(request.POST or None, request.FILES or None,
                       villages=_villages_for(request.user).filter(code__startswith=region.prefix))
    if request.method == "POST" and form.is_valid():
        try:
            pairing = pairing_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, f"已建立结对：{pairing.helper.name} 帮扶 {pairing.receiver.name}。请设定受援方年度目标。")
            return redirect("campaign:pairing_detail", pk=pairing.pk)
    return render(request, "campaign/pairing_form.html", {"form": form, "heading": "建立结对共建"})


@login_required
@require_http_methods(["GET", "POST"])
def pairing_edit(request, pk: int):
    pairing = _pairing(request.user, pk)
    if not can_keep(request.user, pairing):
        raise PermissionDenied
    initial = {"kind": pairing.kind, "started_on": pairing.started_on, "ended_on": pairing.ended_on,
               "content": pairing.content}
    form = PairingForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            pairing_update(by=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "结对信息已保存。")
            return redirect("campaign:pairing_detail", pk=pairing.pk)
    return render(request, "campaign/pairing_form.html", {"form": form, "pairing": pairing,
                                                          "heading": f"编辑结对：{pairing}"})


@login_required
@require_GET
def pairing_detail(request, pk: int):
    return _detail(request, _pairing(request.user, pk))


def _detail(request, pairing, *, target_form=None, activity_form=None):
    today = timezone.localdate()
    months = pairing_months(pairing, today=today)
    return render(request, "campaign/pairing_detail.html", {
        "pairing": pairing, "months": list(reversed(months)), "lift": lifts([pairing], today=today)[pairing.pk],
        "targets": sorted(pairing.targets.all(), key=lambda t: t.year),
        "activities": pairing.activities.select_related("recorded_by"),
        "quarter_count": activities_in_quarter([pairing.pk], today).get(pairing.pk, 0),
        "can_keep": can_keep(request.user, pairing), "can_record": can_record_activity(request.user, pairing),
        "target_form": target_form or TargetForm(initial={"year": today.year}),
        "activity_form": activity_form or ActivityForm(), "running": pairing.is_running_on(today)})


@login_required
@require_POST
def pairing_target(request, pk: int):
    pairing = _pairing(request.user, pk)
    if not can_keep(request.user, pairing):
        raise PermissionDenied
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            target = pairing_target_set(by=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, f"{target.year}年目标已保存。")
            return redirect("campaign:pairing_detail", pk=pairing.pk)
    return _detail(request, pairing, target_form=form)


@login_required
@require_POST
def pairing_activity(request, pk: int):
    pairing = _pairing(request.user, pk)
    if not can_record_activity(request.user, pairing):
        raise PermissionDenied
    form = ActivityForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            pairing_activity_record(by=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "共建活动已登记。")
            return redirect("campaign:pairing_detail", pk=pairing.pk)
    return _detail(request, pairing, activity_form=form)


@login_required
@require_GET
def pairing_agreement(request, pk: int):
    pairing = _pairing(request.user, pk)
    if not pairing.agreement:
        raise Http404
    return file_response(pairing.agreement, filename=f"共建协议-{pairing.pk}")


@login_required
@require_GET
def pairing_activity_photo(request, pk: int):
    activity = get_object_or_404(PairingActivity.objects.filter(pairing__in=pairings_for(user=request.user)), pk=pk)
    if not activity.photo:
        raise Http404
    return file_response(activity.photo, filename=f"共建活动-{activity.pk}")
