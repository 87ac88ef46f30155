"""Collective-economy pages: the overview, the registers (projects, cooperatives, bindings),
income entry by year and month, and the income Excel import. Views call services only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cadres.models import Role
from cadres.regions import county_of_user
from cadres.scope import scope_q, user_roles
from config.jobs import import_tracked
from config.paging import querystring_without_page
from config.params import year_param
from villages.models import Level, Region

from . import selectors, services
from .access import can_edit, editable_villages, get_for_user_or_404, is_editor, require_edit, require_editor
from .figures import OPERATING, TOTAL, growth_rate, rounded
from .forms import (
    BindingForm,
    CooperativeForm,
    IncomeImportForm,
    IncomeMonthForm,
    IncomeYearForm,
    ProjectForm,
)
from .income_import import import_apply, template_build
from .models import (
    CollectiveIncome,
    CollectiveIncomeMonth,
    IncomeBand,
    IncomeSource,
    ProjectStatus,
    ProjectType,
    income_band,
)

PAGE_SIZE = 25
VILLAGE_ROLES = {Role.VILLAGE_SECRETARY, Role.FIRST_SECRETARY}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


def _townships(user):
    return Region.objects.townships().filter(scope_q(user)).order_by("code")


# --- overview -----------------------------------------------------------------------------------


@login_required
@require_GET
def economy_overview(request):
    """County or township roles: the overview of their villages; village roles: their village."""
    year = year_param(request.GET)
    roles = user_roles(request.user)
    if roles and roles <= VILLAGE_ROLES and not request.user.is_superuser:
        village = Region.objects.villages().filter(scope_q(request.user)).order_by("code").first()
        if village is None:
            raise Http404("您的岗位未关联村（社区）")
        data = selectors.village_economy(village=village, year=year)
        chart = [{"month": f"{m['month']}月", "this": float(m["this"][0]) if m["this"] else None,
                  "last": float(m["last"][0]) if m["last"] else None} for m in data["months"]]
        return render(request, "projects/village_economy.html",
                      {"village": village, "data": data, "chart": chart, "year": year})
    data = selectors.economy_overview(user=request.user, year=year)
    chart = {"labels": [b["label"] for b in data["bands"]], "this": [b["this"] for b in data["bands"]],
             "last": [b["last"] for b in data["bands"]]}
    return render(request, "projects/overview.html", {
        "data": data, "chart": chart, "year": year, "can_edit": is_editor(request.user)})


# --- registers: projects, cooperatives, bindings ---------------------------------------------


@dataclass(frozen=True)
class Register:
    """How one record kind is listed, edited and deleted (the pages are the same shape)."""

    kind: str
    label: str
    rows: Callable  # user -> scoped queryset
    form: type
    create: Callable  # (by, data) -> row
    update: Callable  # (row, by, data) -> row
    delete: Callable  # (row, by) -> None
    village_path: str
    search: tuple[str, ...]
    sorts: dict[str, tuple[str, str]]
    delete_warning: str = ""

    def village_of(self, row) -> Region:
        return row.cooperative.village if self.kind == "binding" else row.village


REGISTERS = {
    "project": Register(
        kind="project", label="集体经济项目", rows=selectors.projects_for, form=ProjectForm,
        create=lambda by, data: services.project_create(by=by, **data),
        update=lambda row, by, data: services.project_update(project=row, by=by, **data),
        delete=lambda row, by: services.project_delete(project=row, by=by),
        village_path="village__code", search=("name", "owner", "village__name"),
        sorts={"village": ("village__code", "按村"), "-annual_income": ("-annual_income", "年收益（高→低）"),
               "-investment": ("-investment", "投资额（高→低）"),
               "-households_benefiting": ("-households_benefiting", "带动农户（多→少）"), "name": ("name", "名称")},
    ),
    "cooperative": Register(
        kind="cooperative", label="合作社", rows=selectors.cooperatives_for, form=CooperativeForm,
        create=lambda by, data: services.cooperative_create(by=by, **data),
        update=lambda row, by, data: services.cooperative_update(cooperative=row, by=by, **data),
        delete=lambda row, by: services.cooperative_delete(cooperative=row, by=by),
        village_path="village__code", search=("name", "business", "village__name"),
        sorts={"village": ("village__code", "按村"), "-members": ("-members", "成员数（多→少）"), "name": ("name", "名称")},
        delete_warning="该合作社的全部“双绑”联结将一并删除。",
    ),
    "binding": Register(
        kind="binding", label="“双绑”联结", rows=selectors.bindings_for, form=BindingForm,
        create=lambda by, data: services.binding_create(by=by, **data),
        update=lambda row, by, data: services.binding_update(binding=row, by=by, **data),
        delete=lambda row, by: services.binding_delete(binding=row, by=by),
        village_path="cooperative__village__code", search=("enterprise", "cooperative__name", "cooperative__village__name"),
        sorts={"village": ("cooperative__village__code", "按村"), "-farmers_bound": ("-farmers_bound", "联结农户（多→少）"),
               "enterprise": ("enterprise", "龙头企业")},
    ),
}


@login_required
@require_GET
def record_list(request, kind: str):
    register = REGISTERS[kind]
    rows = register.rows(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        condition = Q()
        for field in register.search:
            condition |= Q(**{f"{field}__contains": q})
        rows = rows.filter(condition)
    township = request.GET.get("township", "")
    if township:
        rows = rows.filter(**{f"{register.village_path}__startswith": township[:9]})
    project_type, status = request.GET.get("project_type", ""), request.GET.get("status", "")
    if kind == "project" and project_type in ProjectType.values:
        rows = rows.filter(project_type=project_type)
    if kind == "project" and status in ProjectStatus.values:
        rows = rows.filter(status=status)
    if kind == "cooperative":
        rows = rows.prefetch_related("bindings")
    sort = request.GET.get("sort", "village")
    sort = sort if sort in register.sorts else "village"
    rows = rows.order_by(register.sorts[sort][0], "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, f"projects/{kind}_list.html", {
        "register": register, "page_obj": page, "rows": page.object_list, "q": q, "sort": sort,
        "township": township, "townships": _townships(request.user), "can_edit": is_editor(request.user),
        "querystring_without_page": querystring_without_page(request.GET), "project_type": project_type,
        "status": status, "project_types": ProjectType.choices, "statuses": ProjectStatus.choices,
    })


def _register_form(request, register: Register, row=None):
    require_editor(request.user)
    if row is not None:
        require_edit(request.user, register.village_of(row))
    initial = {}
    if row is None and register.kind == "binding" and request.GET.get("cooperative"):
        initial["cooperative"] = request.GET["cooperative"]
    form = register.form(request.POST or None, instance=row, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if row is None:
                register.create(request.user, form.cleaned_data)
            else:
                register.update(row, request.user, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{register.label}已保存。")
            return redirect(f"projects:{register.kind}_list")
    return render(request, "projects/record_form.html", {"register": register, "form": form, "row": row},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request, kind: str):
    return _register_form(request, REGISTERS[kind])


@login_required
@require_http_methods(["GET", "POST"])
def record_update(request, kind: str, pk: int):
    register = REGISTERS[kind]
    row = get_for_user_or_404(register.rows(request.user), request.user, pk, register.village_path)
    return _register_form(request, register, row)


@login_required
@require_http_methods(["GET", "POST"])
def record_delete(request, kind: str, pk: int):
    """GET asks for confirmation; POST deletes."""
    register = REGISTERS[kind]
    row = get_for_user_or_404(register.rows(request.user), request.user, pk, register.village_path)
    require_edit(request.user, register.village_of(row))
    if request.method == "POST":
        register.delete(row, request.user)
        messages.success(request, f"{register.label}“{row}”已删除。")
        return redirect(f"projects:{register.kind}_list")
    return render(request, "projects/confirm_delete.html", {
        "label": register.label, "row": row, "warning": register.delete_warning,
        "cancel_url": _url(f"projects:{register.kind}_list")})


# --- income ------------------------------------------------------------------------------------


@login_required
@require_GET
def income_list(request):
    """Every village in scope with its figure of the year (blank: not entered), band and growth."""
    year = year_param(request.GET)
    villages = Region.objects.villages().filter(scope_q(request.user)).select_related("parent")
    township, band, q = request.GET.get("township", ""), request.GET.get("band", ""), request.GET.get("q", "").strip()
    if township:
        villages = villages.filter(code__startswith=township[:9])
    if q:
        villages = villages.filter(Q(name__contains=q) | Q(code__startswith=q))
    incomes = {i.village_id: i for i in CollectiveIncome.objects.filter(year=year, village__in=villages)
               .select_related("updated_by", "created_by")}
    if band in IncomeBand.values:
        villages = villages.filter(pk__in=[v for v, i in incomes.items() if income_band(i.total) == band])
    elif band == "missing":
        villages = villages.exclude(pk__in=list(incomes))
    page = Paginator(villages.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [v.pk for v in page.object_list]
    figures = selectors.load_figures(village_ids=ids, years=[year - 1, year])
    rows = []
    for village in page.object_list:
        years = figures.get(village.pk, {})
        income = incomes.get(village.pk)
        rows.append({
            "village": village, "income": income, "figure": years.get(year), "last": years.get(year - 1),
            "band": IncomeBand(income_band(income.total)).label if income else None,
            "growth": rounded(growth_rate(years.get(year), years.get(year - 1), TOTAL)),
            "operating_growth": rounded(growth_rate(years.get(year), years.get(year - 1), OPERATING)),
            "can_edit": can_edit(request.user, village),
        })
    return render(request, "projects/income_list.html", {
        "rows": rows, "page_obj": page, "year": year, "township": township, "band": band, "q": q,
        "townships": _townships(request.user), "bands": IncomeBand.choices, "can_edit": is_editor(request.user),
        "querystring_without_page": querystring_without_page(request.GET),
    })


@login_required
@require_http_methods(["GET", "POST"])
def income_year_entry(request):
    """Enter a year's income as a whole (a year entered by month is summed, not entered)."""
    require_editor(request.user)
    initial = {"year": year_param(request.GET)}
    if request.GET.get("village"):
        # Through the scope: a code outside it pre-fills nothing, as an unknown code would.
        village = (Region.objects.filter(scope_q(request.user), code=request.GET["village"], level=Level.VILLAGE)
                   .first())
        income = village and CollectiveIncome.objects.filter(village=village, year=initial["year"],
                                                             source=IncomeSource.YEARLY).first()
        if village is not None and can_edit(request.user, village):
            initial["village"] = village
        if income and can_edit(request.user, village):
            initial.update(total=income.total, operating=income.operating, note=income.note)
    form = IncomeYearForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.income_year_save(by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{data['village'].name}{data['year']}年收入已保存。")
            return redirect(f"{_url('projects:income_list')}?year={data['year']}")
    return render(request, "projects/income_year_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def income_year_delete(request, pk: int):
    income = get_for_user_or_404(selectors.incomes_for(request.user), request.user, pk)
    require_edit(request.user, income.village)
    if request.method == "POST":
        try:
            services.income_year_delete(income=income, by=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"{income}收入已删除。")
        return redirect(f"{_url('projects:income_list')}?year={income.year}")
    return render(request, "projects/confirm_delete.html", {
        "label": "年度收入", "row": income, "cancel_url": f"{_url('projects:income_list')}?year={income.year}"})


@login_required
@require_http_methods(["GET", "POST"])
def income_months(request, code: str):
    """One village's months of a year: the table, and the form to enter or correct a month."""
    village = get_object_or_404(Region.objects.villages().filter(scope_q(request.user)).select_related("parent"), code=code)
    year = year_param(request.GET)
    editable = can_edit(request.user, village)
    form = IncomeMonthForm(request.POST or None, initial={"month": timezone.localdate().month})
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("只有本乡镇专干或县委组织部可以填报收入")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.income_month_save(village=village, year=year, by=request.user, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"{village.name}{year}年{data['month']}月收入已保存。")
                return redirect(f"{_url('projects:income_months', village.code)}?year={year}")
    rows = {r.month: r for r in CollectiveIncomeMonth.objects.filter(village=village, year=year).select_related(
        "created_by", "updated_by")}
    income = CollectiveIncome.objects.filter(village=village, year=year).select_related("updated_by").first()
    data = selectors.village_economy(village=village, year=year)
    return render(request, "projects/income_months.html", {
        "village": village, "year": year, "form": form, "editable": editable, "income": income,
        "months": [{"month": m, "row": rows.get(m), "last": data["months"][m - 1]["last"]} for m in range(1, 13)],
        "data": data, "entered_whole": income is not None and income.source == IncomeSource.YEARLY,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def income_month_delete(request, pk: int):
    row = get_for_user_or_404(selectors.income_months_for(request.user), request.user, pk)
    require_edit(request.user, row.village)
    back = f"{_url('projects:income_months', row.village.code)}?year={row.year}"
    if request.method == "POST":
        services.income_month_delete(row=row, by=request.user)
        messages.success(request, f"{row}收入已删除，年度合计已重新汇总。")
        return redirect(back)
    return render(request, "projects/confirm_delete.html", {
        "label": "月度收入", "row": row, "cancel_url": back, "warning": "删除后该年度合计将按其余月份重新汇总。"})


@login_required
@require_GET
def income_template(request):
    """The import template: the user's editable villages (or one township's) for a year and month."""
    require_editor(request.user)
    year = year_param(request.GET)
    month = request.GET.get("month", "")
    month = int(month) if month.isdigit() and 1 <= int(month) <= 12 else None
    villages = editable_villages(request.user).order_by("code")
    if request.GET.get("township"):
        villages = villages.filter(code__startswith=request.GET["township"][:9])
    content = template_build(villages=list(villages), year=year, month=month)
    filename = f"集体经济收入导入模板_{year}年{f'{month}月' if month else '全年'}.xlsx"
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def income_import(request):
    require_editor(request.user)
    form = IncomeImportForm(request.POST or None, request.FILES or None)
    result, error = None, ""
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            error = "文件不能超过 5 MB"
        else:
            try:
                result = import_tracked(title="集体经济收入导入", county=county_of_user(request.user),
                                        apply=lambda: import_apply(file=file, by=request.user))
            except ValidationError as exc:
                error = "；".join(exc.messages)
    failed = request.method == "POST" and (error or not form.is_valid() or (result and not result.ok))
    return render(request, "projects/income_import.html", {
        "form": form, "result": result, "error": error, "year": timezone.localdate().year,
        "townships": _townships(request.user)}, status=400 if failed else 200)
