"""Reads of pairings (结对共建), scoped: a user sees a pairing when either partner is in scope (a
township its own villages' pairings, each partner its pairing, the county all)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q

from cadres.scope import scope_q

from .models_pairing import Pairing, PairingActivity


def quarter_span(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the quarter holding `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = (dt.date(day.year + 1, 1, 1) if first_month == 10 else dt.date(day.year, first_month + 3, 1)) - dt.timedelta(days=1)
    return start, end


def pairings_for(*, user):
    return (Pairing.objects.filter(scope_q(user, "helper__code") | scope_q(user, "receiver__code"))
            .select_related("helper__parent", "receiver__parent", "region"))


def running_on_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}started_on__lte": day}) & (Q(**{f"{prefix}ended_on__isnull": True})
                                                     | Q(**{f"{prefix}ended_on__gte": day}))


def activities_in_quarter(pairing_ids, day: dt.date) -> dict[int, int]:
    """{pairing id: joint activities held from the quarter's first day up to `day`} (one query)."""
    start, _ = quarter_span(day)
    return dict(PairingActivity.objects.filter(pairing_id__in=list(pairing_ids), held_on__gte=start, held_on__lte=day)
                .order_by().values("pairing_id").annotate(n=Count("id")).values_list("pairing_id", "n"))


def pairings_without_activity(*, user, day: dt.date):
    """Pairings running on `day` without a joint activity this quarter so far (the early warning),
    when the pairing began before the quarter (a pairing started this quarter still has time)."""
    start, _ = quarter_span(day)
    return (pairings_for(user=user).filter(running_on_q(day), started_on__lt=start)
            .exclude(activities__held_on__gte=start, activities__held_on__lte=day))


def activities_by_village_in_quarter(village_ids, day: dt.date) -> dict[int, int]:
    """{village id: joint activities of its running pairings (as either partner) held from the
    quarter's first day up to `day`} (one query). What the provider counts."""
    start, _ = quarter_span(day)
    counts: Counter = Counter()
    village_ids = list(village_ids)
    rows = (PairingActivity.objects.filter(held_on__gte=start, held_on__lte=day)
            .filter(Q(pairing__helper_id__in=village_ids) | Q(pairing__receiver_id__in=village_ids))
            .values_list("pairing__helper_id", "pairing__receiver_id"))
    wanted = set(village_ids)
    for helper_id, receiver_id in rows:
        for vid in (helper_id, receiver_id):
            if vid in wanted:
                counts[vid] += 1
    return dict(counts)
