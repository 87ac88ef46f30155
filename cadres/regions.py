"""The region tree as a user's posts reach it: the regions a user may see, one region within the
scope (else a 404 that never tells what exists outside it), the highest region a user covers,
the county a job done in a request is recorded under."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from villages.models import Level, Region

from .scope import scope_q, user_posts, visible_regions


def region_list(*, user, filters: dict | None = None) -> QuerySet[Region]:
    """Regions the user may see, optionally narrowed by level/kind/parent/search."""
    queryset = Region.objects.filter(scope_q(user)).select_related("parent")
    filters = filters or {}
    if filters.get("level"):
        queryset = queryset.filter(level=filters["level"])
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("parent"):
        queryset = queryset.filter(parent__code=filters["parent"])
    if filters.get("q"):
        queryset = queryset.filter(Q(name__contains=filters["q"]) | Q(code__startswith=filters["q"]))
    return queryset


def region_get_for_user(*, user, code: str) -> Region:
    """One region within the user's scope, else 404 (never reveal what exists outside it)."""
    region = Region.objects.select_related("parent", "parent__parent").filter(code=code).first()
    if region is None or not any(region.code.startswith(p) for p in visible_regions(user)):
        raise Http404("区划不存在或不在您的权限范围内")
    return region


def top_region_for_user(user) -> Region | None:
    """The highest region the user's posts cover (the start of the region browser)."""
    prefixes = visible_regions(user)
    if not prefixes:
        return None
    if "" in prefixes:
        return Region.objects.filter(level=Level.COUNTY).order_by("code").first()
    shortest = min(prefixes, key=len)
    return Region.objects.filter(code__startswith=shortest).order_by("code").first()


def county_of_user(user) -> Region | None:
    """The county of the user's first post, for a job done in a request."""
    post = next(iter(user_posts(user)), None)
    if post is None:
        return None
    return Region.objects.filter(level=Level.COUNTY, code=post.region.code[:6] + "0" * 6).first()
