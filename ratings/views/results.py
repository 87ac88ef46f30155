"""Rankings, the explain page and the month close button."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cadres.models import Role
from cadres.regions import region_get_for_user
from cadres.scope import has_role, user_posts
from config.jobs import job_run_tracked
from config.models import JobKind
from config.paging import paginate
from villages.models import Level, Region
from villages.start_month import before_start

from .. import selectors
from ..detail import detail_rows, detail_to_earn
from ..models import LedgerEntry, MonthClose, View
from ..readiness import readiness_gaps
from ..selectors_running import month_state, running_states
from ..services.month_close import month_close
from .closing import month_close_history
from .late import close_warning
from .recompute import organisation_region_above_county, region_recompute_page


@require_GET
@login_required
def rankings(request: HttpRequest) -> HttpResponse:
    year, month, view = selectors.resolve_month(request, user=request.user)
    kind = "urban" if request.GET.get("kind") == "urban" else "rural"
    township = None
    if request.GET.get("township"):
        township = region_get_for_user(user=request.user, code=request.GET["township"])
        if township.level != Level.TOWNSHIP:
            township = None
    elif not has_role(request.user, Role.ORGANISATION, Role.LEAD_DEPARTMENT):
        township = next((p.region for p in user_posts(request.user) if p.region.level == Level.TOWNSHIP), None)
    county = Region.objects.filter(level=Level.COUNTY, code__in=[
        p.region.county_code for p in user_posts(request.user) if p.region.level in (Level.COUNTY, Level.TOWNSHIP,
                                                                                    Level.VILLAGE)]).first()
    # A month before the county's start month has no ranking: nothing was recorded then.
    earlier = county is not None and before_start(county, year, month)
    rows = [] if earlier else selectors.ranking(user=request.user, year=year, month=month, view=view, kind=kind,
                                                township=township)
    page, querystring = paginate(request, rows, 50)
    state = month_state(year, month)
    running = view == View.LIVE and state == "running"
    if running:
        # The running month: the level within reach of each row of the page (one read of the page's rows).
        page.object_list = list(page.object_list)
        reach = running_states(year=year, month=month, village_ids=[row.village_id for row in page.object_list])
        for row in page.object_list:
            row.attainable_level = reach[row.village_id].attainable_level if row.village_id in reach else None
    townships = Region.objects.filter(level=Level.TOWNSHIP).filter(
        code__in=[p.region.code for p in user_posts(request.user) if p.region.level == Level.TOWNSHIP]
    ) if township else None
    county_townships = Region.objects.townships().filter(
        parent__code__in=[p.region.code for p in user_posts(request.user) if p.region.level == Level.COUNTY]
    ) if has_role(request.user, Role.ORGANISATION, Role.LEAD_DEPARTMENT) else townships
    return render(request, "ratings/rankings.html", {
        "page_obj": page, "rows": page.object_list, "year": year, "month": month, "view": view, "kind": kind,
        "township": township, "townships": county_townships, "star_names": selectors.star_names(kind),
        "querystring_without_page": querystring,
        "months": range(1, 13), "can_close": has_role(request.user, Role.ORGANISATION),
        "start_words": county.start_words if county else "", "before_start": earlier,
        "running": running, "not_begun": state == "future",
    })


@require_GET
@login_required
def explain(request: HttpRequest, code: str, year: int, month: int, star: str) -> HttpResponse:
    view = request.GET.get("view") if request.GET.get("view") in (View.LIVE, View.PUBLISHED) else View.LIVE
    score = selectors.star_score_for_user(user=request.user, code=code, year=year, month=month, star=star, view=view)
    village = score.village
    detail = detail_rows(score.indicators)
    from ..models import Indicator
    from ..services.scoring_inputs import VIEW_STATUSES

    indicators = {i.code: i for i in Indicator.objects.filter(
        code__in=[r["code"] for r in detail], star__standard__year=year, star__standard__kind=village.kind)}
    # The ledger entries behind each value: the latest month's for `latest`, every month's otherwise.
    sources: dict[str, list] = {}
    for entry in (LedgerEntry.objects.filter(village=village, year=year, month__lte=month,
                                             status__in=VIEW_STATUSES[view], indicator__in=indicators.values())
                  .exclude(value__isnull=True).select_related("indicator").only("pk", "month", "indicator__code",
                                                                                 "indicator__aggregation")
                  .order_by("month")):
        code = entry.indicator.code
        if entry.indicator.aggregation == "latest":
            sources[code] = [entry]
        else:
            sources.setdefault(code, []).append(entry)
    rows = []
    for row in detail:
        indicator = indicators.get(row["code"])
        words = indicator.rule_words if indicator else ""
        rows.append({**row, "name": indicator.name if indicator else row["code"],
                     "rule": indicator.rule if indicator else "",
                     "unit": indicator.unit if indicator else "", "rule_words": words,
                     "source": indicator.source if indicator else "", "sources": sources.get(row["code"], []),
                     "required": indicator.required if indicator else False,
                     "is_veto": bool(indicator and indicator.rule == "veto"),
                     "value_type": indicator.value_type if indicator else ""})
    # The running month's live view: what is still to come (pending, behind pace) per indicator.
    running = None
    if view == View.LIVE:
        state = running_states(year=year, month=month, village_ids=[village.pk]).get(village.pk)
        running = state.stars.get(star) if state else None
    if running is not None:
        states = {i.code: i for i in running.indicators}
        for row in rows:
            found = states.get(row["code"])
            row["pending"] = bool(found and found.state == "pending")
            row["behind"] = bool(found and found.behind)
    reasons = selectors.reason_words(score.reasons, {code: i.name for code, i in indicators.items()})
    # The stored points are already rounded to two decimals: their sum is the star's score
    # (unless capped at the star's maximum).
    total = sum((Decimal(r["points"]) for r in detail), Decimal("0.00"))
    return render(request, "ratings/explain.html", {
        "score": score, "village": village, "rows": rows, "reasons": reasons, "view": view, "year": year,
        "month": month, "star_name": selectors.star_names(village.kind).get(star, star), "points_total": total,
        "to_earn": [indicators[c].name for c in detail_to_earn(score.indicators) if c in indicators],
        "other_stars": selectors.star_names(village.kind), "running": running,
    })


@require_http_methods(["GET", "POST"])
@login_required
def month_close_view(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.ORGANISATION):
        raise PermissionDenied("只有县委组织部可以关账发布")
    county = next((p.region for p in user_posts(request.user) if p.region.level == Level.COUNTY), None)
    if county is None and request.method == "GET" and (above := organisation_region_above_county(request.user)):
        return region_recompute_page(request, above)
    if county is None:
        raise PermissionDenied("您的岗位不在县一级")
    today = timezone.localdate()
    if request.method == "POST":
        try:
            year, month = int(request.POST["year"]), int(request.POST["month"])
            with job_run_tracked(kind=JobKind.MONTH_CLOSE, county=county, year=year, month=month,
                                 view=View.PUBLISHED, record_invalid=False):
                month_close(county=county, year=year, month=month, by=request.user)
        except (KeyError, ValueError):
            messages.error(request, "请选择要关账的年月")
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"{year}年{month}月已关账发布，排名已冻结")
        return redirect("ratings:month_close")
    closes = MonthClose.objects.filter(county=county).select_related("closed_by")[:24]
    last_year, last_month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    # Before closing: which sources still lack data for the month to be closed.
    gaps = readiness_gaps(region=county, year=last_year, month=last_month)
    return render(request, "ratings/month_close.html", {
        "county": county, "closes": closes, "default_year": last_year, "default_month": last_month, "gaps": gaps,
        "months": range(1, 13), **month_close_history(county),
        **close_warning(county, last_year, last_month, today),
    })
