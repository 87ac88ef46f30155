"""Import the cooperatives led by the branches (支部领办合作社) and their 双绑 bindings, kept on
paper until the county went live. Two sheets of the same workbook: cooperatives (one row each,
found again by village and name) and bindings (one row each, found again by the cooperative and
the enterprise). A binding names its cooperative by village code and name, in this file or
already stored.

All or nothing, every bad cell named with its value, as the other going-live imports; the same
file twice changes nothing more. The industry star's running month is scored again once the
import is committed.
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
    clean_rows,
    read_rows,
    sort_record,
    template_build,
)

from .models import Binding, Cooperative

SHEET = Sheet(
    name="合作社",
    columns=(
        Column("code", "区划代码", kind="code", required=True, width=16, help="合作社所在村（社区）的12位区划代码"),
        Column("name", "合作社名称", required=True, max_length=100, width=24),
        Column("led_by_branch", "支部领办", kind="yesno", required=True, width=10),
        Column("established_on", "成立日期", kind="date", width=12, help="可留空：视为上线前已成立"),
        Column("dissolved_on", "注销日期", kind="date", width=12, help="仍在运营的留空"),
        Column("members", "成员数", kind="int", low=0, high=100_000, width=10),
        Column("business", "主营业务", max_length=100, width=20),
        Column("enterprise", "双绑龙头企业", max_length=100, width=20, help="没有双绑联结的留空；一个合作社绑定多家企业就填多行"),
        Column("farmers_bound", "联结农户（户）", kind="int", low=0, high=100_000, width=12),
        Column("started_on", "双绑签约日期", kind="date", width=12),
        Column("ended_on", "双绑解除日期", kind="date", width=12),
        Column("terms", "利益联结方式", max_length=200, width=24),
    ),
    instructions=(
        "每行一个合作社；同一合作社与多家龙头企业“双绑”时填多行，合作社各列须一致，企业各列各不相同。",
        "只有合作社、没有双绑联结的，双绑各列留空。",
        "系统按“村 + 合作社名称”认出已有的合作社，按“合作社 + 龙头企业”认出已有的双绑联结：再次导入同一文件不会重复登记。",
    ),
)

COOPERATIVE_FIELDS = ["led_by_branch", "established_on", "dissolved_on", "members", "business"]
BINDING_FIELDS = ["farmers_bound", "started_on", "ended_on", "terms"]

MSG_UNKNOWN_VILLAGE = "区划代码“{code}”不是本县已有的村（社区）"
MSG_INACTIVE = "村（社区）“{code}”已停用"
MSG_DISSOLVED = "注销日期“{value}”早于成立日期"
MSG_ENDED = "解除日期“{value}”早于签约日期"
MSG_FUTURE = "日期“{value}”晚于今天"
MSG_DIFFERS = "与第 {first} 行是同一合作社，但{what}不一致"
MSG_BINDING_WITHOUT_ENTERPRISE = "填写了双绑内容，请填写双绑龙头企业"
MSG_DUPLICATE_BINDING = "与第 {first} 行是同一合作社的同一龙头企业"


def county_counts(*, county: Region) -> dict[str, int]:
    """What the county has recorded so far, for the going-live imports page: its cooperatives and
    their bindings."""
    return {
        "cooperatives": Cooperative.objects.filter(village__code__startswith=county.prefix).count(),
        "bindings": Binding.objects.filter(cooperative__village__code__startswith=county.prefix).count(),
    }


def template() -> bytes:
    return template_build(SHEET, [])


def import_apply(*, file, county: Region, by=None) -> ImportResult:
    """1. every cell checked (village of the county and active, dates in order and not ahead
    of today, the rows of one cooperative agreeing, a binding's enterprise once per
    cooperative); 2. any error: nothing written; 3. otherwise cooperatives and bindings created
    or updated in one transaction."""
    result = ImportResult()
    data = read_rows(file, SHEET)
    result.rows = len(data)
    rows = clean_rows(SHEET, data, result)
    rows = check_unique(SHEET, rows, "enterprise", result,
                        value=lambda v: (v["code"], v["name"], v["enterprise"]) if v["enterprise"] else None)
    villages = {v.code: v for v in Region.objects.filter(code__in={v["code"] for _, v in rows}, level=Level.VILLAGE,
                                                         code__startswith=county.prefix)}
    today = timezone.localdate()
    cooperatives: dict[tuple, tuple[int, dict]] = {}
    bindings: list[tuple[tuple, dict]] = []
    for number, values in rows:
        found = len(result.errors)
        village = villages.get(values["code"])
        if village is None:
            result.error(SHEET, number, "code", MSG_UNKNOWN_VILLAGE.format(code=values["code"]))
        elif not village.is_active:
            result.error(SHEET, number, "code", MSG_INACTIVE.format(code=values["code"]))
        for key in ("established_on", "dissolved_on", "started_on", "ended_on"):
            if values[key] and values[key] > today:
                result.error(SHEET, number, key, MSG_FUTURE.format(value=values[key].isoformat()))
        if values["established_on"] and values["dissolved_on"] and values["dissolved_on"] < values["established_on"]:
            result.error(SHEET, number, "dissolved_on", MSG_DISSOLVED.format(value=values["dissolved_on"].isoformat()))
        if values["started_on"] and values["ended_on"] and values["ended_on"] < values["started_on"]:
            result.error(SHEET, number, "ended_on", MSG_ENDED.format(value=values["ended_on"].isoformat()))
        if not values["enterprise"] and any(values[k] not in (None, "") for k in BINDING_FIELDS):
            result.error(SHEET, number, "enterprise", MSG_BINDING_WITHOUT_ENTERPRISE)
        wanted = {"led_by_branch": values["led_by_branch"], "established_on": values["established_on"],
                  "dissolved_on": values["dissolved_on"], "members": values["members"] or 0,
                  "business": values["business"] or ""}
        key = (values["code"], values["name"])
        if key in cooperatives:
            first, other = cooperatives[key]
            for field, what in (("led_by_branch", "支部领办"), ("established_on", "成立日期"),
                                ("dissolved_on", "注销日期"), ("members", "成员数"), ("business", "主营业务")):
                if other[field] != wanted[field]:
                    result.error(SHEET, number, field, MSG_DIFFERS.format(first=first, what=what))
        if len(result.errors) != found:
            continue
        cooperatives.setdefault(key, (number, wanted))
        if values["enterprise"]:
            bindings.append((key, {"enterprise": values["enterprise"], "farmers_bound": values["farmers_bound"] or 0,
                                   "started_on": values["started_on"], "ended_on": values["ended_on"],
                                   "terms": values["terms"] or ""}))
    result.sort()
    if result.errors:
        return result
    _write(result, villages, cooperatives, bindings)
    return result


@transaction.atomic
def _write(result: ImportResult, villages: dict, cooperatives: dict, bindings: list) -> None:
    """Cooperatives first (bulk), then their bindings (bulk): a constant number of queries."""
    ids = {villages[code].pk for code, _ in cooperatives}
    stored = {(c.village_id, c.name): c for c in Cooperative.objects.filter(village_id__in=ids)}
    new, changed = [], []
    for (code, name), (_, wanted) in cooperatives.items():
        village = villages[code]
        stored[(village.pk, name)] = sort_record(
            result, stored.get((village.pk, name)), wanted,
            lambda village=village, name=name, wanted=wanted: Cooperative(village=village, name=name, **wanted),
            new, changed)
    Cooperative.objects.bulk_create(new, batch_size=500)
    Cooperative.objects.bulk_update(changed, COOPERATIVE_FIELDS, batch_size=500)
    owners = {key: stored[(villages[key[0]].pk, key[1])] for key, _ in bindings}
    existing = {(b.cooperative_id, b.enterprise): b for b in Binding.objects.filter(
        cooperative__in=[c for c in owners.values() if c.pk])}
    new_bindings, changed_bindings = [], []
    for key, wanted in bindings:
        cooperative = owners[key]
        fields = {f: wanted[f] for f in BINDING_FIELDS}
        sort_record(result, existing.get((cooperative.pk, wanted["enterprise"])), fields,
                    lambda cooperative=cooperative, wanted=wanted, fields=fields: Binding(
                        cooperative=cooperative, enterprise=wanted["enterprise"], **fields),
                    new_bindings, changed_bindings)
    Binding.objects.bulk_create(new_bindings, batch_size=500)
    Binding.objects.bulk_update(changed_bindings, BINDING_FIELDS, batch_size=500)
    result.created = len(new) + len(new_bindings)
    result.updated = len(changed) + len(changed_bindings)
    if new or changed or new_bindings or changed_bindings:
        today = timezone.localdate()
        villages_records_imported.send(sender=Cooperative, village_ids=sorted(ids), year=today.year, month=today.month)
