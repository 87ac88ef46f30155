"""Who may open a branch's records (one helper per question).

Rectification of weak-and-lax branches is the township's and the county's business: township
staff, the county organisation department and the star lead departments read it; leaders and
village roles do not. The pages, the API and the warnings list all ask `may_open_rectifications`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cadres.models import Role
from cadres.scope import has_role

RECTIFICATION_ROLES = (Role.TOWNSHIP_STAFF, Role.ORGANISATION, Role.LEAD_DEPARTMENT)

MSG_RECTIFICATION_ROLE = "只有乡镇和县级岗位可以查看软弱涣散党组织整顿"


def may_open_rectifications(user) -> bool:
    return has_role(user, *RECTIFICATION_ROLES)


def require_rectification_access(user) -> None:
    if not may_open_rectifications(user):
        raise PermissionDenied(MSG_RECTIFICATION_ROLE)
