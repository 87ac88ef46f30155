"""The first-secretary office tabs, each shown only to the roles its page lets in."""

from __future__ import annotations

from django import template
from django.urls import reverse

from cadres.models import Role
from cadres.scope import has_role

register = template.Library()

OFFICE = (Role.ORGANISATION, Role.LEAD_DEPARTMENT, Role.TOWNSHIP_STAFF)
FOLLOW_UP = (Role.TOWNSHIP_STAFF, Role.ORGANISATION)  # as cadres.views_township.FOLLOW_UP_ROLES

TABS = [
    ("first_secretary_list", "第一书记名单", OFFICE),
    ("township_attendance", "今日签到", FOLLOW_UP),
    ("leave_list", "请假审批", FOLLOW_UP),
    ("spot_check_week", "在岗抽查", FOLLOW_UP),
    ("monthly_report_list", "月度报告", FOLLOW_UP),
    ("evaluation_list", "年度考核", OFFICE),
    ("allowance", "驻村补助", FOLLOW_UP),
]


@register.simple_tag(takes_context=True)
def office_tabs(context) -> list[dict]:
    request = context["request"]
    current = getattr(request.resolver_match, "url_name", "")
    return [{"url": reverse(f"cadres:{name}"), "label": label, "active": name == current}
            for name, label, roles in TABS if has_role(request.user, *roles)]


@register.simple_tag(takes_context=True)
def may_follow_up(context) -> bool:
    """Whether the user may open the follow-up pages (leave, spot checks, monthly reports)."""
    return has_role(context["request"].user, *FOLLOW_UP)
