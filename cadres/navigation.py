"""The navigation bar, fitted to the user's roles.

Items name URL patterns; an item whose page is not (yet) routed is left out, so each app adds
its pages by adding its line here.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from .models import Role
from .scope import user_posts

ALL = {r.value for r in Role}
COUNTY = {Role.ORGANISATION, Role.LEAD_DEPARTMENT}
OFFICE = COUNTY | {Role.TOWNSHIP_STAFF}
VILLAGE = {Role.VILLAGE_SECRETARY, Role.FIRST_SECRETARY}
LEADERS = {Role.COUNTY_LEADER, Role.TOWNSHIP_LEADER}

# (label, url name, roles that see it, icon, group); items of a group share a dropdown menu,
# a group with one visible item shows it on the bar itself.
NAV_ITEMS: list[tuple[str, str, set[str], str, str]] = [
    ("县级总览", "reports:county_dashboard", COUNTY, "speedometer2", ""),
    ("乡镇总览", "reports:township_dashboard_mine", {Role.TOWNSHIP_STAFF}, "speedometer2", ""),
    ("本村情况", "reports:my_village", VILLAGE, "house-heart", ""),
    ("趋势分析", "reports:trends_mine", ALL, "graph-up", "统计分析"),
    ("会议大屏", "reports:screen", COUNTY | {Role.COUNTY_LEADER}, "display", "统计分析"),
    ("每日签到", "cadres:sign_in", {Role.FIRST_SECRETARY}, "geo-alt", "驻村工作"),
    ("请假", "cadres:leave_request", {Role.FIRST_SECRETARY}, "calendar-x", "驻村工作"),
    ("工作月报", "cadres:monthly_report", {Role.FIRST_SECRETARY}, "journal-richtext", "驻村工作"),
    ("台账填报", "ratings:ledger_grid", {Role.TOWNSHIP_STAFF}, "pencil-square", ""),
    ("台账审核", "ratings:review_queue", {Role.LEAD_DEPARTMENT, Role.ORGANISATION}, "clipboard-check", ""),
    ("任务清单", "campaign:task_list", ALL, "list-check", ""),
    ("预警清单", "campaign:warning_list", ALL, "exclamation-triangle", ""),
    ("四个清单", "campaign:four_lists_mine", VILLAGE, "card-checklist", "创星评定"),
    ("重点村周进展", "campaign:weekly_index", ALL, "calendar-week", "创星评定"),
    ("一乡一方案", "campaign:township_plan_index", OFFICE | LEADERS, "journal-bookmark", "创星评定"),
    ("奖励兑现", "campaign:rewards", OFFICE | LEADERS, "cash-stack", "创星评定"),
    ("评分排名", "ratings:rankings", OFFICE, "bar-chart-line", "创星评定"),
    ("季度观摩", "campaign:inspection_list", OFFICE, "binoculars", "创星评定"),
    ("创星评定", "campaign:award_list", ALL, "award", "创星评定"),
    ("月度通报", "reports:bulletin_list", OFFICE, "file-earmark-text", "创星评定"),
    ("评星标准", "ratings:standard_list", COUNTY, "journal-text", "创星评定"),
    ("后台任务", "ratings:job_list", {Role.ORGANISATION}, "cpu", "创星评定"),
    ("责任清单", "cadres:duty_list", ALL, "diagram-2", "包联责任"),
    ("我的包联", "cadres:visit_mine", LEADERS | {Role.ORGANISATION}, "person-walking", "包联责任"),
    ("走访情况", "cadres:visit_overview", {Role.ORGANISATION, Role.TOWNSHIP_STAFF} | LEADERS, "calendar-check", "包联责任"),
    ("创星专班", "cadres:task_force_list", ALL, "people-fill", "包联责任"),
    ("联席会商", "cadres:consultation_list", ALL, "chat-square-text", "包联责任"),
    ("第一书记", "cadres:first_secretary_list", OFFICE, "person-badge", "基层工作"),
    ("组织生活", "branches:meeting_list", ALL, "people", "基层工作"),
    ("党员管理", "branches:member_index", ALL, "person-vcard", "基层工作"),
    ("需求与资源清单", "branches:community_index", OFFICE | {Role.VILLAGE_SECRETARY}, "arrow-left-right", "基层工作"),
    ("值班与代办", "branches:service_index", ALL, "telephone", "基层工作"),
    ("结对共建", "campaign:pairing_list", ALL, "people-fill", "基层工作"),
    ("软弱涣散整顿", "branches:rectification_list", OFFICE, "tools", "基层工作"),
    ("集体经济", "projects:economy_overview", ALL, "cash-coin", "基层工作"),
    ("区划与村情", "villages:region_browser", ALL, "diagram-3", "基层工作"),
    ("账号管理", "cadres:account_list", {Role.ORGANISATION, Role.TOWNSHIP_STAFF}, "person-gear", "系统管理"),
    ("上线数据导入", "cadres:import_index", {Role.ORGANISATION}, "file-earmark-arrow-up", "系统管理"),
    ("数据就绪", "ratings:readiness", OFFICE, "check2-square", "系统管理"),
    ("年度交替", "ratings:year_turn", {Role.ORGANISATION}, "calendar2-range", "系统管理"),
]
GROUP_ICONS = {"统计分析": "graph-up", "包联责任": "diagram-2", "驻村工作": "geo-alt", "创星评定": "stars", "基层工作": "buildings", "系统管理": "gear"}

# Where each role lands after login: (url name, args) in order of preference.
LANDING = [
    (Role.ORGANISATION, "reports:county_dashboard"),
    (Role.LEAD_DEPARTMENT, "ratings:review_queue"),
    (Role.TOWNSHIP_STAFF, "reports:township_dashboard_mine"),
    (Role.VILLAGE_SECRETARY, "reports:my_village"),
    (Role.FIRST_SECRETARY, "reports:my_village"),
    (Role.COUNTY_LEADER, "cadres:visit_mine"),
    (Role.TOWNSHIP_LEADER, "cadres:visit_mine"),
]


def _reaches_a_community(user) -> bool:
    """The needs and resources lists are a community's: a user posted only to rural villages has
    nothing there (a township or county post may have communities below it)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(post.region.level != "village" or post.region.kind == "urban" for post in user_posts(user))


def _only_communities(user) -> bool:
    """Every post of the user is at a community: its own pages say 社区, not 村."""
    posts = user_posts(user)
    return bool(posts) and all(p.region.level == "village" and p.region.kind == "urban" for p in posts)


# A menu entry's name for a user posted only to communities.
PLACE_LABELS = {"reports:my_village": "本社区情况"}

# Menu entries that apply only to some users of their roles.
APPLIES_ONLY_IF = {"branches:community_index": _reaches_a_community}


def _roles(user) -> set[str]:
    if getattr(user, "is_superuser", False):
        return set(ALL)
    return {post.role for post in user_posts(user)}


def landing_url_name(user) -> tuple[str, list] | None:
    roles = _roles(user)
    for role, name in LANDING:
        if role in roles:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            return name, []
    try:
        reverse("villages:region_browser")
        return "villages:region_browser", []
    except NoReverseMatch:
        return None


def navigation(request) -> dict:
    """`nav_items`: the bar's entries, each a link or a group with `children`; `nav_links`: every
    visible link, flat."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = _roles(user)
    links, entries, groups = [], [], {}
    for label, name, allowed, icon, group in NAV_ITEMS:
        if not roles & {str(r) for r in allowed}:
            continue
        if name in APPLIES_ONLY_IF and not APPLIES_ONLY_IF[name](user):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if name in PLACE_LABELS and _only_communities(user):
            label = PLACE_LABELS[name]
        link = {"label": label, "url": url, "icon": icon, "active": request.path.startswith(url)}
        links.append(link)
        if not group:
            entries.append(link)
        elif group in groups:
            groups[group]["children"].append(link)
        else:
            groups[group] = {"label": group, "icon": GROUP_ICONS.get(group, "folder"), "children": [link]}
            entries.append(groups[group])
    items = []
    for entry in entries:
        children = entry.get("children")
        if children is not None and len(children) == 1:
            entry = children[0]
        elif children is not None:
            entry["active"] = any(c["active"] for c in children)
        items.append(entry)
    return {"nav_items": items, "nav_links": links, "nav_posts": user_posts(user),
            "nav_api_docs": api_docs_visible(user, roles)}


def api_docs_visible(user, roles: set[str]) -> bool:
    """接口文档 (the Swagger page, in English) is for the county's offices and for API users (township
    staff holding a token), never for villages' phones (and no query on their pages)."""
    if user.is_staff or roles & {str(r) for r in COUNTY}:
        return True
    if Role.TOWNSHIP_STAFF not in roles:
        return False
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).exists()
