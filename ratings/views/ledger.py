"""Ledger pages: the township grid, one village's month, the review queue, one entry.

Over 400 lines as one module on purpose: the grid, a village's month, the review queue and an
entry share the cell, completeness and evidence helpers.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadres.models import Role
from cadres.regions import region_get_for_user
from cadres.scope import has_role, lead_star_q, lead_stars, scope_q, user_posts
from config.paging import querystring_without_page
from config.params import id_list, int_param
from config.redirects import safe_next
from villages.models import Level, Region

from ..access import (
    can_enter,
    can_review,
    entries_for_user,
    get_entry_for_user_or_404,
    may_open_ledger_grid,
    require_ledger_grid,
)
from ..messages import MSG_EVIDENCE_MISSING_HEAD, MSG_EVIDENCE_NO_ENTRY
from ..models import (
    Evidence,
    Frequency,
    Indicator,
    LedgerEntry,
    LedgerStatus,
    LedgerWindow,
    Source,
    Standard,
    StandardStatus,
)
from ..selectors import star_names
from ..services import ledger as ledger_services
from ..services.hooks import MSG_RECOMPUTE_DEFERRED, recompute_deferred, recompute_deferred_reset


def _user_township(user) -> Region | None:
    return next((p.region for p in user_posts(user) if p.region.level == Level.TOWNSHIP), None)


def _grid_context(request: HttpRequest) -> dict:
    """Township, month, star and kind of the grid from the query string, with sane defaults."""
    today = timezone.localdate()
    code = request.GET.get("township") or request.POST.get("township")
    township = region_get_for_user(user=request.user, code=code) if code else _user_township(request.user)
    if township is None or township.level != Level.TOWNSHIP:
        township = Region.objects.townships().filter(scope_q(request.user)).order_by("code").first()
    if township is None:
        raise Http404("您的权限范围内没有乡镇")
    params = request.GET if request.method == "GET" else request.POST
    year = int_param(params.get("year"), today.year, 2000, 2100)
    month = int_param(params.get("month"), today.month, 1, 12)
    kind = "urban" if params.get("kind") == "urban" else "rural"
    standard = Standard.objects.filter(year=year, kind=kind, status=StandardStatus.PUBLISHED).first()
    stars = list(standard.stars.all()) if standard else []
    star_code = params.get("star") if params.get("star") in {s.code for s in stars} else (stars[0].code if stars else "")
    return {"township": township, "year": year, "month": month, "kind": kind, "standard": standard, "stars": stars,
            "star_code": star_code}


def evidence_counts(entries) -> dict[int, int]:
    """Evidence files per entry id, for the entries that need evidence: one query."""
    ids = [e.pk for e in entries if e.indicator.evidence_required]
    if not ids:
        return {}
    return dict(Evidence.objects.filter(entry_id__in=ids).values("entry_id").annotate(n=Count("id"))
                .values_list("entry_id", "n"))


def _cell(village: Region, indicator: Indicator, entry: LedgerEntry | None, counts: dict[int, int]) -> dict:
    """One ledger cell: its entry, and for an indicator that asks for evidence the count of files
    and whether the entry's value still lacks them."""
    count = counts.get(entry.pk, 0) if entry else 0
    return {"indicator": indicator, "entry": entry, "village": village, "evidence_count": count,
            "evidence_missing": bool(entry and indicator.needs_evidence(entry.value) and not count)}


def _grid_rows(*, township: Region, year: int, month: int, kind: str, star_code: str, standard):
    """Villages × the star's ledger indicators with their entries: three queries."""
    villages = list(Region.objects.villages().filter(parent=township, kind=kind, is_active=True).order_by("code"))
    indicators = list(
        Indicator.objects.filter(star__standard=standard, star__code=star_code).order_by("order")
    ) if standard else []
    entries = {
        (e.village_id, e.indicator_id): e
        for e in LedgerEntry.objects.current().filter(village__in=villages, indicator__in=indicators, year=year,
                                                      month=month).select_related("indicator")
    }
    unchanged = ledger_services.returned_unchanged(entries.values())
    counts = evidence_counts(entries.values())
    rows = []
    for v in villages:
        cells = [_cell(v, i, entries.get((v.pk, i.pk)), counts) for i in indicators]
        pending = sum(1 for c in cells if c["entry"] is not None and (
            c["entry"].status == LedgerStatus.DRAFT
            or (c["entry"].status == LedgerStatus.RETURNED and c["entry"].pk not in unchanged)))
        rows.append({"village": v, "cells": cells, "pending": pending})
    return villages, indicators, entries, rows


def completeness(*, villages, indicators, entries, month: int, deadline=None) -> dict:
    due = [i for i in indicators if i.source == Source.LEDGER and i.rule != "veto"
           and i.frequency in Frequency.due_in(month)]
    expected = len(villages) * len(due)
    due_ids = {i.pk for i in due}
    counted = [e for (v, i), e in entries.items() if i in due_ids]
    return {
        "expected": expected, "entered": len(counted),
        "submitted": sum(1 for e in counted if e.status in (LedgerStatus.SUBMITTED, LedgerStatus.APPROVED)),
        "approved": sum(1 for e in counted if e.status == LedgerStatus.APPROVED),
        "returned": sum(1 for e in counted if e.status == LedgerStatus.RETURNED),
        # Submitted after the deadline (through a reopened window) counts as late.
        "late": sum(1 for e in counted if deadline and e.submitted_at and e.submitted_at > deadline),
    }


@require_GET
@login_required
def ledger_grid(request: HttpRequest) -> HttpResponse:
    context = _grid_context(request)
    require_ledger_grid(request.user)
    villages, indicators, entries, rows = _grid_rows(**{k: context[k] for k in
                                                        ("township", "year", "month", "kind", "star_code", "standard")})
    deadline = timezone.localtime(ledger_services.ledger_deadline(context["year"], context["month"]))
    window_open = ledger_services.ledger_window_is_open(township=context["township"], year=context["year"],
                                                        month=context["month"])
    may_enter = can_enter(request.user, context["township"])
    can_edit = window_open and may_enter
    context.update({
        "may_enter": may_enter, "rows": rows, "indicators": indicators, "deadline": deadline, "window_open": window_open,
        "can_edit": can_edit, "summary": completeness(villages=villages, indicators=indicators, entries=entries,
                                                      month=context["month"], deadline=deadline),
        "on_time": timezone.now() <= ledger_services.ledger_deadline(context["year"], context["month"]),
        "star_labels": star_names(context["kind"]), "months": range(1, 13),
        "townships": Region.objects.townships().filter(scope_q(request.user)).order_by("code"),
        "has_urban": Region.objects.villages().filter(parent=context["township"], kind="urban").exists(),
    })
    return render(request, "ratings/ledger_grid.html", context)


@require_POST
@login_required
def ledger_cell(request: HttpRequest) -> HttpResponse:
    """htmx: save one cell and send it back, with its new state or the reason it was refused."""
    village = get_object_or_404(Region.objects.filter(scope_q(request.user)), pk=int_param(request.POST.get("village"), 0, 1, 10**12))
    indicator = get_object_or_404(Indicator.objects.select_related("star__standard"),
                                  pk=int_param(request.POST.get("indicator"), 0, 1, 10**12))
    year = int_param(request.POST.get("year"), 0, 2000, 2100)
    month = int_param(request.POST.get("month"), 0, 1, 12)
    raw_version = request.POST.get("version")
    base_version = int_param(raw_version, None, 1, 10**9) if raw_version else None
    error = ""
    try:
        entry = ledger_services.ledger_entry_save(
            village=village, indicator=indicator, year=year, month=month, value=request.POST.get("value"),
            by=request.user, base_version=base_version,
        )
    except PermissionDenied as exc:
        entry, error = None, str(exc) or "无权填报"
    except ValidationError as exc:
        entry, error = None, "；".join(exc.messages)
    if entry is None:
        entry = LedgerEntry.objects.current().filter(village=village, indicator=indicator, year=year, month=month).first()
    cell = _cell(village, indicator, entry, evidence_counts([entry]) if entry else {})
    return render(request, "ratings/_ledger_cell.html", {
        "cell": cell, "year": year, "month": month, "can_edit": True, "error": error,
        "typed": request.POST.get("value", "") if error else None, "saved": not error,
    })


@require_POST
@login_required
def ledger_submit(request: HttpRequest) -> HttpResponse:
    context = _grid_context(request)
    villages, indicators, entries, _ = _grid_rows(**{k: context[k] for k in
                                                     ("township", "year", "month", "kind", "star_code", "standard")})
    # One village's row (its 提交 button) or the whole township's month of the star.
    code = request.POST.get("village", "")
    if code:
        village = next((v for v in villages if v.code == code), None)
        if village is None:
            raise Http404("该村（社区）不在本表中")
        entries = {key: e for key, e in entries.items() if key[0] == village.pk}
    pending = [e for e in entries.values() if e.status in (LedgerStatus.DRAFT, LedgerStatus.RETURNED)]
    unchanged = ledger_services.returned_unchanged(pending)
    try:
        count = ledger_services.ledger_entries_submit(entries=pending, by=request.user)
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except ledger_services.EvidenceMissing as exc:
        messages.error(request, evidence_missing_message(exc.entries))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        where = f"{village.name}的" if code else ""
        kept = f"；{len(unchanged)} 条退回台账尚未修改，仍为“退回”" if unchanged else ""
        messages.success(request, f"已提交{where} {count} 条台账，等待牵头部门审核{kept}")
    query = {k: context[k] for k in ("year", "month", "kind")}
    return redirect(f"{reverse('ratings:ledger_grid')}?township={context['township'].code}&star={context['star_code']}"
                    f"&year={query['year']}&month={query['month']}&kind={query['kind']}")


def cell_url(entry: LedgerEntry) -> str:
    """The grid cell of an entry (its township, month, star and kind), scrolled to."""
    village = entry.village
    return (f"{reverse('ratings:ledger_grid')}?township={village.parent.code}&year={entry.year}&month={entry.month}"
            f"&kind={village.kind or 'rural'}&star={entry.indicator.star.code}#cell-{village.pk}-{entry.indicator_id}")


def evidence_missing_message(entries: list[LedgerEntry]) -> str:
    """The refusal of a submission for want of evidence: every item, each a link to its cell."""
    head = MSG_EVIDENCE_MISSING_HEAD.format(count=len(entries))
    links = format_html_join("", '<li><a href="{}" data-testid="missing-evidence">{} · {}</a></li>',
                             ((cell_url(e), e.village.name, e.indicator.name) for e in entries))
    return format_html('{}：<ul class="mb-0">{}</ul>', head, links)


@require_http_methods(["GET", "POST"])
@login_required
def ledger_evidence(request: HttpRequest) -> HttpResponse:
    """htmx dialog: the evidence files of one village × indicator × month, and an upload (a photo
    taken on the phone or a file) for a draft, returned or submitted entry. The answer also
    refreshes the cell's file count in the page behind (out of band)."""
    params = request.GET if request.method == "GET" else request.POST
    village = get_object_or_404(Region.objects.filter(scope_q(request.user), level=Level.VILLAGE),
                                pk=int_param(params.get("village"), 0, 1, 10**12))
    indicator = get_object_or_404(Indicator.objects.select_related("star"),
                                  pk=int_param(params.get("indicator"), 0, 1, 10**12), source=Source.LEDGER)
    year = int_param(params.get("year"), 0, 2000, 2100)
    month = int_param(params.get("month"), 0, 1, 12)
    entry = LedgerEntry.objects.current().filter(village=village, indicator=indicator, year=year, month=month).first()
    may_upload = bool(entry) and not entry.is_locked and can_enter(request.user, village)
    error = uploaded = ""
    if request.method == "POST":
        upload = request.FILES.get("photo") or request.FILES.get("file")
        try:
            if not can_enter(request.user, village):
                raise PermissionDenied("无权为该村（社区）上传佐证材料")
            if entry is None:
                raise ValidationError(MSG_EVIDENCE_NO_ENTRY)
            if upload is None:
                raise ValidationError("请选择要上传的文件或拍照")
            uploaded = ledger_services.evidence_attach(entry=entry, upload=upload, by=request.user).original_name
        except ValidationError as exc:
            error = "；".join(exc.messages)
    files = list(entry.evidence.select_related("uploaded_by")) if entry else []
    cell = _cell(village, indicator, entry, {entry.pk: len(files)} if entry else {})
    return render(request, "ratings/_evidence_panel.html", {
        "cell": cell, "entry": entry, "files": files, "year": year, "month": month, "may_upload": may_upload,
        "error": error, "uploaded": uploaded, "no_entry_message": MSG_EVIDENCE_NO_ENTRY,
    })


@require_GET
@login_required
def ledger_village(request: HttpRequest, code: str) -> HttpResponse:
    """One village's month: every indicator of every star, ledger and computed."""
    village = region_get_for_user(user=request.user, code=code)
    if village.level != Level.VILLAGE:
        raise Http404("请选择村（社区）")
    today = timezone.localdate()
    year = int_param(request.GET.get("year"), today.year, 2000, 2100)
    month = int_param(request.GET.get("month"), today.month, 1, 12)
    standard = Standard.objects.filter(year=year, kind=village.kind or "rural", status=StandardStatus.PUBLISHED).first()
    indicators = list(Indicator.objects.filter(star__standard=standard).select_related("star").order_by("star__order", "order")) if standard else []
    entries = {e.indicator_id: e for e in LedgerEntry.objects.current().filter(village=village, year=year, month=month)
               .select_related("indicator")}
    counts = evidence_counts(entries.values())
    groups = []
    for indicator in indicators:
        if not groups or groups[-1]["star"] != indicator.star:
            groups.append({"star": indicator.star, "cells": []})
        groups[-1]["cells"].append(_cell(village, indicator, entries.get(indicator.pk), counts))
    window_open = ledger_services.ledger_window_is_open(township=village.parent, year=year, month=month)
    return render(request, "ratings/ledger_village.html", {
        "village": village, "year": year, "month": month, "groups": groups, "months": range(1, 13),
        "can_edit": window_open and can_enter(request.user, village), "window_open": window_open,
        "may_open_grid": may_open_ledger_grid(request.user),
    })


@require_http_methods(["GET", "POST"])
@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    stars = lead_stars(request.user)
    if not stars and not has_role(request.user, Role.ORGANISATION):
        raise PermissionDenied("只有牵头部门和县委组织部可以查看审核队列")
    if request.method == "POST":
        return _review_action(request, stars)
    entries = (entries_for_user(request.user).current()
               .select_related("village", "village__parent", "indicator", "indicator__star", "entered_by")
               .order_by("year", "month", "village__code", "indicator__order"))
    if stars:
        entries = entries.filter(lead_star_q(request.user))
    params = request.GET
    status = params.get("status", LedgerStatus.SUBMITTED)
    if status in LedgerStatus.values:
        entries = entries.filter(status=status)
    if params.get("township"):
        entries = entries.filter(village__parent__code=params["township"])
    if params.get("village"):
        entries = entries.filter(Q(village__name__contains=params["village"]) | Q(village__code=params["village"]))
    if params.get("year"):
        entries = entries.filter(year=int_param(params["year"], 0, 2000, 2100))
    if params.get("month"):
        entries = entries.filter(month=int_param(params["month"], 0, 1, 12))
    if params.get("flagged") == "1":
        entries = entries.exclude(plausibility_flag="")
    page = Paginator(entries, 50).get_page(params.get("page"))
    return render(request, "ratings/review_queue.html", {
        "page_obj": page, "entries": page.object_list, "status": status, "statuses": LedgerStatus.choices,
        "townships": Region.objects.townships().filter(scope_q(request.user)).order_by("code"),
        "params": params, "months": range(1, 13), "can_review": bool(stars),
        "querystring_without_page": querystring_without_page(params),
    })


def _review_action(request: HttpRequest, stars) -> HttpResponse:
    ids = id_list(request.POST.getlist("entry"))
    entries = list(entries_for_user(request.user).filter(pk__in=ids).select_related("indicator__star", "village"))
    back = safe_next(request, request.POST.get("next"), reverse("ratings:review_queue"))
    if not entries:
        messages.error(request, "请先勾选要审核的台账")
        return redirect(back)
    if len(entries) != len(set(ids)):
        # One batch, one answer: an entry outside the scope refuses the whole batch (checked
        # before anything changes), as the API's approve-many does.
        raise Http404("部分台账不存在或不在您的权限范围内，未做任何处理")
    try:
        if request.POST.get("action") == "return":
            count = ledger_services.ledger_entries_return(entries=entries, by=request.user,
                                                          reason=request.POST.get("reason", ""))
            messages.success(request, f"已退回 {count} 条台账")
        else:
            recompute_deferred_reset()
            count = ledger_services.ledger_entries_approve(entries=entries, by=request.user)
            later = MSG_RECOMPUTE_DEFERRED if recompute_deferred() else "评分将自动更新"
            messages.success(request, f"已审核通过 {count} 条台账，{later}")
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(back)


@require_http_methods(["GET", "POST"])
@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_user_or_404(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "evidence":
                if "file" not in request.FILES:
                    raise ValidationError("请选择要上传的文件")
                ledger_services.evidence_attach(entry=entry, upload=request.FILES["file"], by=request.user)
                messages.success(request, "佐证材料已上传")
            elif action == "correct":
                new = ledger_services.ledger_entry_correct(entry=entry, by=request.user, value=request.POST.get("value"),
                                                           reason=request.POST.get("reason", ""))
                messages.success(request, "已更正，原台账已标记为已更正")
                return redirect("ratings:entry_detail", pk=new.pk)
            else:
                return HttpResponse(status=400)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("ratings:entry_detail", pk=entry.pk)
    return render(request, "ratings/entry_detail.html", {
        "entry": entry, "events": entry.events.select_related("actor"), "evidence": entry.evidence.all(),
        "can_upload": not entry.is_locked and can_enter(request.user, entry.village),
        "can_correct": entry.status == LedgerStatus.APPROVED and can_review(request.user, entry.indicator.star.code,
                                                                             entry.village),
        "superseded_by": getattr(entry, "superseded_by", None) if entry.status == LedgerStatus.SUPERSEDED else None,
    })


@require_GET
@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    from config.files import file_response

    entry = get_entry_for_user_or_404(request.user, pk)
    evidence = get_object_or_404(entry.evidence, pk=evidence_id)
    return file_response(evidence.file, filename=evidence.original_name)


@require_GET
@login_required
def ledger_returned(request: HttpRequest) -> HttpResponse:
    entries = (entries_for_user(request.user).filter(status=LedgerStatus.RETURNED)
               .select_related("village", "indicator__star", "reviewed_by").order_by("-reviewed_at"))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "ratings/ledger_returned.html", {"page_obj": page, "entries": page.object_list,
                                                             "querystring_without_page": ""})


@require_http_methods(["GET", "POST"])
@login_required
def ledger_windows(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.ORGANISATION):
        raise PermissionDenied("只有县委组织部可以重新开放填报期")
    townships = Region.objects.townships().filter(scope_q(request.user)).order_by("code")
    if request.method == "POST":
        try:
            township = townships.get(code=request.POST.get("township", ""))
            until = timezone.make_aware(dt.datetime.fromisoformat(request.POST.get("until", "")))
            ledger_services.ledger_window_reopen(
                township=township, year=int_param(request.POST.get("year"), 0, 2000, 2100),
                month=int_param(request.POST.get("month"), 0, 1, 12), until=until, reason=request.POST.get("reason", ""),
                by=request.user)
        except Region.DoesNotExist:
            messages.error(request, "请选择乡镇")
        except ValueError:
            messages.error(request, "请填写正确的开放截止时间")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已重新开放填报期，并记录在案")
        return redirect("ratings:ledger_windows")
    windows = LedgerWindow.objects.filter(township__in=townships).select_related("township", "opened_by")[:100]
    return render(request, "ratings/ledger_windows.html", {"windows": windows, "townships": townships,
                                                            "months": range(1, 13), "today": timezone.localdate()})
