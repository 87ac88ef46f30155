"""The one scope function every page, API endpoint and export goes through.

`visible_regions(user)` gives the division-code prefixes whose subtrees the user may see.
Pages and the API filter with `Region.objects.within(prefixes)` or `scope_q(...)`; a row outside
the scope is a 404, never an empty success.
"""

from __future__ import annotations

from django.db.models import Q

from villages.models import Region

from .models import Post, Role, region_kind


def visible_regions(user) -> frozenset[str]:
    """Division-code prefixes of the subtrees this user may see (empty: nothing)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_visible_regions_cache", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        prefixes = frozenset({""})
    else:
        prefixes = frozenset(post.region.prefix for post in _active_posts(user))
    user._visible_regions_cache = prefixes
    return prefixes


def _active_posts(user) -> list[Post]:
    cached = getattr(user, "_active_posts_cache", None)
    if cached is None:
        cached = list(Post.objects.active().filter(user=user).select_related("region"))
        user._active_posts_cache = cached
    return cached


def user_posts(user) -> list[Post]:
    if user is None or not user.is_authenticated:
        return []
    return _active_posts(user)


def user_roles(user) -> set[str]:
    return {post.role for post in user_posts(user)}


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles)) or bool(getattr(user, "is_superuser", False))


def lead_star_keys(user) -> set[tuple[str, str]]:
    """(variant, star) pairs this user leads as a lead department: ("urban", "industry") is the
    community's 宜业兴业星, reviewed by the department the urban standard names."""
    return {(post.star_kind or "rural", post.star) for post in user_posts(user) if post.role == Role.LEAD_DEPARTMENT}


def lead_stars(user, village_or_kind=None) -> set[str]:
    """Star codes this user reviews as a lead department: for one village's variant when given,
    else of either variant."""
    keys = lead_star_keys(user)
    if village_or_kind is None:
        return {code for _, code in keys}
    kind = region_kind(village_or_kind)
    return {code for k, code in keys if k == kind}


def lead_star_q(user, star_field: str = "indicator__star") -> Q:
    """Rows of the stars this user leads, each in its own variant (its standard's kind)."""
    condition = Q(pk__in=[])
    for kind, code in sorted(lead_star_keys(user)):
        condition |= Q(**{f"{star_field}__code": code, f"{star_field}__standard__kind": kind})
    return condition


def scope_q(user, field: str = "code") -> Q:
    """A Q object restricting `field` (a division code path like "village__code") to the scope."""
    prefixes = visible_regions(user)
    if not prefixes:
        return Q(pk__in=[])
    condition = Q()
    for prefix in sorted(prefixes):
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition


def can_see_region(user, region: Region) -> bool:
    return any(region.code.startswith(prefix) for prefix in visible_regions(user))


def regions_for(user):
    """All regions the user may see."""
    return Region.objects.filter(scope_q(user))
