"""Reads of the bulletins' history: what a reader of a bulletin must know of the reopenings of
its month (superseded, or generated anew after a correction)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from ratings.models import MonthReopening


@dataclass(frozen=True)
class BulletinCorrection:
    """What a reader of a bulletin must know of a reopening of its month."""

    superseded: bool  # the bulletin shows figures that a reopening put under revision
    text: str


def _reopened_on(at: dt.datetime) -> str:
    day = timezone.localtime(at)
    return f"{day.month}月{day.day}日重新开放"


def bulletin_corrections(bulletins) -> dict[int, BulletinCorrection]:
    """{bulletin id: correction} for the bulletins whose month was reopened (one query).

    A superseded bulletin (its month reopened since it was generated) reads
    "已被更正（11月18日重新开放：原因）"; one generated anew after its month was reopened and
    closed again reads "更正后重新生成（…）". Bulletins of months never reopened are absent.
    """
    bulletins = list(bulletins)
    if not bulletins:
        return {}
    reopenings: dict[tuple[str, int, int], list[MonthReopening]] = defaultdict(list)
    for r in MonthReopening.objects.filter(
            county__code__in={f"{b.region.code[:6]}000000" for b in bulletins},
            year__in={b.year for b in bulletins}, month__in={b.month for b in bulletins},
    ).select_related("county").order_by("reopened_at"):
        reopenings[r.county.code[:6], r.year, r.month].append(r)
    corrections = {}
    for b in bulletins:
        found = reopenings.get((b.region.code[:6], b.year, b.month), [])
        if b.superseded_at:
            # The reopening that superseded it: the last one up to the time it was marked.
            at = [r for r in found if r.reopened_at <= b.superseded_at] or found
            reason = b.superseded_reason or (at[-1].reason if at else "")
            when = _reopened_on(at[-1].reopened_at if at else b.superseded_at)
            corrections[b.pk] = BulletinCorrection(True, f"已被更正（{when}：{reason}）" if reason else f"已被更正（{when}）")
            continue
        earlier = [r for r in found if b.generated_at and r.closed_again_at and r.closed_again_at <= b.generated_at]
        if earlier:
            corrections[b.pk] = BulletinCorrection(False, f"更正后重新生成（{_reopened_on(earlier[-1].reopened_at)}：{earlier[-1].reason}）")
    return corrections
