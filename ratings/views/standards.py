"""The standard editor: list, copy a year, preview, edit a draft, publish."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadres.models import Role
from cadres.scope import has_role

from ..forms import CopyForm, IndicatorForm, StarForm
from ..models import Indicator, Standard, Star
from ..services import standard as services


def _require_county(user) -> None:
    if not has_role(user, Role.ORGANISATION, Role.LEAD_DEPARTMENT, Role.TOWNSHIP_STAFF):
        raise PermissionDenied("无权查看评星标准")


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_GET
@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    _require_county(request.user)
    return render(request, "ratings/standard_list.html", {
        "standards": Standard.objects.all(), "can_edit": has_role(request.user, Role.ORGANISATION),
        "copy_form": CopyForm(),
    })


def _provider_label(name: str) -> str:
    from ratings.metrics import all_providers

    provider = all_providers().get(name) if name else None
    return provider.label if provider else "系统自动计算"


@require_GET
@login_required
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_county(request.user)
    standard = get_object_or_404(Standard, pk=pk)
    stars = []
    for star in standard.stars.prefetch_related("indicators"):
        indicators = [{"obj": i, "words": i.rule_words, "provider": _provider_label(i.provider)}
                      for i in star.indicators.all()]
        total = sum((i["obj"].points for i in indicators), Decimal(0))
        stars.append({"obj": star, "indicators": indicators, "total": total, "balanced": total == star.max_score})
    return render(request, "ratings/standard_detail.html", {
        "standard": standard, "stars": stars,
        "can_edit": has_role(request.user, Role.ORGANISATION) and not standard.is_published,
        "levels": range(1, max(1, len(stars)) + 1),
    })


@require_POST
@login_required
def standard_copy(request: HttpRequest, pk: int) -> HttpResponse:
    standard = get_object_or_404(Standard, pk=pk)
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写正确的年度")
        return redirect("ratings:standard_list")
    try:
        copy = services.standard_copy(standard=standard, year=form.cleaned_data["year"], by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("ratings:standard_list")
    messages.success(request, f"已复制为 {copy.name}（草稿），可修改后发布")
    return redirect("ratings:standard_detail", pk=copy.pk)


@require_POST
@login_required
def standard_publish(request: HttpRequest, pk: int) -> HttpResponse:
    standard = get_object_or_404(Standard, pk=pk)
    try:
        services.standard_publish(standard=standard, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{standard.name} 已发布，此后不可修改")
    return redirect("ratings:standard_detail", pk=pk)


@require_POST
@login_required
def standard_settings(request: HttpRequest, pk: int) -> HttpResponse:
    standard = get_object_or_404(Standard, pk=pk)
    if not has_role(request.user, Role.ORGANISATION):
        raise PermissionDenied(services.MSG_NOT_ORGANISATION)
    if standard.is_published:
        raise PermissionDenied(services.MSG_PUBLISHED_LOCKED)
    try:
        services.standard_settings_save(standard=standard, by=request.user,
                                        prerequisite_from_level=request.POST.get("prerequisite_from_level", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已保存标准设置")
    return redirect("ratings:standard_detail", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def star_edit(request: HttpRequest, pk: int) -> HttpResponse:
    star = get_object_or_404(Star.objects.select_related("standard"), pk=pk)
    if not has_role(request.user, Role.ORGANISATION):
        raise PermissionDenied(services.MSG_NOT_ORGANISATION)
    if star.standard.is_published:
        raise PermissionDenied(services.MSG_PUBLISHED_LOCKED)
    form = StarForm(request.POST or None, instance=star)
    if request.method == "POST" and form.is_valid():
        try:
            services.star_save(star=form.instance, by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("ratings:standard_detail", pk=star.standard_id)
    return render(request, "ratings/star_form.html", {"form": form, "star": star})


@require_http_methods(["GET", "POST"])
@login_required
def indicator_edit(request: HttpRequest, pk: int | None = None, star_pk: int | None = None) -> HttpResponse:
    if pk:
        indicator = get_object_or_404(Indicator.objects.select_related("star__standard"), pk=pk)
        star = indicator.star
    else:
        star = get_object_or_404(Star.objects.select_related("standard"), pk=star_pk)
        indicator = Indicator(star=star, order=star.indicators.count() + 1)
    if not has_role(request.user, Role.ORGANISATION):
        raise PermissionDenied(services.MSG_NOT_ORGANISATION)
    if star.standard.is_published:
        raise PermissionDenied(services.MSG_PUBLISHED_LOCKED)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(indicator=form.instance, by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"指标“{form.instance.name}”已保存")
            return redirect("ratings:standard_detail", pk=star.standard_id)
    return render(request, "ratings/indicator_form.html", {"form": form, "star": star, "indicator": indicator})


@require_POST
@login_required
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("star__standard"), pk=pk)
    standard_id = indicator.star.standard_id
    # Who may first: a role that may not edit the standard gets 403, whether or not the
    # indicator has entries (their existence is not its business).
    if not has_role(request.user, Role.ORGANISATION):
        raise PermissionDenied(services.MSG_NOT_ORGANISATION)
    if indicator.entries.exists():
        messages.error(request, "该指标已有台账，不能删除")
        return redirect("ratings:standard_detail", pk=standard_id)
    services.indicator_delete(indicator=indicator, by=request.user)
    messages.success(request, f"已删除指标“{indicator.name}”")
    return redirect("ratings:standard_detail", pk=standard_id)
