"""Who may see and change collective-economy records (one helper per question).

Everyone with a post reads the rows of their scope; township staff and the county organisation
department change the rows of the villages in their scope. A row outside the scope is a 404,
a row the user may see but not change is a 403 (docs/security.md).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from cadres.models import Role
from cadres.scope import has_role, scope_q, user_posts
from villages.models import Region

EDITOR_ROLES = (Role.TOWNSHIP_STAFF, Role.ORGANISATION)

MSG_READ_ONLY = "只有乡镇专干或县委组织部可以维护集体经济数据"
MSG_VILLAGE_OUT_OF_SCOPE = "村（社区）“{name}”不在您的管辖范围内"
MSG_NOT_FOUND = "记录不存在或不在您的权限范围内"


def is_editor(user) -> bool:
    return has_role(user, *EDITOR_ROLES)


def can_edit(user, village: Region) -> bool:
    """Township staff of the village's township, or the county organisation department."""
    if getattr(user, "is_superuser", False):
        return True
    return any(post.role in EDITOR_ROLES and village.code.startswith(post.region.prefix) for post in user_posts(user))


def require_editor(user) -> None:
    if not is_editor(user):
        raise PermissionDenied(MSG_READ_ONLY)


def require_edit(user, village: Region) -> None:
    if not can_edit(user, village):
        raise PermissionDenied(MSG_VILLAGE_OUT_OF_SCOPE.format(name=village.name) if is_editor(user) else MSG_READ_ONLY)


def editable_villages(user) -> QuerySet[Region]:
    """Villages the user may change records of (empty for read-only roles)."""
    if getattr(user, "is_superuser", False):
        return Region.objects.villages()
    prefixes = [post.region.prefix for post in user_posts(user) if post.role in EDITOR_ROLES]
    return Region.objects.villages().within(prefixes)


def scoped(queryset: QuerySet, user, field: str = "village__code") -> QuerySet:
    return queryset.filter(scope_q(user, field))


def get_for_user_or_404(queryset: QuerySet, user, pk, field: str = "village__code") -> Model:
    row = scoped(queryset, user, field).filter(pk=pk).first()
    if row is None:
        raise Http404(MSG_NOT_FOUND)
    return row
