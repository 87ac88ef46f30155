"""Impact preview of a draft standard (预览影响): run, follow its progress, read, download."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cadres.models import Role
from cadres.regions import county_of_user
from cadres.scope import can_see_region, has_role

from ..models import Standard, StandardPreview
from ..services import preview as services


def _require_organisation(user) -> None:
    if not has_role(user, Role.ORGANISATION):
        raise PermissionDenied(services.MSG_NOT_ORGANISATION)


def _draft_or_404(pk: int) -> Standard:
    standard = get_object_or_404(Standard, pk=pk)
    if standard.is_published:
        raise Http404(services.MSG_NOT_DRAFT)
    return standard


def _preview_for_user(user, pk: int) -> StandardPreview:
    """A preview of the user's county, else 404 (role checked first: 403)."""
    _require_organisation(user)
    preview = get_object_or_404(StandardPreview.objects.select_related("standard", "base_standard", "county",
                                                                         "created_by"), pk=pk)
    if not can_see_region(user, preview.county):
        raise Http404("预览不存在或不在您的权限范围内")
    return preview


@require_GET
@login_required
def standard_impact(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft's previews for the user's county, newest first, and the button to run one."""
    _require_organisation(request.user)
    standard = _draft_or_404(pk)
    county = county_of_user(request.user)
    previews = list(StandardPreview.objects.filter(standard=standard, county=county)
                    .select_related("created_by")[:20]) if county else []
    fingerprint = services.standard_fingerprint(standard)
    for p in previews:
        p.stale = services.preview_is_stale(p, fingerprint)
    return render(request, "ratings/standard_impact.html", {
        "standard": standard, "county": county, "previews": previews, "base": services.preview_base(standard),
    })


@require_POST
@login_required
def standard_impact_run(request: HttpRequest, pk: int) -> HttpResponse:
    _require_organisation(request.user)
    standard = _draft_or_404(pk)
    try:
        preview = services.preview_create(standard=standard, by=request.user, live=request.POST.get("live") == "1")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("ratings:standard_impact", pk=pk)
    return redirect("ratings:impact_report", pk=preview.pk)


def _changes_with_links(preview: StandardPreview) -> list[dict]:
    """The villages that move, each cause linked to the star's explanation under the current
    standard where one is stored (one query); a star new in the draft has none, so it is named
    without a link rather than linked to a 404."""
    from django.urls import reverse

    from ..models import StarScore

    changes = preview.result.get("changes", [])
    explained = set(StarScore.objects.filter(
        village_id__in=[c["village_id"] for c in changes], year=preview.year, month=preview.month,
        view=preview.view).values_list("village_id", "star"))
    rows = []
    for change in changes:
        for cause in change["causes"]:
            cause["explain"] = reverse("ratings:explain", args=[change["code"], preview.year, preview.month,
                                                                 cause["star"]]) + f"?view={preview.view}" \
                if cause["star"] and (change["village_id"], cause["star"]) in explained else ""
        rows.append(change)
    return rows


def _side_by_side(preview: StandardPreview) -> dict:
    """Rows for the template: levels 5..0 and each star, current and draft figures together."""
    result = preview.result or {}
    codes, names = result.get("star_codes", []), result.get("star_names", {})

    def rows(block):
        if not block:
            return {"levels": [], "stars": []}
        return {
            "levels": [{"label": services.LEVEL_WORDS[n], "base": block["levels"]["base"][str(n)],
                        "draft": block["levels"]["draft"][str(n)],
                        "delta": block["levels"]["draft"][str(n)] - block["levels"]["base"][str(n)]}
                       for n in range(5, -1, -1)],
            "stars": [{"label": names.get(c, c), "base": block["stars"]["base"].get(c, 0),
                       "draft": block["stars"]["draft"].get(c, 0),
                       "delta": block["stars"]["draft"].get(c, 0) - block["stars"]["base"].get(c, 0)}
                      for c in codes],
        }
    return {
        "county": rows(result.get("county")), "county_totals": result.get("county", {}),
        "townships": [{"t": t, **rows(t)} for t in result.get("townships", [])],
    }


@require_GET
@login_required
def impact_report(request: HttpRequest, pk: int) -> HttpResponse:
    preview = _preview_for_user(request.user, pk)
    context = {"preview": preview, "stale": services.preview_is_stale(preview)}
    if preview.state == "done":
        context.update(_side_by_side(preview), changes=_changes_with_links(preview),
                       decisive=preview.result.get("decisive", []))
    return render(request, "ratings/impact_report.html", context)


@require_GET
@login_required
def impact_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar htmx polls; once the run is over the page reloads with the report."""
    preview = _preview_for_user(request.user, pk)
    response = render(request, "ratings/_impact_progress.html", {"preview": preview})
    if not preview.is_open:
        response["HX-Refresh"] = "true"
    return response


@require_GET
@login_required
def impact_excel(request: HttpRequest, pk: int) -> HttpResponse:
    preview = _preview_for_user(request.user, pk)
    if preview.state != "done":
        messages.error(request, "预览尚未完成，完成后才能下载")
        return redirect("ratings:impact_report", pk=pk)
    data = services.preview_xlsx(preview=preview)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"{preview.standard.name}影响预览{preview.year}年{preview.month}月.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
