"""Demo standards (last year and this year) and this year's ledgers in every state.

Each village gets a quality between 0 and 1 from the seeded generator; its values follow it,
so the engine later finds a realistic spread: strong villages with five stars, weak ones
without the branch star, a few vetoes.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from cadres.models import Role, User
from villages.models import Level, Region

from .models import Indicator, LedgerEntry, LedgerEvent, LedgerStatus, Source, ValueType
from .services.standard import standard_load_defaults

VETO_VILLAGES = 4  # villages with a veto event this year


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    year = timezone.localdate().year
    standard_load_defaults(year=year - 1)
    standard_load_defaults(year=year)
    created = _ledgers(rng, county, year)
    if stdout:
        stdout.write(f"  台账：新增 {created} 条（{year}年1—{timezone.localdate().month}月）")


def _months_for(indicator: Indicator, last_month: int) -> list[int]:
    if indicator.frequency == "monthly":
        return list(range(1, last_month + 1))
    if indicator.frequency == "quarterly":
        return [m for m in (3, 6, 9, 12) if m <= last_month] or [last_month]
    return [min(3, last_month)]


def _value(rng: random.Random, indicator: Indicator, quality: float) -> Decimal:
    """A value that a village of this quality would report for the indicator."""
    params = indicator.params or {}
    good = rng.random() < 0.35 + 0.65 * quality
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


def _ledgers(rng: random.Random, county: Region, year: int) -> int:
    today = timezone.localdate()
    last_month = today.month if today.year == year else 12
    clerks = {p.region_id: p.user for p in _posts(Role.TOWNSHIP_STAFF)}
    fallback = User.objects.filter(username="org").first()
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=county.prefix).order_by("code"))
    indicators = {
        kind: list(Indicator.objects.filter(star__standard__year=year, star__standard__kind=kind, source=Source.LEDGER)
                   .select_related("star").order_by("star__order", "order"))
        for kind in ("rural", "urban")
    }
    veto_villages = set(rng.sample([v.pk for v in villages if v.kind == "rural"], VETO_VILLAGES))
    existing = set(LedgerEntry.objects.filter(village__in=villages, year=year).values_list("village_id", "indicator_id", "month"))
    rows = []
    for village in villages:
        quality = rng.betavariate(2.2, 1.3)
        clerk = clerks.get(village.parent_id, fallback)
        for indicator in indicators[village.kind or "rural"]:
            for month in _months_for(indicator, last_month):
                value = _value(rng, indicator, quality)
                if indicator.rule == "veto":
                    # A veto item is only reported when something happened.
                    if village.pk not in veto_villages or month != 5 or indicator.star.code != "safety":
                        continue
                    value = Decimal(1)
                status = _status(rng, month, last_month)
                if (village.pk, indicator.pk, month) in existing:
                    continue
                rows.append(LedgerEntry(
                    village=village, indicator=indicator, year=year, month=month, value=value, status=status,
                    entered_by=clerk, version=1,
                    return_reason="数值与佐证材料不一致，请核实后重新提交" if status == LedgerStatus.RETURNED else "",
                    submitted_at=timezone.now() if status != LedgerStatus.DRAFT else None,
                ))
    LedgerEntry.objects.bulk_create(rows, batch_size=2000)
    # The audit trail of what the demo "entered": one import event per entry of the open month.
    recent = LedgerEntry.objects.filter(village__in=villages, year=year, month=last_month, events__isnull=True)
    LedgerEvent.objects.bulk_create(
        (LedgerEvent(entry_id=pk, action=LedgerEvent.Action.IMPORT, actor_id=actor, after={"status": status},
                     note="演示数据") for pk, actor, status in recent.values_list("pk", "entered_by_id", "status")),
        batch_size=2000,
    )
    return len(rows)


def _status(rng: random.Random, month: int, last_month: int) -> str:
    """Months before last are approved; last month is mostly submitted; the running month is a mix."""
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
