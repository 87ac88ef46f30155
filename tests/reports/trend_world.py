"""A county with months of stored results for the trend pages and the meeting-room screen, built in
bulk so that 300 villages stay quick. Figures follow simple rules the tests can recompute."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ratings.models import MonthClose, StarScore, VillageScore
from tests.factories import ResultStandardFactory
from villages.models import Kind, Level, Region

STARS = ["branch", "industry", "ecology", "safety", "civility"]
AT = dt.datetime(2026, 6, 30, tzinfo=dt.UTC)


def add_villages(township: Region, count: int, *, urban_from: int | None = None) -> list[Region]:
    """`count` villages under the township (codes …001, …002, …), urban from number `urban_from` on."""
    existing = set(Region.objects.filter(parent=township).values_list("code", flat=True))
    new = []
    for k in range(1, count + 1):
        code = f"{township.code[:9]}{k:03d}"
        if code not in existing:
            urban = urban_from is not None and k >= urban_from
            new.append(Region(code=code, name=f"村{code[-6:]}", level=Level.VILLAGE, parent=township,
                              kind=Kind.URBAN if urban else Kind.RURAL))
    Region.objects.bulk_create(new)
    return list(Region.objects.filter(parent=township, level=Level.VILLAGE).order_by("code"))


def add_townships(county: Region, numbers: range) -> list[Region]:
    Region.objects.bulk_create([Region(code=f"{county.code[:6]}{n:03d}000", name=f"镇{n:03d}", level=Level.TOWNSHIP,
                                       parent=county) for n in numbers])
    return list(Region.objects.filter(parent=county, level=Level.TOWNSHIP, code__in=[
        f"{county.code[:6]}{n:03d}000" for n in numbers]).order_by("code"))


def star_score(i: int, j: int, level: int, month: int) -> Decimal:
    """Village i's score in star j: 85 + a little when earned, else 40 + a little."""
    return Decimal(85 + (i + month) % 10) if j < level else Decimal(40 + (i * 3 + j + month) % 30)


def add_results(villages: list[Region], *, month: int, view: str, year: int = 2026, shift: int = 0,
                with_township: bool = True) -> None:
    """One VillageScore and five StarScores per village: village i earns the first (i + shift) % 6
    stars; total = the sum of its star scores; ranks by position (county rank i + 1, township rank
    its place among the township's villages); county movement ((7i + shift) mod 11) - 5."""
    standard = ResultStandardFactory(year=year)
    scores, stars = [], []
    place: dict[int, int] = {}
    for i, v in enumerate(villages):
        level = (i + shift) % 6
        points = [star_score(i, j, level, month) for j in range(5)]
        place[v.parent_id] = place.get(v.parent_id, 0) + 1
        scores.append(VillageScore(
            village=v, year=year, month=month, view=view, standard=standard, stars_earned=STARS[:level],
            star_level=level, total=sum(points), county_rank=i + 1, township_rank=place[v.parent_id],
            county_movement=(7 * i + shift) % 11 - 5, township_movement=(3 * i + shift) % 5 - 2,
            township_id=v.parent_id if with_township else None, computed_at=AT))
        stars += [StarScore(village=v, year=year, month=month, view=view, star=code, score=points[j],
                            pass_mark=Decimal(80), earned=j < level, computed_at=AT) for j, code in enumerate(STARS)]
    VillageScore.objects.bulk_create(scores)
    StarScore.objects.bulk_create(stars)


def close(county: Region, *months: int, year: int = 2026) -> None:
    for month in months:
        MonthClose.objects.create(county=county, year=year, month=month, closed_at=AT)


def year_of_results(county: Region, villages: list[Region]) -> None:
    """March–May closed (published and live rows, the live ones different), June running (live)."""
    for month, shift in ((3, 0), (4, 1), (5, 2)):
        add_results(villages, month=month, view="published", shift=shift)
        add_results(villages, month=month, view="live", shift=shift + 3)
    add_results(villages, month=6, view="live", shift=4)
    close(county, 3, 4, 5)
