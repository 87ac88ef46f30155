"""Who may read and follow what in the year's campaign pages (one helper per question).

The warnings list links each warning to the page where it is acted upon; a link is shown only to
a user that page lets in, so the list asks each page's own access rule (the app's access module)
rather than keeping a copy of it. The reward table's readers and the part of it each one reads
are asked by its page and its API alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404

from branches.access import may_open_rectifications
from cadres.access import may_open_attendance_roster, may_open_secretary_records
from cadres.models import Role
from cadres.scope import has_role, visible_regions
from ratings.access import may_open_ledger_grid, openable_entry_ids
from villages.models import Level, Region

# --- the warnings list ----------------------------------------------------------------------

# Warning links whose pages only some users may open: the row shows its text without the link for
# anyone else (a county or township leader reads the list, but not the rectification record).
LINK_RULES = {
    "branches:rectification_detail": may_open_rectifications,
    "cadres:first_secretary_detail": may_open_secretary_records,
    "ratings:ledger_grid": may_open_ledger_grid,
    "cadres:township_attendance": may_open_attendance_roster,
}
# A link to one ledger entry (a veto's): opened only by those the ledger lets read that entry; a
# star's lead department reads its own star's entries, not another star's.
ENTRY_LINK = "ratings:entry_detail"


def _entry_id(warning) -> int | None:
    args = warning.link_args or []
    return args[0] if len(args) == 1 and isinstance(args[0], int) else None


def warning_view_flags(user, warnings: Iterable = ()) -> dict:
    """What the warning rows of a page (`warnings`, the rows it shows) may offer this user: one
    query for the ledger entries they link to, none for the rest."""
    from ratings.campaign.services.warnings import ACK_ROLES

    to_entries = {w.pk: _entry_id(w) for w in warnings if w.link_name == ENTRY_LINK}
    openable = openable_entry_ids(user, to_entries.values())
    return {"can_acknowledge": has_role(user, *ACK_ROLES),
            "sees_secretary_records": may_open_secretary_records(user),
            "is_first_secretary": has_role(user, Role.FIRST_SECRETARY),
            "closed_links": [name for name, may_open in LINK_RULES.items() if not may_open(user)],
            "closed_warnings": {pk for pk, entry in to_entries.items() if entry not in openable}}


# --- the reward table -----------------------------------------------------------------------

REWARD_READERS = (Role.ORGANISATION, Role.LEAD_DEPARTMENT, Role.TOWNSHIP_STAFF, Role.COUNTY_LEADER,
                  Role.TOWNSHIP_LEADER)
MSG_NOT_REWARD_READER = "您无权查看奖励表。"


def require_reward_reader(user, message: str = "") -> None:
    if not has_role(user, *REWARD_READERS):
        raise PermissionDenied(message)


def reward_county(user) -> Region:
    """The county the user works in (the county above a township's user), else 404."""
    codes = {f"{p[:6]}000000" for p in visible_regions(user) if len(p) >= 6}
    county = Region.objects.filter(code__in=codes, level=Level.COUNTY).order_by("code").first()
    if county is None:
        raise Http404
    return county


def reward_table_for_user(table: dict, user) -> dict:
    """The table as this user may read it: a county role sees every row and the county's totals
    (全县合计); a township's user sees his township's rows and their totals (本乡镇合计), never
    the county's sums over rows he cannot see."""
    if has_role(user, Role.ORGANISATION, Role.LEAD_DEPARTMENT, Role.COUNTY_LEADER):
        return {**table, "scope_label": "全县"}
    prefixes = visible_regions(user)
    villages = [r for r in table["villages"] if any(r["code"].startswith(p) for p in prefixes)]
    townships = [r for r in table["townships"] if any(r["code"].startswith(p[:9]) for p in prefixes)]
    village_total = sum((r["amount"] for r in villages), Decimal(0))
    township_total = sum((r["amount"] for r in townships), Decimal(0))
    return {**table, "villages": villages, "townships": townships, "village_total": village_total,
            "township_total": township_total, "total": village_total + township_total, "scope_label": "本乡镇"}
