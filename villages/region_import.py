"""Import townships and villages/communities from the county's official division-code list.

One row per township or village: the 12-digit code (its level follows from the code: a
township's last three digits are 000), the name, and for a village whether it is a rural
village or an urban community. Rows equal to what is stored change nothing. A code of the
county that the file no longer lists (a village renamed with a new code, merged, moved to
another township) is deactivated, never deleted, when the user confirms the file is the
county's complete list: its history keeps its meaning.
"""

from __future__ import annotations

from django.db import transaction

from .models import Kind, Level, Region
from .signals import regions_deactivated
from .spreadsheet import Column, ImportResult, Sheet, check_unique, clean_rows, read_rows, template_build

KIND_LABELS = {Kind.RURAL.label: Kind.RURAL, Kind.URBAN.label: Kind.URBAN}

SHEET = Sheet(
    name="乡镇村区划",
    columns=(
        Column("code", "区划代码", kind="code", required=True, width=16,
               help="12位统计用区划代码；末3位为000的是乡镇（街道），其余是村（社区）"),
        Column("name", "名称", required=True, max_length=60, width=20, help="如：城关镇、东风村、建设路社区"),
        Column("kind", "类别", kind="choice", choices=tuple(KIND_LABELS), width=12,
               help="村（社区）必填：行政村或城市社区；乡镇（街道）留空"),
        Column("households", "户数", kind="int", low=0, high=1_000_000, width=10, help="可留空"),
        Column("population", "人口", kind="int", low=0, high=10_000_000, width=10, help="可留空"),
    ),
    instructions=(
        "按国家统计用区划代码填写本县的全部乡镇（街道）和村（社区），每行一个。",
        "乡镇行的类别留空；村（社区）行的类别填“行政村”或“城市社区”，两类分别评星、分别排名。",
        "村的代码前9位必须是其所属乡镇的代码前9位；所属乡镇须在本文件或系统中已有。",
        "勾选“完整名单”导入时，系统中有而文件中没有的乡镇、村将被停用（不会删除，历史数据保留）。",
    ),
)

MSG_NOT_IN_COUNTY = "区划代码“{code}”不属于{county}（应以 {prefix} 开头）"
MSG_LEVEL = "区划代码“{code}”既不是乡镇也不是村：第7至9位不能全为0"
MSG_KIND_REQUIRED = "村（社区）请填写类别：行政村或城市社区"
MSG_KIND_TOWNSHIP = "乡镇（街道）不填类别"
MSG_NO_TOWNSHIP = "所属乡镇“{code}”不在本文件中，系统中也没有"
MSG_TOWNSHIP_INACTIVE = "所属乡镇“{code}”已停用，且不在本文件中"


def template(*, county: Region) -> bytes:
    """The template, filled with the county's active townships and villages (so a change is
    made by editing the list the system already has)."""
    rows = []
    for region in Region.objects.filter(code__startswith=county.prefix, level__in=[Level.TOWNSHIP, Level.VILLAGE],
                                        is_active=True).order_by("code"):
        rows.append([region.code, region.name, Kind(region.kind).label if region.kind else "",
                     region.households, region.population])
    return template_build(SHEET, rows)


def import_apply(*, file, county: Region, complete: bool = False, by=None) -> ImportResult:
    """1. read and check every cell (format, county prefix, level from the code, kind, the
    township of each village in the file or the database, duplicates); 2. with any error,
    write nothing; 3. otherwise create, update or reactivate every row and, for a complete
    list, deactivate the county's codes the file left out, in one transaction."""
    result = ImportResult()
    data = read_rows(file, SHEET)
    result.rows = len(data)
    rows = check_unique(SHEET, clean_rows(SHEET, data, result), "code", result)
    existing = {r.code: r for r in Region.objects.filter(code__startswith=county.prefix)
                .exclude(level__in=[Level.PROVINCE, Level.CITY, Level.COUNTY])}
    planned: list[tuple[int, dict, str]] = []
    for number, values in rows:
        code = values["code"]
        if not code.startswith(county.prefix) or code == county.code:
            result.error(SHEET, number, "code", MSG_NOT_IN_COUNTY.format(code=code, county=county.name,
                                                                         prefix=county.prefix))
            continue
        if code[6:9] == "000":
            result.error(SHEET, number, "code", MSG_LEVEL.format(code=code))
            continue
        level = Level.TOWNSHIP if code[9:] == "000" else Level.VILLAGE
        if level == Level.VILLAGE and not values["kind"]:
            result.error(SHEET, number, "kind", MSG_KIND_REQUIRED)
            continue
        if level == Level.TOWNSHIP and values["kind"]:
            result.error(SHEET, number, "kind", MSG_KIND_TOWNSHIP)
            continue
        planned.append((number, values, level))
    # A township listed in the file counts even when its own row has an error (that error is
    # reported on its row; its villages need no second one).
    in_file = {str(raw["code"]).strip() for _, raw in data if raw.get("code") is not None}
    for number, values, level in planned:
        if level != Level.VILLAGE:
            continue
        township_code = values["code"][:9] + "000"
        if township_code in in_file:
            continue
        stored = existing.get(township_code)
        if stored is None:
            result.error(SHEET, number, "code", MSG_NO_TOWNSHIP.format(code=township_code))
        elif not stored.is_active:
            result.error(SHEET, number, "code", MSG_TOWNSHIP_INACTIVE.format(code=township_code))
    result.sort()
    if result.errors:
        return result
    _write(result, planned, existing, county, complete, by)
    return result


@transaction.atomic
def _write(result: ImportResult, planned: list, existing: dict[str, Region], county: Region, complete: bool,
           by=None) -> None:
    townships = {code: r for code, r in existing.items() if r.level == Level.TOWNSHIP}
    to_create, to_update = [], []
    fields = ["name", "kind", "households", "population", "is_active"]
    # Townships first, so their villages find their parent.
    for _number, values, level in sorted(planned, key=lambda p: (p[2] != Level.TOWNSHIP, p[1]["code"])):
        code = values["code"]
        wanted = {"name": values["name"], "kind": KIND_LABELS.get(values["kind"], "") if level == Level.VILLAGE else "",
                  "households": values["households"], "population": values["population"], "is_active": True}
        region = existing.get(code)
        if region is None:
            parent = county if level == Level.TOWNSHIP else townships[code[:9] + "000"]
            region = Region(code=code, level=level, parent=parent, **wanted)
            # The parent is the row just read or saved: its foreign-key check would be a query per row.
            region.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
            if level == Level.TOWNSHIP:
                region.save()
                townships[code] = region
                result.created += 1
            else:
                to_create.append(region)
            continue
        if wanted["households"] is None:
            wanted["households"] = region.households
        if wanted["population"] is None:
            wanted["population"] = region.population
        if all(getattr(region, f) == v for f, v in wanted.items()):
            result.unchanged += 1
            continue
        for f, v in wanted.items():
            setattr(region, f, v)
        to_update.append(region)
    Region.objects.bulk_create(to_create, batch_size=500)
    Region.objects.bulk_update(to_update, fields, batch_size=500)
    result.created += len(to_create)
    result.updated += len(to_update)
    if complete:
        listed = {values["code"] for _, values, _ in planned}
        gone = [r.pk for code, r in existing.items() if r.is_active and code not in listed]
        result.deactivated = Region.objects.filter(pk__in=gone).update(is_active=False)
        ended = regions_deactivated.send(sender=Region, region_ids=gone, by=by)
        result.posts_ended = sum(count for _, count in ended)
    else:
        listed = {values["code"] for _, values, _ in planned}
        result.deactivated = 0
        result.unlisted = sum(1 for code, r in existing.items() if r.is_active and code not in listed)
