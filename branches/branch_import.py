"""Import the party organisations of the county's villages: one row per village or community.

The row names the village by its division code and gives the organisation's type, its
secretary (and whether the secretary is also head of the village committee, 一肩挑), its
members and its committee. A village's branch is created or brought up to the row; a row equal
to what is stored changes nothing, so the same file twice changes nothing more.
"""

from __future__ import annotations

import re

from django.db import transaction

from villages.models import Level, Region
from villages.spreadsheet import (
    Column,
    ImportResult,
    Sheet,
    check_unique,
    clean_rows,
    name_list,
    read_rows,
    template_build,
    upsert_with_lists,
)

from .models import Branch, CommitteeMember, Member, OrgType

ORG_TYPES = {label: value for value, label in OrgType.choices}

SHEET = Sheet(
    name="党组织",
    columns=(
        Column("code", "村（社区）区划代码", kind="code", required=True, width=18),
        Column("village", "村（社区）名称", max_length=60, width=14, help="可留空；填写时须与区划代码一致，用于核对"),
        Column("name", "党组织名称", required=True, max_length=100, width=24, help="如：东风村党支部"),
        Column("org_type", "组织类型", kind="choice", required=True, choices=tuple(ORG_TYPES), width=10),
        Column("secretary_name", "书记姓名", max_length=40, width=10),
        Column("secretary_phone", "书记电话", kind="phone", width=14),
        Column("secretary_is_head", "一肩挑", kind="yesno", width=8, help="书记是否兼任村（居）委会主任：是/否"),
        Column("secretary_since", "书记任职时间", kind="date", width=12),
        Column("member_count", "党员人数", kind="int", low=0, high=10_000, width=10),
        Column("probationary_count", "预备党员人数", kind="int", low=0, high=10_000, width=12),
        Column("committee_size", "支委人数", kind="int", low=0, high=15, width=10),
        Column("committee", "支委成员", max_length=600, width=40,
               help="姓名（职务），用顿号分隔，如：张三（书记）、李四（组织委员）"),
    ),
    instructions=(
        "每个村（社区）一行，填写其党组织的情况；区划代码须是系统中已有的村（社区）。",
        "支委成员按“姓名（职务）”填写，多人用顿号“、”分隔；导入后以本表为准。",
        "已建立党员名册的党组织，党员人数和预备党员人数以名册为准，本表所填人数不予采用。",
    ),
)

MSG_UNKNOWN_VILLAGE = "区划代码“{code}”不是本县已有的村（社区），请先导入区划"
MSG_INACTIVE = "村（社区）“{code}”已停用"
MSG_NAME_MISMATCH = "名称“{name}”与区划代码对应的“{actual}”不一致"
MSG_PROBATIONARY = "预备党员人数不能超过党员人数"
MSG_COMMITTEE_FORMAT = "“{part}”格式不对，应为 姓名（职务）"
MSG_COMMITTEE_SIZE = "支委成员有 {count} 人，超过支委人数 {size}"

MEMBER_RE = re.compile(r"^\s*([^（()）、,，]{1,40})\s*[（(]\s*([^（()）]{1,40})\s*[)）]\s*$")
FIELDS = ["name", "org_type", "secretary_name", "secretary_phone", "secretary_is_head", "secretary_since",
          "member_count", "probationary_count", "committee_size"]


def template(*, county: Region) -> bytes:
    villages = Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE, is_active=True) \
        .select_related("branch").prefetch_related("branch__committee").order_by("code")
    rows = []
    for v in villages:
        b = getattr(v, "branch", None)
        if b is None:
            rows.append([v.code, v.name, f"{v.name}党支部", OrgType.BRANCH.label])
            continue
        committee = "、".join(f"{m.name}（{m.position}）" for m in b.committee.all())
        rows.append([v.code, v.name, b.name, b.get_org_type_display(), b.secretary_name, b.secretary_phone,
                     "是" if b.secretary_is_head else "否", b.secretary_since, b.member_count, b.probationary_count,
                     b.committee_size, committee])
    return template_build(SHEET, rows)


def _committee(text: str) -> list[tuple[str, str]]:
    return name_list(text, MEMBER_RE, MSG_COMMITTEE_FORMAT)


def import_apply(*, file, county: Region) -> ImportResult:
    """1. every cell checked (village known, active and in the county, name matching, counts,
    committee format and size); 2. any error: nothing written; 3. otherwise every branch
    created or updated in one transaction, its committee replaced when it differs."""
    result = ImportResult()
    data = read_rows(file, SHEET)
    result.rows = len(data)
    rows = check_unique(SHEET, clean_rows(SHEET, data, result), "code", result)
    villages = {v.code: v for v in Region.objects.filter(code__in=[r["code"] for _, r in rows], level=Level.VILLAGE,
                                                         code__startswith=county.prefix)}
    planned = []
    for number, values in rows:
        village = villages.get(values["code"])
        if village is None:
            result.error(SHEET, number, "code", MSG_UNKNOWN_VILLAGE.format(code=values["code"]))
            continue
        if not village.is_active:
            result.error(SHEET, number, "code", MSG_INACTIVE.format(code=values["code"]))
            continue
        ok = True
        if values["village"] and values["village"] != village.name:
            result.error(SHEET, number, "village", MSG_NAME_MISMATCH.format(name=values["village"], actual=village.name))
            ok = False
        members, probationary = values["member_count"] or 0, values["probationary_count"] or 0
        if probationary > members:
            result.error(SHEET, number, "probationary_count", MSG_PROBATIONARY)
            ok = False
        try:
            committee = _committee(values["committee"])
        except ValueError as exc:
            result.error(SHEET, number, "committee", str(exc))
            ok = False
            committee = []
        size = values["committee_size"]
        if size is not None and len(committee) > size:
            result.error(SHEET, number, "committee", MSG_COMMITTEE_SIZE.format(count=len(committee), size=size))
            ok = False
        if ok:
            wanted = {"name": values["name"], "org_type": ORG_TYPES[values["org_type"]],
                      "secretary_name": values["secretary_name"], "secretary_phone": values["secretary_phone"],
                      "secretary_is_head": bool(values["secretary_is_head"]), "secretary_since": values["secretary_since"],
                      "member_count": members, "probationary_count": probationary,
                      "committee_size": size if size is not None else max(len(committee), 3)}
            planned.append((village, wanted, committee))
    result.sort()
    if result.errors:
        return result
    _write(result, planned)
    return result


@transaction.atomic
def _write(result: ImportResult, planned: list) -> None:
    stored = {b.village_id: b for b in Branch.objects.filter(village__in=[p[0] for p in planned])}
    # A branch with a member roster counts its members from the roster: the file's figures are
    # for branches without one.
    with_roster = set(Member.objects.filter(branch__in=list(stored.values())).values_list("branch__village_id", flat=True))
    for village, wanted, _ in planned:
        if village.pk in with_roster:
            wanted["member_count"] = stored[village.pk].member_count
            wanted["probationary_count"] = stored[village.pk].probationary_count
    upsert_with_lists(
        result, [(village.pk, lambda wanted, village=village: Branch(village=village, **wanted), wanted, committee)
                 for village, wanted, committee in planned],
        model=Branch, fields=FIELDS, stored=stored, child_model=CommitteeMember, parent="branch",
        child_fields=("name", "position"))
