"""Import the member rosters of a township's (or the county's) branches: one row per member.

All or nothing, every bad cell named with its value, as the other imports. A member is found
again by village, name, gender and birth year among the branch's current members, so the same
file twice changes nothing more; a row that differs from its stored member updates it. A member
missing from the file is not touched: leaving is recorded on its own, with a date and a reason.
No column asks for an ID-card number: the roster keeps none. Members' counts of every branch the
file touches come from the roster once it is committed.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from config.phones import MOBILE_RE, MSG_MOBILE
from villages.models import Level, Region
from villages.spreadsheet import (
    Column,
    ImportResult,
    Sheet,
    check_unique,
    clean_rows_partial,
    read_rows,
    sort_record,
    template_build,
)

from .models import Branch
from .models_members import Member, MemberCategory, MemberStanding
from .models_records import RecordEvent
from .selectors_members import mask_phone
from .services_members import branch_counts_sync

CATEGORIES = {label: value for value, label in MemberCategory.choices}
STANDINGS = {label: value for value, label in MemberStanding.choices}
MAX_MEMBER_ROWS = 30_000  # a county's whole roster (about 20,000 members) in one file

SHEET = Sheet(
    name="党员名册",
    columns=(
        Column("code", "村（社区）区划代码", kind="code", required=True, width=16),
        Column("village", "村（社区）名称", max_length=60, width=12, help="可留空；填写时须与区划代码一致"),
        Column("name", "姓名", required=True, max_length=40, width=10),
        Column("gender", "性别", kind="choice", required=True, choices=("男", "女"), width=6),
        Column("birth_year", "出生年份", kind="int", required=True, low=1900, high=2100, width=10),
        Column("joined_on", "入党日期", kind="date", required=True, width=12, earliest_year=1921),
        Column("standing", "党员类别", kind="choice", required=True, choices=tuple(STANDINGS), width=10),
        Column("category", "分类", kind="choice", required=True, choices=tuple(CATEGORIES), width=12),
        Column("committee_role", "支委职务", max_length=20, width=10, help="不是支委成员的留空"),
        Column("phone", "手机号", max_length=11, width=14, help="11位手机号；县级下载的模板中为隐去中间四位的号码，原样保留即不修改"),
        Column("contact_name", "联系人", max_length=40, width=10, help="流动党员的分包联系人，流动党员必填"),
        Column("note", "备注", max_length=200, width=24),
    ),
    instructions=(
        "每行一名党员；区划代码须是本乡镇（县）已有党组织的村（社区）。",
        "本表不收集身份证号码：系统不保存党员身份证号。",
        "同一村中姓名、性别、出生年份相同的视为同一人：再次导入同一文件不会重复登记，只更新有变化的信息。",
        "文件中没有的党员不会被删除；党员转出、去世请在系统中登记离开日期和原因。",
    ),
)

MSG_UNKNOWN_VILLAGE = "区划代码“{code}”不是本乡镇（县）已有的村（社区）"
MSG_NO_BRANCH = "村（社区）“{code}”尚无党组织，请先导入党组织"
MSG_NAME_MISMATCH = "名称“{name}”与区划代码对应的“{actual}”不一致"
MSG_FUTURE = "日期“{value}”晚于今天"
MSG_BIRTH = "出生年份 {value} 不合理（应在 1900 年至今年之间）"
MSG_JOINED_YOUNG = "入党日期早于 18 周岁"
MSG_CONTACT_REQUIRED = "流动党员须填写联系人"
MSG_PHONE = "“{value}”有误：" + MSG_MOBILE
MSG_MASKED_UNKNOWN = "“{value}”是隐去中间四位的号码，但与系统中该党员的手机号不符，请填写完整号码"
MASKED_RE = re.compile(r"^1[3-9]\d\*{4}\d{4}$")
FIELDS = ["joined_on", "standing", "category", "committee_role", "phone", "contact_name", "note"]


def template(*, region: Region) -> bytes:
    """The sheet with the region's current members filled in (a roster kept up to date is
    downloaded, changed and uploaded again). Phones are shown in full only inside a township:
    the county's template masks them, and a masked phone uploaded back means "unchanged"."""
    masked = region.level != Level.TOWNSHIP
    members = (Member.objects.current().filter(branch__village__code__startswith=region.prefix)
               .select_related("branch__village").order_by("branch__village__code", "name", "id"))
    rows = [[m.branch.village.code, m.branch.village.name, m.name, m.gender, m.birth_year, m.joined_on,
             m.get_standing_display(), m.get_category_display(), m.committee_role,
             mask_phone(m.phone) if masked else m.phone, m.contact_name, m.note]
            for m in members]
    return template_build(SHEET, rows)


def _key(village_id: int, values: dict) -> tuple:
    return village_id, values["name"], values["gender"], values["birth_year"]


def import_apply(*, file, region: Region, by) -> ImportResult:
    """1. every cell checked (village in the region with a branch, name matching, dates, a
    contact person for a member working away, no member twice); 2. any error: nothing
    written; 3. otherwise members created or updated in one transaction, one event each."""
    result = ImportResult()
    data = read_rows(file, SHEET, max_rows=MAX_MEMBER_ROWS)
    result.rows = len(data)
    partial = clean_rows_partial(SHEET, data, result)
    bad_rows = {number: bad for number, _, bad in partial}
    rows = check_unique(SHEET, [(n, v) for n, v, _ in partial], "name", result,
                        value=lambda v: (v["code"], v["name"], v["gender"], v["birth_year"])
                        if v["code"] and v["name"] and v["gender"] and v["birth_year"] else None)
    villages = {v.code: v for v in Region.objects.filter(code__in={v["code"] for _, v in rows if v["code"]},
                                                         level=Level.VILLAGE, code__startswith=region.prefix)}
    branches = {b.village_id: b for b in Branch.objects.filter(village__in=list(villages.values()))}
    today = timezone.localdate()
    planned = []
    for number, values in rows:
        bad = bad_rows[number]
        found = len(result.errors)
        village = villages.get(values["code"])
        if "code" not in bad and (village is None or not village.is_active):
            result.error(SHEET, number, "code", MSG_UNKNOWN_VILLAGE.format(code=values["code"]))
        elif village is not None and village.pk not in branches:
            result.error(SHEET, number, "code", MSG_NO_BRANCH.format(code=values["code"]))
        elif village is not None and values["village"] and values["village"] != village.name:
            result.error(SHEET, number, "village", MSG_NAME_MISMATCH.format(name=values["village"], actual=village.name))
        birth = values["birth_year"]
        if birth is not None and birth > today.year:
            result.error(SHEET, number, "birth_year", MSG_BIRTH.format(value=birth))
        joined = values["joined_on"]
        if joined and joined > today:
            result.error(SHEET, number, "joined_on", MSG_FUTURE.format(value=joined.isoformat()))
        elif joined and birth is not None and joined.year - birth < 18:
            result.error(SHEET, number, "joined_on", MSG_JOINED_YOUNG)
        phone = values["phone"] or ""
        if phone and not MOBILE_RE.match(phone) and not MASKED_RE.match(phone):
            result.error(SHEET, number, "phone", MSG_PHONE.format(value=phone))
        if values["category"] == MemberCategory.AWAY.label and not values["contact_name"]:
            result.error(SHEET, number, "contact_name", MSG_CONTACT_REQUIRED)
        if not bad and len(result.errors) == found:
            planned.append((number, branches[village.pk], values))
    stored = _stored({branch.pk for _, branch, _ in planned})
    # A masked phone (from the county's template) keeps the stored one; it must be that one.
    for number, branch, values in planned:
        phone = values["phone"] or ""
        if MASKED_RE.match(phone):
            record = stored.get(_key(branch.village_id, values))
            if record is None or mask_phone(record.phone) != phone:
                result.error(SHEET, number, "phone", MSG_MASKED_UNKNOWN.format(value=phone))
            else:
                values["phone"] = record.phone
    result.sort()
    if result.errors:
        return result
    _write(result, [(branch, values) for _, branch, values in planned], stored, by)
    return result


def _stored(branch_ids: set[int]) -> dict[tuple, Member]:
    """The current members of the branches, by the key a row finds its member with (one query)."""
    return {(m.branch.village_id, m.name, m.gender, m.birth_year): m for m in Member.objects.current()
            .filter(branch_id__in=branch_ids).select_related("branch")}


@transaction.atomic
def _write(result: ImportResult, planned: list, stored: dict, by) -> None:
    """A constant number of queries whatever the file's size: new members created and changed
    ones updated in bulk, one event each."""
    branch_ids = {branch.pk for branch, _ in planned}
    new, changed = [], []
    for branch, values in planned:
        record = stored.get(_key(branch.village_id, values))
        wanted = {"joined_on": values["joined_on"], "standing": STANDINGS[values["standing"]],
                  "category": CATEGORIES[values["category"]], "committee_role": values["committee_role"] or "",
                  "phone": values["phone"] or "", "contact_name": values["contact_name"] or "",
                  "note": values["note"] or ""}
        sort_record(result, record, wanted,
                    lambda branch=branch, values=values, wanted=wanted: Member(
                        branch=branch, name=values["name"], gender=values["gender"], birth_year=values["birth_year"],
                        created_by=by, updated_by=by, **wanted), new, changed)
    for member in changed:
        member.updated_by = by
    Member.objects.bulk_create(new, batch_size=1000)
    Member.objects.bulk_update(changed, FIELDS + ["updated_by"], batch_size=1000)
    village_of = {branch.pk: branch.village_id for branch, _ in planned}
    RecordEvent.objects.bulk_create(
        [RecordEvent(record_type="member", record_id=m.pk, village_id=village_of[m.branch_id], action=action, actor=by,
                     changes={"import": True}) for action, rows in ((RecordEvent.Action.CREATE, new),
                                                                     (RecordEvent.Action.UPDATE, changed)) for m in rows],
        batch_size=1000)
    result.created, result.updated = len(new), len(changed)
    branch_counts_sync(branch_ids)
