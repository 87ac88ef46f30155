"""The entries a closed month's published figures rest on: those approved by its close.

Month close computes the published view from the entries approved at that moment; entries
approved later (a late review, a correction) change the live view only. To compare a closed
month with its raw records (`recompute --check`), or to show what a late approval would have
changed, the same set is read again: for each month `m` of the year up to the closed month
`M`, the entries of month `m` that were in force at the latest close among the months `m`…`M`.

Why the latest close and not only `M`'s: a reopened month `m` closed again takes in every
approval of its entries made until then, and the later closed months carry `m`'s values
forward; from then on their published figures differ from what `m` now says. Those are the
differences the organisation department is shown after the re-close (services/follow_ups.py)
and must reopen or acknowledge. An approval that no re-close took in stays out of every
published month: a late approval never makes the check fail.

"In force at time T": approved (or since superseded) with a review time at or before T (an
entry approved without a review time, as imports write them, counts from the start), and not
superseded by a correction approved by T.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db.models import Q

from villages.models import Region

from ..models import LedgerStatus, MonthClose

# entry month → the time its entries must have been in force by
ApprovedBy = Mapping[int, dt.datetime]


def approved_by_from_closes(closes: Mapping[int, dt.datetime], month: int) -> dict[int, dt.datetime]:
    """{entry month m ≤ month: the latest of the closes of months m…month} (see the module);
    a month with no close among m…month is left out (nothing of it was published)."""
    cutoffs: dict[int, dt.datetime] = {}
    latest = None
    for m in range(month, 0, -1):
        closed_at = closes.get(m)
        if closed_at is not None and (latest is None or closed_at > latest):
            latest = closed_at
        if latest is not None:
            cutoffs[m] = latest
    return cutoffs


def county_closes(county: Region, year: int) -> dict[int, dt.datetime]:
    """{month: closed at} of the county's closed months of the year (one query)."""
    return dict(MonthClose.objects.filter(county=county, year=year).values_list("month", "closed_at"))


def approved_by(county: Region, year: int, month: int) -> dict[int, dt.datetime]:
    return approved_by_from_closes(county_closes(county, year), month)


def in_force_q(cutoffs: ApprovedBy, *, prefix: str = "") -> Q:
    """The entries of the months in `cutoffs` in force at their month's time (see the module).
    `prefix` is the path to the entry ("entry__" from a related model)."""
    by_time: dict[dt.datetime, list[int]] = {}
    for m, at in cutoffs.items():
        by_time.setdefault(at, []).append(m)
    if not by_time:
        return Q(pk__in=[])
    q = Q()
    for at, months in by_time.items():
        q |= Q(**{f"{prefix}month__in": sorted(months)}) & _in_force_at(at, prefix)
    return q


def _in_force_at(at: dt.datetime, prefix: str) -> Q:
    return (Q(**{f"{prefix}status__in": [LedgerStatus.APPROVED, LedgerStatus.SUPERSEDED]})
            & (Q(**{f"{prefix}reviewed_at__isnull": True}) | Q(**{f"{prefix}reviewed_at__lte": at}))
            & (Q(**{f"{prefix}superseded_by__isnull": True}) | Q(**{f"{prefix}superseded_by__reviewed_at__gt": at})))
