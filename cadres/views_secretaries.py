"""The first secretary list and detail pages, and the county's recall and yearly evaluation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.paging import querystring_without_page
from villages.models import Level, Region

from .access import require_secretary_records
from .forms import EvaluationForm, RecallForm, SpotCheckForm
from .models import FirstSecretaryStatus, Role
from .models_work import EvaluationGrade
from .scope import has_role, scope_q
from .selectors import (
    LIST_SORTS,
    days_present_by_month,
    evaluation_rows,
    first_secretary_get_for_user,
    first_secretary_rows,
    presence_calendar,
)
from .services_work import evaluation_record, first_secretary_recall, spot_check_record

PAGE_SIZE = 30


def require_roles(user, *roles: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied


def month_param(value: str | None, today: dt.date) -> tuple[int, int]:
    """`2026-03` → (2026, 3); anything unreadable falls back to this month (never a 500)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today.year, today.month
    return year, month


def shift_month(year: int, month: int, delta: int) -> str:
    index = year * 12 + month - 1 + delta
    return f"{index // 12}-{index % 12 + 1:02d}"


def month_nav(year: int, month: int, today: dt.date) -> dict:
    """The 上月/下月 links of a monthly page: no link to a month that has not begun (it has
    nothing to show, and would read as every village failed), and `not_begun` when the page
    was asked for such a month."""
    key, running = (year, month), (today.year, today.month)
    return {"prev_month": shift_month(year, month, -1),
            "next_month": shift_month(year, month, 1) if key < running else "",
            "not_begun": key > running}


@login_required
@require_GET
def first_secretary_list(request):
    require_secretary_records(request.user)
    today = timezone.localdate()
    filters = {
        "township": request.GET.get("township", ""),
        "status": request.GET.get("status", FirstSecretaryStatus.SERVING),
        "below": request.GET.get("below", ""),
        "sort": request.GET.get("sort", "village"),
    }
    if filters["sort"] not in LIST_SORTS:
        filters["sort"] = "village"
    rows = first_secretary_rows(user=request.user, today=today, township=filters["township"],
                                status=filters["status"], below_minimum=bool(filters["below"]), sort=filters["sort"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    sort_query = request.GET.copy()
    for key in ("page", "sort"):
        sort_query.pop(key, None)
    townships = Region.objects.filter(scope_q(request.user), level=Level.TOWNSHIP).order_by("code")
    return render(request, "cadres/first_secretary_list.html", {
        "page_obj": page, "rows": page.object_list, "filters": filters, "townships": townships,
        "statuses": [("", "全部状态"), *FirstSecretaryStatus.choices], "today": today,
        "minimum": settings.PORTAL["FIRST_SECRETARY_MIN_DAYS"],
        "querystring_without_page": querystring_without_page(request.GET),
        "querystring_without_sort": (sort_query.urlencode() + "&") if sort_query else "",
        "sorts": [("village", "按村"), ("name", "按姓名"), ("days", "驻村天数升序"), ("-days", "驻村天数降序"),
                  ("term", "按任期开始")],
    })


def _evaluation_years(fs, today: dt.date) -> list[int]:
    last = min(today.year, fs.term_end.year if fs.term_end else today.year)
    return list(range(last, fs.term_start.year - 1, -1))


@login_required
@require_GET
def first_secretary_detail(request, pk: int):
    require_secretary_records(request.user)
    fs = first_secretary_get_for_user(user=request.user, pk=pk)
    return render(request, "cadres/first_secretary_detail.html", _detail_context(request, fs))


def _detail_context(request, fs, **forms) -> dict:
    today = timezone.localdate()
    year, month = month_param(request.GET.get("month"), today)
    days = presence_calendar(first_secretary=fs, year=year, month=month, today=today)
    years = _evaluation_years(fs, today)
    evidence = []
    for y in years[:3]:
        by_month = days_present_by_month(first_secretary_ids=[fs.pk], year=y, month_to=12).get(fs.pk, {})
        evidence.append({"year": y, "months": [by_month.get(m, 0) for m in range(1, 13)], "total": sum(by_month.values())})
    reports = list(fs.monthly_reports.select_related("read_by").order_by("-year", "-month"))
    submitted_by_year: dict[int, int] = {}
    for report in reports:
        if report.status != "draft":
            submitted_by_year[report.year] = submitted_by_year.get(report.year, 0) + 1
    for row in evidence:
        row["reports"] = submitted_by_year.get(row["year"], 0)
    is_township = has_role(request.user, Role.TOWNSHIP_STAFF)
    is_organisation = has_role(request.user, Role.ORGANISATION)
    serving = fs.status == FirstSecretaryStatus.SERVING
    return {
        "fs": fs, "today": today, "year": year, "month": month, "days": days,
        "lead_blanks": range(days[0]["date"].weekday()),
        "present": sum(1 for d in days if d["state"] in ("signed", "checked")),
        "minimum": settings.PORTAL["FIRST_SECRETARY_MIN_DAYS"],
        **month_nav(year, month, today),
        "team": fs.team_members.all(),
        "leaves": fs.leave_requests.select_related("decided_by").order_by("-start"),
        "reports": reports,
        "spot_checks": fs.spot_checks.select_related("checked_by").order_by("-date", "-pk"),
        "evaluations": fs.evaluations.select_related("evaluated_by").order_by("-year"),
        "evidence": evidence, "month_numbers": range(1, 13),
        "spot_check_form": forms.get("spot_check_form") or (
            SpotCheckForm(initial={"date": today, "present": "1"}) if is_township and serving else None),
        "recall_form": forms.get("recall_form") or (RecallForm() if is_organisation and serving else None),
        "evaluation_form": forms.get("evaluation_form") or (
            EvaluationForm(years=years) if is_organisation and years else None),
    }


def _post_action(request, pk: int, form_class, form_name: str, action, success: str, **form_kwargs):
    """Shared shape of the detail page's POST actions: 404 outside the scope, the service decides
    the role (403), a refused input re-renders the page with the message and saves nothing."""
    fs = first_secretary_get_for_user(user=request.user, pk=pk)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            action(fs, form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, success)
            return _back(request) or redirect("cadres:first_secretary_detail", pk=fs.pk)
    back = _back(request)
    if back:  # sent from a list page: say why there, nothing was saved
        messages.error(request, f"{fs.name}：" + "；".join(e for errors in form.errors.values() for e in errors))
        return back
    response = render(request, "cadres/first_secretary_detail.html", _detail_context(request, fs, **{form_name: form}))
    response.status_code = 400
    return response


def _back(request):
    """Where a list page that posted the action wants to return (the weekly spot checks, the
    year's evaluations); None for the detail page."""
    target = request.POST.get("next")
    if target == "week":
        return redirect("cadres:spot_check_week")
    if target == "evaluations":
        return redirect(f"{reverse('cadres:evaluation_list')}?year={request.POST.get('year', '')}")
    return None


@login_required
@require_GET
def evaluation_list(request):
    """The year's evaluations: every first secretary of the year with the evidence, the grade
    given or, for the county organisation department, a form to give it."""
    require_secretary_records(request.user)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year - 1)
    except ValueError:
        year = today.year - 1
    year = min(max(year, 2000), today.year)
    data = evaluation_rows(user=request.user, year=year)
    page = Paginator(data["rows"], 50).get_page(request.GET.get("page"))
    return render(request, "cadres/evaluation_list.html", {
        **data, "page_obj": page, "rows": page.object_list, "year": year,
        "years": range(today.year, today.year - 5, -1), "grades": EvaluationGrade.choices,
        "can_evaluate": has_role(request.user, Role.ORGANISATION),
        "querystring_without_page": f"year={year}&",
    })


@login_required
@require_POST
def first_secretary_recall_view(request, pk: int):
    require_roles(request.user, Role.ORGANISATION)
    return _post_action(
        request, pk, RecallForm, "recall_form",
        lambda fs, data: first_secretary_recall(first_secretary=fs, reason=data["reason"], by=request.user),
        "已召回该第一书记。",
    )


@login_required
@require_POST
def evaluation_create(request, pk: int):
    require_roles(request.user, Role.ORGANISATION)
    fs = first_secretary_get_for_user(user=request.user, pk=pk)
    return _post_action(
        request, pk, EvaluationForm, "evaluation_form",
        lambda fs, data: evaluation_record(first_secretary=fs, year=data["year"], grade=data["grade"],
                                           note=data["note"], by=request.user),
        "年度考核已记录。", years=_evaluation_years(fs, timezone.localdate()),
    )


@login_required
@require_POST
def spot_check_create(request, pk: int):
    require_roles(request.user, Role.TOWNSHIP_STAFF)
    return _post_action(
        request, pk, SpotCheckForm, "spot_check_form",
        lambda fs, data: spot_check_record(first_secretary=fs, date=data["date"], present=data["present"],
                                           note=data["note"], by=request.user),
        "抽查结果已记录。",
    )
