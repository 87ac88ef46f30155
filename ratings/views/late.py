"""What reaches a closed month after its close: late approvals, and the later months a re-closed
month would change. Pages of the county organisation department (403 for every other role; a
follow-up of another county is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cadres.templatetags.people import people_prefetch
from config.paging import paginate
from villages.models import Region

from ..models import Indicator, MonthClose, MonthFollowUp, MonthReopening, Star
from ..services.follow_ups import month_follow_up_leave, month_follow_up_reopen
from ..services.late_approvals import (
    late_approval_effects,
    late_approval_months,
    late_approvals,
    unreviewed_summary,
)
from ..services.month_close import month_close, month_reopen
from .closing import organisation_county

PER_PAGE = 30
SHOWN_DIFFERENCES = 20
MSG_APPLY_NOTHING = "该月没有闭账后审核的台账"

FIGURE_LABELS = {
    "stars_earned": "获星", "star_level": "星级", "total": "总分", "tiebreak_score": "产业星得分",
    "county_rank": "县内排名", "township_rank": "乡镇内排名", "county_movement": "县内升降",
    "township_movement": "乡镇内升降", "score": "得分", "earned": "是否获星", "points_short": "距达标差分",
    "points": "指标得分", "met": "指标是否达标", "row": "结果行",
}


def _star_names(years) -> dict[tuple[int, str, str], str]:
    """{(year, kind, star code): name}: a community's stars by their urban names."""
    return {(year, kind, code): name for year, kind, code, name in Star.objects.filter(standard__year__in=set(years))
            .values_list("standard__year", "standard__kind", "code", "name")}


def _effect_rows(effect, names, year: int, kind: str) -> list[dict]:
    return [{"name": names.get((year, kind, s.code), s.code), "before": s.score_before, "after": s.score_after,
             "earned_before": s.earned_before, "earned_after": s.earned_after, "changed": s.changed}
            for s in effect.stars]


@require_GET
@login_required
def late_approvals_view(request: HttpRequest) -> HttpResponse:
    """闭账后审核的台账: each with the effect it would have had on its closed month, and per
    month the one step that applies them (reopen and close again)."""
    county = organisation_county(request)
    months = late_approval_months(county=county)
    entries = late_approvals(county=county).prefetch_related(*people_prefetch("reviewed_by"))
    chosen = request.GET.get("month", "")
    if chosen:
        try:
            year, month = (int(part) for part in chosen.split("-"))
        except ValueError:
            chosen = ""
        else:
            entries = entries.filter(year=year, month=month)
    page, querystring = paginate(request, entries, PER_PAGE)
    rows = list(page.object_list)
    effects = late_approval_effects(county=county, entries=rows)
    names = _star_names({e.year for e in rows})
    for entry in rows:
        effect = effects.get(entry.pk)
        kind = entry.village.kind or "rural"
        entry.star_name = names.get((entry.year, kind, entry.indicator.star.code), entry.indicator.star.name)
        entry.effect = effect
        entry.effect_rows = _effect_rows(effect, names, entry.year, kind) if effect else []
    for row in months:
        row["key"] = f"{row['year']}-{row['month']}"
        row["reason"] = f"纳入闭账后审核的{row['entries']}条台账"
    return render(request, "ratings/late_approvals.html", {
        "county": county, "months": months, "entries": rows, "page_obj": page,
        "querystring_without_page": querystring, "chosen": chosen,
        "total": sum(row["entries"] for row in months),
    })


@require_POST
@login_required
def late_approvals_apply(request: HttpRequest) -> HttpResponse:
    """Reopen the month and close it again at once, so its published figures take in every
    entry approved by now (the reopening is recorded with its reason, the bulletins follow)."""
    county = organisation_county(request)
    try:
        year, month = int(request.POST["year"]), int(request.POST["month"])
    except (KeyError, ValueError):
        messages.error(request, "请选择月份")
        return redirect("ratings:late_approvals")
    if not late_approvals(county=county).filter(year=year, month=month).exists():
        messages.error(request, MSG_APPLY_NOTHING)
        return redirect("ratings:late_approvals")
    try:
        with transaction.atomic():
            month_reopen(county=county, year=year, month=month, by=request.user, reason=request.POST.get("reason", ""))
            month_close(county=county, year=year, month=month, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"{year}年{month}月已重新关账发布，闭账后审核的台账已计入；"
                                  "受影响的后续已关账月份见“更正影响的后续月份”")
    return redirect("ratings:late_approvals")


@require_GET
@login_required
def month_follow_ups_view(request: HttpRequest) -> HttpResponse:
    """The later closed months a re-closed month would change: open ones in month order, with
    their differences and the two ways to deal with them; then what was decided (who, when, why)."""
    county = organisation_county(request)
    follow_ups = list(MonthFollowUp.objects.filter(county=county).select_related("cause", "decided_by")
                      .prefetch_related(*people_prefetch("decided_by")).order_by("year", "month", "-found_at"))
    open_ = [f for f in follow_ups if f.state == MonthFollowUp.State.OPEN]
    shown = {f.pk: f.differences[:SHOWN_DIFFERENCES] for f in follow_ups}
    villages = {code: (name, kind or "rural") for code, name, kind in Region.objects.filter(
        code__in={d["village"] for rows in shown.values() for d in rows}).values_list("code", "name", "kind")}
    years = {f.year for f in follow_ups}
    stars = _star_names(years)
    indicators = {(year, kind, code): name for year, kind, code, name in Indicator.objects.filter(
        star__standard__year__in=years).values_list("star__standard__year", "star__standard__kind", "code", "name")}
    for follow_up in follow_ups:
        follow_up.shown = []
        for d in shown[follow_up.pk]:
            name, kind = villages.get(d["village"], (d["village"], "rural"))
            def name_of(code, kind=kind, year=follow_up.year):
                return stars.get((year, kind, code)) or indicators.get((year, kind, code)) or code

            follow_up.shown.append({**d, "village_name": name, "figure_label": _figure_label(d["figure"], name_of),
                                    "stored_text": _value_text(d["stored"], name_of),
                                    "fresh_text": _value_text(d["fresh"], name_of)})
    checking = MonthReopening.objects.filter(county=county, closed_again_at__isnull=False,
                                             later_months_checked_at__isnull=True).order_by("year", "month")
    return render(request, "ratings/month_follow_ups.html", {
        "county": county, "open": open_, "first_open": open_[0].pk if open_ else None,
        "decided": [f for f in follow_ups if f.state != MonthFollowUp.State.OPEN],
        "checking": list(checking), "shown_differences": SHOWN_DIFFERENCES,
    })


def _figure_label(figure: str, name_of) -> str:
    """A figure of the check in words: "total" → 总分, "ecology.score" → 生态宜居星 · 得分, an
    indicator's "<code>.points" → its name · 指标得分 (`name_of` names a star or indicator code)."""
    code, _, part = figure.rpartition(".")
    label = FIGURE_LABELS.get(part, part)
    return f"{name_of(code)} · {label}" if code else label


def _value_text(value, name_of) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(name_of(code) for code in value) or "无"
    return {"present": "有", "missing": "无"}.get(value, str(value))


@require_POST
@login_required
def month_follow_up_decide(request: HttpRequest, pk: int) -> HttpResponse:
    county = organisation_county(request)
    follow_up = get_object_or_404(MonthFollowUp, pk=pk, county=county)
    action, reason = request.POST.get("action"), request.POST.get("reason", "")
    try:
        if action == "reopen":
            month_follow_up_reopen(follow_up=follow_up, by=request.user, reason=reason)
            messages.success(request, f"{follow_up.year}年{follow_up.month}月已重新打开；请在月度关账页再次关账发布")
        elif action == "leave":
            decided = month_follow_up_leave(follow_up=follow_up, by=request.user, reason=reason)
            if decided.state == MonthFollowUp.State.SETTLED:
                messages.info(request, f"{follow_up.year}年{follow_up.month}月已无差异，无需处理")
            else:
                messages.success(request, f"已记录：{follow_up.year}年{follow_up.month}月保留原发布结果")
        else:
            messages.error(request, "请选择处理方式")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("ratings:month_follow_ups")


@require_GET
@login_required
def month_close_unreviewed(request: HttpRequest) -> HttpResponse:
    """The month-close form's warning for the chosen month (htmx): the entries still waiting for
    review per star and lead department, and the close button whose confirmation says so."""
    county = organisation_county(request)
    today = timezone.localdate()
    try:
        year, month = int(request.GET["year"]), int(request.GET["month"])
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise ValueError
    except (KeyError, ValueError):
        return render(request, "ratings/_close_warning.html", {"invalid": True})
    return render(request, "ratings/_close_warning.html", close_warning(county, year, month, today))


def close_warning(county, year: int, month: int, today) -> dict:
    if (year, month) >= (today.year, today.month):
        return {"year": year, "month": month, "not_over": True}
    closed = MonthClose.objects.filter(county=county, year=year, month=month).first()
    unreviewed = [] if closed else unreviewed_summary(county=county, year=year, month=month)
    return {"year": year, "month": month, "closed": closed, "unreviewed": unreviewed,
            "unreviewed_total": sum(u.count for u in unreviewed)}
