"""Pages of the service centre (党群服务中心): the villages' monthly counts, a village's duty roster
(挂牌值班) with its printable QR code, the errands ledger (代办) with each errand's slip and QR code
for the resident's mark; and the two pages a villager opens from a QR code without an account:
the duty roster and an errand's satisfaction mark (rate-limited per address)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadres.scope import scope_q, visible_regions
from config.forms import service_errors
from config.paging import paginate
from config.qr import qr_svg
from config.throttles import MSG_PUBLIC_FLOOD, public_form_count, public_form_flooded
from villages.models import Level, Region

from .forms_service_centre import ErrandDoneForm, ErrandForm, SatisfactionForm, ShiftForm
from .models_pairing import DutyShift, Errand, Weekday
from .selectors_service_centre import (
    duty_days_covered,
    errand_counts,
    errands_for,
    service_villages_for,
    shifts_on,
)
from .services_service_centre import (
    can_keep,
    duty_shift_add,
    duty_shift_end,
    errand_done,
    errand_rate,
    errand_record,
)

PUBLIC_ERRAND_FORM = "errand_mark"


def _village(user, code: str) -> Region:
    village = service_villages_for(user=user).filter(code=code).select_related("parent").first()
    if village is None:
        raise Http404
    return village


def _month(request) -> tuple[int, int]:
    today = timezone.localdate()
    raw = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        if 2000 <= year <= today.year and 1 <= month <= 12 and (year, month) <= (today.year, today.month):
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@login_required
@require_GET
def service_index(request):
    """党群服务中心: this month's counts per village; a village's own roles go to their village."""
    user = request.user
    if not visible_regions(user):
        raise PermissionDenied
    villages = service_villages_for(user=user).select_related("parent").order_by("code")
    if not Region.objects.filter(scope_q(user), level__in=[Level.TOWNSHIP, Level.COUNTY]).exists():
        village = villages.first()
        if village is None:
            raise Http404
        return redirect("branches:service_village", code=village.code)
    townships = Region.objects.filter(scope_q(user), level=Level.TOWNSHIP).order_by("code")
    township = request.GET.get("township", "")
    if township:
        if not townships.filter(code=township).exists():
            raise Http404
        villages = villages.filter(parent__code=township)
    year, month = _month(request)
    page, query = paginate(request, villages, 30)
    ids = [v.pk for v in page]
    today = timezone.localdate()
    as_of = today if (year, month) == (today.year, today.month) else None
    covered = duty_days_covered(ids, year, month, as_of)
    counts = errand_counts(ids, year, month)
    rows = [{"village": v, "covered": covered.get(v.pk, 0), "counts": counts.get(v.pk)} for v in page]
    return render(request, "branches/service_index.html", {
        "rows": rows, "page_obj": page, "querystring_without_page": query, "townships": townships,
        "township": township, "year": year, "month": month})


@login_required
@require_GET
def service_village(request, code: str):
    village = _village(request.user, code)
    today = timezone.localdate()
    year, month = _month(request)
    shifts = list(shifts_on([village.pk], today))
    errands = errands_for(user=request.user).filter(village=village)
    page, query = paginate(request, errands, 20)
    as_of = today if (year, month) == (today.year, today.month) else None
    public_url = request.build_absolute_uri(reverse("public:duty", args=[village.code]))
    return render(request, "branches/service_village.html", {
        "village": village, "shifts": shifts, "weekdays": _roster(shifts), "page_obj": page,
        "querystring_without_page": query, "can_keep": can_keep(request.user, village), "year": year, "month": month,
        "covered": duty_days_covered([village.pk], year, month, as_of).get(village.pk, 0),
        "counts": errand_counts([village.pk], year, month).get(village.pk), "public_url": public_url,
        "qr": qr_svg(public_url, title="扫码查看值班安排")})


def _roster(shifts) -> list[dict]:
    return [{"day": label, "shifts": [s for s in shifts if s.weekday == value]} for value, label in Weekday.choices]


@login_required
@require_http_methods(["GET", "POST"])
def shift_new(request, code: str):
    village = _village(request.user, code)
    if not can_keep(request.user, village):
        raise PermissionDenied
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            duty_shift_add(by=request.user, village=village, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "值班安排已添加。")
            return redirect("branches:service_village", code=village.code)
    return render(request, "branches/service_form.html", {"form": form, "village": village, "heading": "添加值班安排"})


@login_required
@require_POST
def shift_end(request, pk: int):
    shift = get_object_or_404(DutyShift.objects.filter(scope_q(request.user, "village__code")), pk=pk)
    try:
        duty_shift_end(by=request.user, shift=shift, on=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{shift.get_weekday_display()} {shift.person} 的值班安排已截止。")
    return redirect("branches:service_village", code=shift.village.code)


@login_required
@require_http_methods(["GET", "POST"])
def errand_new(request, code: str):
    village = _village(request.user, code)
    if not can_keep(request.user, village):
        raise PermissionDenied
    form = ErrandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            errand = errand_record(by=request.user, village=village, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "代办事项已登记。办结后请把评价二维码交给群众。")
            return redirect("branches:errand_detail", pk=errand.pk)
    return render(request, "branches/service_form.html", {"form": form, "village": village, "heading": "登记代办事项"})


def _errand_page(request, errand, *, done_form=None):
    public_url = request.build_absolute_uri(reverse("public:errand", args=[errand.token]))
    return render(request, "branches/errand_detail.html", {
        "errand": errand, "can_keep": can_keep(request.user, errand.village), "done_form": done_form or ErrandDoneForm(),
        "public_url": public_url, "qr": qr_svg(public_url, title="扫码评价代办服务")})


@login_required
@require_GET
def errand_detail(request, pk: int):
    return _errand_page(request, get_object_or_404(errands_for(user=request.user), pk=pk))


@login_required
@require_POST
def errand_done_view(request, pk: int):
    errand = get_object_or_404(errands_for(user=request.user), pk=pk)
    if not can_keep(request.user, errand.village):
        raise PermissionDenied
    form = ErrandDoneForm(request.POST)
    if form.is_valid():
        try:
            errand_done(by=request.user, errand=errand, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, "已办结。请把评价二维码交给群众扫码评价。")
            return redirect("branches:errand_detail", pk=errand.pk)
    return _errand_page(request, errand, done_form=form)


# --- the villager's pages, without an account -------------------------------------------------


@require_GET
def public_duty(request, code: str):
    """The duty roster of a village's service centre, from the QR code on its notice board: cadres
    on duty, their hours and the duty phone. Nothing about residents."""
    village = Region.objects.filter(code=code, level=Level.VILLAGE, is_active=True).select_related("parent").first()
    if village is None:
        raise Http404
    shifts = list(shifts_on([village.pk], timezone.localdate()))
    return render(request, "branches/public_duty.html", {"village": village, "weekdays": _roster(shifts),
                                                         "today": timezone.localdate().isoweekday()})


@require_http_methods(["GET", "POST"])
def public_errand(request, token: str):
    """An errand's satisfaction page, from the QR code on the resident's slip: what the errand was
    and when it was done, never the resident's name or phone; one mark per errand, and a limit of
    marks per address (config/throttles.py)."""
    errand = Errand.objects.filter(token=token).select_related("village__parent").first()
    if errand is None:
        raise Http404
    form = SatisfactionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if public_form_flooded(request, PUBLIC_ERRAND_FORM):
            form.add_error(None, MSG_PUBLIC_FLOOD)
            status = 429
        elif form.is_valid():
            try:
                errand_rate(errand=errand, mark=form.cleaned_data["mark"])
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                public_form_count(request, PUBLIC_ERRAND_FORM)
                return render(request, "branches/public_errand.html", {"errand": errand, "thanks": True})
    return render(request, "branches/public_errand.html", {"errand": errand, "form": form}, status=status)
