"""Demo standards (last year and this year) and this year's ledgers, entered, reviewed and closed
month by month as the year went.

The year is replayed in its order: each month's ledgers are submitted during the month, the
lead departments review them in the first days of the next month, and the county organisation
department then closes the month with what was approved by then (its published figures, dated
at the close); the running month stays open with entries in every state. The other apps' records
(meetings, sign-ins, cooperatives, listings of weak-and-lax branches…) are made by their own steps
before this one, but each carries its date and every metric provider reads them as of the
month's last day, so a month closed here sees what existed at its end and nothing later.
Once in the year a published month is reopened for a correction and closed again (the month
before last, in the month after it), as a county does when an error is found in a bulletin.

Each village gets a quality between 0 and 1 from the seeded generator; its values follow it,
each star with its own ease (`EASE`), so the engine finds a campaign's spread: nearly every
branch strong (the prerequisite star), most villages at two to four stars, a handful at five,
industry the hardest star, villages near a pass mark moving up and down from month to month,
a few vetoes. Yearly indicators are reported in January and quarterly ones at the January
baseline and each quarter's end, so the first months are rated on a full standard.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from cadres.models import Role, User
from villages.models import Level, Region

from .models import (
    Indicator,
    LedgerEntry,
    LedgerEvent,
    LedgerStatus,
    MonthClose,
    MonthReopening,
    Source,
    ValueType,
)
from .services.ledger import ledger_entry_correct
from .services.month_close import month_close, month_reopen
from .services.standard import standard_load_defaults
from .signals import demo_bulletin_out

VETO_VILLAGES = 4  # villages with a veto event this year
VETO_MONTH = 5
# How likely a village of quality 0 reports a good value for a star's indicators (quality 1
# always does): branches are the campaign's floor, industry its priority and its hardest star.
EASE = {"branch": 0.94, "industry": 0.12, "ecology": 0.5, "safety": 0.52, "civility": 0.48}
STEADY = 0.85
CLOSE_DAY, CLOSE_HOUR = 5, 9  # months are closed on the 5th of the next month, in the morning
# The month before last is reopened in the month after it for a correction, then closed again.
REOPEN_DAY, RECLOSE_DAY = 18, 19
CORRECTED_INDICATOR = "safety.dispute_resolution"


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    year = timezone.localdate().year
    standard_load_defaults(year=year - 1)
    standard_load_defaults(year=year)
    created, closed = _year(rng, county, year)
    if stdout:
        stdout.write(f"  台账：新增 {created} 条（{year}年1—{timezone.localdate().month}月），逐月关账 {closed} 个月")


def _months_for(indicator: Indicator, last_month: int) -> list[int]:
    """The months in which an indicator is reported: monthly ones every month; quarterly ones
    at the January baseline (摸底) and at each quarter's end; yearly ones in January."""
    if indicator.frequency == "monthly":
        return list(range(1, last_month + 1))
    if indicator.frequency == "quarterly":
        return [m for m in (1, 3, 6, 9, 12) if m <= last_month]
    return [1]


def _good(rng: random.Random, indicator: Indicator, quality: float, before: bool | None) -> bool:
    """Whether a village of this quality does well on the indicator this month. A village keeps
    last month's standing on most indicators (`STEADY`), so levels move for some villages from
    one month to the next, not for all."""
    steady, roll = rng.random(), rng.random()
    if before is not None and steady < STEADY:
        return before
    ease = EASE.get(indicator.star.code, 0.35)
    return roll < ease + (1 - ease) * quality ** 1.5


def _value(rng: random.Random, indicator: Indicator, good: bool) -> Decimal:
    """A value that a village doing well (or not) would report for the indicator."""
    params = indicator.params or {}
    if indicator.rule == "veto":
        return Decimal(0)
    if indicator.value_type == ValueType.BOOLEAN or indicator.rule == "pass_fail":
        return Decimal(1 if good else 0)
    if indicator.rule == "deduction":
        return Decimal(0 if good else rng.randint(1, 3))
    target = Decimal(str(params.get("threshold", params.get("target", 10))))
    if indicator.direction == "lower":
        value = target * Decimal(f"{rng.uniform(0, 0.9) if good else rng.uniform(1.2, 3):.2f}")
    else:
        value = target * Decimal(f"{rng.uniform(1.0, 1.15) if good else rng.uniform(0.5, 0.95):.3f}")
    if indicator.max_value is not None:
        value = min(value, indicator.max_value)
    if indicator.value_type == ValueType.COUNT:
        value = value.to_integral_value()
    return value.quantize(Decimal("0.01"))


_MOMENTS: dict[tuple, dt.datetime] = {}


def _at(year: int, month: int, day: int, hour: int, now: dt.datetime) -> dt.datetime:
    """A moment in the demo's past, never after now (memoised: asked for every entry)."""
    key = (year, month, day, hour, now)
    if key not in _MOMENTS:
        y, m = (year + 1, month - 12) if month > 12 else (year, month)
        moment = timezone.make_aware(dt.datetime(y, m, min(day, calendar.monthrange(y, m)[1]), hour))
        _MOMENTS[key] = min(moment, now)
    return _MOMENTS[key]


def _year(rng: random.Random, county: Region, year: int) -> tuple[int, int]:
    """1. draw each village's quality and the veto villages; 2. month by month: enter the
    month's ledgers, then close it once it has ended (and reopen the corrected month in the
    month after it). Returns (entries created, months closed)."""
    today = timezone.localdate()
    now = timezone.now()
    last_month = today.month if today.year == year else 12
    clerks = {p.region_id: p.user for p in _posts(Role.TOWNSHIP_STAFF)}
    fallback = User.objects.filter(username="org").first()
    organisation = User.objects.filter(posts__role=Role.ORGANISATION, posts__region=county).order_by("pk").first()
    reviewers = {u.username.removeprefix("lead_"): u for u in User.objects.filter(username__startswith="lead_")}
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=county.prefix).order_by("code"))
    indicators = {
        kind: list(Indicator.objects.filter(star__standard__year=year, star__standard__kind=kind, source=Source.LEDGER)
                   .select_related("star").order_by("star__order", "order"))
        for kind in ("rural", "urban")
    }
    # The indicators reported in each month, by kind.
    reported = {kind: {m: [i for i in rows if m in _months_for(i, last_month)] for m in range(1, last_month + 1)}
                for kind, rows in indicators.items()}
    veto_villages = set(rng.sample([v.pk for v in villages if v.kind == "rural"], VETO_VILLAGES))
    qualities = {v.pk: rng.betavariate(2.2, 1.5) for v in villages}
    existing = set(LedgerEntry.objects.filter(village__in=villages, year=year).values_list("village_id", "indicator_id", "month"))
    standing: dict[tuple[int, int], bool] = {}
    created = closed = 0
    for month in range(1, last_month + 1):
        rows = []
        for village in villages:
            clerk = clerks.get(village.parent_id, fallback)
            for indicator in reported[village.kind or "rural"][month]:
                good = _good(rng, indicator, qualities[village.pk], standing.get((village.pk, indicator.pk)))
                standing[village.pk, indicator.pk] = good
                value = _value(rng, indicator, good)
                if indicator.rule == "veto":
                    # A veto item is only reported when something happened.
                    if village.pk not in veto_villages or month != VETO_MONTH or indicator.star.code != "safety":
                        continue
                    value = Decimal(1)
                status = _status(rng, month, last_month)
                submitted_day = rng.randint(18, 28)
                if (village.pk, indicator.pk, month) in existing:
                    continue
                rows.append(_entry(village, indicator, year, month, value, status, clerk,
                                   reviewers.get(indicator.star.code, fallback), submitted_day, last_month, now))
        LedgerEntry.objects.bulk_create(rows, batch_size=2000)
        created += len(rows)
        if month < last_month:
            closed += 1
            # Bulletins (PDF and Excel per township) for the last closed month: enough to show,
            # and each costs a second or two.
            _close(county, year, month, organisation, now, bulletins=month == last_month - 1)
            if month == last_month - 2:
                _correct_and_reclose(county, year, month, organisation, reviewers, now)
    # The audit trail of what the demo "entered": one import event per entry of the open month.
    recent = LedgerEntry.objects.filter(village__in=villages, year=year, month=last_month, events__isnull=True)
    LedgerEvent.objects.bulk_create(
        (LedgerEvent(entry_id=pk, action=LedgerEvent.Action.IMPORT, actor_id=actor, after={"status": status},
                     note="演示数据") for pk, actor, status in recent.values_list("pk", "entered_by_id", "status")),
        batch_size=2000,
    )
    return created, closed


def _entry(village, indicator, year, month, value, status, clerk, reviewer, submitted_day, last_month, now):
    """One ledger entry dated in its month: submitted in the month's last third (the running
    month's today), reviewed in the first days of the next month, before its close."""
    submitted = None
    if status != LedgerStatus.DRAFT:
        submitted = now if month == last_month else _at(year, month, submitted_day, 17, now)
    reviewed = status in (LedgerStatus.APPROVED, LedgerStatus.RETURNED) and month < last_month
    return LedgerEntry(
        village_id=village.pk, indicator_id=indicator.pk, year=year, month=month, value=value, status=status,
        entered_by_id=clerk.pk, version=1, submitted_at=submitted,
        reviewed_by_id=reviewer.pk if reviewed else None,
        reviewed_at=_at(year, month + 1, 1 + submitted_day % 3, 10, now) if reviewed else None,
        return_reason="数值与佐证材料不一致，请核实后重新提交" if status == LedgerStatus.RETURNED else "",
    )


def _close(county: Region, year: int, month: int, by, now: dt.datetime, *, bulletins: bool) -> None:
    """Close the month (idempotent) and date its close at the 5th of the next month, when the
    county would have closed it."""
    if MonthClose.objects.filter(county=county, year=year, month=month).exists():
        return
    month_close(county=county, year=year, month=month, by=by, bulletins=bulletins)
    _date_close(county, year, month, _at(year, month + 1, CLOSE_DAY, CLOSE_HOUR, now))


def _date_close(county: Region, year: int, month: int, at: dt.datetime) -> None:
    # Only the close is dated back: the results' computed_at is the version the report
    # caches key on (reports/cache.py), so it stays the time they were written.
    MonthClose.objects.filter(county=county, year=year, month=month).update(closed_at=at)


def _correct_and_reclose(county: Region, year: int, month: int, by, reviewers: dict, now: dt.datetime) -> None:
    """The month's published figures held an error: a bulletin was out, the county
    organisation department reopens the month (the bulletin is marked superseded), the lead
    department corrects the approved entry and the month is closed again the next day. The
    bulletin is left superseded, for the department to generate anew. Done once: a second run
    finds the reopening."""
    if MonthReopening.objects.filter(county=county, year=year, month=month).exists():
        return
    star_code = CORRECTED_INDICATOR.split(".")[0]
    entry = (LedgerEntry.objects.filter(village__code__startswith=county.prefix, village__kind="rural", year=year,
                                        month=month, indicator__code=CORRECTED_INDICATOR,
                                        status=LedgerStatus.APPROVED)
             .select_related("village", "indicator").order_by("village__code").first())
    if entry is None:
        return
    closed_at = MonthClose.objects.get(county=county, year=year, month=month).closed_at
    demo_bulletin_out.send(sender=MonthClose, county=county, year=year, month=month, by=by, at=closed_at)
    reviewer = reviewers[star_code]
    reason = (f"{entry.village.name}{month}月“{entry.indicator.name}”台账数值录入有误，"
              f"经{reviewer.full_name.removesuffix('审核员')}核实更正后重新发布")
    reopened_at = _at(year, month + 1, REOPEN_DAY, 10, now)
    reopening = month_reopen(county=county, year=year, month=month, by=by, reason=reason, at=reopened_at)
    corrected = ledger_entry_correct(entry=entry, by=reviewer, value=min(entry.value + Decimal(12), Decimal(100)),
                                     reason="化解台账漏计已化解纠纷，按调解记录更正")
    LedgerEntry.objects.filter(pk=corrected.pk).update(submitted_at=reopened_at, reviewed_at=reopened_at)
    LedgerEvent.objects.filter(entry__in=[entry.pk, corrected.pk]).update(at=reopened_at)
    month_close(county=county, year=year, month=month, by=by, bulletins=False)
    reclosed_at = _at(year, month + 1, RECLOSE_DAY, 15, now)
    _date_close(county, year, month, reclosed_at)
    MonthReopening.objects.filter(pk=reopening.pk).update(closed_again_at=reclosed_at)


def _status(rng: random.Random, month: int, last_month: int) -> str:
    """Months before last are approved; last month is mostly approved, the rest still waiting
    for review; the running month is a mix."""
    roll = rng.random()
    if month < last_month - 1:
        return LedgerStatus.APPROVED
    if month == last_month - 1:
        return LedgerStatus.APPROVED if roll < 0.75 else LedgerStatus.SUBMITTED
    if roll < 0.45:
        return LedgerStatus.SUBMITTED
    if roll < 0.55:
        return LedgerStatus.RETURNED
    return LedgerStatus.DRAFT


def _posts(role):
    from cadres.models import Post

    return Post.objects.filter(role=role).select_related("user")
