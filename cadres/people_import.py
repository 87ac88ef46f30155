"""Import people and their posts: one row per post (a person with two posts has two rows).

A row gives the person (name, phone, optionally a username), the role, the region (by its
division code), the star for a lead department, the department and the post's start. A person
is found again by the username, else the phone, else name + role + region, so the same file
twice changes nothing more. A new person gets a generated username and a one-time password,
shown once on the result page and downloadable for the batch.
"""

from __future__ import annotations

import io

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from config.excel import safe_row
from villages.models import Level, Region
from villages.spreadsheet import Column, ImportResult, Sheet, clean_rows_partial, read_rows, template_build

from .accounts import (
    USERNAME_RE,
    _set_one_time_password,
    post_snapshot,
    user_snapshot,
    username_generate,
)
from .models import (
    ROLE_REGION_LEVEL,
    AccountEvent,
    Post,
    Role,
    StarCode,
    User,
    split_star_key,
    star_key,
    star_label,
    variant_star_choices,
)

ROLES = {label: value for value, label in Role.choices}
# A lead department's star with its variant: 宜业兴业星（社区） or 宜业兴业星 for the community's
# star, 产业兴旺星（村） or 产业兴旺星 for the rural one (a name both variants share, such as
# 支部过硬星, is the rural one unless marked （社区）).
STARS = {**{label: key for key, label in variant_star_choices()},
         **{star_label(code, kind): star_key(code, kind) for kind in ("urban", "rural") for code in StarCode.values}}

SHEET = Sheet(
    name="人员岗位",
    columns=(
        Column("full_name", "姓名", required=True, max_length=40, width=10),
        Column("phone", "手机号", kind="phone", width=14, help="11位手机号；用于再次导入时认出同一个人"),
        Column("role", "角色", kind="choice", required=True, choices=tuple(ROLES), width=14),
        Column("code", "任职区划代码", kind="code", required=True, width=16,
               help="组织部、牵头部门填县的代码，乡镇专干填乡镇代码，村书记、第一书记填村代码"),
        Column("star", "牵头星", kind="choice", choices=tuple(STARS), width=12, help="只有星级牵头部门填写"),
        Column("department", "部门名称", max_length=60, width=14, help="如：农业农村局、政法委"),
        Column("organisation", "工作单位", max_length=100, width=18),
        Column("username", "用户名", max_length=30, width=14, help="可留空，系统按角色和区划代码自动生成"),
        Column("start_date", "任职开始日期", kind="date", width=12, help="可留空，默认导入当天"),
    ),
    instructions=(
        "每行一个岗位：一人担任两个岗位就填两行（姓名、手机号相同）。",
        "新账号的用户名留空时自动生成；一次性初始密码只在导入结果页显示一次，并可下载本批账号表，首次登录须修改。",
        "再次导入同一文件不会重复建号：系统按用户名、手机号或“姓名+角色+区划”认出已有的人。",
    ),
)

MSG_UNKNOWN_REGION = "区划代码“{code}”不是本县已有的区划"
MSG_REGION_INACTIVE = "区划“{code}”已停用"
MSG_REGION_LEVEL = "{role}的任职区划应为{level}，“{code}”是{actual}"
MSG_STAR_REQUIRED = "星级牵头部门请填写牵头星"
MSG_STAR_FORBIDDEN = "“{value}”：只有星级牵头部门填写牵头星"
MSG_USERNAME_FORMAT = "“{value}”有误：用户名只能包含字母、数字和 . _ -，长度3至30位"
MSG_USERNAME_OTHER = "用户名“{username}”已被“{name}”使用"
MSG_USERNAME_DISABLED = "用户名“{username}”的账号已停用，请先在账号管理中启用"
MSG_SAME_PERSON = "与第 {first} 行是同一人，但{what}不一致"
MSG_DUPLICATE_POST = "与第 {first} 行是同一人的同一岗位"
MSG_SUPERUSER = "不能通过导入修改系统管理员账号"


def template() -> bytes:
    return template_build(SHEET, [])


def _key(values: dict) -> tuple:
    if values["username"]:
        return ("u", values["username"].lower())
    if values["phone"]:
        return ("p", values["phone"])
    return ("n", values["full_name"], values["role"], values["code"])


def import_apply(*, file, county: Region, by) -> ImportResult:
    """1. every cell checked (role and region level, region known and active, star, username
    format and owner, the same person consistent across rows, duplicate posts); 2. any error:
    nothing written; 3. otherwise users created (one-time passwords), posts added, audited, in
    one transaction."""
    result = ImportResult()
    data = read_rows(file, SHEET)
    result.rows = len(data)
    rows = clean_rows_partial(SHEET, data, result)
    regions = {r.code: r for r in Region.objects.filter(code__in={v["code"] for _, v, _ in rows if v["code"]},
                                                       code__startswith=county.prefix)}
    usernames = {v["username"].lower() for _, v, _ in rows if v["username"]}
    phones = {v["phone"] for _, v, _ in rows if v["phone"]}
    by_username = {u.username.lower(): u for u in User.objects.annotate(lower=Lower("username"))
                   .filter(lower__in=usernames)} if usernames else {}
    by_phone: dict[str, User] = {}
    for u in User.objects.filter(phone__in=phones).order_by("id"):
        by_phone.setdefault(u.phone, u)
    planned: list[tuple[int, dict, Region]] = []
    for number, values, bad in rows:
        # Each check runs on the cells it reads when they are good, so a row with a bad phone
        # still has its unknown region reported in the same upload.
        found = len(result.errors)
        role = ROLES.get(values["role"]) if "role" not in bad else None
        region = regions.get(values["code"]) if "code" not in bad else None
        if "code" not in bad and region is None:
            result.error(SHEET, number, "code", MSG_UNKNOWN_REGION.format(code=values["code"]))
        elif region is not None and not region.is_active:
            result.error(SHEET, number, "code", MSG_REGION_INACTIVE.format(code=values["code"]))
        elif region is not None and role is not None and region.level != ROLE_REGION_LEVEL[role]:
            result.error(SHEET, number, "code", MSG_REGION_LEVEL.format(
                role=values["role"], level=Level(ROLE_REGION_LEVEL[role]).label, code=values["code"],
                actual=region.get_level_display()))
        if role is not None and "star" not in bad:
            if role == Role.LEAD_DEPARTMENT and not values["star"]:
                result.error(SHEET, number, "star", MSG_STAR_REQUIRED)
            if role != Role.LEAD_DEPARTMENT and values["star"]:
                result.error(SHEET, number, "star", MSG_STAR_FORBIDDEN.format(value=values["star"]))
        if values["username"] and "username" not in bad:
            if not USERNAME_RE.match(values["username"]):
                result.error(SHEET, number, "username", MSG_USERNAME_FORMAT.format(value=values["username"]))
            else:
                owner = by_username.get(values["username"].lower())
                if owner is not None and owner.full_name != values["full_name"]:
                    result.error(SHEET, number, "username", MSG_USERNAME_OTHER.format(
                        username=values["username"], name=owner.full_name or owner.username))
                elif owner is not None and owner.is_superuser:
                    result.error(SHEET, number, "username", MSG_SUPERUSER)
                elif owner is not None and not owner.is_active:
                    result.error(SHEET, number, "username", MSG_USERNAME_DISABLED.format(username=values["username"]))
        if not bad and len(result.errors) == found:
            planned.append((number, values, region))
    _check_people(planned, result)
    result.sort()
    if result.errors:
        return result
    _write(result, planned, by_username, by_phone, by)
    return result


def _check_people(planned: list, result: ImportResult) -> None:
    first_row: dict[tuple, tuple[int, dict]] = {}
    posts: dict[tuple, int] = {}
    for number, values, _region in planned:
        key = _key(values)
        if key in first_row:
            first, other = first_row[key]
            for field_key, what in (("full_name", "姓名"), ("phone", "手机号"), ("organisation", "工作单位")):
                if values[field_key] and other[field_key] and values[field_key] != other[field_key]:
                    result.error(SHEET, number, field_key, MSG_SAME_PERSON.format(first=first, what=what))
        else:
            first_row[key] = (number, values)
        post_key = (key, values["role"], values["code"], values["star"])
        if post_key in posts:
            result.error(SHEET, number, "role", MSG_DUPLICATE_POST.format(first=posts[post_key]))
        else:
            posts[post_key] = number


@transaction.atomic
def _write(result: ImportResult, planned: list, by_username: dict, by_phone: dict, by) -> None:
    """Users first (bulk), then posts (bulk), then the audit (bulk): a fixed number of queries
    per batch of 500, whatever the file's size."""
    today = timezone.localdate()
    existing_names = {u.lower() for u in User.objects.values_list("username", flat=True)}
    taken: set[str] = set()
    people: dict[tuple, User] = {}
    new_users: list[User] = []
    passwords: dict[tuple, str] = {}
    by_name_post = _people_by_name_post(planned)
    for _number, values, region in planned:
        key = _key(values)
        if key in people:
            continue
        user = (by_username.get(values["username"].lower()) if values["username"] else None) \
            or (by_phone.get(values["phone"]) if values["phone"] and not values["username"] else None) \
            or (by_name_post.get(key) if key[0] == "n" else None)
        if user is None:
            role = ROLES[values["role"]]
            username = values["username"] or username_generate(role=role, region=region, taken=taken,
                                                               existing=existing_names)
            user = User(username=username, full_name=values["full_name"], phone=values["phone"],
                        organisation=values["organisation"])
            passwords[key] = _set_one_time_password(user)
            new_users.append(user)
        people[key] = user
    User.objects.bulk_create(new_users, batch_size=500)
    new_ids = {u.pk for u in new_users}
    held = set(Post.objects.filter(user__in=[u for u in people.values() if u.pk not in new_ids], is_active=True)
               .values_list("user_id", "role", "region_id", "star", "star_kind"))
    posts = []
    for _number, values, region in planned:
        user = people[_key(values)]
        role = ROLES[values["role"]]
        star_kind, star = split_star_key(STARS.get(values["star"], ""))
        star_kind = star_kind if role == Role.LEAD_DEPARTMENT else ""
        if (user.pk, role, region.pk, star, star_kind) in held:
            result.unchanged += 1
            continue
        held.add((user.pk, role, region.pk, star, star_kind))
        posts.append(Post(user=user, role=role, region=region, star=star, star_kind=star_kind,
                          department=values["department"],
                          start_date=values["start_date"] or today, is_active=True))
    Post.objects.bulk_create(posts, batch_size=500)
    posts_of: dict[int, list[Post]] = {}
    for post in posts:
        posts_of.setdefault(post.user_id, []).append(post)
    events = []
    for user in new_users:
        events.append(AccountEvent(user=user, action=AccountEvent.Action.IMPORT, actor=by,
                                   after={**user_snapshot(user), "posts": [post_snapshot(p) for p in posts_of.get(user.pk, [])]}))
    for user_id, user_posts in posts_of.items():
        if user_id in new_ids:
            continue
        user = next(u for u in people.values() if u.pk == user_id)
        events += [AccountEvent(user=user, action=AccountEvent.Action.POST_ADD, actor=by, after=post_snapshot(p))
                   for p in user_posts]
    AccountEvent.objects.bulk_create(events, batch_size=500)
    result.created = len(new_users)
    result.updated = len({p.user_id for p in posts if p.user_id not in new_ids})
    for key, password in passwords.items():
        user = people[key]
        result.issued.append({"username": user.username, "full_name": user.full_name, "phone": user.phone,
                              "posts": "、".join(str(p) for p in posts_of.get(user.pk, [])), "password": password})


def _people_by_name_post(planned: list) -> dict[tuple, User]:
    """Users found again by name + role + region (rows without username or phone)."""
    wanted = [(values, region) for _, values, region in planned if not values["username"] and not values["phone"]]
    if not wanted:
        return {}
    found: dict[tuple, User] = {}
    posts = Post.objects.filter(region__in={r for _, r in wanted}, user__full_name__in={v["full_name"] for v, _ in wanted}) \
        .select_related("user", "region")
    index = {(p.user.full_name, p.role, p.region.code): p.user for p in posts}
    for values, _region in wanted:
        user = index.get((values["full_name"], ROLES[values["role"]], values["code"]))
        if user is not None:
            found[_key(values)] = user
    return found


def issued_sheet(issued: list[dict]) -> bytes:
    """The batch's new accounts and one-time passwords, to hand out (downloaded once)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "新账号"
    ws.append(["姓名", "手机号", "用户名", "一次性密码", "岗位"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in issued:
        ws.append(safe_row([row["full_name"], row["phone"], row["username"], row["password"], row["posts"]]))
    for letter, width in zip("ABCDE", (10, 14, 18, 16, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.append([])
    ws.append(["首次登录须修改密码。本表只能下载一次，请妥善分发后销毁。"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
