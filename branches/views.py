"""Pages of a branch's organisational life, decisions, postings and rectification.

Everyone posted in a region sees its records; village secretaries, first secretaries (their own
village) and township staff (their villages) record them; county roles read. Rectification is
the township's and the county's business; acceptance is the organisation department's alone.

Over 400 lines as one module on purpose: the record kinds (meetings, decisions, postings,
rectifications) share the village scope and the one form flow at its top.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadres.models import Role
from cadres.scope import has_role, scope_q, user_posts
from config.paging import querystring_without_page
from villages.models import Level, Region

from . import compliance as rules
from . import selectors, services
from .access import may_open_rectifications, require_rectification_access
from .forms import (
    MEETING_SORTS,
    DecisionForm,
    MeetingFilterForm,
    MeetingForm,
    PostingFilterForm,
    PostingForm,
    RectificationAcceptForm,
    RectificationListForm,
    RectificationPlanForm,
    RectificationProgressForm,
    VillageChoiceForm,
)
from .models import RectificationStatus
from .models_records import DECISION_STEPS, Decision, Meeting, Posting, meeting_frequencies

PAGE_SIZE = 25


def _require_post(request: HttpRequest) -> None:
    if not user_posts(request.user) and not request.user.is_superuser:
        raise PermissionDenied("您的账号尚未分配岗位")


def _recordable_villages(user) -> list:
    return [v for v in selectors.villages_for(user=user).select_related("parent") if services.may_record(user, v)]


# --- organisational life --------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings of a village or of the villages in scope, with compliance per type for the period."""
    _require_post(request)
    user = request.user
    today = timezone.localdate()
    form = MeetingFilterForm(request.GET or None, initial={"month": f"{today.year}-{today.month:02d}"})
    villages = selectors.villages_for(user=user).select_related("parent")
    form.fields["village"].widget.choices = [("", "全部村（社区）")] + [(v.code, v.name) for v in villages]
    year, month, quarter, kind, sort, village = today.year, today.month, None, "", "-date", None
    if form.is_valid():
        year, month = form.cleaned_data["month"]
        quarter = form.cleaned_data["quarter"]
        kind = form.cleaned_data["type"]
        sort = form.cleaned_data["sort"] or "-date"
        if form.cleaned_data["village"]:
            village = selectors.village_get_for_user(user=user, code=form.cleaned_data["village"])
    # An invalid filter is shown with the form; the page then falls back to this month.
    all_villages = list(villages)
    if village is None and len(all_villages) == 1:
        village = all_villages[0]
    months = rules.quarter_months(quarter) if quarter else [month]
    meetings = selectors.meeting_list(user=user).filter(date__year=year, date__month__in=months)
    if village is not None:
        meetings = meetings.filter(village=village)
    if kind:
        meetings = meetings.filter(type=kind)
    meetings = meetings.order_by(MEETING_SORTS[sort][0], "-id")
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = [village] if village is not None else all_villages
    table = selectors.compliance_table(villages=scope, year=year, month=None if quarter else month,
                                       quarter=quarter, as_of=today)
    table_page = Paginator(table, PAGE_SIZE).get_page(request.GET.get("vpage")) if village is None else None
    return render(request, "branches/meeting_list.html", {
        "show_rectification": may_open_rectifications(request.user),
        "form": form, "page_obj": page, "meetings": page.object_list, "village": village,
        "compliance": table[0]["rows"] if village is not None and table else None,
        "table_page": table_page, "summary": selectors.compliance_summary(table) if village is None else None,
        "year": year, "month": month, "quarter": quarter, "frequencies": meeting_frequencies(),
        "can_record": bool(_recordable_villages(user)) if village is None else services.may_record(user, village),
        "querystring_without_page": querystring_without_page(request.GET), "single_village": len(all_villages) == 1,
        "querystring_without_vpage": querystring_without_page(request.GET, "vpage"),
    })


# --- the record forms, shared by meetings, decisions and postings ---------------------------


@dataclass(frozen=True)
class RecordKind:
    model: type
    form: type[BaseForm]
    save: object
    title: str
    list_url: str
    file_field: str | None = None


KINDS = {
    "meeting": RecordKind(Meeting, MeetingForm, services.meeting_save, "组织生活记录", "branches:meeting_list",
                          "attachment"),
    "decision": RecordKind(Decision, DecisionForm, services.decision_save, "四议两公开", "branches:decision_list"),
    "posting": RecordKind(Posting, PostingForm, services.posting_save, "三务公开", "branches:posting_list", "photo"),
}


def _record_get_for_user(user, kind: RecordKind, pk: int):
    rows = {"meeting": selectors.meeting_list, "decision": selectors.decision_list,
            "posting": selectors.posting_list}[kind.model._meta.model_name](user=user)
    return get_object_or_404(rows, pk=pk)


def _record_form(request: HttpRequest, name: str, pk: int | None) -> HttpResponse:
    kind = KINDS[name]
    user = request.user
    instance = _record_get_for_user(user, kind, pk) if pk else None
    readonly = False
    if instance is not None:
        if not services.may_record(user, instance.village):
            # Whoever may read the record (it is in their scope) sees it read-only; changing it is
            # for the village and its township.
            if request.method != "GET":
                raise PermissionDenied(services.MSG_NOT_RECORDER)
            readonly = True
        villages = [instance.village]
    else:
        villages = _recordable_villages(user)
        if not villages:
            raise PermissionDenied(services.MSG_NOT_RECORDER)
    initial = {}
    if instance is None and name == "meeting":
        initial = {"date": timezone.localdate()}
    if instance is None and name == "posting":
        today = timezone.localdate()
        initial = {"year": today.year, "month": today.month, "posted_on": today}
    data = request.POST if request.method == "POST" else None
    form = kind.form(data, request.FILES or None, instance=instance, initial=initial)
    if readonly:
        for field in form.fields.values():
            field.disabled = True
    chooser = VillageChoiceForm(data or {"village": request.GET.get("village") or villages[0].code},
                                villages=villages)
    if instance is None and name == "meeting" and request.method == "GET":
        chosen = next((v for v in villages if v.code == request.GET.get("village")), villages[0])
        branch = getattr(chosen, "branch", None)
        if branch is not None:
            form.initial["members_expected"] = branch.member_count
    if request.method == "POST" and chooser.is_valid() and form.is_valid():
        village = next(v for v in villages if v.code == chooser.cleaned_data["village"])
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        if instance is not None:
            fields[name] = instance
        try:
            kind.save(village=village, by=user, **fields)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{kind.title}已保存。")
            return redirect(f"{reverse(kind.list_url)}?village={village.code}")
    history = list(selectors.record_history(record=instance)[:20]) if instance else []
    labels = {name: f.label for name, f in form.fields.items()}
    for entry in history:  # a change names the field as the form does, never its code
        entry.changes_display = [(labels.get(field, "其他内容"), change.get("before"), change.get("after"))
                                 for field, change in (entry.changes or {}).items()]
    return render(request, "branches/record_form.html", {
        "readonly": readonly,
        "form": form, "chooser": chooser, "instance": instance, "title": kind.title, "name": name,
        "list_url": kind.list_url, "history": history, "multipart": kind.file_field is not None,
        "decision_steps": DECISION_STEPS if name == "decision" else None,
    })


def _add_errors(form: BaseForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.error_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    return _record_form(request, "meeting", None)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_form(request, "meeting", pk)


@login_required
@require_http_methods(["GET"])
def record_file(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    """A meeting's attachment or a posting's photo, for whoever may see the record (404 else)."""
    from config.files import file_response

    kind = KINDS.get(name)
    if kind is None or kind.file_field is None:
        raise Http404
    row = _record_get_for_user(request.user, kind, pk)
    title = getattr(row, "topic", "") or kind.title
    return file_response(getattr(row, kind.file_field), filename=f"{title}-{row.pk}")


@login_required
@require_POST
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _record_get_for_user(request.user, KINDS["meeting"], pk)
    services.meeting_delete(meeting=meeting, by=request.user)
    messages.success(request, "组织生活记录已删除。")
    return redirect(f"{reverse('branches:meeting_list')}?village={meeting.village.code}")


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest) -> HttpResponse:
    return _record_form(request, "decision", None)


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_form(request, "decision", pk)


@login_required
@require_http_methods(["GET", "POST"])
def posting_create(request: HttpRequest) -> HttpResponse:
    return _record_form(request, "posting", None)


@login_required
@require_http_methods(["GET", "POST"])
def posting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_form(request, "posting", pk)


def _village_filter(request: HttpRequest, rows):
    code = request.GET.get("village")
    village = selectors.village_get_for_user(user=request.user, code=code) if code else None
    return (rows.filter(village=village) if village else rows), village


@login_required
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    _require_post(request)
    rows, village = _village_filter(request, selectors.decision_list(user=request.user))
    sort = "village__code" if request.GET.get("sort") == "village" else "-proposed_on"
    page = Paginator(rows.order_by(sort, "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "branches/decision_list.html", {
        "show_rectification": may_open_rectifications(request.user),
        "page_obj": page, "decisions": page.object_list, "village": village, "steps": DECISION_STEPS,
        "villages": selectors.villages_for(user=request.user), "can_record": bool(_recordable_villages(request.user)),
        "sort": sort, "querystring_without_page": querystring_without_page(request.GET),
    })


@login_required
@require_GET
def posting_list(request: HttpRequest) -> HttpResponse:
    _require_post(request)
    rows, village = _village_filter(request, selectors.posting_list(user=request.user))
    form = PostingFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["category"]:
            rows = rows.filter(category=form.cleaned_data["category"])
        if form.cleaned_data["year"]:
            rows = rows.filter(year=form.cleaned_data["year"])
    page = Paginator(rows.order_by("-year", "-month", "village__code", "category"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "branches/posting_list.html", {
        "show_rectification": may_open_rectifications(request.user),
        "form": form, "page_obj": page, "postings": page.object_list, "village": village,
        "villages": selectors.villages_for(user=request.user), "can_record": bool(_recordable_villages(request.user)),
        "querystring_without_page": querystring_without_page(request.GET),
    })


# --- rectification --------------------------------------------------------------------------


@login_required
@require_GET
def rectification_list(request: HttpRequest) -> HttpResponse:
    require_rectification_access(request.user)
    rows = selectors.rectification_list(user=request.user)
    status = request.GET.get("status", "")
    if status in RectificationStatus.values:
        rows = rows.filter(status=status)
    year = request.GET.get("year", "")
    if year.isdigit():
        rows = rows.filter(year=int(year))
    page = Paginator(rows.order_by("status", "-year", "branch__village__code"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "branches/rectification_list.html", {
        "page_obj": page, "rectifications": page.object_list, "status": status, "year": year,
        "statuses": RectificationStatus.choices, "querystring_without_page": querystring_without_page(request.GET),
        "can_list": has_role(request.user, Role.ORGANISATION),
    })


def _rectification_get(request: HttpRequest, pk: int):
    require_rectification_access(request.user)
    return get_object_or_404(selectors.rectification_list(user=request.user), pk=pk)


@login_required
@require_GET
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = _rectification_get(request, pk)
    return _rectification_page(request, rectification)


def _rectification_page(request, rectification, *, plan_form=None, progress_form=None, accept_form=None,
                        status=200) -> HttpResponse:
    village = rectification.branch.village
    today = timezone.localdate()
    return render(request, "branches/rectification_detail.html", {
        "r": rectification, "village": village, "updates": rectification.updates.select_related("created_by"),
        "history": selectors.record_history(record=rectification),
        "may_rectify": services.may_rectify(request.user, village), "may_accept": services.may_accept(request.user, village),
        "plan_form": plan_form or RectificationPlanForm(initial={"plan": rectification.plan}),
        "progress_form": progress_form or RectificationProgressForm(initial={"date": today}),
        "accept_form": accept_form or RectificationAcceptForm(initial={"accepted_on": today}),
        "is_open": rectification.status != RectificationStatus.ACCEPTED,
    }, status=status)


def _rectification_action(request, pk, form_class, form_key, act) -> HttpResponse:
    rectification = _rectification_get(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(rectification, form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("branches:rectification_detail", pk=pk)
    rectification.refresh_from_db()
    return _rectification_page(request, rectification, **{form_key: form}, status=400)


@login_required
@require_POST
def rectification_plan(request: HttpRequest, pk: int) -> HttpResponse:
    def act(r, data):
        services.rectification_plan_save(rectification=r, plan=data["plan"], by=request.user)
        messages.success(request, "整顿方案已保存。")
    return _rectification_action(request, pk, RectificationPlanForm, "plan_form", act)


@login_required
@require_POST
def rectification_progress(request: HttpRequest, pk: int) -> HttpResponse:
    def act(r, data):
        services.rectification_progress_add(rectification=r, note=data["note"], date=data["date"], by=request.user)
        messages.success(request, "整顿进展已记录。")
    return _rectification_action(request, pk, RectificationProgressForm, "progress_form", act)


@login_required
@require_http_methods(["GET", "POST"])
def rectification_create(request: HttpRequest) -> HttpResponse:
    """列入软弱涣散: the county organisation department lists a branch (township staff see the list)."""
    if not has_role(request.user, Role.ORGANISATION):
        raise PermissionDenied(services.MSG_NOT_LISTER)
    villages = (Region.objects.filter(scope_q(request.user), level=Level.VILLAGE, is_active=True, branch__isnull=False)
                .exclude(branch__rectifications__status__in=[RectificationStatus.LISTED, RectificationStatus.RECTIFYING])
                .select_related("parent").order_by("code"))
    form = RectificationListForm(request.POST or None, villages=villages,
                                 initial={"listed_on": timezone.localdate(), "village": request.GET.get("village")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rectification = services.rectification_list_branch(
                village=data["village"], reason=data["reason"], listed_on=data["listed_on"], by=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已列入软弱涣散党组织；该村支部过硬星在验收销号前不能获得。")
            return redirect("branches:rectification_detail", pk=rectification.pk)
    return render(request, "branches/rectification_form.html", {"form": form})


@login_required
@require_POST
def rectification_accept(request: HttpRequest, pk: int) -> HttpResponse:
    def act(r, data):
        services.rectification_accept(rectification=r, accepted_on=data["accepted_on"], note=data["note"],
                                      by=request.user)
        messages.success(request, "已验收销号，软弱涣散标记已清除。")
    return _rectification_action(request, pk, RectificationAcceptForm, "accept_form", act)
