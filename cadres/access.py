"""Who may open the first secretaries' records (one helper per question).

The pages, and any other page that links to them (the warnings list), ask these functions, so a
link is offered exactly to those the page lets in.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .models import Role
from .scope import has_role

# A first secretary's record, the list of them and the year's evaluations: the county's offices
# and the township staff.
SECRETARY_RECORD_ROLES = (Role.ORGANISATION, Role.LEAD_DEPARTMENT, Role.TOWNSHIP_STAFF)
# The township's attendance roster: those who follow attendance up (not the lead departments).
ATTENDANCE_ROLES = (Role.TOWNSHIP_STAFF, Role.ORGANISATION)


def may_open_secretary_records(user) -> bool:
    return has_role(user, *SECRETARY_RECORD_ROLES)


def require_secretary_records(user) -> None:
    if not may_open_secretary_records(user):
        raise PermissionDenied


def may_open_attendance_roster(user) -> bool:
    return has_role(user, *ATTENDANCE_ROLES)


def require_attendance_roster(user) -> None:
    if not may_open_attendance_roster(user):
        raise PermissionDenied
