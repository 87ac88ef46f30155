"""Pages of the weekly progress of key villages: the village's phone form and history, the
township's week (who has not reported), the county's summary, and the monthly commentary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadres.models import StarCode
from cadres.scope import has_role, scope_q
from config.paging import paginate
from config.params import int_param
from villages.models import Level, Region

from ..selectors_weekly import commentaries_for, reports_for, week_status, week_summary
from ..services import weekly as weekly_services
from ..services.weekly import (
    PHOTOS_PER_STAR,
    TEXT_MAX,
    WEEK_READERS,
    StarProgress,
    Week,
    can_comment,
    can_report,
    commentary_save,
    is_key_village,
    weekly_report_submit,
)


def _region(user, code: str, level: str) -> Region:
    region = Region.objects.filter(scope_q(user), code=code, level=level).select_related("parent").first()
    if region is None:
        raise Http404
    return region


def _my_village(user) -> Region | None:
    """The village of a village user (None for users posted to a township or the county)."""
    if Region.objects.filter(scope_q(user), level=Level.TOWNSHIP).exists():
        return None
    return Region.objects.filter(scope_q(user), level=Level.VILLAGE).order_by("code").first()


@login_required
@require_GET
def weekly_index(request):
    """周进展: a village goes to its own page, a township to its week, the county sees each township."""
    village = _my_village(request.user)
    if village is not None:
        return redirect("campaign:weekly_village", code=village.code)
    if not has_role(request.user, *WEEK_READERS):
        raise PermissionDenied
    townships = Region.objects.filter(scope_q(request.user), level=Level.TOWNSHIP)
    if townships.count() == 1:
        return redirect("campaign:weekly_township", code=townships.get().code)
    current = weekly_services.current_week()
    week = Week.parse(request.GET.get("week"), current)
    rows = week_summary(user=request.user, week=week)
    return render(request, "campaign/weekly_index.html", {
        "rows": rows, "week": week, "current": current, "prev_week": week.shift(-1), "next_week": week.shift(1),
        "key": sum(r["key"] for r in rows), "missing": sum(r["missing"] for r in rows)})


def _entries_from(request) -> list[StarProgress]:
    return [StarProgress(star=code, text=request.POST.get(f"text_{code}", ""),
                         photos=request.FILES.getlist(f"photos_{code}")) for code in StarCode.values]


@login_required
@require_http_methods(["GET", "POST"])
def weekly_new(request):
    """报送周进展 (phone-first): a short text and photos per star worked on this week."""
    village = _my_village(request.user)
    if village is None or not can_report(request.user, village):
        raise PermissionDenied
    week = weekly_services.current_week()
    today = weekly_services.today()
    existing = reports_for(user=request.user).filter(village=village, iso_year=week.iso_year, week=week.week).first()
    texts = {e.star: e.text for e in existing.entries.all()} if existing else {}
    errors: list[str] = []
    if request.method == "POST":
        try:
            weekly_report_submit(by=request.user, village=village, entries=_entries_from(request))
        except ValidationError as exc:
            errors = exc.messages
            texts = {code: request.POST.get(f"text_{code}", "") for code in StarCode.values}
        else:
            messages.success(request, f"{week.label}的进展已报送，乡镇和县委组织部可以看到。")
            return redirect("campaign:weekly_village", code=village.code)
    stars = [{"code": code, "text": texts.get(code, ""),
              "photos": len(next((e.photos.all() for e in existing.entries.all() if e.star == code), []))
              if existing else 0} for code in StarCode.values]
    return render(request, "campaign/weekly_form.html", {
        "village": village, "week": week, "stars": stars, "errors": errors, "existing": existing,
        "is_key": is_key_village(village, on=today), "text_max": TEXT_MAX, "photos_max": PHOTOS_PER_STAR})


@login_required
@require_GET
def weekly_village(request, code: str):
    """A village's weekly reports (newest first) and its township's commentaries."""
    village = _region(request.user, code, Level.VILLAGE)
    reports = reports_for(user=request.user).filter(village=village).order_by("-week_start")
    page, query = paginate(request, reports, 10)
    week = weekly_services.current_week()
    today = weekly_services.today()
    return render(request, "campaign/weekly_village.html", {
        "village": village, "page_obj": page, "querystring_without_page": query, "week": week,
        "reported_this_week": reports.filter(iso_year=week.iso_year, week=week.week).exists(),
        "is_key": is_key_village(village, on=today), "can_report": can_report(request.user, village),
        "commentaries": commentaries_for(user=request.user).filter(township_id=village.parent_id)[:6]})


@login_required
@require_GET
def weekly_township(request, code: str):
    """A township's week: its key villages, who reported and who has not (flagged), the reports,
    and the month's commentary (written here by the organisation department)."""
    if not has_role(request.user, *WEEK_READERS):
        raise PermissionDenied
    township = _region(request.user, code, Level.TOWNSHIP)
    current = weekly_services.current_week()
    week = min(Week.parse(request.GET.get("week"), current), current)
    rows = week_status(township=township, week=week)
    page, query = paginate(request, rows, 30)
    year, month = week.month
    commentary = commentaries_for(user=request.user).filter(township=township, year=year, month=month).first()
    return render(request, "campaign/weekly_township.html", {
        "township": township, "week": week, "current": current, "prev_week": week.shift(-1),
        "next_week": week.shift(1) if week < current else None, "page_obj": page, "querystring_without_page": query,
        "missing": [r["village"] for r in rows if r["report"] is None], "key": len(rows),
        "reported": sum(r["report"] is not None for r in rows),
        "commentary": commentary, "year": year, "month": month, "can_comment": can_comment(request.user, township),
        "history": commentaries_for(user=request.user).filter(township=township).exclude(
            year=year, month=month)[:6]})


@login_required
@require_POST
def weekly_commentary(request, code: str):
    township = _region(request.user, code, Level.TOWNSHIP)
    if not can_comment(request.user, township):
        raise PermissionDenied
    today = weekly_services.today()
    year = int_param(request.POST.get("year"), today.year, 2000, 2100)
    month = int_param(request.POST.get("month"), today.month, 1, 12)
    try:
        commentary_save(by=request.user, township=township, year=year, month=month, text=request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{township.name}{year}年{month}月的点评已保存，乡镇和村（社区）可以看到。")
    back = request.POST.get("week", "")
    return redirect(f"{reverse('campaign:weekly_township', args=[code])}{f'?week={back}' if back else ''}")


@login_required
@require_GET
def weekly_photo(request, pk: int):
    """A weekly report's photo, for whoever may see the report (404 else)."""
    from config.files import file_response
    from ratings.models import WeeklyPhoto

    photo = get_object_or_404(WeeklyPhoto.objects.filter(scope_q(request.user, "entry__report__village__code"))
                              .select_related("entry__report__village"), pk=pk)
    report = photo.entry.report
    return file_response(photo.image, filename=f"周进展-{report.village.name}-{report.iso_year}年第{report.week}周-{photo.pk}")
