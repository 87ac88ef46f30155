"""The figures check: closed months recomputed in memory against what was published.

Anyone can run it (`manage.py recompute --check`, the month-close page's button): every
closed month of the scope is computed afresh from the raw records, as of the month's last day,
on the entries its close took in (approved by then: services/approved_by.py, so a late approval
never shows here), ranked in memory, and every stored published figure (village: stars earned,
level, total, tie-break score, ranks, movement; star: score, earned, points short and each
indicator's points and met) is compared with it. Nothing is written.

A difference that a recorded decision left as published (a later month a re-closed month
would change, services/follow_ups.py) is reported apart, as acknowledged, and is no failure.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from villages.models import Region

from ..detail import detail_rows
from ..models import MonthCheckRun, MonthClose, MonthFollowUp, StarScore, View, VillageScore
from .approved_by import ApprovedBy, approved_by_from_closes, county_closes
from .approved_by import approved_by as approved_by_of
from .scoring import _scope_villages, compute
from .scoring_inputs import load_standards
from .scoring_ranks import previous_published_ranks, rank_rows

SHOWN_DIFFERENCES = 20
VILLAGE_FIGURES = ("stars_earned", "star_level", "total", "tiebreak_score", "county_rank", "township_rank",
                   "county_movement", "township_movement")
STAR_FIGURES = ("score", "earned", "points_short")


@dataclass(frozen=True)
class Difference:
    county: str
    year: int
    month: int
    village: str
    figure: str
    stored: object
    fresh: object

    def __str__(self) -> str:
        return (f"{self.county} {self.year}-{self.month:02d} {self.village} {self.figure}: "
                f"stored {self.stored!r}, fresh {self.fresh!r}")

    def as_dict(self) -> dict:
        return {"county": self.county, "year": self.year, "month": self.month, "village": self.village,
                "figure": self.figure, "stored": _plain(self.stored), "fresh": _plain(self.fresh)}


    def key(self) -> str:
        """The difference as a decision records it (`MonthFollowUp.differences`)."""
        return json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Acknowledged:
    """A difference left as published by a recorded decision (who, when, why)."""

    difference: Difference
    decided_by: str
    decided_at: dt.datetime
    reason: str

    def __str__(self) -> str:
        return (f"{self.difference} (left as published by {self.decided_by}, "
                f"{timezone.localtime(self.decided_at):%Y-%m-%d %H:%M}: {self.reason})")


@dataclass
class CheckResult:
    months: int = 0
    figures: int = 0
    differences: list[Difference] = field(default_factory=list)
    acknowledged: list[Acknowledged] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = f"{self.months} months, {self.figures} figures, {len(self.differences)} differences"
        return f"{text}, {len(self.acknowledged)} acknowledged" if self.acknowledged else text


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value:f}"
    return value


def _same(a, b) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except ArithmeticError:
            return False
    return a == b


def closed_months(*, county: Region | None = None, year: int | None = None, month: int | None = None):
    closes = MonthClose.objects.select_related("county")
    if county is not None:
        closes = closes.filter(county=county)
    if year is not None:
        closes = closes.filter(year=year)
    if month is not None:
        closes = closes.filter(month=month)
    return closes.order_by("county__code", "year", "month")


def month_check(*, county: Region | None = None, year: int | None = None, month: int | None = None) -> CheckResult:
    """Compare every closed month of the scope with a fresh computation (see the module)."""
    result = CheckResult()
    standards_by_year: dict[int, dict] = {}
    closes_of: dict[tuple[int, int], dict] = {}
    for closed in closed_months(county=county, year=year, month=month):
        if closed.year not in standards_by_year:
            standards_by_year[closed.year] = load_standards(closed.year)
        key = (closed.county_id, closed.year)
        if key not in closes_of:
            closes_of[key] = county_closes(closed.county, closed.year)
        figures, differences = month_differences(
            closed.county, closed.year, closed.month, standards=standards_by_year[closed.year],
            approved_by=approved_by_from_closes(closes_of[key], closed.month))
        result.figures += figures
        left = left_as_published(closed)
        for difference in differences:
            decision = left.get(difference.key())
            if decision is None:
                result.differences.append(difference)
            else:
                result.acknowledged.append(Acknowledged(difference, *decision))
        result.months += 1
    return result


def left_as_published(closed: MonthClose) -> dict[str, tuple[str, dt.datetime, str]]:
    """{difference key: (who, when, why)} of the decisions recorded since the month's current
    close to leave it as published (a decision older than a re-close of the month is moot)."""
    decided = {}
    for follow_up in MonthFollowUp.objects.filter(
            county_id=closed.county_id, year=closed.year, month=closed.month, state=MonthFollowUp.State.LEFT,
            decided_at__gte=closed.closed_at).select_related("decided_by").order_by("decided_at"):
        who = follow_up.decided_by.display_name if follow_up.decided_by else ""
        for row in follow_up.differences:
            decided[json.dumps(row, sort_keys=True, ensure_ascii=False)] = (
                who, follow_up.decided_at, follow_up.decision_reason)
    return decided


def month_differences(county: Region, year: int, month: int, *, standards: dict | None = None,
                      approved_by: ApprovedBy | None = None) -> tuple[int, list[Difference]]:
    """(figures compared, differences) of one closed month of a county (see `_check_month`)."""
    result = CheckResult()
    standards = load_standards(year) if standards is None else standards
    cutoffs = approved_by_of(county, year, month) if approved_by is None else approved_by
    _check_month(county, year, month, standards, result, cutoffs)
    return result.figures, result.differences


def _check_month(county: Region, year: int, month: int, standards: dict, result: CheckResult,
                 approved_by: ApprovedBy) -> None:
    """1. compute the month in memory, on the entries its close took in; 2. rank it against the
    stored previous published ranks; 3. compare with the stored published rows, village by
    village and star by star."""
    prefix, villages = _scope_villages(None, county)
    codes = {v.pk: v.code for v in villages}
    kinds = {v.pk: v.kind or "rural" for v in villages}
    # A full rescan of the entries, not the kept year-to-date rows the recompute read: the check
    # compares the stored results with an independent path.
    village_rows, star_rows = compute(year=year, month=month, view=View.PUBLISHED, villages=villages,
                                      village_ids=None, prefix=prefix, standards=standards, year_to_date=False,
                                      approved_by=approved_by)
    ranked = rank_rows([(r[0], codes[r[0]], kinds[r[0]], r[6], r[7], r[8], r[10] or codes[r[0]][:9])
                        for r in village_rows],
                       previous_published_ranks(list(codes), year, month))
    fresh = {r[0]: {"stars_earned": r[5], "star_level": r[6], "total": r[7], "tiebreak_score": r[8],
                    **dict(zip(VILLAGE_FIGURES[4:], ranked[r[0]], strict=True))} for r in village_rows}
    fresh_stars = {(r[0], r[4]): {"score": r[5], "earned": r[7], "points_short": r[9], "rows": detail_rows(r[11])}
                   for r in star_rows}
    scope = Q(village__code__startswith=county.prefix, year=year, month=month, view=View.PUBLISHED)
    stored = {row["village_id"]: row for row in VillageScore.objects.filter(scope).values("village_id", *VILLAGE_FIGURES)}
    stored_stars = {(row["village_id"], row["star"]): row for row in StarScore.objects.filter(scope).values(
        "village_id", "star", *STAR_FIGURES, "indicators")}

    def differ(village_id: int, figure: str, a, b) -> None:
        result.figures += 1
        if not _same(a, b):
            result.differences.append(Difference(county.code, year, month, codes.get(village_id, str(village_id)),
                                                 figure, a, b))

    for village_id in sorted(set(stored) | set(fresh), key=lambda v: codes.get(v, "")):
        a, b = stored.get(village_id), fresh.get(village_id)
        if a is None or b is None:
            differ(village_id, "row", "present" if a else "missing", "present" if b else "missing")
            continue
        for figure in VILLAGE_FIGURES:
            differ(village_id, figure, a[figure], b[figure])
    for key in sorted(set(stored_stars) | set(fresh_stars), key=lambda k: (codes.get(k[0], ""), k[1])):
        a, b = stored_stars.get(key), fresh_stars.get(key)
        if a is None or b is None:
            differ(key[0], f"{key[1]}.row", "present" if a else "missing", "present" if b else "missing")
            continue
        for figure in STAR_FIGURES:
            differ(key[0], f"{key[1]}.{figure}", a[figure], b[figure])
        stored_rows = {r["code"]: r for r in detail_rows(a["indicators"])}
        for row in b["rows"]:
            kept = stored_rows.get(row["code"], {})
            differ(key[0], f"{row['code']}.points", kept.get("points"), row["points"])
            differ(key[0], f"{row['code']}.met", kept.get("met"), row["met"])


def month_check_run(*, run: MonthCheckRun) -> MonthCheckRun:
    """Run the check of a county's closed months for the month-close page and store its outcome."""
    try:
        checked = month_check(county=run.county)
    except Exception as exc:  # the page shows the failure; the task must not leave a run "running"
        run.status, run.error = MonthCheckRun.Status.FAILED, str(exc)[:2000]
    else:
        run.status = MonthCheckRun.Status.DONE
        run.months, run.figures, run.differences = checked.months, checked.figures, len(checked.differences)
        run.acknowledged = len(checked.acknowledged)
        run.first_differences = [d.as_dict() for d in checked.differences[:SHOWN_DIFFERENCES]]
    run.finished_at = timezone.now()
    run.save()
    return run
