"""The demo county 示范县: 12 townships, about 300 villages of which about 30 communities.

Names are made from common place-name parts; codes follow the statistical scheme under the
fictional county code 419901 (province 41 = Henan, city 99 is not used by a real city).
"""

from __future__ import annotations

import random
from decimal import Decimal

from .models import Kind, Level, Region

PROVINCE_CODE = "410000000000"
CITY_CODE = "419900000000"
COUNTY_CODE = "419901000000"

TOWNSHIPS = [
    ("城关镇", 30, 10), ("东城街道", 12, 12), ("王庄乡", 26, 0), ("李集镇", 28, 0),
    ("张桥镇", 25, 0), ("刘河乡", 24, 0), ("杨柳镇", 27, 0), ("高庙乡", 22, 0),
    ("黄岗镇", 26, 0), ("孙店乡", 23, 0), ("马寨镇", 25, 8), ("朱集乡", 22, 0),
]  # (name, rural villages, urban communities)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
VILLAGE_SUFFIX = ["庄", "营", "寨", "集", "楼", "店", "湾", "岗", "屯", "桥", "坡", "园", "洼", "庙", "堂"]
VILLAGE_PREFIX = ["东", "西", "南", "北", "前", "后", "大", "小", "新", "老", "上", "下", ""]
COMMUNITY_NAMES = [
    "人民路", "解放路", "建设路", "文化路", "和平", "幸福", "朝阳", "向阳", "光明", "新华", "滨河",
    "育才", "花园", "锦绣", "迎宾", "长安", "民主", "永安", "兴业", "振兴", "金水", "康宁", "福民",
    "阳光", "翠园", "春晖", "胜利", "团结", "红旗", "丰收",
]


def _village_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(VILLAGE_PREFIX) + rng.choice(SURNAMES) + rng.choice(VILLAGE_SUFFIX) + "村"
        if name not in used:
            used.add(name)
            return name


def _upsert(code: str, **fields) -> Region:
    region, created = Region.objects.get_or_create(code=code, defaults=fields)
    if not created:
        changed = [k for k, v in fields.items() if getattr(region, k) != v]
        if changed:
            for key in changed:
                setattr(region, key, fields[key])
            region.save(update_fields=changed)
    return region


def build_county(rng: random.Random) -> Region:
    province = _upsert(PROVINCE_CODE, name="河南省", level=Level.PROVINCE)
    city = _upsert(CITY_CODE, name="示范市", level=Level.CITY, parent=province)
    return _upsert(COUNTY_CODE, name="示范县", level=Level.COUNTY, parent=city, population=520000)


def seed(*, rng: random.Random, county: Region | None = None, stdout=None) -> Region:
    """Create (or bring back to its seeded state) the demo county's region tree."""
    county = build_county(rng)
    existing = {r.code: r for r in Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE)}
    used_names: set[str] = set()
    community_names = iter(rng.sample(COMMUNITY_NAMES, len(COMMUNITY_NAMES)))
    to_create = []
    for index, (name, rural, urban) in enumerate(TOWNSHIPS, start=1):
        code = f"{county.prefix}{index:03d}000"
        township = _upsert(code, name=name, level=Level.TOWNSHIP, parent=county)
        # Communities first (statistical codes put 社区 in the 001–199 range, villages from 200).
        for number in range(1, urban + 1):
            to_create.append(_village(rng, township, f"{township.prefix}{number:03d}",
                                      next(community_names) + "社区", Kind.URBAN))
        for offset in range(rural):
            to_create.append(_village(rng, township, f"{township.prefix}{200 + offset:03d}",
                                      _village_name(rng, used_names), Kind.RURAL))
    new = [v for v in to_create if v.code not in existing]
    Region.objects.bulk_create(new, batch_size=500)
    fields = ["name", "kind", "households", "population", "natural_villages", "cultivated_mu", "area_km2", "parent"]
    stale = []
    for village in to_create:
        current = existing.get(village.code)
        if current and any(getattr(current, f) != getattr(village, f) for f in fields):
            village.pk = current.pk
            stale.append(village)
    if stale:
        Region.objects.bulk_update(stale, fields, batch_size=500)
    if stdout:
        stdout.write(f"  区划：{len(TOWNSHIPS)} 个乡镇，{len(to_create)} 个村（社区），新增 {len(new)}")
    return county


def _village(rng: random.Random, township: Region, code: str, name: str, kind: str) -> Region:
    urban = kind == Kind.URBAN
    households = rng.randint(800, 3200) if urban else rng.randint(180, 1100)
    return Region(
        code=code, name=name, level=Level.VILLAGE, kind=kind, parent=township,
        households=households,
        population=int(households * rng.uniform(2.6, 3.8)),
        natural_villages=None if urban else rng.randint(1, 6),
        cultivated_mu=None if urban else Decimal(f"{rng.uniform(800, 6500):.1f}"),
        area_km2=Decimal(f"{rng.uniform(0.4, 2.5) if urban else rng.uniform(1.5, 9.0):.2f}"),
    )
