"""Rank a county's stored results: within the county and each township, rural villages and urban
communities apart, with the movement against the previous published month (the rank order of
docs/architecture.md, "The rule contract")."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from villages.models import Level

from ..engine.ranking import movement
from ..metrics import previous_month
from ..models import View, VillageScore
from .bulk import update_by_id

# village id, code, kind, level, total, tiebreak, township (the id stored with the result, or
# the code's township prefix for rows stored before results kept it)
RankRow = tuple[int, str, str, int, Decimal, Decimal, int | str]


def rank_rows(rows: list[RankRow], previous: dict[int, tuple]) -> dict[int, tuple]:
    """{village_id: (county rank, township rank, county movement, township movement)}: within the
    county and each township, rural villages and urban communities separately, on the stored
    (rounded) figures; movement against the previous published ranks."""

    def key(row):
        return (-row[3], -row[4], -row[5], row[1])

    county_rank, township_rank = {}, {}
    groups: dict[tuple, list] = defaultdict(list)
    for row in rows:
        groups[("county", row[2])].append(row)
        # The township stored with the result (where the village stood that month).
        groups[("township", row[6], row[2])].append(row)
    for group_key, members in groups.items():
        target = county_rank if group_key[0] == "county" else township_rank
        for position, row in enumerate(sorted(members, key=key), start=1):
            target[row[0]] = position
    ranked = {}
    for row in rows:
        prev = previous.get(row[0], (None, None))
        ranked[row[0]] = (county_rank[row[0]], township_rank[row[0]], movement(prev[0], county_rank[row[0]]),
                          movement(prev[1], township_rank[row[0]]))
    return ranked


RANK_FIELDS = ("county_rank", "township_rank", "county_movement", "township_movement")


def rerank(*, county_prefix: str, year: int, month: int, view: str, now=None) -> None:
    """Rank a county's stored results (see `rank_rows`). One read and one bulk update.

    The read joins the scores to their villages by the code prefix: with the regions' prefix
    index PostgreSQL walks the county's villages and looks each one's two rows up by the unique
    index (about 1 ms on the benchmark province). The same read by a list of the villages' ids
    took 10–14 ms: 312 parameters to prepare, send and plan.
    """
    by_village, stored, rows, previous = {}, {}, [], {}
    prev_year, prev_month = previous_month(year, month)
    # This month's rows and the previous published month's ranks in one read.
    for pk, village_id, row_year, row_month, row_view, level, total, tiebreak, township_id, *ranks, code, kind in (
            VillageScore.objects.filter(Q(year=year, month=month, view=view)
                                        | Q(year=prev_year, month=prev_month, view=View.PUBLISHED),
                                        village__level=Level.VILLAGE, village__code__startswith=county_prefix)
            .order_by()
            .values_list("id", "village_id", "year", "month", "view", "star_level", "total", "tiebreak_score",
                         "township_id", *RANK_FIELDS, "village__code", "village__kind")):
        if (row_year, row_month, row_view) != (year, month, view):  # the previous published month
            previous[village_id] = (ranks[0], ranks[1])
            continue
        by_village[village_id] = pk
        stored[village_id] = tuple(ranks)
        rows.append((village_id, code, kind or "rural", level, total, tiebreak, township_id or code[:9]))
    ranked = rank_rows(rows, previous)
    # Only the rows whose ranks moved are written, with a new computed_at: the county's results
    # version (reports/cache.py) moves whenever a figure a page shows has changed.
    now = now or timezone.now()
    update_by_id(VillageScore, [(by_village[v], *ranks, now) for v, ranks in ranked.items() if stored[v] != ranks],
                 [*RANK_FIELDS, "computed_at"])


def previous_published_ranks(village_ids: list[int], year: int, month: int) -> dict[int, tuple]:
    prev_year, prev_month = previous_month(year, month)
    return {
        village_id: (county, township)
        for village_id, county, township in VillageScore.objects.filter(
            village_id__in=village_ids, year=prev_year, month=prev_month, view=View.PUBLISHED,
        ).values_list("village_id", "county_rank", "township_rank")
    }
