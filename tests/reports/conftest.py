"""Result rows for the reports tests, built in bulk so 300 villages stay quick."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ratings.models import StarScore, VillageScore
from tests.factories import ResultStandardFactory, TownshipFactory
from villages.models import Kind, Level, Region

STARS = ["branch", "industry", "ecology", "safety", "civility"]
AT = dt.datetime(2026, 5, 31, tzinfo=dt.UTC)


def make_scores(villages, *, year=2026, month=5, view="published", shift=0):
    """One VillageScore and five StarScores per village; village i earns (i + shift) % 6 stars."""
    standard = ResultStandardFactory(year=year)
    scores, stars = [], []
    for i, v in enumerate(villages):
        level = (i + shift) % 6
        earned = STARS[:level]
        scores.append(VillageScore(
            village=v, year=year, month=month, view=view, standard=standard, stars_earned=earned,
            star_level=level, total=Decimal(300 + 20 * level + i % 7), county_rank=i + 1, township_rank=i % 30 + 1,
            county_movement=(i % 5) - 2, township_movement=(i % 3) - 1, computed_at=AT))
        for j, code in enumerate(STARS):
            score = Decimal(85 if code in earned else (75 if j == level else 40))
            stars.append(StarScore(
                village=v, year=year, month=month, view=view, star=code, score=score, pass_mark=Decimal(80),
                earned=code in earned, points_short=max(Decimal(0), Decimal(80) - score), computed_at=AT,
                unmet=[] if code in earned else [f"{code}.x"],
                indicators=[{"code": f"{code}.x", "name": f"{code}测试指标", "value": 1, "points": 0,
                             "max_points": 10, "met": code in earned, "gap": "需达到 3"}]))
    VillageScore.objects.bulk_create(scores)
    StarScore.objects.bulk_create(stars)


@pytest.fixture
def big_county(county, township, other_township, village, other_village, foreign_village):
    """300 villages in 10 townships (the fixture townships included), each with May results."""
    townships = [township, other_township] + [
        TownshipFactory(parent=county, code=f"419901{n:03d}000") for n in range(3, 11)]
    existing = {village.code, other_village.code, foreign_village.code}
    new = []
    for t in townships:
        for k in range(1, 31):
            code = f"{t.code[:9]}{k:03d}"
            if code not in existing:
                new.append(Region(code=code, name=f"村{code[-6:]}", level=Level.VILLAGE, parent=t,
                                  kind=Kind.URBAN if k > 25 else Kind.RURAL))
    Region.objects.bulk_create(new)
    villages = list(Region.objects.filter(level=Level.VILLAGE).order_by("code"))
    assert len(villages) == 300
    make_scores(villages)
    make_scores(villages, month=4, shift=1)
    make_scores(villages, view="live", shift=2)
    return county
