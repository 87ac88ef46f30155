"""Who may enter and who may review ledger entries (one helper per question)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cadres.models import Role, region_kind
from cadres.scope import has_role, lead_star_q, scope_q, user_posts
from villages.models import Region

from .models import LedgerEntry

# The township's ledger grid: those who enter or review ledgers (not leaders, not village roles).
GRID_ROLES = (Role.TOWNSHIP_STAFF, Role.ORGANISATION, Role.LEAD_DEPARTMENT)
MSG_GRID_ROLE = "只有乡镇专干、牵头部门和县委组织部可以查看台账填报表"


def can_enter(user, village: Region) -> bool:
    """Township staff of the village's township, or the county organisation department."""
    if getattr(user, "is_superuser", False):
        return True
    for post in user_posts(user):
        if post.role in (Role.TOWNSHIP_STAFF, Role.ORGANISATION) and village.code.startswith(post.region.prefix):
            return True
    return False


def can_review(user, star_code: str, village: Region | None = None) -> bool:
    """The lead department of that star in the village's variant (a community's 宜业兴业星 is
    not the rural 产业兴旺星's department's), for villages of its county."""
    for post in user_posts(user):
        if post.role == Role.LEAD_DEPARTMENT and post.star == star_code and (
            village is None or (village.code.startswith(post.region.prefix)
                                and region_kind(village) == (post.star_kind or "rural"))
        ):
            return True
    return False


def entries_for_user(user):
    """Ledger entries the user may read: those of the villages in scope; a user whose posts are
    all lead-department posts reads only the entries of the stars they review (least privilege:
    a star's lead department has no business with the ledgers of the other four; rankings and
    scores, which every role sees, stay readable). The README's permissions section says so."""
    rows = LedgerEntry.objects.filter(scope_q(user, "village__code"))
    posts = user_posts(user)
    if not getattr(user, "is_superuser", False) and posts and all(p.role == Role.LEAD_DEPARTMENT for p in posts):
        rows = rows.filter(lead_star_q(user))
    return rows


def get_entry_for_user_or_404(user, pk: int) -> LedgerEntry:
    entry = (
        entries_for_user(user)
        .select_related("village", "village__parent", "indicator", "indicator__star", "indicator__star__standard",
                        "entered_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404("台账不存在或不在您的权限范围内")
    return entry


def openable_entry_ids(user, ids) -> set[int]:
    """Which of these ledger entries the user may open (`entries_for_user`), in one query: a page
    that links to entries (the warnings list) links only those."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return set()
    return set(entries_for_user(user).filter(pk__in=ids).values_list("pk", flat=True))


def may_open_ledger_grid(user) -> bool:
    return has_role(user, *GRID_ROLES)


def require_ledger_grid(user) -> None:
    if not may_open_ledger_grid(user):
        raise PermissionDenied(MSG_GRID_ROLE)
