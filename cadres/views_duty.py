"""Pages of the responsibility system: the 责任清单, adding and ending assignments, a person's
own assignments and contact visits (phone-first), and the month's visits due and done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.forms import service_errors
from config.paging import paginate
from config.params import year_param
from villages.models import Level, Region

from .forms_duty import AssignmentEndForm, AssignmentForm, ContactVisitForm
from .models import Role, User
from .models_duty import Assignment
from .scope import has_role, scope_q
from .selectors_duty import assignments_for, month_bounds, villages_without_visit, visits_due, visits_for
from .services_duty import (
    VISITING_DUTIES,
    assignment_create,
    assignment_end,
    can_assign,
    contact_visit_record,
)
from .views_secretaries import month_nav, month_param

OVERVIEW_ROLES = (Role.ORGANISATION, Role.TOWNSHIP_STAFF, Role.COUNTY_LEADER, Role.TOWNSHIP_LEADER)


def _townships(user):
    return Region.objects.filter(scope_q(user), level=Level.TOWNSHIP).order_by("code")


@login_required
@require_GET
def duty_list(request):
    """责任清单: who answers for which township and village this year."""
    year = year_param(request.GET)
    township = request.GET.get("township", "")
    rows = assignments_for(user=request.user, year=year, township=township).order_by(
        "region__code", "duty", "start_date", "id")
    page, query = paginate(request, rows, 50)
    return render(request, "cadres/duty_list.html", {
        "year": year, "township": township, "townships": _townships(request.user), "page_obj": page,
        "querystring_without_page": query, "can_assign": can_assign(request.user), "today": timezone.localdate(),
        "can_overview": has_role(request.user, *OVERVIEW_ROLES),
    })


@login_required
@require_http_methods(["GET", "POST"])
def duty_new(request):
    if not can_assign(request.user):
        raise PermissionDenied
    regions = Region.objects.filter(scope_q(request.user), level__in=[Level.TOWNSHIP, Level.VILLAGE])
    if not has_role(request.user, Role.ORGANISATION):
        regions = regions.filter(level=Level.VILLAGE)
    people = User.objects.filter(is_active=True, posts__is_active=True).filter(
        scope_q(request.user, "posts__region__code")).distinct().order_by("full_name", "username")
    form = AssignmentForm(request.POST or None, regions=regions, people=people,
                          initial={"region": request.GET.get("region", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = assignment_create(by=request.user, year=data["year"], duty=data["duty"], tier=data["tier"],
                                           region=data["region"], start_date=data["start_date"],
                                           end_date=data["end_date"], person=data["person"],
                                           person_name=data["person_name"], person_title=data["person_title"],
                                           note=data["note"])
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, f"已登记：{assignment.person_name} {assignment.get_duty_display()} "
                                      f"{assignment.region.name}")
            return redirect(f"{reverse('cadres:duty_list')}?year={assignment.year}")
    return render(request, "cadres/duty_form.html", {"form": form})


@login_required
@require_POST
def duty_end(request, pk: int):
    assignment = get_object_or_404(assignments_for(user=request.user), pk=pk)
    form = AssignmentEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的结束日期。")
    else:
        try:
            assignment_end(assignment=assignment, by=request.user, end_date=form.cleaned_data["end_date"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"{assignment.person_name}的包联责任已于{form.cleaned_data['end_date']:%Y-%m-%d}结束。")
    return redirect(f"{reverse('cadres:duty_list')}?year={assignment.year}")


def _my_villages(user, day):
    """Villages the user answers for on the day: those assigned and those of assigned townships."""
    mine = Assignment.objects.active_on(day).filter(person=user, duty__in=VISITING_DUTIES)
    region_ids = list(mine.values_list("region_id", flat=True))
    return Region.objects.filter(Q(pk__in=region_ids) | Q(parent_id__in=region_ids), level=Level.VILLAGE)


@login_required
@require_GET
def visit_mine(request):
    """我的包联: the person's assignments this month, with or without a visit yet, and his visits."""
    today = timezone.localdate()
    first, last = month_bounds(today.year, today.month)
    assignments = list(Assignment.objects.filter(person=request.user, duty__in=VISITING_DUTIES)
                       .active_between(first, last).select_related("region__parent").order_by("region__code"))
    visits = list(visits_for(user=request.user).filter(visitor=request.user).prefetch_related("problems")[:30])
    month_visits = [v for v in visits if first <= v.date <= last]
    visited = {v.village_id for v in month_visits} | {v.village.parent_id for v in month_visits}
    for a in assignments:
        a.met = a.region_id in visited
    return render(request, "cadres/visit_mine.html", {
        "assignments": assignments, "visits": visits, "today": today,
        "due": len(assignments), "done": sum(a.met for a in assignments),
    })


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request):
    today = timezone.localdate()
    villages = _my_villages(request.user, today)
    if not villages.exists():
        raise PermissionDenied
    form = ContactVisitForm(request.POST or None, villages=villages, initial={"village": request.GET.get("village", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = contact_visit_record(by=request.user, village=data["village"], date=data["date"],
                                         findings=data["findings"], problems=form.problems())
        except ValidationError as exc:
            service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("date", str(exc))
        else:
            count = visit.problems.count()
            messages.success(request, f"走访已记录{f'，{count} 个问题已上报乡镇' if count else ''}。")
            return redirect("cadres:visit_detail", pk=visit.pk)
    return render(request, "cadres/visit_form.html", {"form": form})


@login_required
@require_GET
def visit_detail(request, pk: int):
    visit = get_object_or_404(visits_for(user=request.user), pk=pk)
    return render(request, "cadres/visit_detail.html", {
        "visit": visit, "problems": visit.problems.all().order_by("pk")})


@login_required
@require_GET
def visit_overview(request):
    """走访情况: visits due and done per person in a month, and the villages nobody visited."""
    if not has_role(request.user, *OVERVIEW_ROLES):
        raise PermissionDenied
    today = timezone.localdate()
    year, month = month_param(request.GET.get("month"), today)
    township = request.GET.get("township", "")
    people = visits_due(user=request.user, year=year, month=month, township=township)
    unvisited = villages_without_visit(user=request.user, year=year, month=month, township=township)
    page, query = paginate(request, unvisited, 60)
    return render(request, "cadres/visit_overview.html", {
        "people": people, "page_obj": page, "querystring_without_page": query, "year": year, "month": month,
        "township": township, "townships": _townships(request.user),
        **month_nav(year, month, today),
        "due": sum(p["due"] for p in people), "done": sum(p["done"] for p in people),
    })
