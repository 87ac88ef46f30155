"""Pages of the star task forces (一星一专班) and the joint consultations (联席会商)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from config.forms import service_errors
from config.params import year_param
from villages.models import Level, Region

from .forms_taskforce import ConsultationForm, DepartmentsForm, TaskForceForm
from .models import split_star_key, variant_star_choices, variant_star_label
from .scope import scope_q
from .selectors_taskforce import consultations_for, task_forces_for, with_ancestors
from .services_taskforce import (
    can_keep,
    consultation_record,
    county_of,
    departments_of,
    departments_save,
    parse_members,
    standard_lead_department,
    task_force_save,
)


def _keepable_regions(user):
    """County and township regions of the user's scope, with whether he keeps them."""
    regions = Region.objects.filter(scope_q(user), level__in=[Level.COUNTY, Level.TOWNSHIP]).order_by("code")
    return [r for r in regions if can_keep(user, r)]


def _region_param(request, name: str = "region") -> Region:
    # The county and township above the user's regions are seen (their task forces are listed),
    # so asking to change one is a 403 from can_keep, not a 404.
    region = Region.objects.filter(with_ancestors(request.user, "code"), code=request.GET.get(name, ""),
                                   level__in=[Level.COUNTY, Level.TOWNSHIP]).first()
    if region is None:
        raise Http404
    return region


@login_required
@require_GET
def task_force_list(request):
    year = year_param(request.GET)
    forces = list(task_forces_for(user=request.user, year=year).prefetch_related("members", "member_departments")
                  .order_by("region__code", "star"))
    by_region: dict[int, dict] = {}
    for force in forces:
        entry = by_region.setdefault(force.region_id, {"region": force.region, "forces": {}})
        entry["forces"][force.star_key] = force
    keepable = _keepable_regions(request.user)
    for region in keepable:
        by_region.setdefault(region.pk, {"region": region, "forces": {}})
    keep_ids = {r.pk for r in keepable}
    # Community stars have their own task forces where the region has communities.
    urban_prefixes = {code[:9] for code in Region.objects.filter(
        scope_q(request.user), level=Level.VILLAGE, kind="urban", is_active=True).values_list("code", flat=True)}
    groups = []
    for entry in sorted(by_region.values(), key=lambda e: e["region"].code):
        prefix = entry["region"].prefix
        has_urban = any(p.startswith(prefix) for p in urban_prefixes) or any(
            f.star_kind == "urban" for f in entry["forces"].values())
        groups.append({"region": entry["region"], "can_keep": entry["region"].pk in keep_ids,
                       "stars": [(key, label, entry["forces"].get(key)) for key, label in variant_star_choices()
                                 if has_urban or not key.startswith("urban:")]})
    counties = [r for r in keepable if r.level == Level.COUNTY]
    return render(request, "cadres/task_force_list.html", {"year": year, "groups": groups,
                                                            "department_county": counties[0] if counties else None})


@login_required
@require_http_methods(["GET", "POST"])
def department_list(request):
    """The county's departments and units, kept by its organisation department: the list a task
    force's member units are picked from."""
    counties = [r for r in _keepable_regions(request.user) if r.level == Level.COUNTY]
    if request.GET.get("county"):
        counties = [r for r in counties if r.code == request.GET["county"]]
    if not counties:
        raise PermissionDenied
    county = counties[0]
    rows = list(departments_of(county).annotate(forces=Count("task_forces")))
    form = DepartmentsForm(request.POST or None, initial={"names": "\n".join(d.name for d in rows)})
    if request.method == "POST" and form.is_valid():
        try:
            departments_save(by=request.user, county=county, names=form.cleaned_data["names"])
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, f"{county.name}部门和单位名单已保存。")
            return redirect(f"{reverse('cadres:department_list')}?county={county.code}")
    return render(request, "cadres/department_list.html", {"county": county, "rows": rows, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def task_force_edit(request):
    region = _region_param(request)
    star = request.GET.get("star", "")
    try:
        star_kind, code = split_star_key(star)
    except ValueError:
        raise Http404 from None
    if not code:
        raise Http404
    if not can_keep(request.user, region):
        raise PermissionDenied
    year = year_param(request.GET)
    force = task_forces_for(user=request.user, year=year).filter(region=region, star=code, star_kind=star_kind).first()
    # A new task force starts from the lead department the year's standard names for the star.
    initial = {"lead_department": standard_lead_department(year=year, kind=star_kind, code=code)}
    if force:
        initial = {"lead_department": force.lead_department, "member_units": force.units,
                   "members": "\n".join(" ".join(p for p in (m.name, m.unit, m.role) if p)
                                        for m in force.members.all())}
    form = TaskForceForm(request.POST or None, initial=initial, departments=departments_of(county_of(region)))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            task_force_save(by=request.user, region=region, year=year, star=star, lead_department=d["lead_department"],
                            member_units=d["member_units"], members=parse_members(d["members"]))
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, f"{region.name}{variant_star_label(code, star_kind)}专班已保存。")
            return redirect(f"{reverse('cadres:task_force_list')}?year={year}")
    return render(request, "cadres/task_force_form.html", {
        "form": form, "region": region, "star_label": variant_star_label(code, star_kind), "year": year})


@login_required
@require_GET
def consultation_list(request):
    rows = consultations_for(user=request.user).order_by("-date", "-id")[:100]
    return render(request, "cadres/consultation_list.html", {
        "rows": rows, "keepable": _keepable_regions(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def consultation_new(request):
    region = _region_param(request)
    if not can_keep(request.user, region):
        raise PermissionDenied
    villages = Region.objects.filter(scope_q(request.user), level=Level.VILLAGE,
                                     code__startswith=region.prefix).select_related("parent").order_by("code")
    form = ConsultationForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = consultation_record(by=request.user, region=region, date=d["date"], title=d["title"],
                                          attendees=d["attendees"], progress=form.progress(), problems=d["problems"],
                                          measures=form.measures())
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, f"会商已记录，{meeting.measures.count()} 项措施已列入任务清单。")
            return redirect("cadres:consultation_detail", pk=meeting.pk)
    return render(request, "cadres/consultation_form.html", {"form": form, "region": region})


@login_required
@require_GET
def consultation_detail(request, pk: int):
    meeting = get_object_or_404(consultations_for(user=request.user), pk=pk)
    measures = meeting.measures.filter(scope_q(request.user, "village__code")).select_related(
        "village__parent").order_by("due_date", "pk")
    return render(request, "cadres/consultation_detail.html", {
        "meeting": meeting, "progress": meeting.progress.all(), "measures": measures})
