"""The meeting-room screen (大屏): a county's latest published month, in a fixed number of queries.

The month shown is the latest the county has closed: its published rows are what the monthly
meeting discusses, and they never change until the month is reopened. The screen reads them
and the month before (for the changes and the township league's movement), nothing live but
the warnings count (the county's early warnings not yet acknowledged, as they are now).
"""

from __future__ import annotations

from decimal import Decimal

from cadres.models import star_label
from ratings.campaign.selectors_warnings import open_warnings_count
from ratings.metrics import previous_month
from ratings.models import MonthClose, View, VillageScore
from villages.models import Kind, Region

from .selectors import STAR_NAMES, star_name_counts, star_names_shown
from .selectors_trends import LeagueRow, average_of, rank_league, share_percent, township_of_row

# As many as a wall screen shows legibly (three columns of seven; the rest are counted).
FIVE_STAR_SHOWN = 21
IMPROVED_SHOWN = 5


def screen_data(county: Region) -> dict:
    """Everything the screen shows (five queries):

    1. the latest closed month; 2. its published rows; 3. the published rows of the month
    before; 4. the townships' names; 5. the open warnings count."""
    latest = MonthClose.objects.filter(county=county).order_by("-year", "-month").values_list("year", "month").first()
    if latest is None:
        return {"year": None, "month": None, "warnings": open_warnings_count(county)}
    year, month = latest
    py, pm = previous_month(year, month)
    fields = ("village__code", "village__name", "village__kind", "star_level", "stars_earned", "total",
              "county_rank", "county_movement", "t")
    base = VillageScore.objects.filter(village__code__startswith=county.prefix, view=View.PUBLISHED) \
        .annotate(t=township_of_row())
    current = list(base.filter(year=year, month=month).values(*fields))
    previous = list(base.filter(year=py, month=pm).values_list("t", "star_level", "total", "stars_earned",
                                                                 "village__kind"))

    levels, prev_levels = [0] * 6, [0] * 6
    stars, prev_stars = star_name_counts(), star_name_counts()
    league: dict[int, LeagueRow] = {}
    for r in current:
        levels[r["star_level"]] += 1
        for code in r["stars_earned"]:
            if code in STAR_NAMES:
                stars[star_label(code, r["village__kind"])] += 1
        row = league.setdefault(r["t"], LeagueRow(r["t"], 0, Decimal(0), 0))
        row.villages += 1
        row.total += r["total"]
        row.three_plus += r["star_level"] >= 3
        row.five_star += r["star_level"] == 5
    prev_league: dict[int, LeagueRow] = {}
    for t, level, total, earned, kind in previous:
        prev_levels[level] += 1
        for code in earned:
            if code in STAR_NAMES:
                prev_stars[star_label(code, kind)] += 1
        row = prev_league.setdefault(t, LeagueRow(t, 0, Decimal(0), 0))
        row.villages += 1
        row.total += total
    names = {pk: (code, name) for pk, code, name in
             Region.objects.filter(pk__in=set(league) | set(prev_league)).values_list("pk", "code", "name")}
    for rows in (league, prev_league):
        for row in rows.values():
            row.code, row.name = names.get(row.township_id, ("", ""))
    ranked = rank_league(list(league.values()))
    before = {r.township_id: r.rank for r in rank_league(list(prev_league.values()))}
    for row in ranked:
        if row.township_id in before:
            row.movement = before[row.township_id] - row.rank

    scored = len(current)
    has_previous = bool(previous)
    five = sorted((r for r in current if r["star_level"] == 5), key=lambda r: (-r["total"], r["village__code"]))
    improved = sorted((r for r in current if (r["county_movement"] or 0) > 0),
                      key=lambda r: (-r["county_movement"], r["county_rank"] or 0, r["village__code"]))
    three_plus = sum(levels[3:])
    return {
        "year": year, "month": month, "previous_month": pm, "has_previous": has_previous,
        "scored": scored,
        "average": average_of(sum((r["total"] for r in current), Decimal(0)), scored),
        "three_plus": three_plus, "three_plus_share": share_percent(three_plus, scored),
        "three_plus_change": three_plus - sum(prev_levels[3:]) if has_previous else None,
        "five_star_count": levels[5], "five_star_change": levels[5] - prev_levels[5] if has_previous else None,
        "stars_total": sum(stars.values()),
        "levels": [{"level": i, "count": levels[i], "change": levels[i] - prev_levels[i] if has_previous else None}
                   for i in range(6)],
        "stars": [{"name": name, "count": stars[name], "change": stars[name] - prev_stars[name] if has_previous else None}
                  for name in star_names_shown(any(r["village__kind"] == Kind.URBAN for r in current))],
        "league": ranked,
        "five_star": [{"name": r["village__name"], "urban": r["village__kind"] == Kind.URBAN, "total": r["total"]}
                      for r in five[:FIVE_STAR_SHOWN]],
        "five_star_more": max(0, len(five) - FIVE_STAR_SHOWN),
        "improved": [{"name": r["village__name"], "urban": r["village__kind"] == Kind.URBAN,
                      "movement": r["county_movement"], "rank": r["county_rank"], "level": r["star_level"],
                      "township": names.get(r["t"], ("", ""))[1]} for r in improved[:IMPROVED_SHOWN]],
        "warnings": open_warnings_count(county),
    }
