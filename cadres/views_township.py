"""The township's follow-up of first secretaries: weekly spot checks, monthly reports read,
and the monthly allowance table (page and Excel with the same numbers)."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.excel import safe_row
from villages.models import Level, Region

from .forms import SpotCheckForm
from .models import Role
from .models_work import MonthlyReport, ReportStatus
from .scope import has_role, scope_q
from .selectors import allowance_table, monthly_report_overview, spot_check_week
from .services_work import monthly_report_mark_read
from .views_secretaries import month_nav, month_param, require_roles

FOLLOW_UP_ROLES = (Role.TOWNSHIP_STAFF, Role.ORGANISATION)


@login_required
@require_GET
def spot_check_week_page(request):
    require_roles(request.user, *FOLLOW_UP_ROLES)
    today = timezone.localdate()
    data = spot_check_week(user=request.user, today=today)
    can_record = has_role(request.user, Role.TOWNSHIP_STAFF)
    return render(request, "cadres/spot_check_week.html", {
        **data, "today": today, "can_record": can_record,
        "form": SpotCheckForm(initial={"date": today, "present": "1"}) if can_record else None,
    })


def _reports_for(user):
    return MonthlyReport.objects.filter(scope_q(user, "first_secretary__village__code")).select_related(
        "first_secretary__village__parent", "read_by")


@login_required
@require_GET
def monthly_report_list(request):
    require_roles(request.user, *FOLLOW_UP_ROLES)
    today = timezone.localdate()
    year, month = month_param(request.GET.get("month"), today)
    township = request.GET.get("township", "")
    data = monthly_report_overview(user=request.user, year=year, month=month, township=township)
    return render(request, "cadres/monthly_report_list.html", {
        **data, "year": year, "month": month, "township": township,
        "townships": Region.objects.filter(scope_q(request.user), level=Level.TOWNSHIP).order_by("code"),
        **month_nav(year, month, today),
        "can_read": has_role(request.user, Role.TOWNSHIP_STAFF),
    })


@login_required
@require_GET
def monthly_report_detail(request, pk: int):
    require_roles(request.user, *FOLLOW_UP_ROLES)
    report = get_object_or_404(_reports_for(request.user).exclude(status=ReportStatus.DRAFT), pk=pk)
    return render(request, "cadres/monthly_report_detail.html", {
        "report": report, "can_read": has_role(request.user, Role.TOWNSHIP_STAFF)})


@login_required
@require_POST
def monthly_report_read(request, pk: int):
    report = get_object_or_404(_reports_for(request.user).exclude(status=ReportStatus.DRAFT), pk=pk)
    require_roles(request.user, Role.TOWNSHIP_STAFF)
    try:
        monthly_report_mark_read(report=report, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已标记为已阅。")
    return redirect("cadres:monthly_report_detail", pk=report.pk)


@login_required
@require_GET
def allowance_page(request):
    require_roles(request.user, *FOLLOW_UP_ROLES)
    today = timezone.localdate()
    year, month = month_param(request.GET.get("month"), today)
    data = allowance_table(user=request.user, year=year, month=month)
    return render(request, "cadres/allowance.html", {
        **data, "year": year, "month": month, "month_param": f"{year}-{month:02d}",
        **month_nav(year, month, today),
    })


ALLOWANCE_HEADERS = ["序号", "乡镇", "村", "姓名", "派出单位", "派出层级", "状态", "驻村天数", "每天标准（元）", "补助金额（元）"]


@login_required
@require_GET
def allowance_export(request):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    require_roles(request.user, *FOLLOW_UP_ROLES)
    year, month = month_param(request.GET.get("month"), timezone.localdate())
    data = allowance_table(user=request.user, year=year, month=month)
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年{month}月"
    sheet.append([f"第一书记驻村补助表（{year}年{month}月）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(ALLOWANCE_HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, row in enumerate(data["rows"], start=1):
        fs = row["fs"]
        sheet.append(safe_row([index, fs.village.parent.name, fs.village.name, fs.name, fs.dispatch_unit,
                      fs.get_dispatch_level_display(), fs.get_status_display(), row["days"], row["rate"], row["amount"]]))
    sheet.append(["合计", "", "", "", "", "", "", data["total_days"], "", data["total_amount"]])
    for column, width in zip("ABCDEFGHIJ", [6, 12, 12, 10, 20, 8, 8, 10, 14, 14], strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="allowance-{year}-{month:02d}.xlsx"'
    return response
