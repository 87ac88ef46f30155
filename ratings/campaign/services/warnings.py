"""Early warnings (预警): find the conditions, keep one warning per condition, tell people once a day.

Conditions, for one county as of `today` (each is one or two set-based queries):
- star_missed / star_margin: a star earned in the last published month before the running
  month whose live score of the running month misses it, or is within WARNING_STAR_MARGIN
  (default 5) points of its pass mark. In the running month a star missed today is at risk only
  when it can no longer be earned, or one of its indicators can no longer be met or is behind
  pace (selectors_running): an indicator merely not due yet raises nothing;
- ledger_late: a township whose ledger of last month is not wholly submitted WARNING_LEDGER_DAYS
  (default 2) days before the ledger deadline (LEDGER_DEADLINE_DAY of this month), until the
  month is closed;
- attendance: a first secretary whose days present this month are below the month's pace of
  FIRST_SECRETARY_MIN_DAYS (days present by today < minimum × today's day / days in the month,
  rounded down), counted as the engine's metric provider counts them;
- veto: a ledger entry of a veto indicator this year with a value above 0 (any state but
  returned or superseded);
- weak_lax: a weak-and-lax listing not yet accepted;
- task_overdue / problem_overdue: an open task (or problem) item past its due date.

`warnings_refresh` raises the new ones, keeps (and rewords) those still true, and clears the
others. `warning_notices_send` gives each township and the county one notice a day summing up
its new warnings, whatever the number of runs.

Over 400 lines as one module on purpose: each condition's finder returns the same `Found` rows
that the refresh keeps one warning for and the daily notice sums up; a new condition is one
more finder here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from cadres.models import FirstSecretary, Role
from cadres.scope import can_see_region, has_role
from ratings.metrics import previous_month
from ratings.selectors_running import running_states
from villages.models import Level, Region
from villages.start_month import before_start

from ...models import (
    ChecklistItem,
    EarlyWarning,
    Frequency,
    Indicator,
    ItemOrigin,
    LedgerEntry,
    LedgerStatus,
    MonthClose,
    Notice,
    Rule,
    Source,
    StandardStatus,
    StarScore,
    View,
    VillageScore,
    WarningKind,
    WarningState,
)
from ..models.checklist import OPEN_STATUSES
from ..models.warnings import ACTIVE_STATES

logger = logging.getLogger(__name__)

MSG_ACK_NOT_ALLOWED = "您无权确认该预警"
MSG_ACK_CLEARED = "该预警已解除，无需确认"
NOTICE_PREFIX = "【预警】"
ACK_ROLES = (Role.ORGANISATION, Role.TOWNSHIP_STAFF, Role.VILLAGE_SECRETARY, Role.FIRST_SECRETARY)


def _star_name(star: str, village: Region) -> str:
    """The star's name as the village knows it (communities have their own names)."""
    from ratings.selectors import star_names

    return star_names(village.kind).get(star, star)


@dataclass
class Found:
    kind: str
    region_id: int
    township_id: int
    key: str
    year: int
    month: int
    text: str
    link_name: str = ""
    link_args: list = field(default_factory=list)
    link_query: str = ""


def _figure(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')).normalize():f}"


def _stars(county: Region, villages: dict[int, Region], today: dt.date, margin: Decimal) -> list[Found]:
    scores = VillageScore.objects.filter(village__code__startswith=county.prefix)
    running = (scores.filter(view=View.LIVE).filter(Q(year__lt=today.year) | Q(year=today.year, month__lte=today.month))
               .order_by("-year", "-month").values_list("year", "month").first())
    if running is None:
        return []
    year, month = running
    last = (scores.filter(view=View.PUBLISHED).filter(Q(year__lt=year) | Q(year=year, month__lt=month))
            .order_by("-year", "-month").values_list("year", "month").first())
    if last is None:
        return []
    earned = set(StarScore.objects.filter(village__code__startswith=county.prefix, year=last[0], month=last[1],
                                          view=View.PUBLISHED, earned=True).values_list("village_id", "star"))
    # The running month: a star not secured yet is at risk only for what can no longer be met
    # or is behind pace, never for what is merely not due yet (DESIGN "The running month").
    running = running_states(year=year, month=month, prefix=county.prefix, today=today)
    names: dict[str, dict[str, str]] = {}  # kind → code → name (communities' indicators have their own names)
    if running:
        from ratings.services.scoring_inputs import load_standards

        names = {kind: {code: i.name for code, i in loaded.indicators.items()}
                 for kind, loaded in load_standards(year).items()}
    found = []
    for village_id, star, score, pass_mark, is_earned in StarScore.objects.filter(
            village__code__startswith=county.prefix, year=year, month=month, view=View.LIVE).values_list(
            "village_id", "star", "score", "pass_mark", "earned"):
        village = villages.get(village_id)
        if (village_id, star) not in earned or village is None:
            continue
        name = _star_name(star, village)
        common = {"region_id": village_id, "township_id": village.parent_id, "year": year, "month": month,
                  "link_name": "ratings:explain", "link_args": [village.code, year, month, star],
                  "link_query": "view=live"}
        if not is_earned:
            state = running[village_id].stars.get(star) if village_id in running else None
            at_risk = "" if state is None else _at_risk(state, names.get(village.kind or "rural", {}))
            if state is not None and not at_risk:
                continue
            found.append(Found(kind=WarningKind.STAR_MISSED, key=f"{year}-{month}:{star}", **common, text=(
                f"{village.name}：{last[1]}月已获{name}，{month}月实时得分{_figure(score)}分，"
                f"{at_risk or '当前未达标'}")))
        elif score - pass_mark < margin:
            above = (f"比达标分{_figure(pass_mark)}分仅高{_figure(score - pass_mark)}分" if score > pass_mark
                     else f"恰在达标分{_figure(pass_mark)}分上")
            found.append(Found(kind=WarningKind.STAR_MARGIN, key=f"{year}-{month}:{star}", **common, text=(
                f"{village.name}：{name}{month}月实时得分{_figure(score)}分，{above}")))
    return found


def _at_risk(state, names: dict[str, str]) -> str:
    """Why a star of the running month is at risk ("" when it is not): it can no longer be
    earned, or one of its indicators can no longer be met or is behind pace."""
    parts = []
    if not state.attainable_earned:
        parts.append("本月已无法获得该星")
    if state.lost:
        parts.append("本月已无法达标的指标：" + "、".join(names.get(c, c) for c in state.lost))
    if state.behind:
        parts.append("进度落后：" + "、".join(names.get(c, c) for c in state.behind))
    return "；".join(parts)


def _ledger(county: Region, townships: dict[int, Region], villages: dict[int, Region], today: dt.date,
            days_before: int) -> list[Found]:
    from ...services.ledger import ledger_deadline

    year, month = previous_month(today.year, today.month)
    deadline = timezone.localdate(ledger_deadline(year, month))
    if today < deadline - dt.timedelta(days=days_before):
        return []
    if MonthClose.objects.filter(county=county, year=year, month=month).exists():
        return []
    due = dict(Indicator.objects.filter(
        star__standard__year=year, star__standard__status=StandardStatus.PUBLISHED, source=Source.LEDGER,
        frequency__in=Frequency.due_in(month)).exclude(rule=Rule.VETO)
        .values("star__standard__kind").annotate(n=Count("id")).values_list("star__standard__kind", "n"))
    expected: Counter = Counter()
    for village in villages.values():
        expected[village.parent_id] += due.get(village.kind or "rural", 0)
    submitted = dict(
        LedgerEntry.objects.filter(village__code__startswith=county.prefix, year=year, month=month,
                                   status__in=[LedgerStatus.SUBMITTED, LedgerStatus.APPROVED],
                                   indicator__source=Source.LEDGER, indicator__frequency__in=Frequency.due_in(month))
        .exclude(indicator__rule=Rule.VETO)
        .annotate(group=Substr("village__code", 1, 9)).values("group").annotate(n=Count("id"))
        .values_list("group", "n"))
    found = []
    for township_id, township in townships.items():
        need, done = expected.get(township_id, 0), submitted.get(township.code[:9], 0)
        if need and done < need:
            found.append(Found(
                kind=WarningKind.LEDGER_LATE, region_id=township_id, township_id=township_id,
                key=f"{year}-{month}", year=year, month=month, link_name="ratings:ledger_grid",
                link_query=f"township={township.code}&year={year}&month={month}",
                text=f"{township.name}{month}月台账尚未全部提交（已提交{done}项，应提交{need}项），"
                     f"截止日期{deadline.month}月{deadline.day}日"))
    return found


def _attendance(villages: dict[int, Region], today: dt.date) -> list[Found]:
    from ratings.providers.first_secretaries import first_secretary_days_present

    minimum = settings.PORTAL["FIRST_SECRETARY_MIN_DAYS"]
    expected = minimum * today.day // calendar.monthrange(today.year, today.month)[1]
    if expected <= 0 or not villages:
        return []
    answered = first_secretary_days_present(village_ids=list(villages), year=today.year, month=today.month)
    short = {}
    for village_id, periods in answered.items():
        days = dict(periods).get(today.month)
        if isinstance(days, Decimal) and days < expected:
            short[village_id] = int(days)
    serving = dict(FirstSecretary.objects.filter(village_id__in=list(short), term_start__lte=today)
                   .filter(Q(term_end__isnull=True) | Q(term_end__gte=today), recalled_at__isnull=True)
                   .order_by("village_id", "-term_start").values_list("village_id", "pk"))
    found = []
    for village_id, days in sorted(short.items()):
        village = villages[village_id]
        fs = serving.get(village_id)
        found.append(Found(
            kind=WarningKind.ATTENDANCE, region_id=village_id, township_id=village.parent_id,
            key=f"{today.year}-{today.month}", year=today.year, month=today.month,
            link_name="cadres:first_secretary_detail" if fs else "cadres:township_attendance",
            link_args=[fs] if fs else [],
            text=f"{village.name}第一书记{today.month}月已在村{days}天，按每月不少于{minimum}天的进度，"
                 f"截至{today.day}日应不少于{expected}天"))
    return found


def _vetoes(county: Region, villages: dict[int, Region], today: dt.date) -> list[Found]:
    rows = (LedgerEntry.objects.filter(village__code__startswith=county.prefix, year=today.year,
                                       indicator__rule=Rule.VETO, value__gt=0)
            .exclude(status__in=[LedgerStatus.RETURNED, LedgerStatus.SUPERSEDED])
            .values_list("pk", "village_id", "month", "indicator__name", "indicator__star__code"))
    found = []
    for pk, village_id, month, name, star in rows:
        village = villages.get(village_id)
        if village is None:
            continue
        found.append(Found(
            kind=WarningKind.VETO, region_id=village_id, township_id=village.parent_id, key=f"entry:{pk}",
            year=today.year, month=month, link_name="ratings:entry_detail", link_args=[pk],
            text=f"{village.name}{month}月台账填报了一票否决事项“{name}”，{_star_name(star, village)}将被否决"))
    return found


def _weak_lax(county: Region, villages: dict[int, Region], today: dt.date) -> list[Found]:
    from branches.models import Rectification, RectificationStatus

    rows = (Rectification.objects.filter(branch__village__code__startswith=county.prefix, listed_on__lte=today)
            .exclude(status=RectificationStatus.ACCEPTED)
            .values_list("pk", "branch__village_id", "listed_on"))
    found = []
    for pk, village_id, listed_on in rows:
        village = villages.get(village_id)
        if village is None:
            continue
        found.append(Found(
            kind=WarningKind.WEAK_LAX, region_id=village_id, township_id=village.parent_id, key=f"rect:{pk}",
            year=listed_on.year, month=listed_on.month, link_name="branches:rectification_detail", link_args=[pk],
            text=f"{village.name}党组织于{listed_on:%Y-%m-%d}列为软弱涣散，整顿尚未验收，不能获得支部过硬星"))
    return found


def _overdue(county: Region, villages: dict[int, Region], today: dt.date) -> list[Found]:
    rows = (ChecklistItem.objects.filter(village__code__startswith=county.prefix, status__in=OPEN_STATUSES,
                                         due_date__lt=today)
            .values_list("pk", "village_id", "origin", "title", "due_date"))
    found = []
    for pk, village_id, origin, title, due in rows:
        village = villages.get(village_id)
        if village is None:
            continue
        problem = origin == ItemOrigin.INSPECTION
        found.append(Found(
            kind=WarningKind.PROBLEM_OVERDUE if problem else WarningKind.TASK_OVERDUE, region_id=village_id,
            township_id=village.parent_id, key=f"item:{pk}", year=due.year, month=due.month,
            link_name="campaign:task_item", link_args=[pk],
            text=f"{village.name}{'问题' if problem else '任务'}“{title[:60]}”已逾期（时限{due:%Y-%m-%d}）"))
    return found


def warnings_find(*, county: Region, today: dt.date | None = None) -> list[Found]:
    """Every condition of the county that holds today (nothing written)."""
    today = today or timezone.localdate()
    portal = settings.PORTAL
    villages = {v.pk: v for v in Region.objects.filter(level=Level.VILLAGE, is_active=True,
                                                       code__startswith=county.prefix)
                .only("id", "code", "name", "kind", "parent_id")}
    townships = {t.pk: t for t in Region.objects.filter(level=Level.TOWNSHIP, is_active=True,
                                                        code__startswith=county.prefix).only("id", "code", "name")}
    found = (_stars(county, villages, today, Decimal(portal["WARNING_STAR_MARGIN"]))
             + _ledger(county, townships, villages, today, portal["WARNING_LEDGER_DAYS"])
             + _attendance(villages, today) + _vetoes(county, villages, today) + _weak_lax(county, villages, today)
             + _overdue(county, villages, today))
    # Nothing is owed for a month before the county started on the portal.
    return [f for f in found if not before_start(county, f.year, f.month)]


@transaction.atomic
def warnings_refresh(*, county: Region, today: dt.date | None = None) -> dict[str, int]:
    """Raise, keep and clear the county's warnings so they match today's conditions.

    An acknowledged warning stays acknowledged while its condition holds; a cleared one that
    comes back is a new warning. Returns counts: raised, kept, cleared.
    """
    now = timezone.now()
    found = {(f.kind, f.region_id, f.key): f for f in warnings_find(county=county, today=today)}
    active = {(w.kind, w.region_id, w.key): w for w in EarlyWarning.objects.select_for_update().filter(
        region__code__startswith=county.prefix, state__in=ACTIVE_STATES)}
    cleared = [w.pk for k, w in active.items() if k not in found]
    if cleared:
        EarlyWarning.objects.filter(pk__in=cleared).update(state=WarningState.CLEARED, cleared_at=now)
    kept, reworded = [], []
    for k, w in active.items():
        f = found.get(k)
        if f is None:
            continue
        kept.append(w.pk)
        fresh = (f.text[:300], f.year, f.month, f.link_name, f.link_args, f.link_query)
        if fresh != (w.text, w.year, w.month, w.link_name, w.link_args, w.link_query):
            w.text, w.year, w.month, w.link_name, w.link_args, w.link_query = fresh
            reworded.append(w)
    # Most warnings read the same as last time: one UPDATE marks them seen, only the reworded
    # ones are written row by row (bulk_update's CASE over hundreds of rows is slow).
    if kept:
        EarlyWarning.objects.filter(pk__in=kept).update(seen_at=now)
    EarlyWarning.objects.bulk_update(reworded, ["text", "year", "month", "link_name", "link_args", "link_query"],
                                     batch_size=200)
    new = [EarlyWarning(kind=f.kind, region_id=f.region_id, township_id=f.township_id, key=f.key, year=f.year,
                        month=f.month, text=f.text[:300], link_name=f.link_name, link_args=f.link_args,
                        link_query=f.link_query, raised_at=now, seen_at=now)
           for k, f in found.items() if k not in active]
    # A refresh of the same county running at the same time has raised them already.
    EarlyWarning.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return {"raised": len(new), "kept": len(kept), "cleared": len(cleared)}


def warnings_refresh_for_villages(village_ids: list[int], today: dt.date | None = None) -> None:
    """After a recompute: refresh the counties of these villages. A failure here is logged and
    never undoes the recompute (the nightly refresh catches up)."""
    codes = {c[:6] for c in Region.objects.filter(pk__in=village_ids).values_list("code", flat=True)}
    for county in Region.objects.filter(level=Level.COUNTY, code__in=[f"{c}000000" for c in codes]):
        try:
            warnings_refresh(county=county, today=today)
        except Exception:
            logger.exception("early warnings refresh failed for county %s", county.code)


def warnings_refresh_all(today: dt.date | None = None) -> int:
    """Every county (the nightly beat task)."""
    counties = list(Region.objects.filter(level=Level.COUNTY, is_active=True).order_by("code"))
    for county in counties:
        warnings_refresh(county=county, today=today)
    return len(counties)


@transaction.atomic
def warning_acknowledge(*, warning: EarlyWarning, by) -> EarlyWarning:
    """Record who acknowledged the warning and when (the office or the village in scope)."""
    warning = EarlyWarning.objects.select_for_update().select_related("region").get(pk=warning.pk)
    if not has_role(by, *ACK_ROLES) or not can_see_region(by, warning.region):
        raise PermissionDenied(MSG_ACK_NOT_ALLOWED)
    if warning.state == WarningState.CLEARED:
        from django.core.exceptions import ValidationError

        raise ValidationError(MSG_ACK_CLEARED)
    if warning.state == WarningState.OPEN:
        warning.state = WarningState.ACKNOWLEDGED
        warning.acknowledged_by = by
        warning.acknowledged_at = timezone.now()
        warning.save(update_fields=["state", "acknowledged_by", "acknowledged_at"])
    return warning


def _summary(kinds: Counter) -> str:
    labels = dict(WarningKind.choices)
    parts = "，".join(f"{labels[k]}{n}条" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"{NOTICE_PREFIX}今日新增预警{sum(kinds.values())}条：{parts}。请到预警清单查看处理。"[:300]


@transaction.atomic
def warning_notices_send(*, now: dt.datetime | None = None) -> int:
    """One notice a day per township (its staff read it on the township dashboard) and per
    county (the organisation department), summing up the warnings raised and not yet told.

    Run twice a day, the second run adds to that day's notice instead of sending another;
    the warnings told are marked in the same transaction, so none is told twice."""
    now = now or timezone.now()
    pending = list(EarlyWarning.objects.select_for_update().filter(state=WarningState.OPEN, notified_at__isnull=True)
                   .select_related("township"))
    if not pending:
        return 0
    by_region: dict[int, Counter] = defaultdict(Counter)
    counties = {c.code: c for c in Region.objects.filter(
        level=Level.COUNTY, code__in={f"{w.township.code[:6]}000000" for w in pending})}
    for w in pending:
        by_region[w.township_id][w.kind] += 1
        county = counties.get(f"{w.township.code[:6]}000000")
        if county is not None:
            by_region[county.pk][w.kind] += 1
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today_notices = {n.region_id: n for n in Notice.objects.select_for_update().filter(
        region_id__in=list(by_region), created_at__gte=start, text__startswith=NOTICE_PREFIX)}
    earlier = _told_today(start, list(by_region))
    sent = 0
    for region_id, kinds in by_region.items():
        notice = today_notices.get(region_id)
        if notice is None:
            Notice.objects.create(region_id=region_id, text=_summary(kinds), created_at=now)
            sent += 1
        else:
            notice.text = _summary(kinds + earlier.get(region_id, Counter()))
            notice.read = False
            notice.save(update_fields=["text", "read"])
    EarlyWarning.objects.filter(pk__in=[w.pk for w in pending]).update(notified_at=now)
    return sent


def _told_today(start: dt.datetime, region_ids: list[int]) -> dict[int, Counter]:
    """The warnings already told today, per township and county (for a notice's new total)."""
    told = (EarlyWarning.objects.filter(notified_at__gte=start).select_related("township")
            .values_list("township_id", "township__code", "kind"))
    counties = dict(Region.objects.filter(level=Level.COUNTY).values_list("code", "pk"))
    result: dict[int, Counter] = defaultdict(Counter)
    for township_id, code, kind in told:
        result[township_id][kind] += 1
        county_id = counties.get(f"{code[:6]}000000")
        if county_id:
            result[county_id][kind] += 1
    return {k: v for k, v in result.items() if k in set(region_ids)}
