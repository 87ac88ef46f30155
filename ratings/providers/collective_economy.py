"""Metric providers from the collective economy (one or two queries each, whatever the scope).

How income figures become periods (projects.figures has the comparison rules):

- a year entered as a whole is reported as period 1, so `latest` aggregation sees it from
  January on; until the year has a figure, last year's counts (the latest complete year is what
  is known at the start of a year);
- a year entered month by month reaches the income indicators once complete, as period 12
  (a part of a year against yearly bands would read as a fall); before that last year's counts;
- growth is where monthly entries count during the year: at each month entered, the year to
  date against the same months of last year (同比), reported as that month's period; before the
  first such month, last year's growth over the year before counts (period 1).

"As of" the month: months entered for this year count only up to the month scored; a later
month changes nothing before it. A year entered as a whole is its figure for the year, read
from January once entered (the campaign's reading of an annual figure).
Cooperatives and bindings count from their establishment / signing date until their
dissolution / ending date (a record without a start date predates the register and counts).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q

from projects.figures import OPERATING, TOTAL, YearFigure, growth_rate
from projects.models import Binding, Cooperative
from projects.selectors import load_figures
from ratings.metrics import metric_provider, month_end, shared_read


def _figures(village_ids, year):
    """The figures of three years, read once per scoring gather for the three income providers."""
    ids = None if village_ids is None else tuple(village_ids)
    return shared_read(("income_figures", ids, year),
                       lambda: load_figures(village_ids=ids, years=[year - 2, year - 1, year]))


def _amount_periods(years: dict[int, YearFigure], year: int, month: int, part: int) -> list:
    this, last = years.get(year), years.get(year - 1)
    if this is not None and not this.monthly:
        return [(1, this.value(part))]
    periods = [(1, last.value(part))] if last is not None else []
    if this is not None and this.complete and month >= 12:
        periods.append((12, this.value(part)))
    return periods


def _growth_periods(years: dict[int, YearFigure], year: int, month: int) -> list:
    this, last = years.get(year), years.get(year - 1)
    if this is not None and not this.monthly:
        rate = growth_rate(this, last, OPERATING)
        return [(1, rate)] if rate is not None else []
    periods = []
    rate = growth_rate(last, years.get(year - 2), OPERATING)
    if rate is not None:
        periods.append((1, rate))
    if this is not None:
        for m in sorted(m for m in this.months if m <= month):
            rate = growth_rate(this.up_to(m), last, OPERATING)
            if rate is not None:
                periods = [p for p in periods if p[0] != m] + [(m, rate)]
    return periods


def _amounts(village_ids, year, month, part):
    result = {}
    for village_id, years in _figures(village_ids, year).items():
        periods = _amount_periods(years, year, month, part)
        if periods:
            result[village_id] = periods
    return result


@metric_provider("collective_income", "村集体经济年收入", "元", opening="amounts")
def collective_income(*, village_ids, year, month):
    return _amounts(village_ids, year, month, TOTAL)


@metric_provider("operating_income", "村集体经营性收入", "元", opening="amounts")
def operating_income(*, village_ids, year, month):
    return _amounts(village_ids, year, month, OPERATING)


@metric_provider("operating_income_growth", "集体经营性收入增长率", "%", opening="amounts")
def operating_income_growth(*, village_ids, year, month):
    result = {}
    for village_id, years in _figures(village_ids, year).items():
        periods = _growth_periods(years, year, month)
        if periods:
            result[village_id] = periods
    return result


def _existing(prefix: str, start: str, end: str, day) -> Q:
    """Established on or before `day` (or undated) and not ended by then."""
    return ((Q(**{f"{prefix}{start}__isnull": True}) | Q(**{f"{prefix}{start}__lte": day}))
            & (Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": day})))


@metric_provider("branch_led_cooperatives", "党支部领办合作社数", "个")
def branch_led_cooperatives(*, village_ids, year, month):
    """Cooperatives led by the branch that exist on the month's last day: established on or
    before it (undated: counted) and not dissolved on or before it. Reported as the month."""
    day = month_end(year, month)
    rows = Cooperative.objects.filter(_existing("", "established_on", "dissolved_on", day), led_by_branch=True)
    if village_ids is not None:
        rows = rows.filter(village_id__among=village_ids)
    counted = rows.values("village_id").annotate(n=Count("id")).values_list("village_id", "n").order_by()
    return {v: [(month, Decimal(n))] for v, n in counted}


@metric_provider("bindings", "“双绑”联结数", "个")
def bindings(*, village_ids, year, month):
    """双绑 bindings with farmers bound that run on the month's last day: signed on or before
    it (undated: counted), not ended on or before it, and their cooperative existing then.
    Reported as the month; a village whose bindings bind no farmer reads 0."""
    day = month_end(year, month)
    rows = Binding.objects.filter(_existing("", "started_on", "ended_on", day),
                                  _existing("cooperative__", "established_on", "dissolved_on", day))
    if village_ids is not None:
        rows = rows.filter(cooperative__village_id__among=village_ids)
    counted = rows.values("cooperative__village_id").annotate(n=Count("id", filter=Q(farmers_bound__gt=0))).order_by()
    return {v: [(month, Decimal(n))] for v, n in counted.values_list("cooperative__village_id", "n")}
