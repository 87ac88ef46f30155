"""Import organisational-life records of the year so far (三会一课 and 主题党日), kept on paper
until the county went live: one row per meeting.

All or nothing, every bad cell named with its value, as the other going-live imports. A meeting
is found again by village, type, date and topic, so the same file twice changes nothing more;
a row that differs from its stored meeting in numbers or minutes updates it. The branch star's
months are scored again once the import is committed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from villages.models import Level, Region
from villages.signals import villages_records_imported
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

from .models_records import Meeting, MeetingType, RecordEvent

TYPES = {label: value for value, label in MeetingType.choices}

SHEET = Sheet(
    name="组织生活记录",
    columns=(
        Column("code", "区划代码", kind="code", required=True, width=16, help="村（社区）的12位区划代码"),
        Column("village", "村（社区）名称", max_length=60, width=12, help="可留空；填写时须与区划代码一致"),
        Column("type", "类型", kind="choice", required=True, choices=tuple(TYPES), width=14),
        Column("date", "日期", kind="date", required=True, width=12, help="如 2026-03-15，不能晚于今天"),
        Column("topic", "主题", required=True, max_length=200, width=30),
        Column("members_expected", "应到人数", kind="int", required=True, low=0, high=10_000, width=10),
        Column("attendance", "实到人数", kind="int", required=True, low=0, high=10_000, width=10),
        Column("minutes", "会议记录摘要", max_length=2000, width=30),
    ),
    instructions=(
        "每行一次会议：支部党员大会、支部委员会、党小组会、党课（三会一课）或主题党日。",
        "用于补录上线前本年度已开展的组织生活；上线后请在“组织生活”页面逐次登记并上传记录照片。",
        "同一村、类型、日期、主题的会议只记一次：再次导入同一文件不会重复登记。",
    ),
)

MSG_UNKNOWN_VILLAGE = "区划代码“{code}”不是本县已有的村（社区）"
MSG_INACTIVE = "村（社区）“{code}”已停用"
MSG_NAME_MISMATCH = "名称“{name}”与区划代码对应的“{actual}”不一致"
MSG_FUTURE = "日期“{value}”晚于今天"
MSG_ATTENDANCE = "实到人数 {attendance} 超过应到人数 {expected}"
FIELDS = ["members_expected", "attendance", "minutes"]


def county_counts(*, county: Region) -> dict[str, int]:
    """What the county has recorded so far, for the going-live imports page: this year's meetings."""
    year = timezone.localdate().year
    return {"meetings": Meeting.objects.filter(date__year=year, village__code__startswith=county.prefix).count()}


def template() -> bytes:
    return template_build(SHEET, [])


def _key(village_id: int, values: dict) -> tuple:
    return village_id, TYPES[values["type"]], values["date"], values["topic"]


def import_apply(*, file, county: Region, by) -> ImportResult:
    """1. every cell checked (village of the county and active, name, date not ahead of today,
    attendance within expected, no meeting twice in the file); 2. any error: nothing written;
    3. otherwise meetings created or updated in one transaction, with their events."""
    result = ImportResult()
    data = read_rows(file, SHEET)
    result.rows = len(data)
    # Each row's own checks run on its good cells even when another cell is bad, so one upload
    # tells every mistake.
    partial = clean_rows_partial(SHEET, data, result)
    bad_rows = {number: bad for number, _, bad in partial}
    rows = check_unique(SHEET, [(n, v) for n, v, _ in partial], "topic", result,
                        value=lambda v: (v["code"], v["type"], v["date"], v["topic"]) if v["type"] and v["date"]
                        and v["topic"] else None)
    villages = {v.code: v for v in Region.objects.filter(code__in={v["code"] for _, v in rows if v["code"]},
                                                         level=Level.VILLAGE, code__startswith=county.prefix)}
    today = timezone.localdate()
    planned = []
    for number, values in rows:
        bad = bad_rows[number]
        village = villages.get(values["code"])
        found = len(result.errors)
        if "code" not in bad and village is None:
            result.error(SHEET, number, "code", MSG_UNKNOWN_VILLAGE.format(code=values["code"]))
        elif village is not None and not village.is_active:
            result.error(SHEET, number, "code", MSG_INACTIVE.format(code=values["code"]))
        elif village is not None and values["village"] and values["village"] != village.name:
            result.error(SHEET, number, "village", MSG_NAME_MISMATCH.format(name=values["village"], actual=village.name))
        if values["date"] and values["date"] > today:
            result.error(SHEET, number, "date", MSG_FUTURE.format(value=values["date"].isoformat()))
        if values["attendance"] is not None and values["members_expected"] is not None \
                and values["attendance"] > values["members_expected"]:
            result.error(SHEET, number, "attendance", MSG_ATTENDANCE.format(
                attendance=values["attendance"], expected=values["members_expected"]))
        if not bad and len(result.errors) == found:
            planned.append((village, values))
    result.sort()
    if result.errors:
        return result
    _write(result, planned, by)
    return result


@transaction.atomic
def _write(result: ImportResult, planned: list, by) -> None:
    """A constant number of queries whatever the file's size: the stored meetings of the
    villages read once, new ones created and changed ones updated in bulk, one event each."""
    village_ids = {village.pk for village, _ in planned}
    dates = [values["date"] for _, values in planned]
    stored = {(m.village_id, m.type, m.date, m.topic): m for m in Meeting.objects.filter(
        village_id__in=village_ids, date__gte=min(dates), date__lte=max(dates))}
    new, changed = [], []
    for village, values in planned:
        wanted = {"members_expected": values["members_expected"], "attendance": values["attendance"],
                  "minutes": values["minutes"] or ""}
        sort_record(result, stored.get(_key(village.pk, values)), wanted,
                    lambda village=village, values=values, wanted=wanted: Meeting(
                        village=village, type=TYPES[values["type"]], date=values["date"], topic=values["topic"],
                        created_by=by, updated_by=by, **wanted), new, changed)
    for meeting in changed:
        meeting.updated_by = by
    Meeting.objects.bulk_create(new, batch_size=500)
    Meeting.objects.bulk_update(changed, FIELDS + ["updated_by"], batch_size=500)
    RecordEvent.objects.bulk_create(
        [RecordEvent(record_type="meeting", record_id=m.pk, village_id=m.village_id, action=action, actor=by,
                     changes={"import": True}) for action, rows in ((RecordEvent.Action.CREATE, new),
                                                                     (RecordEvent.Action.UPDATE, changed)) for m in rows],
        batch_size=500)
    result.created, result.updated = len(new), len(changed)
    # The branch star reads these meetings: every month they fall in this year, and the running one.
    today = timezone.localdate()
    months: dict[tuple[int, int], set[int]] = {(today.year, today.month): set()}
    for meeting in new + changed:
        if meeting.date.year == today.year:
            months.setdefault((meeting.date.year, meeting.date.month), set()).add(meeting.village_id)
        months[(today.year, today.month)].add(meeting.village_id)
    for (year, month), ids in sorted(months.items()):
        if ids:
            villages_records_imported.send(sender=Meeting, village_ids=sorted(ids), year=year, month=month)
