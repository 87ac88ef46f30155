"""Import first secretaries (驻村第一书记) and their work teams: one row per first secretary.

A first secretary is found again by village + name + term start, so the same file twice
changes nothing more. When the county already has a login for the person (a first
secretary's post in that village under the same name), the record is linked to it.
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

from .models import DispatchLevel, FirstSecretary, FirstSecretaryStatus, Post, Role, WorkTeamMember

LEVELS = {label: value for value, label in DispatchLevel.choices}

SHEET = Sheet(
    name="第一书记",
    columns=(
        Column("name", "姓名", required=True, max_length=40, width=10),
        Column("gender", "性别", kind="choice", choices=("男", "女"), width=6),
        Column("phone", "手机号", kind="phone", width=14),
        Column("dispatch_unit", "派出单位", required=True, max_length=100, width=22),
        Column("dispatch_level", "派出层级", kind="choice", required=True, choices=tuple(LEVELS), width=10),
        Column("position", "原单位职务", max_length=60, width=14),
        Column("code", "驻村区划代码", kind="code", required=True, width=16),
        Column("term_start", "任期开始", kind="date", required=True, width=12),
        Column("term_end", "任期结束", kind="date", width=12),
        Column("team", "工作队员", max_length=1000, width=40,
               help="姓名（派出单位），用顿号分隔，如：王五（县农业农村局）、赵六（县财政局）"),
    ),
    instructions=(
        "每位第一书记一行；同一村同一姓名同一任期开始日期视为同一人，再次导入只更新变化的内容。",
        "工作队员按“姓名（派出单位）”填写，多人用顿号“、”分隔；导入后以本表为准。",
        "如该村已有同名的第一书记登录账号（人员岗位导入或账号管理中建立），将自动关联。",
    ),
)

MSG_UNKNOWN_VILLAGE = "区划代码“{code}”不是本县已有的村（社区）"
MSG_INACTIVE = "村（社区）“{code}”已停用"
MSG_TERM_ORDER = "任期结束不能早于任期开始"
MSG_TEAM_FORMAT = "“{part}”格式不对，应为 姓名（派出单位）"

MEMBER_RE = re.compile(r"^\s*([^（()）、,，]{1,40})\s*(?:[（(]\s*([^（()）]{0,100})\s*[)）])?\s*$")
FIELDS = ["gender", "phone", "dispatch_unit", "dispatch_level", "position", "term_end"]


def template() -> bytes:
    return template_build(SHEET, [])


def _team(text: str) -> list[tuple[str, str]]:
    return name_list(text, MEMBER_RE, MSG_TEAM_FORMAT)


def import_apply(*, file, county: Region) -> ImportResult:
    """1. every cell checked (village known, active and in the county, term order, team
    format, duplicates); 2. any error: nothing written; 3. otherwise created or updated in one
    transaction, the work team replaced when it differs."""
    result = ImportResult()
    data = read_rows(file, SHEET)
    result.rows = len(data)
    rows = check_unique(SHEET, clean_rows(SHEET, data, result), "name", result,
                        value=lambda v: (v["code"], v["name"], v["term_start"]))
    villages = {v.code: v for v in Region.objects.filter(code__in={r["code"] for _, r in rows}, level=Level.VILLAGE,
                                                         code__startswith=county.prefix)}
    planned = []
    for number, values in rows:
        village = villages.get(values["code"])
        ok = True
        if village is None:
            result.error(SHEET, number, "code", MSG_UNKNOWN_VILLAGE.format(code=values["code"]))
            ok = False
        elif not village.is_active:
            result.error(SHEET, number, "code", MSG_INACTIVE.format(code=values["code"]))
            ok = False
        if values["term_end"] and values["term_end"] < values["term_start"]:
            result.error(SHEET, number, "term_end", MSG_TERM_ORDER)
            ok = False
        try:
            team = _team(values["team"])
        except ValueError as exc:
            result.error(SHEET, number, "team", str(exc))
            ok = False
        if ok:
            planned.append((village, values, team))
    result.sort()
    if result.errors:
        return result
    _write(result, planned)
    return result


@transaction.atomic
def _write(result: ImportResult, planned: list) -> None:
    stored = {(fs.village_id, fs.name, fs.term_start): fs for fs in FirstSecretary.objects.filter(
        village__in=[p[0] for p in planned])}
    logins = {(p.region_id, p.user.full_name): p.user for p in Post.objects.filter(
        role=Role.FIRST_SECRETARY, region__in=[p[0] for p in planned], user__first_secretary__isnull=True)
        .select_related("user")}

    def rows():
        for village, values, team in planned:
            wanted = {"gender": values["gender"], "phone": values["phone"], "dispatch_unit": values["dispatch_unit"],
                      "dispatch_level": LEVELS[values["dispatch_level"]], "position": values["position"],
                      "term_end": values["term_end"]}

            def make(wanted, village=village, name=values["name"], start=values["term_start"]):
                return FirstSecretary(village=village, name=name, term_start=start,
                                      status=FirstSecretaryStatus.SERVING, user=logins.pop((village.pk, name), None),
                                      **wanted)

            yield (village.pk, values["name"], values["term_start"]), make, wanted, team

    upsert_with_lists(result, rows(), model=FirstSecretary, fields=FIELDS, stored=stored,
                      child_model=WorkTeamMember, parent="first_secretary", child_fields=("name", "unit"))
