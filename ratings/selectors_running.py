"""The running month's state of a scope, as of today (DESIGN "The running month").

The stored live rows say what is true today; what is still to come is decided by the engine
(`engine.running`) from those rows, the day and each indicator's opening. It is read, not stored:
it changes with the date alone (a day passes, a pace falls behind) while the rows stay the same.
A month that is over, or not begun, has no running state.

Queries, whatever the size of the scope: the standards (three, none when this process has them),
the live star rows of the month, the month's entered ledger values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from .detail import detail_rows
from .engine import (
    IndicatorResult,
    Opening,
    RunningDay,
    RunningStar,
    StarResult,
    State,
    running_levels,
    running_star,
)
from .metrics import all_providers, month_end
from .models import LedgerEntry, LedgerStatus, Source, StarScore, View
from .models.standard import Frequency

RUNNING_LABEL = "进行中"


def month_state(year: int, month: int, today: dt.date | None = None) -> str:
    """"past", "running" or "future" for a month, by today's date in the portal's time zone."""
    today = today or timezone.localdate()
    key, now = (year, month), (today.year, today.month)
    return "running" if key == now else ("past" if key < now else "future")


@dataclass
class VillageRunning:
    village_id: int
    secured_level: int
    attainable_level: int
    stars: dict[str, RunningStar] = field(default_factory=dict)

    @property
    def pending(self) -> list[tuple[str, str]]:
        """(star code, indicator code) of every pending indicator, star by star."""
        return [(code, i.code) for code, star in self.stars.items() for i in star.indicators
                if i.state == State.PENDING]


def _result(star: str, score: Decimal, pass_mark: Decimal, earned: bool, reasons, detail) -> StarResult:
    """The stored star row as the engine's result (what the engine wrote, read back)."""
    indicators = tuple(
        IndicatorResult(code=row["code"], value=None if row.get("value") is None else Decimal(row["value"]),
                        points=Decimal(row["points"]), met=bool(row["met"]), veto_fired=bool(row.get("veto")),
                        gap=None if row.get("gap") is None else Decimal(row["gap"]),
                        max_points=Decimal(row["max_points"]), not_applicable=bool(row.get("na")))
        for row in detail_rows(detail))
    return StarResult(code=star, score=score, earned=earned, indicators=indicators, reasons=tuple(reasons or ()),
                      points_short=max(Decimal(0), pass_mark - score), unmet=(), pass_mark=pass_mark)


def openings(loaded, *, entered: set[str], month: int) -> dict[str, Opening]:
    """Each indicator's opening for one village in the running month: a ledger indicator due
    this month whose value is not entered yet (the deadline is in the month after, so not
    passed), a provider that counts the month's days or events; the rest closed."""
    providers = all_providers()
    due = set(Frequency.due_in(month))
    found = {}
    for code, indicator in loaded.indicators.items():
        if indicator.source == Source.LEDGER:
            if indicator.frequency in due and code not in entered:
                found[code] = Opening.ENTRY
        else:
            provider = providers.get(indicator.provider)
            if provider is not None and provider.opening != Opening.CLOSED:
                found[code] = Opening(provider.opening)
    return found


def running_states(*, year: int, month: int, village_ids: list[int] | None = None, prefix: str | None = None,
                   today: dt.date | None = None) -> dict[int, VillageRunning]:
    """{village id: its running state} for the villages of the scope (ids, or a code prefix)
    that have live rows of the month; empty when the month is not the running one."""
    from .services.scoring_inputs import load_standards

    today = today or timezone.localdate()
    if month_state(year, month, today) != "running":
        return {}
    standards = load_standards(year)
    if not standards:
        return {}
    scope = Q(village_id__in=village_ids) if village_ids is not None else Q(village__code__startswith=prefix or "")
    rows = (StarScore.objects.filter(scope, year=year, month=month, view=View.LIVE).order_by()
            .values_list("village_id", "village__kind", "star", "score", "pass_mark", "earned", "reasons",
                         "indicators"))
    entered: dict[int, set[str]] = defaultdict(set)
    for village_id, code in (LedgerEntry.objects.filter(scope, year=year, month=month, value__isnull=False,
                                                        status__in=[LedgerStatus.SUBMITTED, LedgerStatus.APPROVED])
                             .order_by().values_list("village_id", "indicator__code")):
        entered[village_id].add(code)
    day = RunningDay(today, month_end(year, month))
    by_village: dict[int, tuple[str, dict]] = {}
    for village_id, kind, star, score, pass_mark, earned, reasons, detail in rows:
        by_village.setdefault(village_id, (kind or "rural", {}))[1][star] = (score, pass_mark, earned, reasons, detail)
    states = {}
    for village_id, (kind, stored) in by_village.items():
        loaded = standards.get(kind)
        if loaded is None:
            continue
        found = openings(loaded, entered=entered.get(village_id, set()), month=month)
        stars = {}
        for spec in loaded.spec.stars:
            row = stored.get(spec.code)
            if row is None:
                continue
            result = _result(spec.code, *row)
            if [r.code for r in result.indicators] != [s.code for s in spec.indicators]:
                continue  # stored by another version of the standard: no running state for it
            stars[spec.code] = running_star(spec, result, day, found)
        secured, attainable = running_levels(loaded.spec, [stars[s.code] for s in loaded.spec.stars if s.code in stars])
        states[village_id] = VillageRunning(village_id, secured, attainable, stars)
    return states


@dataclass
class RunningSummary:
    """A scope's running month in figures: villages by secured and by attainable level."""

    year: int
    month: int
    villages: int = 0
    secured: list[int] = field(default_factory=lambda: [0] * 6)
    attainable: list[int] = field(default_factory=lambda: [0] * 6)
    pending: int = 0

    @property
    def label(self) -> str:
        return f"{self.month}月{RUNNING_LABEL}"

    def share(self, counts: list[int], level: int) -> float | None:
        return round(counts[level] * 100 / self.villages, 1) if self.villages else None

    @property
    def levels(self) -> list[dict]:
        return [{"level": n, "secured": self.secured[n], "attainable": self.attainable[n]} for n in range(6)]


def running_summary(states: dict[int, VillageRunning], *, year: int, month: int) -> RunningSummary:
    summary = RunningSummary(year, month)
    for state in states.values():
        summary.villages += 1
        summary.secured[state.secured_level] += 1
        summary.attainable[state.attainable_level] += 1
        summary.pending += len(state.pending)
    return summary
