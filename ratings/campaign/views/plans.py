"""The four lists of a village (四个清单) and the township plan (一乡一方案), as pages and PDFs."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cadres.models import Role
from cadres.scope import has_role, scope_q
from config.params import year_param
from ratings.models import TownshipPlan
from villages.models import Level, Region

from ..selectors import four_lists, township_plan_as_of, township_plan_data
from ..services.plan import can_keep_plan, render_pdf, township_plan_save

PLAN_READERS = (Role.ORGANISATION, Role.LEAD_DEPARTMENT, Role.TOWNSHIP_STAFF, Role.COUNTY_LEADER,
                Role.TOWNSHIP_LEADER)


def _region(user, code: str, level: str) -> Region:
    region = Region.objects.filter(scope_q(user), code=code, level=level).select_related("parent").first()
    if region is None:
        raise Http404
    return region


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def four_lists_mine(request):
    village = Region.objects.filter(scope_q(request.user), level=Level.VILLAGE).order_by("code").first()
    if village is None or Region.objects.filter(scope_q(request.user), level=Level.TOWNSHIP).exists():
        raise Http404
    return redirect("campaign:four_lists", code=village.code)


@login_required
@require_GET
def four_lists_page(request, code: str, fmt: str = "html"):
    village = _region(request.user, code, Level.VILLAGE)
    year = year_param(request.GET)
    data = four_lists(village=village, year=year, on=timezone.localdate())
    if fmt == "pdf":
        from urllib.parse import quote

        pdf = render_pdf("campaign/four_lists_pdf.html", {"d": data})
        return _pdf_response(pdf, quote(f"{village.name}{year}年四个清单.pdf"))
    return render(request, "campaign/four_lists.html", {"d": data})


def _as_of(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
@require_GET
def township_plan_index(request):
    if not has_role(request.user, *PLAN_READERS):
        raise PermissionDenied
    townships = Region.objects.filter(scope_q(request.user), level=Level.TOWNSHIP).order_by("code")
    if len(townships) == 1:
        return redirect("campaign:township_plan", code=townships[0].code)
    return render(request, "campaign/township_plan_index.html", {"townships": townships})


@login_required
@require_http_methods(["GET", "POST"])
def township_plan_page(request, code: str, fmt: str = "html"):
    """The plan now (computed), or ?as_of=YYYY-MM-DD: the version in force that day. POST saves
    today's plan as a new version."""
    if not has_role(request.user, *PLAN_READERS):
        raise PermissionDenied
    township = _region(request.user, code, Level.TOWNSHIP)
    year = year_param(request.GET, request.POST)
    if request.method == "POST":
        try:
            plan = township_plan_save(by=request.user, township=township, year=year,
                                      as_of=_as_of(request.POST.get("as_of")), note=request.POST.get("note", ""))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已保存{plan.as_of:%Y年%-m月%-d日}的方案版本。")
            return redirect(f"{reverse('campaign:township_plan', args=[code])}?year={year}&as_of={plan.as_of}")
        return redirect(f"{reverse('campaign:township_plan', args=[code])}?year={year}")
    today = timezone.localdate()
    as_of = _as_of(request.GET.get("as_of"))
    as_of = min(as_of, today) if as_of else None
    version = township_plan_as_of(township=township, year=year, on=as_of) if as_of else None
    # No version saved by that day: the plan as the dated records say it stood then.
    plan = version.content if version else township_plan_data(township=township, year=year, on=as_of or today)
    context = {"plan": plan, "version": version, "as_of": as_of, "township": township, "year": year, "today": today}
    if fmt == "pdf":
        from urllib.parse import quote

        label = f"（{version.as_of:%Y-%m-%d}版）" if version else f"（截至{as_of:%Y-%m-%d}）" if as_of else ""
        return _pdf_response(render_pdf("campaign/township_plan_pdf.html", context),
                             quote(f"{township.name}{year}年一乡一方案{label}.pdf"))
    villages = Region.objects.filter(parent=township, level=Level.VILLAGE, is_active=True).order_by("code")
    return render(request, "campaign/township_plan.html", {
        **context, "versions": TownshipPlan.objects.filter(township=township, year=year).order_by("-as_of", "-id"),
        "can_keep": can_keep_plan(request.user, township), "villages": villages})
