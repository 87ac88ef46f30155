"""The year's reward table (奖优罚劣): amounts set by the organisation department, the table from
the named list and township results (page, print, Excel), and the decision adopting it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadres.models import Role
from cadres.scope import has_role
from config.params import year_param
from ratings.models import RewardDecision, RewardScheme

from ..access import require_reward_reader, reward_county, reward_table_for_user
from ..services.rewards import reward_decide, reward_scheme_save, reward_table, reward_table_xlsx


def _context(request):
    require_reward_reader(request.user)
    county = reward_county(request.user)
    year = year_param(request.GET, request.POST)
    scheme = RewardScheme.objects.filter(county=county, year=year).first()
    table = reward_table(county=county, year=year, scheme=scheme)
    return county, year, scheme, table


@login_required
@require_GET
def reward_page(request):
    county, year, scheme, table = _context(request)
    decision = RewardDecision.objects.filter(scheme=scheme).first() if scheme else None
    amounts = scheme.level_amounts if scheme else {}
    return render(request, "campaign/rewards.html", {
        "county": county, "year": year, "scheme": scheme, "table": reward_table_for_user(table, request.user),
        "county_total": table["total"], "decision": decision,
        "changed": decision is not None and (decision.village_total + decision.township_total) != table["total"],
        "can_edit": has_role(request.user, Role.ORGANISATION),
        "level_inputs": [(lv, amounts.get(str(lv), "")) for lv in (5, 4, 3, 2, 1)],
        "township_inputs": list(scheme.township_amounts if scheme else []) + [""] * 3,
        "today": timezone.localdate(),
        "decisions": RewardDecision.objects.filter(scheme=scheme) if scheme else [],
    })


@login_required
@require_GET
def reward_export(request):
    county, year, scheme, table = _context(request)
    data = reward_table_xlsx(table=reward_table_for_user(table, request.user), title=f"{county.name}{year}年五星支部创建奖励表")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{county.name}{year}年奖励表.xlsx')}"
    return response


@login_required
@require_POST
def reward_scheme_view(request):
    county = reward_county(request.user)
    year = year_param(request.POST)
    levels = {lv: request.POST.get(f"level_{lv}", "") for lv in range(1, 6)}
    townships = [v for v in request.POST.getlist("township_amount")]
    try:
        reward_scheme_save(by=request.user, county=county, year=year, level_amounts=levels,
                           township_amounts=townships, township_min_level=int(request.POST.get("min_level") or 3))
    except (ValidationError, ValueError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", ["请输入有效的数字。"])))
    else:
        messages.success(request, "奖励标准已保存。")
    return redirect(f"{reverse('campaign:rewards')}?year={year}")


@login_required
@require_http_methods(["POST"])
def reward_decide_view(request):
    county = reward_county(request.user)
    year = year_param(request.POST)
    try:
        decided_on = dt.date.fromisoformat(request.POST.get("decided_on", ""))
    except ValueError:
        messages.error(request, "请填写有效的决定日期。")
        return redirect(f"{reverse('campaign:rewards')}?year={year}")
    try:
        decision = reward_decide(by=request.user, county=county, year=year, decided_on=decided_on,
                                 decision_no=request.POST.get("decision_no", ""), note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已记录奖励决定 {decision.decision_no}。")
    return redirect(f"{reverse('campaign:rewards')}?year={year}")
