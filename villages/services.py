"""State changes of the region tree."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import CODE_RE, Level, Region
from .signals import regions_deactivated


@transaction.atomic
def region_create(*, code: str, name: str, level: str, parent: Region | None, kind: str = "", **profile) -> Region:
    """Validate (format, level, parent prefix, uniqueness) and create a region.

    Raises ValidationError with Chinese messages; nothing is saved on error.
    """
    region = Region(code=code, name=name, level=level, parent=parent, kind=kind, **profile)
    region.full_clean()
    region.save()
    return region


@transaction.atomic
def region_update(*, region: Region, **fields) -> Region:
    for key, value in fields.items():
        setattr(region, key, value)
    region.full_clean()
    region.save()
    return region


# Province and city names of Henan (statistical division codes); another province's names are
# given on the command line.
PROVINCE_NAMES = {"41": "河南省"}
CITY_NAMES = {
    "4101": "郑州市", "4102": "开封市", "4103": "洛阳市", "4104": "平顶山市", "4105": "安阳市", "4106": "鹤壁市",
    "4107": "新乡市", "4108": "焦作市", "4109": "濮阳市", "4110": "许昌市", "4111": "漯河市", "4112": "三门峡市",
    "4113": "南阳市", "4114": "商丘市", "4115": "信阳市", "4116": "周口市", "4117": "驻马店市",
    "4190": "省直辖县级行政区划",
}
MSG_COUNTY_CODE = "县级区划代码应为12位数字，前6位有效、后6位为0（如 411421000000）"
MSG_NAME_UNKNOWN = "不认识代码“{code}”对应的{level}名称，请用 {option} 指定"
MSG_COUNTY_EXISTS = "数据库中已有县“{name}”（{code}），本命令只用于空数据库的首次上线"


@transaction.atomic
def county_setup(*, code: str, name: str, province_name: str = "", city_name: str = "",
                 start: dt.date | None = None) -> Region:
    """Create the province → city → county chain of a county's 12-digit code (on an empty
    installation; a county already present stops it), with its start month."""
    code = (code or "").strip()
    if not CODE_RE.match(code) or code[6:] != "000000" or code[4:6] == "00":
        raise ValidationError(MSG_COUNTY_CODE)
    existing = Region.objects.filter(level=Level.COUNTY).first()
    if existing is not None:
        raise ValidationError(MSG_COUNTY_EXISTS.format(name=existing.name, code=existing.code))
    province_name = province_name or PROVINCE_NAMES.get(code[:2], "")
    if not province_name:
        raise ValidationError(MSG_NAME_UNKNOWN.format(code=code[:2], level="省", option="--province-name"))
    city_name = city_name or CITY_NAMES.get(code[:4], "")
    if not city_name:
        raise ValidationError(MSG_NAME_UNKNOWN.format(code=code[:4], level="市", option="--city-name"))
    province = Region.objects.filter(code=code[:2] + "0" * 10).first() or region_create(
        code=code[:2] + "0" * 10, name=province_name, level=Level.PROVINCE, parent=None)
    city = Region.objects.filter(code=code[:4] + "0" * 8).first() or region_create(
        code=code[:4] + "0" * 8, name=city_name, level=Level.CITY, parent=province)
    return region_create(code=code, name=name.strip(), level=Level.COUNTY, parent=city,
                         start_month=start.replace(day=1) if start else None)


MSG_MOVE_VILLAGE_ONLY = "只能调整村（社区）的所属乡镇"
MSG_MOVE_TARGET = "目标必须是同一县的乡镇（街道）"
MSG_MOVE_CODE = "新区划代码应以新乡镇的代码前缀“{prefix}”开头"


@transaction.atomic
def village_move(*, village: Region, township: Region, code: str) -> Region:
    """Move a village to another township of the county under its new division code.

    The region row stays the same, so its ledgers, branch and people stay attached; results
    already computed keep the township they were ranked in (VillageScore.township), so closed
    months still show the village where it stood then.
    """
    if village.level != Level.VILLAGE:
        raise ValidationError(MSG_MOVE_VILLAGE_ONLY)
    if township.level != Level.TOWNSHIP or township.code[:6] != village.code[:6]:
        raise ValidationError(MSG_MOVE_TARGET)
    if not code.startswith(township.prefix):
        raise ValidationError(MSG_MOVE_CODE.format(prefix=township.prefix))
    village = Region.objects.select_for_update().get(pk=village.pk)
    village.parent, village.code = township, code
    village.full_clean()
    village.save(update_fields=["parent", "code", "updated_at"])
    return village


@transaction.atomic
def township_merge(*, township: Region, into: Region, by=None) -> list[Region]:
    """Merge a township into another: its villages move (numbered after the villages already
    there) and the township is deactivated, never deleted; the posts over it end (audited)."""
    if township.level != Level.TOWNSHIP or into.level != Level.TOWNSHIP or township.pk == into.pk:
        raise ValidationError(MSG_MOVE_TARGET)
    taken = {int(c[9:]) for c in Region.objects.filter(code__startswith=into.prefix, level=Level.VILLAGE)
             .values_list("code", flat=True)}
    moved, number = [], 0
    for village in Region.objects.filter(parent=township, level=Level.VILLAGE).order_by("code"):
        number += 1
        while number in taken:
            number += 1
        moved.append(village_move(village=village, township=into, code=f"{into.prefix}{number:03d}"))
    Region.objects.filter(pk=township.pk).update(is_active=False)
    regions_deactivated.send(sender=Region, region_ids=[township.pk], by=by)
    return moved
