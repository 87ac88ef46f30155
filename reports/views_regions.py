from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cadres.regions import region_get_for_user, region_list, top_region_for_user
from cadres.scope import can_see_region
from config.paging import paginate
from villages.models import Level

from . import selectors_regions as selectors
from .forms_regions import SORTS, VillageFilterForm

PAGE_SIZE = 25


@require_GET
@login_required
def region_browser(request: HttpRequest) -> HttpResponse:
    """Start the browser at the highest region the user's posts cover."""
    region = top_region_for_user(request.user)
    if region is None:
        raise Http404("您的账号尚未分配岗位")
    return redirect("villages:region_detail", code=region.code)


@require_GET
@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = region_get_for_user(user=request.user, code=code)
    breadcrumbs = _breadcrumbs(request.user, region)
    if region.level == Level.VILLAGE:
        year = timezone.localdate().year
        context = {"region": region, "breadcrumbs": breadcrumbs, "year": year}
        context.update(selectors.village_profile(user=request.user, village=region))
        return render(request, "villages/village_detail.html", context)
    if region.level == Level.TOWNSHIP:
        return _township(request, region, breadcrumbs)
    townships = selectors.township_summaries(user=request.user, county=region) if region.is_county else None
    children = None if region.is_county else region_list(user=request.user, filters={"parent": region.code})
    return render(
        request, "villages/county_detail.html",
        {"region": region, "breadcrumbs": breadcrumbs, "townships": townships, "children": children},
    )


def _township(request: HttpRequest, township, breadcrumbs) -> HttpResponse:
    form = VillageFilterForm(request.GET or None)
    year = timezone.localdate().year - 1  # the last complete year's income
    villages = selectors.villages_of(user=request.user, parent=township, year=year)
    sort = "code"
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            villages = villages.filter(Q(name__contains=data["q"]) | Q(code__startswith=data["q"]))
        if data["kind"]:
            villages = villages.filter(kind=data["kind"])
        if data["first_secretary"]:
            villages = villages.filter(first_secretary_name__isnull=data["first_secretary"] == "no")
        if data["weak_lax"]:
            villages = villages.filter(branch__is_weak_lax=data["weak_lax"] == "yes")
        if data["band"]:
            villages = selectors.filter_by_income_band(villages, data["band"])
        sort = data["sort"] or "code"
    villages = villages.order_by(SORTS[sort][0], "code")
    page, querystring = paginate(request, villages, PAGE_SIZE)
    return render(
        request, "villages/township_detail.html",
        {
            "region": township, "breadcrumbs": breadcrumbs, "form": form, "page_obj": page,
            "villages": page.object_list, "income_year": year,
            "querystring_without_page": querystring,
        },
    )


def _breadcrumbs(user, region) -> list:
    """Ancestors the user may see, top first (a township clerk's trail starts at the township)."""
    trail = []
    node = region.parent
    while node is not None:
        if can_see_region(user, node):
            trail.append(node)
        node = node.parent
    return list(reversed(trail))
