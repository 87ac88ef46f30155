"""What a pairing (结对共建) has done for the weaker partner: star levels and incomes month by
month against the year's target, and the lift (受援方提升).

The lift counts closed months only, from their published rows: the receiver's published level in
the latest closed month of the pairing (up to its end) less its published level in the last closed
month before the pairing began (or, when none was closed, the first closed month of the pairing).
A recompute of a live month writes live rows only, so it never changes a lift; a closed month's
published rows change only by a reopening.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from branches.models_pairing import Pairing
from projects.selectors import load_figures

from ..models import MonthClose, View, VillageScore


def county_code(village_code: str) -> str:
    return village_code[:6].ljust(12, "0")


def closed_month_keys(village_codes) -> set[tuple[str, int, int]]:
    """{(county code, year, month)} closed for the counties of these villages (one query)."""
    counties = {county_code(c) for c in village_codes}
    return set(MonthClose.objects.filter(county__code__in=counties).values_list("county__code", "year", "month"))


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


@dataclass
class Lift:
    base: int | None
    base_month: tuple[int, int] | None
    latest: int | None
    latest_month: tuple[int, int] | None

    @property
    def gained(self) -> int | None:
        if self.base is None or self.latest is None:
            return None
        return self.latest - self.base


def lifts(pairings: list[Pairing], *, today: dt.date) -> dict[int, Lift]:
    """{pairing id: its receiver's lift}, from published rows of closed months (two queries)."""
    receivers = {p.receiver_id: p.receiver.code for p in pairings}
    closed = closed_month_keys(receivers.values())
    published: dict[int, dict[int, int]] = {}
    for village_id, year, month, level in (VillageScore.objects.filter(village_id__in=receivers, view=View.PUBLISHED)
                                           .values_list("village_id", "year", "month", "star_level")):
        if (county_code(receivers[village_id]), year, month) in closed:
            published.setdefault(village_id, {})[month_index(year, month)] = level
    result = {}
    for p in pairings:
        levels = published.get(p.receiver_id, {})
        start = month_index(p.started_on.year, p.started_on.month)
        end_day = min(p.ended_on or today, today)
        end = month_index(end_day.year, end_day.month)
        before = [m for m in levels if m < start]
        during = [m for m in levels if start <= m <= end]
        base_m = max(before) if before else (min(during) if during else None)
        latest_m = max(during) if during else None
        result[p.pk] = Lift(
            base=levels.get(base_m) if base_m is not None else None,
            base_month=(base_m // 12, base_m % 12 + 1) if base_m is not None else None,
            latest=levels.get(latest_m) if latest_m is not None else None,
            latest_month=(latest_m // 12, latest_m % 12 + 1) if latest_m is not None else None,
        )
    return result


@dataclass
class PartnerMonth:
    level: int | None
    published: bool
    income_ytd: Decimal | None
    income_whole_year: bool = False


@dataclass
class PairingMonth:
    year: int
    month: int
    helper: PartnerMonth
    receiver: PartnerMonth
    target_level: int | None
    target_income: Decimal | None

    @property
    def level_reached(self) -> bool | None:
        if self.target_level is None or self.receiver.level is None:
            return None
        return self.receiver.level >= self.target_level

    @property
    def income_reached(self) -> bool | None:
        if self.target_income is None or self.receiver.income_ytd is None:
            return None
        return self.receiver.income_ytd >= self.target_income


def pairing_months(pairing: Pairing, *, today: dt.date) -> list[PairingMonth]:
    """Both partners month by month since the pairing began (up to its end or this month): the
    star level (published for a closed month, live otherwise) and the collective income of the
    year up to the month, against the receiver's target of that year. Four queries."""
    end_day = min(pairing.ended_on or today, today)
    months = []
    y, m = pairing.started_on.year, pairing.started_on.month
    while (y, m) <= (end_day.year, end_day.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if not months:
        return []
    ids = {pairing.helper_id: pairing.helper.code, pairing.receiver_id: pairing.receiver.code}
    closed = closed_month_keys(ids.values())
    years = sorted({y for y, _ in months})
    levels: dict[tuple[int, int, int, str], int] = {}
    for vid, year, month, view, level in (VillageScore.objects.filter(village_id__in=ids, year__in=years)
                                          .values_list("village_id", "year", "month", "view", "star_level")):
        levels[(vid, year, month, view)] = level
    figures = load_figures(village_ids=list(ids), years=years)
    targets = {t.year: t for t in pairing.targets.all()}

    def partner(vid: int, year: int, month: int) -> PartnerMonth:
        is_closed = (county_code(ids[vid]), year, month) in closed
        level = levels.get((vid, year, month, View.PUBLISHED if is_closed else View.LIVE))
        figure = figures.get(vid, {}).get(year)
        income, whole = None, False
        if figure is not None:
            income, whole = (figure.up_to(month).total, False) if figure.monthly else (figure.total, True)
        return PartnerMonth(level=level, published=is_closed, income_ytd=income, income_whole_year=whole)

    rows = []
    for year, month in months:
        target = targets.get(year)
        rows.append(PairingMonth(year=year, month=month, helper=partner(pairing.helper_id, year, month),
                                 receiver=partner(pairing.receiver_id, year, month),
                                 target_level=target.star_level if target else None,
                                 target_income=target.income if target else None))
    return rows
