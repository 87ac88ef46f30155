"""Pages of the communities' needs and resources (需求清单 / 资源清单, 共建共享): the township's and
county's overview, a community's two lists, recording needs and resources from a phone, and a
need's page where it is matched to a resource and followed to done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadres.scope import scope_q
from config.forms import service_errors
from config.paging import paginate
from villages.models import Level, Region

from .forms_community import DoneForm, MatchForm, NeedForm, ResourceForm
from .models_community import NeedCategory, NeedStatus
from .selectors_community import communities_for, counts_by_community, needs_for, resources_for
from .services_community import (
    can_keep,
    match_cancel,
    need_cancel,
    need_done,
    need_match,
    need_record,
    resource_record,
    resource_withdraw,
    running_match,
)


def _community(user, code: str) -> Region:
    community = communities_for(user=user).filter(code=code).select_related("parent").first()
    if community is None:
        raise Http404
    return community


@login_required
@require_GET
def community_index(request):
    """共建共享: a community's secretary goes to his lists; the township and county see every community."""
    user = request.user
    communities = communities_for(user=user).select_related("parent").order_by("code")
    if not Region.objects.filter(scope_q(user), level__in=[Level.TOWNSHIP, Level.COUNTY]).exists():
        community = communities.first()
        if community is not None:
            return redirect("branches:community_page", code=community.code)
        return render(request, "branches/community_index.html", {"not_urban": True})
    township = request.GET.get("township", "")
    if township:
        communities = communities.filter(parent__code=township)
    page, query = paginate(request, communities, 25)
    counts = counts_by_community([c.pk for c in page])
    rows = [{"community": c, **counts[c.pk]} for c in page]
    return render(request, "branches/community_index.html", {
        "rows": rows, "page_obj": page, "querystring_without_page": query, "township": township,
        "townships": Region.objects.filter(scope_q(user), level=Level.TOWNSHIP).order_by("code")})


@login_required
@require_GET
def community_page(request, code: str):
    """需求清单 and 资源清单 of one community (`?tab=resources` for the second), with filters."""
    community = _community(request.user, code)
    tab = "resources" if request.GET.get("tab") == "resources" else "needs"
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    if tab == "needs":
        rows = needs_for(user=request.user).filter(community=community).prefetch_related("matches__resource")
        if status in NeedStatus.values:
            rows = rows.filter(status=status)
    else:
        rows = resources_for(user=request.user).filter(community=community).order_by("withdrawn_on", "category",
                                                                                    "provider_name", "id")
    if category in NeedCategory.values:
        rows = rows.filter(category=category)
    page, query = paginate(request, rows, 20)
    return render(request, "branches/community_page.html", {
        "community": community, "tab": tab, "status": status, "category": category, "page_obj": page,
        "querystring_without_page": query, "counts": counts_by_community([community.pk])[community.pk],
        "statuses": NeedStatus.choices, "categories": NeedCategory.choices, "can_keep": can_keep(request.user, community)})


def _record_new(request, code: str, *, form_class, record, heading: str, tab: str, done):
    """A form that records a need or a resource of the community: the keeper's rights, the
    service's refusals on the form, then `done(request, community, saved)` answers."""
    community = _community(request.user, code)
    if not can_keep(request.user, community):
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = record(by=request.user, community=community, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            return done(request, community, saved)
    return render(request, "branches/community_form.html", {"form": form, "community": community,
                                                             "heading": heading, "tab": tab})


def _need_recorded(request, community, need):
    messages.success(request, f"已登记需求：{need.title}")
    return redirect("branches:need_detail", pk=need.pk)


def _resource_recorded(request, community, resource):
    messages.success(request, f"已登记资源：{resource.provider_name}（{resource.description}）")
    return redirect(f"{reverse('branches:community_page', args=[community.code])}?tab=resources")


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request, code: str):
    return _record_new(request, code, form_class=NeedForm, record=need_record, heading="登记居民需求", tab="needs",
                       done=_need_recorded)


@login_required
@require_http_methods(["GET", "POST"])
def resource_new(request, code: str):
    return _record_new(request, code, form_class=ResourceForm, record=resource_record, heading="登记共建资源",
                       tab="resources", done=_resource_recorded)


def _available(user, need):
    today = timezone.localdate()
    return (resources_for(user=user).filter(community_id=need.community_id, withdrawn_on__isnull=True,
                                            offered_on__lte=today).order_by("category", "provider_name", "id"))


@login_required
@require_GET
def need_detail(request, pk: int):
    return _need_page(request, get_object_or_404(needs_for(user=request.user), pk=pk))


def _need_page(request, need, *, match_form=None, done_form=None):
    keep = can_keep(request.user, need.community)
    resources = _available(request.user, need)
    return render(request, "branches/need_detail.html", {
        "need": need, "matches": need.matches.select_related("resource", "matched_by", "done_by").order_by("matched_on", "id"),
        "running": running_match(need), "can_keep": keep,
        "match_form": match_form or MatchForm(resources=resources, initial={
            "resource": resources.filter(category=need.category).values_list("pk", flat=True).first()}),
        "done_form": done_form or DoneForm(), "today": timezone.localdate()})


NEED_ACTIONS = ("match", "done", "unmatch", "cancel")


@login_required
@require_POST
def need_action(request, pk: int, action: str):
    need = get_object_or_404(needs_for(user=request.user), pk=pk)
    if action not in NEED_ACTIONS:
        raise Http404
    if not can_keep(request.user, need.community):
        raise PermissionDenied
    today = timezone.localdate()
    if action == "match":
        form = MatchForm(request.POST, resources=_available(request.user, need))
        if form.is_valid():
            try:
                match = need_match(by=request.user, need=need, resource=form.cleaned_data["resource"],
                                   matched_on=form.cleaned_data["matched_on"], note=form.cleaned_data["note"])
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, f"已对接：{match.resource.provider_name}。办结后请登记办结日期。")
                return redirect("branches:need_detail", pk=need.pk)
        return _need_page(request, need, match_form=form)
    if action == "done":
        form = DoneForm(request.POST)
        if form.is_valid():
            try:
                need_done(by=request.user, need=need, done_on=form.cleaned_data["done_on"], note=form.cleaned_data["note"])
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, f"已办结：{need.title}，计入{form.cleaned_data['done_on']:%Y年%-m月}共建共享星。")
                return redirect("branches:need_detail", pk=need.pk)
        return _need_page(request, need, done_form=form)
    try:
        if action == "unmatch":
            match_cancel(by=request.user, need=need, on=today)
            messages.success(request, "已取消对接，需求重新列为待对接。")
        else:
            need_cancel(by=request.user, need=need, on=today)
            messages.success(request, "需求已撤销。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("branches:need_detail", pk=need.pk)


@login_required
@require_POST
def resource_withdraw_view(request, pk: int):
    resource = get_object_or_404(resources_for(user=request.user), pk=pk)
    if not can_keep(request.user, resource.community):
        raise PermissionDenied
    try:
        resource_withdraw(by=request.user, resource=resource, on=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{resource.provider_name}的资源已停止提供，不再用于新的对接。")
    return redirect(f"{reverse('branches:community_page', args=[resource.community.code])}?tab=resources")


