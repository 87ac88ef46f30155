"""The turn of the year page: the steps of a new year for the county, each with its state."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cadres.models import Role
from cadres.scope import has_role, user_posts
from config.params import int_param
from villages.models import Level

from ..services import year_turn as services

STEP_LINKS = {"publish": "ratings:standard_list", "targets": "campaign:award_targets",
              "named": "campaign:award_list", "december": "ratings:month_close"}


def _county(user):
    if not has_role(user, Role.ORGANISATION):
        raise PermissionDenied(services.MSG_ROLE)
    county = next((p.region for p in user_posts(user) if p.region.level == Level.COUNTY), None)
    if county is None:
        raise PermissionDenied("您的岗位不在县一级")
    return county


def default_year(today: dt.date) -> int:
    """From October on, the coming year is the one being prepared."""
    return today.year + 1 if today.month >= 10 else today.year


@login_required
@require_GET
def year_turn(request: HttpRequest) -> HttpResponse:
    county = _county(request.user)
    today = timezone.localdate()
    year = int_param(request.GET.get("year"), default=default_year(today), low=2000, high=2100)
    steps = services.year_turn_status(county=county, year=year)
    links = {}
    for key, name in STEP_LINKS.items():
        try:
            links[key] = reverse(name) + (f"?year={year if key == 'targets' else year - 1}" if key in ("targets", "named") else "")
        except NoReverseMatch:  # a page not routed is simply not linked
            continue
    until = (today + dt.timedelta(days=7)).isoformat()
    return render(request, "ratings/year_turn.html", {
        "county": county, "year": year, "steps": steps, "links": links, "until": until,
        "years": [year - 1, year, year + 1], "done": sum(1 for s in steps if s.done),
    })


@login_required
@require_POST
def year_turn_run(request: HttpRequest, step: str) -> HttpResponse:
    county = _county(request.user)
    year = int_param(request.POST.get("year"), default=default_year(timezone.localdate()), low=2000, high=2100)
    try:
        if step == "copy":
            copies = services.year_turn_copy_standards(county=county, year=year, by=request.user)
            messages.success(request, "已复制为草稿：" + "、".join(s.name for s in copies) + "。请修改后发布。")
        elif step == "targets":
            count = services.year_turn_carry_targets(county=county, year=year, by=request.user)
            messages.success(request, f"已结转 {count} 个村的建议目标，请在创建目标页逐村确认")
        elif step == "january":
            try:
                until = timezone.make_aware(dt.datetime.combine(
                    dt.date.fromisoformat(request.POST.get("until", "")), dt.time(23, 59, 59)))
            except ValueError:
                raise ValidationError("请填写开放截止日期") from None
            count = services.year_turn_open_january(county=county, year=year, until=until, by=request.user)
            messages.success(request, f"已为 {count} 个乡镇开放{year}年1月填报")
        elif step == "december":
            services.year_turn_close_december(county=county, year=year, by=request.user)
            messages.success(request, f"{year - 1}年12月已关账，全年最终排名已发布")
        else:
            messages.error(request, "没有这个步骤")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(reverse("ratings:year_turn") + f"?year={year}")
