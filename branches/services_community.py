"""Writes of the communities' needs and resources (需求清单 / 资源清单).

Who keeps them: the community's secretary (社区党组织书记, posted as village secretary of the
community) and the township's staff, for urban communities in their scope; everyone else reads.
Every step is dated (never in the future): a need raised, a resource offered or withdrawn, a
match made, done or undone, so that the 共建共享 star reads each month as it stood then
(ratings/providers/branch_life.py, `community_needs_done`). Two people acting on one need at once are
serialised by a row lock on the need.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.models import Role
from cadres.scope import can_see_region, has_role
from villages.models import Kind, Level, Region

from .models_community import (
    CommunityNeed,
    CommunityResource,
    NeedCategory,
    NeedMatch,
    NeedStatus,
    ProviderKind,
)

MSG_NOT_ALLOWED = "您无权执行此操作。"
MSG_NOT_COMMUNITY = "需求清单和资源清单只用于城市社区。"
MSG_FUTURE = "日期不能晚于今天。"
MSG_REQUIRED = "请填写{field}。"
MSG_CATEGORY = "请选择有效的类别。"
MSG_PROVIDER_KIND = "请选择提供单位的类型。"
MSG_NEED_NOT_OPEN = "该需求当前为“{status}”，不能对接。"
MSG_NEED_NOT_MATCHED = "该需求当前为“{status}”，没有进行中的对接。"
MSG_NEED_CANCEL = "只有待对接的需求可以撤销（当前为“{status}”）。"
MSG_OTHER_COMMUNITY = "只能对接本社区资源清单中的资源。"
MSG_RESOURCE_UNAVAILABLE = "该资源在{date}不可用（登记于{offered}{withdrawn}）。"
MSG_BEFORE_RAISED = "对接日期不能早于需求提出日期（{date}）。"
MSG_BEFORE_MATCHED = "办结日期不能早于对接日期（{date}）。"
MSG_ALREADY_WITHDRAWN = "该资源已于{date}停止提供。"
MSG_WITHDRAW_BEFORE_OFFERED = "停止提供日期不能早于登记日期（{date}）。"
MSG_WITHDRAW_RUNNING = "该资源还有进行中的对接（{title}），请先办结或取消对接。"

KEEPERS = (Role.VILLAGE_SECRETARY, Role.TOWNSHIP_STAFF)


def is_community(region: Region) -> bool:
    return region.level == Level.VILLAGE and region.kind == Kind.URBAN


def can_keep(user, community: Region) -> bool:
    return is_community(community) and can_see_region(user, community) and has_role(user, *KEEPERS)


def _check_keeper(by, community: Region) -> None:
    if not is_community(community):
        raise ValidationError(MSG_NOT_COMMUNITY)
    if not can_keep(by, community):
        raise PermissionDenied(MSG_NOT_ALLOWED)


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: MSG_FUTURE})


def _required(value: str, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: MSG_REQUIRED.format(field=label)})
    return value[:limit]


@transaction.atomic
def need_record(*, by, community: Region, title: str, category: str, raised_on: dt.date, detail: str = "",
                raised_by: str = "") -> CommunityNeed:
    _check_keeper(by, community)
    title = _required(title, "title", "需求", 100)
    if category not in NeedCategory.values:
        raise ValidationError({"category": MSG_CATEGORY})
    _not_future(raised_on, "raised_on")
    return CommunityNeed.objects.create(community=community, title=title, category=category, raised_on=raised_on,
                                        detail=(detail or "").strip(), raised_by=(raised_by or "").strip()[:60],
                                        recorded_by=by)


@transaction.atomic
def resource_record(*, by, community: Region, provider_name: str, provider_kind: str, category: str,
                    description: str, offered_on: dt.date, contact: str = "") -> CommunityResource:
    _check_keeper(by, community)
    provider_name = _required(provider_name, "provider_name", "提供单位", 80)
    description = _required(description, "description", "资源内容", 200)
    if provider_kind not in ProviderKind.values:
        raise ValidationError({"provider_kind": MSG_PROVIDER_KIND})
    if category not in NeedCategory.values:
        raise ValidationError({"category": MSG_CATEGORY})
    _not_future(offered_on, "offered_on")
    return CommunityResource.objects.create(
        community=community, provider_name=provider_name, provider_kind=provider_kind, category=category,
        description=description, contact=(contact or "").strip()[:60], offered_on=offered_on, recorded_by=by)


@transaction.atomic
def resource_withdraw(*, by, resource: CommunityResource, on: dt.date) -> CommunityResource:
    """The provider stops offering the resource from a day; a resource with a match under way
    cannot be withdrawn (the match is done or undone first)."""
    resource = CommunityResource.objects.select_for_update().select_related("community").get(pk=resource.pk)
    _check_keeper(by, resource.community)
    _not_future(on, "on")
    if resource.withdrawn_on:
        raise ValidationError(MSG_ALREADY_WITHDRAWN.format(date=resource.withdrawn_on.isoformat()))
    if on < resource.offered_on:
        raise ValidationError(MSG_WITHDRAW_BEFORE_OFFERED.format(date=resource.offered_on.isoformat()))
    running = resource.matches.filter(done_on__isnull=True, cancelled_on__isnull=True).select_related("need").first()
    if running:
        raise ValidationError(MSG_WITHDRAW_RUNNING.format(title=running.need.title))
    resource.withdrawn_on = on
    resource.save(update_fields=["withdrawn_on"])
    return resource


def _locked_need(need: CommunityNeed, by) -> CommunityNeed:
    need = CommunityNeed.objects.select_for_update().select_related("community").get(pk=need.pk)
    _check_keeper(by, need.community)
    return need


def running_match(need: CommunityNeed) -> NeedMatch | None:
    return need.matches.filter(cancelled_on__isnull=True).select_related("resource").first()


@transaction.atomic
def need_match(*, by, need: CommunityNeed, resource: CommunityResource, matched_on: dt.date,
               note: str = "") -> NeedMatch:
    """1. Lock the need and check it is open; 2. check the resource is the community's and
    available that day; 3. record the match and mark the need matched."""
    need = _locked_need(need, by)
    if need.status != NeedStatus.OPEN:
        raise ValidationError(MSG_NEED_NOT_OPEN.format(status=need.get_status_display()))
    # Read the resource afresh (locked): a withdrawal saved a moment ago must be seen.
    resource = CommunityResource.objects.select_for_update().get(pk=resource.pk)
    if resource.community_id != need.community_id:
        raise ValidationError({"resource": MSG_OTHER_COMMUNITY})
    _not_future(matched_on, "matched_on")
    if matched_on < need.raised_on:
        raise ValidationError({"matched_on": MSG_BEFORE_RAISED.format(date=need.raised_on.isoformat())})
    if resource.offered_on > matched_on or (resource.withdrawn_on and resource.withdrawn_on <= matched_on):
        withdrawn = f"，{resource.withdrawn_on:%Y-%m-%d}停止提供" if resource.withdrawn_on else ""
        raise ValidationError({"resource": MSG_RESOURCE_UNAVAILABLE.format(
            date=matched_on.isoformat(), offered=resource.offered_on.isoformat(), withdrawn=withdrawn)})
    match = NeedMatch.objects.create(need=need, resource=resource, matched_on=matched_on, matched_by=by,
                                     note=(note or "").strip()[:200])
    need.status = NeedStatus.MATCHED
    need.save(update_fields=["status"])
    return match


@transaction.atomic
def need_done(*, by, need: CommunityNeed, done_on: dt.date, note: str = "") -> NeedMatch:
    need = _locked_need(need, by)
    match = running_match(need) if need.status == NeedStatus.MATCHED else None
    if match is None:
        raise ValidationError(MSG_NEED_NOT_MATCHED.format(status=need.get_status_display()))
    _not_future(done_on, "done_on")
    if done_on < match.matched_on:
        raise ValidationError({"done_on": MSG_BEFORE_MATCHED.format(date=match.matched_on.isoformat())})
    match.done_on, match.done_note, match.done_by = done_on, (note or "").strip()[:200], by
    match.save(update_fields=["done_on", "done_note", "done_by"])
    need.status = NeedStatus.DONE
    need.save(update_fields=["status"])
    _rescore(need.community_id, done_on)
    return match


def _rescore(community_id: int, day: dt.date) -> None:
    """The 共建共享 star reads done needs: score the community's month of the done date (and the
    running month) again, once the change is committed, as the branch records do."""
    from .services import _rescore as rescore_branch_records

    rescore_branch_records(community_id, day)


@transaction.atomic
def match_cancel(*, by, need: CommunityNeed, on: dt.date) -> NeedMatch:
    """Undo a match that is not done: the need is open again; the match stays on record."""
    need = _locked_need(need, by)
    match = running_match(need) if need.status == NeedStatus.MATCHED else None
    if match is None:
        raise ValidationError(MSG_NEED_NOT_MATCHED.format(status=need.get_status_display()))
    _not_future(on, "on")
    match.cancelled_on = max(on, match.matched_on)
    match.save(update_fields=["cancelled_on"])
    need.status = NeedStatus.OPEN
    need.save(update_fields=["status"])
    return match


@transaction.atomic
def need_cancel(*, by, need: CommunityNeed, on: dt.date) -> CommunityNeed:
    """Withdraw a need that is still open (the residents no longer need it, or it was recorded twice)."""
    need = _locked_need(need, by)
    if need.status != NeedStatus.OPEN:
        raise ValidationError(MSG_NEED_CANCEL.format(status=need.get_status_display()))
    _not_future(on, "on")
    need.status, need.cancelled_on = NeedStatus.CANCELLED, max(on, need.raised_on)
    need.save(update_fields=["status", "cancelled_on"])
    return need
