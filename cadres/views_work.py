"""Pages for first secretaries' daily work: the phone sign-in page and the township attendance page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.uploads import MSG_UPLOAD_IMAGE_TYPE, MSG_UPLOAD_SIZE

from .access import require_attendance_roster
from .models import FirstSecretary
from .selectors import month_calendar, township_attendance
from .services_work import monthly_report_save, sign_in_record

MSG_PHOTO_TYPE = MSG_UPLOAD_IMAGE_TYPE
MSG_PHOTO_SIZE = MSG_UPLOAD_SIZE


class SignInForm(forms.Form):
    note = forms.CharField(label="备注", max_length=200, required=False, widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "今日工作（选填）"}))
    photo = forms.FileField(label="照片", required=False, widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": "image/jpeg,image/png"}))
    # The photo is checked by sign_in_record (config/uploads.py), which the API calls too.


def _own_first_secretary(user) -> FirstSecretary:
    fs = FirstSecretary.objects.serving().select_related("village").filter(user=user).first()
    if fs is None:
        raise PermissionDenied("只有在任的第一书记可以签到。")
    return fs


@login_required
@require_http_methods(["GET", "POST"])
def sign_in(request):
    fs = _own_first_secretary(request.user)
    today = timezone.localdate()
    form = SignInForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            sign_in_record(first_secretary=fs, date=today, by=request.user, note=form.cleaned_data["note"],
                           photo=form.cleaned_data["photo"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "签到成功。")
            return redirect("cadres:sign_in")
    days = month_calendar(first_secretary_id=fs.pk, year=today.year, month=today.month, today=today)
    signed_today = next(d for d in days if d["date"] == today)["state"] == "present"
    today_sign_in = fs.sign_ins.filter(date=today).first()
    present = sum(1 for d in days if d["state"] == "present")
    lead = (days[0]["date"].weekday()) if days else 0
    return render(request, "cadres/sign_in.html", {
        "fs": fs, "form": form, "today": today, "days": days, "lead_blanks": range(lead),
        "signed_today": signed_today, "today_sign_in": today_sign_in, "present": present,
        "minimum": settings.PORTAL["FIRST_SECRETARY_MIN_DAYS"],
    })


@login_required
@require_http_methods(["GET"])
def township_attendance_page(request):
    require_attendance_roster(request.user)
    today = timezone.localdate()
    data = township_attendance(user=request.user, today=today)
    return render(request, "cadres/township_attendance.html", {**data, "today": today})




class MonthlyReportForm(forms.Form):
    work_done = forms.CharField(label="本月工作", widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}))
    problems = forms.CharField(label="存在问题", required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))
    next_steps = forms.CharField(label="下步打算", required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))


@login_required
@require_http_methods(["GET", "POST"])
def monthly_report(request):
    """The first secretary's report for the running month: save a draft or submit it."""
    fs = _own_first_secretary(request.user)
    today = timezone.localdate()
    report = fs.monthly_reports.filter(year=today.year, month=today.month).first()
    initial = {"work_done": report.work_done, "problems": report.problems, "next_steps": report.next_steps} if report else {}
    form = MonthlyReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            monthly_report_save(first_secretary=fs, year=today.year, month=today.month, by=request.user,
                                submit="submit" in request.POST, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "报告已提交。" if "submit" in request.POST else "草稿已保存。")
            return redirect("cadres:monthly_report")
    past = (fs.monthly_reports.exclude(year=today.year, month=today.month).select_related("read_by")
            .order_by("-year", "-month")[:24])
    return render(request, "cadres/monthly_report.html", {"fs": fs, "form": form, "report": report, "today": today,
                                                          "past": past})



@login_required
@require_http_methods(["GET"])
def sign_in_photo(request, pk: int):
    """A sign-in's photo, for whoever may see the village's records (404 else)."""
    from django.shortcuts import get_object_or_404

    from config.files import file_response

    from .models_work import SignIn
    from .scope import scope_q

    sign_in = get_object_or_404(SignIn.objects.filter(scope_q(request.user, "village__code")), pk=pk)
    return file_response(sign_in.photo, filename=f"签到照片-{sign_in.date:%Y%m%d}")
