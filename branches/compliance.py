"""Compliance of organisational life per meeting type against its frequency (pure, no ORM).

A type's frequency cuts the year into due periods (each month, or each quarter). A due period
is met when at least one meeting of the type was held in it: two committee meetings in one
month do not make up for a month without one. For a view of one month, a quarterly type is
judged on its quarter up to that month: not yet held is "pending" until the quarter is over.
A due period that has not ended yet (as of today) and is not met is "pending", not "missed".
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from .models_records import Frequency, MeetingType

MET, MISSED, PENDING = "met", "missed", "pending"
STATUS_LABELS = {MET: "达标", MISSED: "未达标", PENDING: "进行中"}

# counts[type][month] = meetings of that type held in that month of the year
Counts = Mapping[str, Mapping[int, int]]


@dataclass(frozen=True)
class TypeCompliance:
    type: str
    frequency: str
    required: int  # due periods in the view
    done: int  # due periods with at least one meeting
    held: int  # meetings held in the view
    status: str

    @property
    def label(self) -> str:
        return MeetingType(self.type).label

    @property
    def frequency_label(self) -> str:
        return Frequency(self.frequency).label

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def quarter_months(quarter: int) -> list[int]:
    return [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def due_periods(frequency: str, *, month: int | None = None, quarter: int | None = None) -> list[list[int]]:
    """The due periods (each a list of months) a view of one month or one quarter judges."""
    if (month is None) == (quarter is None):
        raise ValueError("give a month or a quarter")
    if frequency == Frequency.MONTHLY:
        return [[month]] if month is not None else [[m] for m in quarter_months(quarter)]
    if month is not None:
        return [[m for m in quarter_months(quarter_of(month)) if m <= month]]
    return [quarter_months(quarter)]


def type_compliance(counts: Mapping[int, int], *, type: str, frequency: str, year: int, as_of: dt.date,
                    month: int | None = None, quarter: int | None = None) -> TypeCompliance:
    periods = due_periods(frequency, month=month, quarter=quarter)
    done, open_unmet = 0, False
    for months in periods:
        if any(counts.get(m, 0) > 0 for m in months):
            done += 1
            continue
        # A quarterly type seen in a month view stays open until its quarter ends.
        last = quarter_months(quarter_of(months[-1]))[-1] if frequency == Frequency.QUARTERLY else months[-1]
        if _month_end(year, last) >= as_of:
            open_unmet = True
    held = sum(counts.get(m, 0) for months in periods for m in months)
    status = MET if done == len(periods) else (PENDING if open_unmet else MISSED)
    return TypeCompliance(type=type, frequency=frequency, required=len(periods), done=done, held=held, status=status)


def compliance(counts: Counts, *, frequencies: Mapping[str, str], year: int, as_of: dt.date,
               month: int | None = None, quarter: int | None = None) -> list[TypeCompliance]:
    """One row per meeting type, in the order of MeetingType."""
    return [
        type_compliance(counts.get(kind, {}), type=kind, frequency=frequencies[kind], year=year, as_of=as_of,
                        month=month, quarter=quarter)
        for kind in MeetingType.values
    ]


def overall_status(rows: list[TypeCompliance]) -> str:
    statuses = {row.status for row in rows}
    if MISSED in statuses:
        return MISSED
    return PENDING if PENDING in statuses else MET
