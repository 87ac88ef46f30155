"""Trends over the months of a year, read from the results the engine stored.

Which rows a month shows: a closed month (a MonthClose of the county) shows its published rows,
frozen at the close; any other month (the running one, a reopened one) its live rows. Pages say
which is which. Every function here issues a fixed number of queries, whatever the number of
villages or months (asserted for 30 and 300 villages in tests/reports/test_trends_pages.py).

A township's villages in a month are the villages ranked in it that month (VillageScore.township,
or the village's parent for rows stored before the township was kept), so a village moved since
then leaves the past months as they were.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from ratings.models import MonthClose, StarScore, View, VillageScore
from ratings.selectors import star_names
from ratings.selectors_running import month_state
from villages.models import Kind, Level, Region
from villages.start_month import county_start

from .selectors import STAR_CODES

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class TrendMonth:
    year: int
    month: int
    view: str

    @property
    def is_published(self) -> bool:
        return self.view == View.PUBLISHED

    @property
    def label(self) -> str:
        if self.is_published:
            return f"{self.month}月"
        # The running month's live figures are today's, not the month's: said so, not a drop.
        return f"{self.month}月（{'进行中' if month_state(self.year, self.month) == 'running' else '实时'}）"

    @property
    def view_label(self) -> str:
        return View(self.view).label


def closed_months(county_code: str, year: int) -> set[int]:
    """The months of the year the county has closed (one query)."""
    return set(MonthClose.objects.filter(county__code=county_code, year=year).values_list("month", flat=True))


def trend_years(region: Region) -> list[int]:
    """Years with stored results under the region, newest first (one query)."""
    return list(VillageScore.objects.filter(village__code__startswith=region.prefix)
                .values_list("year", flat=True).distinct().order_by("-year"))


def first_month(county_code: str, year: int) -> int:
    """The first month of `year` the county's trends show: its start month in its first year, 13
    (none) in a year before it, else January (one query)."""
    start = county_start(county_code)
    if start is None or start.year < year:
        return 1
    return start.month if start.year == year else 13


def shown_rows_q(closed: set[int], first: int = 1) -> Q:
    """The rows a month shows: published for a closed month, live otherwise; none before the
    county's start month (`first`)."""
    return (Q(view=View.PUBLISHED, month__in=closed) | (Q(view=View.LIVE) & ~Q(month__in=closed))) & Q(
        month__gte=first)


def township_of_row():
    """The township a result row was ranked in (older rows: the village's parent)."""
    return Coalesce(F("township_id"), F("village__parent_id"))


def _in_township_q(township: Region) -> Q:
    return Q(township=township) | Q(township__isnull=True, village__parent=township)


def _months(rows, closed: set[int], year: int) -> list[TrendMonth]:
    present = sorted({r["month"] for r in rows})
    return [TrendMonth(year, m, View.PUBLISHED if m in closed else View.LIVE) for m in present]


def share_percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def average_of(total: Decimal, n: int) -> Decimal | None:
    return (Decimal(total) / n).quantize(TWO_PLACES, rounding=ROUND_HALF_UP) if n else None


@dataclass
class LeagueRow:
    """A township in one month's league: ranked by the average total score of its villages."""

    township_id: int
    villages: int
    total: Decimal
    three_plus: int
    five_star: int = 0
    rank: int | None = None
    movement: int | None = None
    name: str = ""
    code: str = ""

    @property
    def average(self) -> Decimal | None:
        return average_of(self.total, self.villages)

    @property
    def three_plus_share(self) -> float | None:
        return share_percent(self.three_plus, self.villages)


def rank_league(rows: list[LeagueRow]) -> list[LeagueRow]:
    """Ranks 1, 2, 3… by average total (descending), ties by division code: the county
    dashboard's league order, numbered."""
    ordered = sorted(rows, key=lambda r: (r.average is None, -(r.average or 0), r.code))
    for i, row in enumerate(ordered, start=1):
        row.rank = i
    return ordered


def league_by_month(county_prefix: str, year: int, closed: set[int], first: int = 1) -> dict[int, list[LeagueRow]]:
    """Each month's township league with the movement against the month before (two queries)."""
    rows = (VillageScore.objects.filter(village__code__startswith=county_prefix, year=year)
            .filter(shown_rows_q(closed, first)).annotate(t=township_of_row()).values("month", "t").order_by()
            .annotate(n=Count("id"), total=Sum("total"), three=Count("id", filter=Q(star_level__gte=3)),
                      five=Count("id", filter=Q(star_level=5))))
    by_month: dict[int, list[LeagueRow]] = defaultdict(list)
    for r in rows:
        by_month[r["month"]].append(LeagueRow(r["t"], r["n"], r["total"] or Decimal(0), r["three"], r["five"]))
    ids = {row.township_id for rows_ in by_month.values() for row in rows_}
    names = {pk: (code, name) for pk, code, name in Region.objects.filter(pk__in=ids).values_list("pk", "code", "name")}
    league: dict[int, list[LeagueRow]] = {}
    for month in sorted(by_month):
        for row in by_month[month]:
            row.code, row.name = names.get(row.township_id, ("", ""))
        league[month] = rank_league(by_month[month])
        before = {r.township_id: r.rank for r in league.get(month - 1, [])}
        for row in league[month]:
            if row.township_id in before:
                row.movement = before[row.township_id] - row.rank
    return league


def _row_star_name(code: str, kinds: set) -> str:
    """A star's name for a row over villages of these kinds: the village's or the community's
    own name, or both (产业兴旺星（社区：宜业兴业星）) when the row counts both."""
    rural, urban = star_names(Kind.RURAL)[code], star_names(Kind.URBAN)[code]
    if kinds == {Kind.URBAN}:
        return urban
    if Kind.URBAN not in kinds or rural == urban:
        return rural
    return f"{rural}（社区：{urban}）"


def region_trends(region: Region, *, year: int) -> dict:
    """A county's or a township's trends over the year (a county: seven queries, a township:
    eight):

    1. the county's closed months; 2. villages per star level per month; 3. each star's earn
    rate per month; 4–5. the township league per month (the county's table and bump chart; a
    township shows only its own place in it); 6. (township) each village's rank per month."""
    county_code = region.county_code
    closed = closed_months(county_code, year)
    first = first_month(county_code, year)
    shown = shown_rows_q(closed, first)
    if region.level == Level.TOWNSHIP:
        scores = VillageScore.objects.filter(_in_township_q(region))
        ranked_here = VillageScore.objects.filter(
            _in_township_q(region), village=OuterRef("village"), year=OuterRef("year"), month=OuterRef("month"),
            view=OuterRef("view"))
        # The villages ever ranked here first (a short list), then the month's own condition.
        stars = StarScore.objects.filter(village_id__in=scores.filter(year=year).values("village_id"))\
            .filter(Exists(ranked_here))
    else:
        scores = VillageScore.objects.filter(village__code__startswith=region.prefix)
        stars = StarScore.objects.filter(village__code__startswith=region.prefix)

    level_rows = list(scores.filter(shown, year=year).values("month", "star_level").order_by()
                      .annotate(n=Count("id")))
    months = _months(level_rows, closed, year)
    levels = {m.month: [0] * 6 for m in months}
    for r in level_rows:
        levels[r["month"]][r["star_level"]] += r["n"]
    scored = {m: sum(counts) for m, counts in levels.items()}

    star_rows = stars.filter(shown, year=year, star__in=STAR_CODES).values("month", "star", "village__kind") \
        .order_by().annotate(n=Count("id"), earned=Count("id", filter=Q(earned=True)))
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    kinds = set()
    for r in star_rows:
        kinds.add(Kind.URBAN if r["village__kind"] == Kind.URBAN else Kind.RURAL)
        totals[r["star"], r["month"]][0] += r["n"]
        totals[r["star"], r["month"]][1] += r["earned"]
    earn: dict[str, dict[int, float | None]] = {code: {} for code in STAR_CODES}
    earned_counts: dict[str, dict[int, int]] = {code: {} for code in STAR_CODES}
    for (star, month), (n, n_earned) in totals.items():
        earn[star][month] = share_percent(n_earned, n)
        earned_counts[star][month] = n_earned
    # A row counts villages and communities together: it names the community's star too.
    row_names = {code: _row_star_name(code, kinds) for code in STAR_CODES}

    league = league_by_month(county_code[:6], year, closed, first)

    data = {
        "year": year,
        "months": months,
        "closed": sorted(closed),
        "published_months": [m for m in months if m.is_published],
        "live_months": [m for m in months if not m.is_published],
        "levels": [{"month": m, "counts": levels[m.month], "scored": scored[m.month],
                    "three_plus": sum(levels[m.month][3:]),
                    "three_plus_share": share_percent(sum(levels[m.month][3:]), scored[m.month])} for m in months],
        "stars": [{"code": code, "name": row_names[code],
                   "rates": [earn[code].get(m.month) for m in months],
                   "earned": [earned_counts[code].get(m.month, 0) for m in months]} for code in STAR_CODES],
    }
    if region.level == Level.TOWNSHIP:
        own = []
        for m in months:
            row = next((r for r in league.get(m.month, []) if r.township_id == region.pk), None)
            own.append({"month": m, "row": row, "of": len(league.get(m.month, []))})
        data["own_league"] = own
        ranks = _village_ranks(region, year, shown, months)
        data["village_tables"] = [("行政村", ranks["rural"], "village-ranks-rural"),
                                  ("城市社区", ranks["urban"], "village-ranks-urban")]
    else:
        data["league"] = _league_table(league, months)
    data["chart"] = _chart_json(data)
    return data


def _league_table(league: dict[int, list[LeagueRow]], months: list[TrendMonth]) -> list[dict]:
    """One row per township (in the latest month's order), one cell per month."""
    latest = league.get(months[-1].month, []) if months else []
    seen = [r.township_id for r in latest]
    for m in months:
        for r in league.get(m.month, []):
            if r.township_id not in seen:
                seen.append(r.township_id)
    cells = {(m.month, r.township_id): r for m in months for r in league.get(m.month, [])}
    table = []
    for tid in seen:
        row_cells = [cells.get((m.month, tid)) for m in months]
        named = next(c for c in row_cells if c is not None)
        table.append({"township_id": tid, "code": named.code, "name": named.name, "cells": row_cells,
                      "latest": row_cells[-1] if row_cells else None})
    return table


@dataclass
class VillageRankRow:
    code: str
    name: str
    kind: str
    cells: list = field(default_factory=list)

    @property
    def latest(self):
        return self.cells[-1] if self.cells else None


def _village_ranks(township: Region, year: int, shown: Q, months: list[TrendMonth]) -> dict[str, list]:
    """Each village's township rank per month (one query), rural and urban apart (ranked apart)."""
    rows = (VillageScore.objects.filter(_in_township_q(township), shown, year=year)
            .values("village__code", "village__name", "village__kind", "month", "township_rank",
                    "township_movement", "star_level", "total"))
    by_village: dict[str, VillageRankRow] = {}
    cells: dict[tuple[str, int], dict] = {}
    for r in rows:
        code = r["village__code"]
        by_village.setdefault(code, VillageRankRow(code, r["village__name"], r["village__kind"]))
        cells[(code, r["month"])] = r
    for code, row in by_village.items():
        row.cells = [cells.get((code, m.month)) for m in months]

    def order(row: VillageRankRow):
        latest = row.latest
        rank = latest["township_rank"] if latest and latest["township_rank"] is not None else 10**6
        return rank, row.code

    everyone = sorted(by_village.values(), key=order)
    return {"rural": [r for r in everyone if r.kind != Kind.URBAN], "urban": [r for r in everyone if r.kind == Kind.URBAN]}


def _chart_json(data: dict) -> dict:
    months = data["months"]
    out = {
        "months": [m.label for m in months],
        "levels": [[lv["counts"][level] for lv in data["levels"]] for level in range(6)],
        "stars": [{"name": s["name"], "rates": s["rates"]} for s in data["stars"]],
    }
    if "league" in data:
        out["league"] = [{"name": t["name"], "ranks": [c.rank if c else None for c in t["cells"]]}
                         for t in data["league"]]
    if "own_league" in data:
        out["own_rank"] = [o["row"].rank if o["row"] else None for o in data["own_league"]]
        out["townships"] = max((o["of"] for o in data["own_league"]), default=0)
    return out


def village_trends(village: Region, *, year: int) -> dict:
    """A village's year: its five star scores per month against the average of the villages of
    the same kind ranked in its township that month, and its rank history (five queries):

    1. the county's closed months; 2. the village's rows (level, total, ranks, township);
    3. its star scores; 4. its township's average per star and month; 5. how many villages
    of its kind were ranked in the county and in its township each month."""
    closed = closed_months(village.county_code, year)
    shown = shown_rows_q(closed, first_month(village.county_code, year))
    own = list(VillageScore.objects.filter(shown, village=village, year=year).annotate(t=township_of_row())
               .values("month", "total", "star_level", "township_rank", "county_rank", "township_movement",
                       "county_movement", "t").order_by("month"))
    months = _months(own, closed, year)
    scores = {(r["month"], r["star"]): r for r in StarScore.objects.filter(
        shown, village=village, year=year, star__in=STAR_CODES).values("month", "star", "score", "earned", "pass_mark")}

    # The peers of each month: the villages of the same kind ranked in the township our village
    # was ranked in that month. One OR term per township it was in (almost always one).
    months_by_township: dict[int, list[int]] = defaultdict(list)
    for r in own:
        months_by_township[r["t"]].append(r["month"])
    peers = Q(pk__in=[])
    for township_id, in_months in months_by_township.items():
        ranked_there = (VillageScore.objects.annotate(t=township_of_row())
                        .filter(t=township_id, village=OuterRef("village"), year=OuterRef("year"),
                                month=OuterRef("month"), view=OuterRef("view")))
        peers |= Q(month__in=in_months) & Q(Exists(ranked_there))
    averages = {(r["month"], r["star"]): r for r in StarScore.objects.filter(
        shown, peers, year=year, village__kind=village.kind, village__code__startswith=village.code[:6],
        star__in=STAR_CODES).values("month", "star").order_by().annotate(avg=Avg("score"), n=Count("id"))}
    township_sizes = {m: next((a["n"] for (am, _s), a in averages.items() if am == m), 0) for m in
                      {r["month"] for r in own}}
    county_sizes = dict(VillageScore.objects.filter(
        shown, year=year, village__kind=village.kind, village__code__startswith=village.code[:6])
        .values("month").order_by().annotate(n=Count("id")).values_list("month", "n"))

    names = star_names(village.kind)
    star_rows = []
    for code in STAR_CODES:
        cells = []
        for m in months:
            mine, avg = scores.get((m.month, code)), averages.get((m.month, code))
            cells.append({"score": mine["score"] if mine else None, "earned": bool(mine and mine["earned"]),
                          "average": _quantize(avg["avg"]) if avg else None})
        star_rows.append({"code": code, "name": names[code], "cells": cells})
    by_month = {r["month"]: r for r in own}
    history = [{**by_month[m.month], "period": m, "township_size": township_sizes.get(m.month, 0),
                "county_size": county_sizes.get(m.month, 0)} for m in months]
    chart = {
        "months": [m.label for m in months],
        "stars": [names[c] for c in STAR_CODES],
        "own": [[_float(c["score"]) for c in row["cells"]] for row in star_rows],
        "own_label": "本社区" if village.kind == Kind.URBAN else "本村",
        "average": [[_float(c["average"]) for c in row["cells"]] for row in star_rows],
        "township_rank": [h["township_rank"] for h in history],
        "county_rank": [h["county_rank"] for h in history],
        "county_sizes": [h["county_size"] for h in history],
    }
    return {"year": year, "months": months, "closed": sorted(closed),
            "published_months": [m for m in months if m.is_published],
            "live_months": [m for m in months if not m.is_published],
            "star_rows": star_rows, "history": history, "chart": chart}


def _quantize(value) -> Decimal | None:
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP) if value is not None else None


def _float(value) -> float | None:
    return float(value) if value is not None else None
