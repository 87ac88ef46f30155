"""The year's award workflow pages: targets, applications and each step on them, withdrawals.

Views only read the request and call ratings/campaign/services/awards.py, which checks role, scope and
order; a refused step comes back as the service's Chinese message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadres.models import Role, StarCode
from cadres.scope import has_role, lead_stars, scope_q
from config.paging import paginate
from config.params import year_param
from config.qr import qr_svg
from ratings.campaign.services import awards as award_services
from ratings.models import (
    Application,
    ApplicationStatus,
    Objection,
    StarWithdrawal,
    TargetLevel,
)
from ratings.selectors import star_names
from villages.models import Level, Region

TARGET_SETTERS = (Role.TOWNSHIP_STAFF, Role.ORGANISATION)


def _villages(user):
    return Region.objects.filter(scope_q(user), level=Level.VILLAGE, is_active=True)


def _star_labels(codes, kind: str = "rural") -> str:
    names = star_names(kind)
    return "、".join(names.get(c, c) for c in codes) or "—"


def _run(request, step, *args, **kwargs) -> bool:
    """Call a service step; a step out of order comes back as its message (a wrong role is a 403).
    True when it went through."""
    try:
        step(*args, **kwargs)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return False
    return True


def _village_application_context(user, year: int) -> dict:
    """For a village secretary: the village's target, what it may apply for, and its application."""
    village = _villages(user).first()
    if village is None:
        return {}
    target = TargetLevel.objects.filter(village=village, year=year).first()
    application = Application.objects.filter(village=village, year=year).first()
    aimed = []
    if target is not None:
        names = star_names(village.kind)
        aimed = [(code, names[code]) for code in award_services.aimed_stars(target)]
    return {"my_village": village, "my_target": target, "my_application": application, "aimed": aimed}


@login_required
@require_GET
def award_list(request):
    year = year_param(request.GET, request.POST)
    villages = _villages(request.user)
    applications = (Application.objects.filter(year=year, village__in=villages)
                    .select_related("village__parent").prefetch_related("reviews"))
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    page, querystring = paginate(request, applications.order_by("village__code"), 50)
    for app in page.object_list:
        app.stars_text = _star_labels(app.stars, app.village.kind)
        app.named_text = _star_labels(app.named_stars, app.village.kind) if app.status == ApplicationStatus.NAMED else ""
    withdrawals = StarWithdrawal.objects.filter(year=year, village__in=villages).select_related("village__parent", "by")
    context = {
        "year": year, "years": range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1),
        "candidates": award_services.candidates(year=year, villages=villages).select_related("village__parent")
        .order_by("village__code"),
        "page_obj": page, "querystring_without_page": querystring, "applications": page.object_list, "status": status, "statuses": ApplicationStatus.choices,
        "withdrawals": withdrawals,
        "can_export": has_role(request.user, Role.ORGANISATION, Role.TOWNSHIP_STAFF, Role.LEAD_DEPARTMENT),
        "can_set_targets": has_role(request.user, *TARGET_SETTERS),
        "can_view_targets": has_role(request.user, *TARGET_SETTERS, Role.LEAD_DEPARTMENT),
        "can_apply": has_role(request.user, Role.VILLAGE_SECRETARY),
        "notice_days": award_services.notice_days(),
    }
    if context["can_apply"]:
        context.update(_village_application_context(request.user, year))
    return render(request, "campaign/award_list.html", context)


@login_required
@require_GET
def award_named_export(request):
    if not has_role(request.user, Role.ORGANISATION, Role.TOWNSHIP_STAFF, Role.LEAD_DEPARTMENT):
        raise PermissionDenied
    year = year_param(request.GET, request.POST)
    response = HttpResponse(
        award_services.named_list_xlsx(year=year, villages=_villages(request.user)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="named-{year}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def award_targets(request):
    """创建目标: township staff (their villages) and the organisation department set each
    village's target level and, optionally, the stars it aims at."""
    if not has_role(request.user, *TARGET_SETTERS, Role.LEAD_DEPARTMENT):
        raise PermissionDenied
    year = year_param(request.GET, request.POST)
    villages = _villages(request.user)
    if request.method == "POST":
        if not has_role(request.user, *TARGET_SETTERS):
            raise PermissionDenied
        village = get_object_or_404(villages, code=request.POST.get("village", ""))
        try:
            level = int(request.POST.get("level", ""))
        except ValueError:
            messages.error(request, award_services.MSG_BAD_LEVEL)
        else:
            stars = request.POST.getlist("stars")
            if _run(request, award_services.target_set, village=village, year=year, level=level,
                    target_stars=stars, by=request.user):
                messages.success(request, f"已设定{village.name}{year}年目标为{level}星。")
        return redirect(f"{request.path}?year={year}&township={request.POST.get('township', '')}"
                        f"&page={request.POST.get('page', '')}")
    township = request.GET.get("township", "")
    if township:
        villages = villages.filter(code__startswith=township[:9])
    villages = villages.select_related("parent").order_by("code")
    page, querystring = paginate(request, villages, 50)
    targets = {t.village_id: t for t in TargetLevel.objects.filter(year=year, village__in=page.object_list)
               .select_related("set_by")}
    rows = [{"village": v, "target": targets.get(v.pk)} for v in page.object_list]
    for row in rows:
        target = row["target"]
        row["stars"] = set(target.target_stars) if target else set()
    return render(request, "campaign/award_targets.html", {
        "year": year, "rows": rows, "page_obj": page, "querystring_without_page": querystring, "township": township, "stars": StarCode.choices,
        "levels": range(0, 6), "can_edit": has_role(request.user, *TARGET_SETTERS),
        "townships": Region.objects.filter(scope_q(request.user), level=Level.TOWNSHIP).order_by("code"),
        "set_count": TargetLevel.objects.filter(year=year, village__in=_villages(request.user)).count(),
    })


@login_required
@require_POST
def award_apply(request):
    """The village secretary applies for the stars the village aims at this year."""
    if not has_role(request.user, Role.VILLAGE_SECRETARY):
        raise PermissionDenied
    year = year_param(request.GET, request.POST)
    village = get_object_or_404(_villages(request.user), code=request.POST.get("village", ""))
    if _run(request, award_services.application_submit, village=village, year=year,
            stars=request.POST.getlist("stars"), by=request.user):
        messages.success(request, "申报已提交，等待乡镇审核。")
        application = Application.objects.get(village=village, year=year)
        return redirect("campaign:application_detail", pk=application.pk)
    return redirect(f"{reverse('campaign:award_list')}?year={year}")


def _notice_qr(request, application) -> dict:
    """The public notice page's QR code for the village notice board, while the notice runs."""
    if application.status != ApplicationStatus.PUBLIC_NOTICE:
        return {}
    county_code = application.village.code[:6].ljust(12, "0")
    url = request.build_absolute_uri(
        f"{reverse('public_notice:notice', args=[county_code, application.year])}?village={application.village.code}")
    return {"notice_url": url, "notice_qr": qr_svg(url, title="扫码查看公示并反映异议")}


def _applications_for(user):
    return Application.objects.filter(scope_q(user, "village__code")).select_related("village__parent")


@login_required
@require_GET
def application_detail(request, pk: int):
    application = get_object_or_404(_applications_for(request.user), pk=pk)
    reviewed = {r.star for r in application.reviews.all()}
    status = application.status
    my_stars = lead_stars(request.user, application.village)
    is_org = has_role(request.user, Role.ORGANISATION)
    context = {
        "application": application, "reviews": application.reviews.select_related("by"),
        "objections": application.objections.select_related("recorded_by"),
        "withdrawals": StarWithdrawal.objects.filter(village=application.village).select_related("by"),
        "stars_text": _star_labels(application.stars, application.village.kind),
        "named_text": _star_labels(application.named_stars, application.village.kind),
        "can_check": has_role(request.user, Role.TOWNSHIP_STAFF) and status == ApplicationStatus.APPLIED,
        "review_stars": [(c, star_names(application.village.kind)[c]) for c in application.stars if c in my_stars and c not in reviewed]
        if status == ApplicationStatus.TOWNSHIP_CHECKED else [],
        "can_notice": is_org and status == ApplicationStatus.REVIEWED,
        "can_object": is_org and status == ApplicationStatus.PUBLIC_NOTICE,
        "can_name": is_org and status == ApplicationStatus.PUBLIC_NOTICE,
        "notice_over": bool(application.notice_end and timezone.localdate() > application.notice_end),
        "is_org": is_org, **_notice_qr(request, application),
        "withdraw_stars": [(c, star_names(application.village.kind)[c]) for c in application.named_stars if is_org or c in my_stars]
        if status == ApplicationStatus.NAMED else [],
        "notice_days": award_services.notice_days(),
    }
    return render(request, "campaign/application_detail.html", context)


@login_required
@require_POST
def award_action(request, pk: int, action: str):
    """One step on an application; the service refuses the wrong role and the wrong order."""
    application = get_object_or_404(_applications_for(request.user), pk=pk)
    post, by = request.POST, request.user
    done = {
        "check": "乡镇审核已通过。", "review": "评审意见已保存。", "notice": "已开始公示。",
        "objection": "异议已记录。", "handle": "异议处理情况已保存。", "name": "已命名。", "withdraw": "已降星，并已通知乡镇。",
    }
    if action not in done:
        raise Http404
    if action == "check":
        ok = _run(request, award_services.application_township_check, application=application, by=by)
    elif action == "review":
        decision = post.get("decision")
        if decision not in ("approve", "reject"):
            messages.error(request, "请选择评审结果。")
            return redirect("campaign:application_detail", pk=pk)
        ok = _run(request, award_services.application_star_review, application=application, star=post.get("star", ""),
                  approved=decision == "approve", reason=post.get("reason", ""), by=by)
    elif action == "notice":
        try:
            days = int(post.get("days") or award_services.notice_days())
        except ValueError:
            days = 0
        ok = _run(request, award_services.public_notice_start, application=application, days=days, by=by)
    elif action == "objection":
        ok = _run(request, award_services.objection_record, application=application, content=post.get("content", ""),
                  handling=post.get("handling", ""), by=by)
    elif action == "handle":
        objection = get_object_or_404(Objection.objects.filter(application=application), pk=post.get("objection") or 0)
        ok = _run(request, award_services.objection_handle, objection=objection, handling=post.get("handling", ""), by=by)
    elif action == "name":
        ok = _run(request, award_services.application_name, application=application, by=by)
    else:
        ok = _run(request, award_services.star_withdraw, village=application.village, year=application.year,
                  star=post.get("star", ""), reason=post.get("reason", ""), by=by)
    if ok:
        messages.success(request, done[action])
    return redirect("campaign:application_detail", pk=pk)
