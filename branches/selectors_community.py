"""Reads of the communities' needs and resources, scoped by the caller (pages and API)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from cadres.scope import scope_q
from villages.models import Kind, Level, Region

from .models_community import CommunityNeed, CommunityResource, NeedMatch, NeedStatus


def communities_for(*, user):
    return Region.objects.filter(scope_q(user), level=Level.VILLAGE, kind=Kind.URBAN, is_active=True)


def needs_for(*, user):
    return CommunityNeed.objects.filter(scope_q(user, "community__code")).select_related("community__parent")


def resources_for(*, user):
    return CommunityResource.objects.filter(scope_q(user, "community__code")).select_related("community__parent")


def matches_for(*, user):
    return NeedMatch.objects.filter(scope_q(user, "need__community__code")).select_related("need", "resource")


def counts_by_community(community_ids) -> dict[int, dict]:
    """{community id: needs per status, total needs, resources available}. Two queries."""
    counts: dict[int, dict] = defaultdict(lambda: {**{s: 0 for s in NeedStatus.values}, "needs": 0, "resources": 0})
    for community_id, status, n in (CommunityNeed.objects.filter(community_id__in=community_ids).order_by()
                                    .values("community_id", "status").annotate(n=Count("id"))
                                    .values_list("community_id", "status", "n")):
        counts[community_id][status] = n
        counts[community_id]["needs"] += n
    for community_id, n in (CommunityResource.objects.filter(community_id__in=community_ids, withdrawn_on__isnull=True)
                            .order_by().values("community_id").annotate(n=Count("id")).values_list("community_id", "n")):
        counts[community_id]["resources"] = n
    return counts
