"""The going-live imports for the county organisation department: regions, branches, people
and posts, first secretaries. Each is a template download and an all-or-nothing upload."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.jobs import import_tracked
from villages.models import Level, Region

from .models import Role
from .scope import has_role, user_posts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_ISSUED = "golive_issued_accounts"


@dataclass(frozen=True)
class ImportKind:
    slug: str
    title: str
    module: str
    takes_county: bool = True
    takes_by: bool = False
    has_complete: bool = False
    filename: str = ""
    summary: str = ""

    def load(self):
        return importlib.import_module(self.module)


KINDS = {k.slug: k for k in [
    ImportKind("regions", "乡镇和村（社区）", "villages.region_import", has_complete=True, takes_by=True, filename="乡镇村区划",
               summary="按统计用区划代码导入乡镇（街道）和村（社区）；村区分行政村、城市社区"),
    ImportKind("branches", "村党组织", "branches.branch_import", filename="党组织",
               summary="组织类型、书记及一肩挑、党员人数、支委成员"),
    ImportKind("people", "人员和岗位", "cadres.people_import", takes_by=True, filename="人员岗位",
               summary="组织部、牵头部门、乡镇专干、村书记、第一书记的账号和岗位；生成用户名和一次性密码"),
    ImportKind("first-secretaries", "第一书记和工作队", "cadres.first_secretary_import", filename="第一书记",
               summary="派出单位、派出层级、驻村、任期和工作队员"),
    ImportKind("meetings", "组织生活记录（补录本年度）", "branches.meeting_import", takes_by=True, filename="组织生活记录",
               summary="上线前本年度已开展的三会一课和主题党日：类型、日期、主题、应到和实到人数"),
    ImportKind("cooperatives", "合作社和“双绑”", "projects.cooperative_import", filename="合作社和双绑",
               summary="支部领办合作社（成立、注销日期，成员数）及其与龙头企业、农户的“双绑”联结"),
]}

# Imports on a page of their own whose records this page counts too.
COUNTED_ELSEWHERE = ["projects.income_import"]


class UploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）", widget=forms.ClearableFileInput(
        attrs={"accept": ".xlsx", "class": "form-control"}))
    complete = forms.BooleanField(label="本文件是全县完整名单：系统中有而文件中没有的乡镇、村将被停用（不删除）",
                                  required=False)


def _county(user) -> Region:
    """The county of the organisation department's post (404 for anyone else, 403 for a role
    that sees the menu but may not import)."""
    if not has_role(user, Role.ORGANISATION):
        raise PermissionDenied("只有县委组织部可以导入上线数据")
    for post in user_posts(user):
        if post.role == Role.ORGANISATION and post.region.level == Level.COUNTY:
            return post.region
    county = Region.objects.counties().order_by("code").first() if user.is_superuser else None
    if county is None:
        raise Http404("没有可导入的县")
    return county


def _kind(slug: str) -> ImportKind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404("没有这种导入")
    return kind


@login_required
@require_GET
def import_index(request):
    county = _county(request.user)
    villages = Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE, is_active=True)
    counts = {
        "regions": Region.objects.filter(code__startswith=county.prefix, level=Level.TOWNSHIP, is_active=True).count(),
        "villages": villages.count(),
        "branches": villages.filter(branch__isnull=False).count(),
        "people": _people_count(county),
        "first_secretaries": _first_secretary_count(county),
        **_record_counts(county),
    }
    return render(request, "cadres/imports/index.html", {"county": county, "kinds": KINDS.values(), "counts": counts})


def _people_count(county: Region) -> int:
    from .models import User

    return User.objects.filter(posts__region__code__startswith=county.prefix, posts__is_active=True).distinct().count()


def _record_counts(county: Region) -> dict:
    """What the county has recorded so far in the apps whose imports are listed here (meetings,
    cooperatives and bindings) or have their own page (incomes): each import module that keeps
    records says it, by `county_counts(county=...)`, so this page names the modules only."""
    counts: dict[str, int] = {}
    for name in [*(kind.module for kind in KINDS.values()), *COUNTED_ELSEWHERE]:
        county_counts = getattr(importlib.import_module(name), "county_counts", None)
        if county_counts is not None:
            counts.update(county_counts(county=county))
    return counts


def _first_secretary_count(county: Region) -> int:
    from .models import FirstSecretary

    return FirstSecretary.objects.serving().filter(village__code__startswith=county.prefix).count()


@login_required
@require_GET
def import_template(request, slug: str):
    county = _county(request.user)
    kind = _kind(slug)
    module = kind.load()
    content = module.template(county=county) if slug in ("regions", "branches") else module.template()
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(kind.filename)}%E6%A8%A1%E6%9D%BF.xlsx"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request, slug: str):
    county = _county(request.user)
    kind = _kind(slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    if not kind.has_complete:
        del form.fields["complete"]
    result, error = None, ""
    if request.method == "POST" and form.is_valid():
        module = kind.load()
        kwargs = {"file": form.cleaned_data["file"], "county": county}
        if kind.takes_by:
            kwargs["by"] = request.user
        if kind.has_complete:
            kwargs["complete"] = form.cleaned_data["complete"]
        try:
            result = import_tracked(title=kind.title, county=county, apply=lambda: module.import_apply(**kwargs))
        except ValidationError as exc:
            error = "；".join(exc.messages)
        if result is not None and result.ok and result.issued:
            request.session[SESSION_ISSUED] = result.issued
    failed = request.method == "POST" and (bool(error) or not form.is_valid() or (result is not None and not result.ok))
    return render(request, "cadres/imports/page.html", {
        "county": county, "kind": kind, "form": form, "result": result, "error": error,
        "columns": kind.load().SHEET.columns,
    }, status=400 if failed else 200)


@login_required
@require_POST
def issued_download(request):
    """The last people import's new accounts with their one-time passwords: once, then gone."""
    _county(request.user)
    issued = request.session.pop(SESSION_ISSUED, None)
    if not issued:
        return redirect("cadres:import_page", slug="people")
    from .people_import import issued_sheet

    response = HttpResponse(issued_sheet(issued), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E6%96%B0%E8%B4%A6%E5%8F%B7.xlsx"
    response["Cache-Control"] = "no-store"
    return response
