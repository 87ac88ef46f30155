"""Pages of the member roster: the county's and township's lists of branches, a village's roster
(phone-first, for the village secretary), a member's page with points and why, the entry forms,
leaving with a confirmation, the township's Excel import.

Everyone posted over a village reads its roster (404 outside the scope); the village secretary,
the first secretary and the township's staff write it (403 for read-only roles).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cadres.models import Role
from cadres.scope import user_posts
from config.paging import querystring_without_page
from villages.models import Level, Region

from . import forms_members as f
from . import member_import, selectors, services
from . import points as member_points
from . import selectors_members as sel
from . import services_members as svc
from .models import Branch
from .models_members import (
    LinkedHousehold,
    MeetingAttendance,
    Member,
    MemberCategory,
    MemberPost,
    Pledge,
    PointsSource,
)
from .models_records import RecordEvent

PAGE_SIZE = 25
ROSTER_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MSG_NO_BRANCH = "该村（社区）尚无党组织记录，请先导入党组织"
MSG_NO_POST_YET = "该党员尚无岗位，请先设岗"
MSG_NO_PLEDGE_YET = "该党员尚无承诺，请先登记承诺"
MSG_NO_HOUSEHOLD_YET = "该党员尚无联系户，请先登记联系户"
MSG_IMPORT_ROLE = "只有乡镇专干或县委组织部可以导入党员名册"


def _require_post(request: HttpRequest) -> None:
    if not user_posts(request.user) and not request.user.is_superuser:
        raise PermissionDenied("您的账号尚未分配岗位")


def _month(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        if 2000 <= year <= today.year and 1 <= month <= 12 and (year, month) <= (today.year, today.month):
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def _as_of(year: int, month: int):
    today = timezone.localdate()
    return min(today, member_points.month_bounds(year, month)[1])


@login_required
@require_GET
def member_index(request: HttpRequest) -> HttpResponse:
    """The villages in scope with their rosters (the township's and the county's list); a user
    who sees one village goes straight to its roster."""
    _require_post(request)
    villages = list(selectors.villages_for(user=request.user).select_related("parent"))
    if len(villages) == 1:
        return redirect("branches:member_roster", code=villages[0].code)
    townships = sorted({v.parent for v in villages if v.parent}, key=lambda t: t.code)
    township = request.GET.get("township", "")
    if township:
        villages = [v for v in villages if v.code.startswith(township[:9])]
    year, month = _month(request)
    page = Paginator(villages, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = sel.village_summaries(villages=list(page.object_list), day=_as_of(year, month))
    return render(request, "branches/members/index.html", {
        "rows": rows, "page_obj": page, "townships": townships, "township": township, "year": year, "month": month,
        "categories": MemberCategory.choices, "querystring_without_page": querystring_without_page(request.GET),
        "can_import": _import_region(request.user) is not None,
    })


@login_required
@require_GET
def member_roster(request: HttpRequest, code: str) -> HttpResponse:
    """One branch's roster by category, ranked by the month's points, with its warnings."""
    _require_post(request)
    village = selectors.village_get_for_user(user=request.user, code=code)
    branch = Branch.objects.filter(village=village).first()
    year, month = _month(request)
    day = _as_of(year, month)
    ranking = sel.branch_ranking(village=village, year=year, month=month)
    category = request.GET.get("category", "")
    if category in MemberCategory.values:
        ranking = [(m, p) for m, p in ranking if m.category == category]
    page = Paginator(ranking, ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    uncontacted = sel.away_uncontacted(prefix=village.code, day=day)
    show_phone = sel.phone_visible(request.user, village)
    rows = [{"member": m, "points": p, "rank": page.start_index() + i,
             "phone": m.phone if show_phone else sel.mask_phone(m.phone), "warning": m.pk in uncontacted}
            for i, (m, p) in enumerate(page.object_list)]
    left = [m for m in sel.roster(village=village, day=day, include_left=True) if m.has_left]
    summary = sel.village_summaries(villages=[village], day=day)[0]
    return render(request, "branches/members/roster.html", {
        "village": village, "branch": branch, "rows": rows, "page_obj": page, "left": left, "summary": summary,
        "year": year, "month": month, "category": category,
        "category_counts": [(v, label, n) for (v, label), n in zip(MemberCategory.choices, summary["categories"],
                                                                   strict=True)],
        "can_record": branch is not None and services.may_record(request.user, village),
        "uncontacted": len(uncontacted), "querystring_without_page": querystring_without_page(request.GET),
    })


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest, code: str) -> HttpResponse:
    _require_post(request)
    village = selectors.village_get_for_user(user=request.user, code=code)
    branch = Branch.objects.filter(village=village).first()
    if branch is None:
        raise Http404(MSG_NO_BRANCH)
    if not services.may_record(request.user, village):
        raise PermissionDenied(services.MSG_NOT_RECORDER)
    return _member_form(request, branch=branch, member=None)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_post(request)
    member = sel.member_get_for_user(user=request.user, pk=pk)
    if not services.may_record(request.user, member.branch.village):
        raise PermissionDenied(services.MSG_NOT_RECORDER)
    if member.has_left:
        raise PermissionDenied(svc.MSG_LEFT_MEMBER)
    return _member_form(request, branch=member.branch, member=member)


def _member_form(request: HttpRequest, *, branch: Branch, member) -> HttpResponse:
    form = f.MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            saved = svc.member_save(branch=branch, by=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"已保存党员“{saved.name}”")
            return redirect("branches:member_detail", pk=saved.pk)
    return render(request, "branches/members/form.html", {
        "form": form, "village": branch.village, "member": member,
        "title": f"修改党员信息：{member.name}" if member else "新增党员",
    })


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_GET
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's own page (phone): who, category records, points of the year's months and why."""
    _require_post(request)
    member = sel.member_get_for_user(user=request.user, pk=pk)
    village = member.branch.village
    today = timezone.localdate()
    history = sel.member_month_history(member=member, year=today.year, upto=today.month)
    labels = dict(PointsSource.choices)
    months = [{"month": m, "total": p.total, "lines": [(labels[s], n, pts) for s, n, pts in p.lines]}
              for m, p in history]
    posts = list(member.posts.select_related("kind").prefetch_related("logs"))
    pledges = list(member.pledges.prefetch_related("progress"))
    households = list(member.households.prefetch_related("visits"))
    events = RecordEvent.objects.filter(record_type="member", record_id=member.pk).select_related("actor")[:20]
    return render(request, "branches/members/detail.html", {
        "member": member, "village": village, "months": months, "year_total": sum(m["total"] for m in months),
        "phone": member.phone if sel.phone_visible(request.user, village) else sel.mask_phone(member.phone),
        "posts": posts, "pledges": pledges, "households": households,
        "contacts": list(member.contacts.all()[:20]), "care": list(member.care_visits.all()[:20]),
        "recognitions": list(member.recognitions.all()), "events": events,
        "can_record": services.may_record(request.user, village) and not member.has_left,
        "uncontacted": member.pk in sel.away_uncontacted(prefix=village.code, day=today),
        "kinds": _kinds_for(member),
    })


@login_required
@require_http_methods(["GET", "POST"])
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Leaving is confirmed on its own page: the member stays on record, the counts change."""
    _require_post(request)
    member = sel.member_get_for_user(user=request.user, pk=pk)
    if not services.may_record(request.user, member.branch.village):
        raise PermissionDenied(services.MSG_NOT_RECORDER)
    if member.has_left:
        raise PermissionDenied(svc.MSG_ALREADY_LEFT)
    form = f.LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.member_leave(member=member, left_on=form.cleaned_data["left_on"], reason=form.cleaned_data["reason"],
                             by=request.user)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"已登记党员“{member.name}”离开本支部")
            return redirect("branches:member_roster", code=member.branch.village.code)
    return render(request, "branches/members/leave.html", {"form": form, "member": member})


# --- the member's records ---------------------------------------------------------------------

KIND_TITLES = {
    "post": "设岗定责", "duty": "履职记录", "pledge": "承诺", "progress": "承诺季度进展", "confirm": "年终践诺确认",
    "household": "联系户", "visit": "联户走访", "contact": "联系记录", "care": "关爱走访", "recognition": "好家风等表彰",
}


def _kinds_for(member) -> list[tuple[str, str]]:
    slugs = ["pledge", "progress", "confirm", "household", "visit", "recognition"]
    if member.category == MemberCategory.NO_OFFICE:
        slugs = ["post", "duty"] + slugs
    if member.category == MemberCategory.AWAY:
        slugs.insert(0, "contact")
    if member.category == MemberCategory.ELDERLY:
        slugs.insert(0, "care")
    return [(s, KIND_TITLES[s]) for s in slugs]


def _record_form(slug: str, member, data):
    county = member_points.county_of(member.branch.village)
    if slug == "post":
        return f.PostForm(data, county=county)
    if slug == "duty":
        return f.DutyLogForm(data, posts=MemberPost.objects.filter(member=member, ended_on__isnull=True)
                             .select_related("kind"))
    if slug in ("progress", "confirm"):
        pledges = list(Pledge.objects.filter(member=member))
        return (f.ProgressForm if slug == "progress" else f.ConfirmForm)(data, pledges=pledges)
    if slug == "visit":
        return f.VisitForm(data, households=LinkedHousehold.objects.filter(member=member, until__isnull=True))
    return {"pledge": f.PledgeForm, "household": f.HouseholdForm, "contact": f.ContactForm, "care": f.CareForm,
            "recognition": f.RecognitionForm}[slug](data)


def _record_save(slug: str, member, data: dict, by):
    if slug == "post":
        return svc.member_post_add(member=member, by=by, **data)
    if slug == "duty":
        post = get_object_or_404(MemberPost, pk=data.pop("post"), member=member)
        return svc.duty_log_add(post=post, by=by, **data)
    if slug == "pledge":
        return svc.pledge_add(member=member, by=by, **data)
    if slug in ("progress", "confirm"):
        pledge = get_object_or_404(Pledge, pk=data.pop("pledge"), member=member)
        save = svc.pledge_progress_save if slug == "progress" else svc.pledge_confirm
        return save(pledge=pledge, by=by, **data)
    if slug == "household":
        return svc.household_add(member=member, by=by, **data)
    if slug == "visit":
        household = get_object_or_404(LinkedHousehold, pk=data.pop("household"), member=member)
        return svc.household_visit_add(household=household, by=by, **data)
    return {"contact": svc.contact_add, "care": svc.care_visit_add, "recognition": svc.recognition_add}[slug](
        member=member, by=by, **data)


EMPTY_CHOICES = {"duty": ("post", MSG_NO_POST_YET), "progress": ("pledge", MSG_NO_PLEDGE_YET),
                 "confirm": ("pledge", MSG_NO_PLEDGE_YET), "visit": ("household", MSG_NO_HOUSEHOLD_YET)}


@login_required
@require_http_methods(["GET", "POST"])
def member_record_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    _require_post(request)
    member = sel.member_get_for_user(user=request.user, pk=pk)
    if kind not in dict(_kinds_for(member)):
        raise Http404("该党员没有这类记录")
    if not services.may_record(request.user, member.branch.village):
        raise PermissionDenied(services.MSG_NOT_RECORDER)
    if member.has_left:
        raise PermissionDenied(svc.MSG_LEFT_MEMBER)
    form = _record_form(kind, member, request.POST or None)
    empty = None
    if kind in EMPTY_CHOICES and not form.fields[EMPTY_CHOICES[kind][0]].choices:
        empty = EMPTY_CHOICES[kind][1]
    if request.method == "POST" and empty is None and form.is_valid():
        try:
            _record_save(kind, member, dict(form.cleaned_data), request.user)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"已登记{KIND_TITLES[kind]}")
            return redirect("branches:member_detail", pk=member.pk)
    return render(request, "branches/members/record_form.html", {
        "form": form, "member": member, "title": KIND_TITLES[kind], "empty": empty,
    })


# --- a meeting's roll ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_roll(request: HttpRequest, pk: int) -> HttpResponse:
    """Who attended a meeting: each member in the branch on its date present, on leave or absent
    (points: attendance earns, an absence without leave is deducted)."""
    _require_post(request)
    meeting = get_object_or_404(selectors.meeting_list(user=request.user), pk=pk)
    can_record = services.may_record(request.user, meeting.village)
    if request.method == "POST" and not can_record:
        raise PermissionDenied(services.MSG_NOT_RECORDER)
    members = list(Member.objects.current_on(meeting.date).filter(branch__village=meeting.village)
                   .order_by("category", "name", "id"))
    roll = {a.member_id: a for a in MeetingAttendance.objects.filter(meeting=meeting)}
    error = None
    if request.method == "POST":
        status = {m.pk: request.POST.get(f"m{m.pk}", "present") for m in members}
        try:
            present = svc.attendance_roll_save(
                meeting=meeting, present_ids={k for k, v in status.items() if v == "present"},
                excused_ids={k for k, v in status.items() if v == "excused"}, by=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, f"已登记出席情况：出席 {present} 人")
            return redirect("branches:meeting_roll", pk=meeting.pk)
    rows = [{"member": m, "status": ("present" if roll[m.pk].present else "excused" if roll[m.pk].excused
                                     else "absent") if m.pk in roll else "present"} for m in members]
    return render(request, "branches/members/roll.html", {
        "meeting": meeting, "rows": rows, "has_roll": bool(roll), "can_record": can_record, "error": error,
    })


# --- the township's import --------------------------------------------------------------------


def _import_region(user) -> Region | None:
    """The region a user imports rosters for: township staff their township, the organisation
    department its county; None for everyone else."""
    for post in user_posts(user):
        if post.role == Role.TOWNSHIP_STAFF and post.region.level == Level.TOWNSHIP:
            return post.region
    for post in user_posts(user):
        if post.role == Role.ORGANISATION and post.region.level == Level.COUNTY:
            return post.region
    return None


@login_required
@require_http_methods(["GET", "POST"])
def member_import_view(request: HttpRequest) -> HttpResponse:
    _require_post(request)
    region = _import_region(request.user)
    if region is None:
        raise PermissionDenied(MSG_IMPORT_ROLE)
    form = f.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = member_import.import_apply(file=form.cleaned_data["file"], region=region, by=request.user)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
    return render(request, "branches/members/import.html", {"form": form, "region": region, "result": result})


@login_required
@require_GET
def member_import_template(request: HttpRequest) -> HttpResponse:
    _require_post(request)
    region = _import_region(request.user)
    if region is None:
        raise PermissionDenied(MSG_IMPORT_ROLE)
    response = HttpResponse(member_import.template(region=region), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E5%85%9A%E5%91%98%E5%90%8D%E5%86%8C.xlsx"
    return response


def roster_url(village: Region) -> str:
    return reverse("branches:member_roster", kwargs={"code": village.code})
