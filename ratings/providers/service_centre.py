"""Metric providers of pairings (结对共建) and the service centre (党群服务中心), from the branches
app's records, each one query whatever the scope, as of each month's last day:

- `pairing_activities_quarter`: joint activities held from the quarter's first day to the
  month's last day, counted for both partners of a pairing running on that day; a village in no
  running pairing then is not applicable (不适用);
- `errands_done_in_time`: of the errands due in the month (done in it, or promised by a day of
  it and not done by its end), the share done within the promised days, in percent; a month
  without an errand due has no value (`latest` reads the month before);
- `duty_days_covered`: the days of the month on which the posted roster has a cadre on duty, as
  the roster stood on each day (a shift counts from its start to its end date); the roster is
  posted ahead, so the running month counts its days still to come as posted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from branches.models_pairing import Pairing, PairingActivity
from branches.selectors_pairing import quarter_span
from branches.selectors_service_centre import duty_days_by_month, errand_counts_by_month
from ratings.engine.types import NOT_APPLICABLE
from ratings.metrics import metric_provider, month_end

CENT = Decimal("0.01")


@metric_provider("pairing_activities_quarter", "本季度结对共建活动次数", "次", absent=NOT_APPLICABLE, opening="events")
def pairing_activities_quarter(*, village_ids, year, month):
    """Joint activities of the quarter so far, for both partners (two queries)."""
    last = month_end(year, month)
    pairings = Pairing.objects.filter(started_on__lte=last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=dt.date(year, 1, 1)))
    if village_ids is not None:
        ids = list(village_ids)
        pairings = pairings.filter(Q(helper_id__in=ids) | Q(receiver_id__in=ids))
    spans = {pk: (helper, receiver, start, end) for pk, helper, receiver, start, end in
             pairings.values_list("pk", "helper_id", "receiver_id", "started_on", "ended_on")}
    held = defaultdict(list)
    for pairing_id, day in (PairingActivity.objects.filter(pairing_id__in=list(spans), held_on__lte=last,
                                                           held_on__gte=quarter_span(dt.date(year, 1, 1))[0])
                            .values_list("pairing_id", "held_on")):
        held[pairing_id].append(day)
    wanted = None if village_ids is None else set(village_ids)
    answer: dict[int, list] = {}
    for m in range(1, month + 1):
        m_end = month_end(year, m)
        q_start, _ = quarter_span(m_end)
        per_village: dict[int, int] = {}
        for pk, (helper, receiver, start, end) in spans.items():
            if not (start <= m_end and (end is None or m_end <= end)):
                continue
            n = sum(1 for d in held.get(pk, ()) if q_start <= d <= m_end)
            for vid in (helper, receiver):
                if wanted is None or vid in wanted:
                    per_village[vid] = per_village.get(vid, 0) + n
        for vid in per_village.keys() | answer.keys():
            value = Decimal(per_village[vid]) if vid in per_village else NOT_APPLICABLE
            answer.setdefault(vid, [(p, NOT_APPLICABLE) for p in range(1, m)]).append((m, value))
    return answer


@metric_provider("errands_done_in_time", "代办事项按承诺时限办结率", "%", opening="events")
def errands_done_in_time(*, village_ids, year, month):
    """Errands due in each month done within the promised days, in percent (one query)."""
    answer: dict[int, list] = {}
    for vid, months in errand_counts_by_month(village_ids, year, month).items():
        values = [(m, (Decimal(100 * c.done_in_time) / c.due).quantize(CENT, rounding=ROUND_HALF_UP))
                  for m, c in sorted(months.items()) if c.due]
        if values:
            answer[vid] = values
    return answer


@metric_provider("duty_days_covered", "党群服务中心当月值班天数", "天", absent=Decimal(0))
def duty_days_covered(*, village_ids, year, month):
    """Days of each month with a cadre on duty by the roster of that day (one query)."""
    return {vid: [(m, Decimal(n)) for m, n in sorted(months.items())]
            for vid, months in duty_days_by_month(village_ids, year, month).items()}
