"""奖优罚劣: the county's reward amounts, the year's reward table computed from the named list
and the townships' results, and the decision that adopts it.

The table is always computed from the named list as it stands: a star withdrawn (降星) lowers
the village's named level and so its reward, and the township's result. A recorded decision
keeps its totals, so the page can show what a withdrawal changed since.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q

from cadres.models import Role
from cadres.scope import can_see_region, has_role
from config.excel import safe_row
from ratings.models import Application, ApplicationStatus, RewardDecision, RewardScheme
from villages.models import Level, Region

MSG_NOT_ALLOWED = "您无权执行此操作。"
MSG_AMOUNT = "{label}的金额应为不小于 0 的数字。"
MSG_NO_SCHEME = "请先设定本年度的奖励标准。"
MSG_DECISION_NO = "请填写决定文号。"
LEVEL_LABELS = {1: "一星", 2: "二星", 3: "三星", 4: "四星", 5: "五星"}
CENT = Decimal("0.01")


def _amount(value, label: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0)).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise ValidationError(MSG_AMOUNT.format(label=label)) from None
    if amount < 0:
        raise ValidationError(MSG_AMOUNT.format(label=label))
    return amount


@transaction.atomic
def reward_scheme_save(*, by, county: Region, year: int, level_amounts: dict, township_amounts: list,
                       township_min_level: int = 3) -> RewardScheme:
    if county.level != Level.COUNTY or not can_see_region(by, county) or not has_role(by, Role.ORGANISATION):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    levels = {}
    for level, value in level_amounts.items():
        level = int(level)
        amount = _amount(value, f"{LEVEL_LABELS.get(level, level)}村")
        if 1 <= level <= 5 and amount > 0:
            levels[str(level)] = str(amount)
    townships = [str(_amount(v, f"乡镇第{n}名")) for n, v in enumerate(township_amounts, start=1)]
    while townships and Decimal(townships[-1]) == 0:
        townships.pop()
    scheme, _ = RewardScheme.objects.update_or_create(county=county, year=year, defaults={
        "level_amounts": levels, "township_amounts": townships,
        "township_min_level": max(1, min(5, int(township_min_level))), "updated_by": by})
    return scheme


def reward_table(*, county: Region, year: int, scheme: RewardScheme | None) -> dict:
    """Village rows (named level × the level's amount), township rows (ranked by their share of
    villages named at the scheme's level or above, then by the count, then by code; the first
    places get the scheme's amounts), and the totals. Two queries."""
    amounts = {int(k): Decimal(v) for k, v in (scheme.level_amounts if scheme else {}).items()}
    min_level = scheme.township_min_level if scheme else 3
    named = list(Application.objects.filter(year=year, status=ApplicationStatus.NAMED,
                                            village__code__startswith=county.prefix)
                 .select_related("village__parent").order_by("village__code"))
    villages = []
    for app in named:
        level = len(app.named_stars)
        amount = amounts.get(level, Decimal(0))
        if amount:
            villages.append({"code": app.village.code, "village": app.village.name,
                             "township": app.village.parent.name if app.village.parent else "",
                             "township_code": app.village.parent.code if app.village.parent else "",
                             "level": level, "label": LEVEL_LABELS.get(level, ""), "amount": amount})
    counts = {}
    for app in named:
        if len(app.named_stars) >= min_level and app.village.parent_id:
            counts[app.village.parent_id] = counts.get(app.village.parent_id, 0) + 1
    townships = []
    for t in Region.objects.filter(level=Level.TOWNSHIP, code__startswith=county.prefix, is_active=True).annotate(
            n=Count("children", filter=Q(children__is_active=True))).order_by("code"):
        qualified = counts.get(t.pk, 0)
        share = (Decimal(qualified) * 100 / t.n).quantize(CENT) if t.n else Decimal(0)
        townships.append({"code": t.code, "township": t.name, "villages": t.n, "qualified": qualified,
                          "share": share})
    townships.sort(key=lambda r: (-r["share"], -r["qualified"], r["code"]))
    prizes = [Decimal(v) for v in (scheme.township_amounts if scheme else [])]
    for rank, row in enumerate(townships, start=1):
        row["rank"] = rank
        row["amount"] = prizes[rank - 1] if rank <= len(prizes) and row["qualified"] else Decimal(0)
    village_total = sum((r["amount"] for r in villages), Decimal(0))
    township_total = sum((r["amount"] for r in townships), Decimal(0))
    return {"villages": villages, "townships": townships, "village_total": village_total,
            "township_total": township_total, "total": village_total + township_total, "min_level": min_level}


def _plain(table: dict) -> dict:
    def conv(v):
        return str(v) if isinstance(v, Decimal) else v
    return {"villages": [{k: conv(v) for k, v in r.items()} for r in table["villages"]],
            "townships": [{k: conv(v) for k, v in r.items()} for r in table["townships"]]}


@transaction.atomic
def reward_decide(*, by, county: Region, year: int, decision_no: str, decided_on: dt.date,
                  note: str = "") -> RewardDecision:
    if county.level != Level.COUNTY or not can_see_region(by, county) or not has_role(by, Role.ORGANISATION):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    scheme = RewardScheme.objects.select_for_update().filter(county=county, year=year).first()
    if scheme is None:
        raise ValidationError(MSG_NO_SCHEME)
    if not decision_no.strip():
        raise ValidationError({"decision_no": MSG_DECISION_NO})
    table = reward_table(county=county, year=year, scheme=scheme)
    return RewardDecision.objects.create(
        scheme=scheme, decision_no=decision_no.strip(), decided_on=decided_on, note=note.strip(),
        village_total=table["village_total"], township_total=table["township_total"], rows=_plain(table),
        decided_by=by)


def reward_table_xlsx(*, table: dict, title: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "村级奖励"
    ws.append([title])
    ws.append(["区划代码", "村（社区）", "乡镇", "命名星级", "奖励金额（元）"])
    for r in table["villages"]:
        ws.append(safe_row([r["code"], r["village"], r["township"], r["label"], float(r["amount"])]))
    ws.append(["", "", "", f"{table.get('scope_label', '全县')}合计", float(table["village_total"])])
    ws2 = wb.create_sheet("乡镇奖励")
    ws2.append(["名次", "乡镇", "村（社区）数", f"命名{table['min_level']}星及以上村（社区）数", "占全部村（社区）比例（%）", "奖励金额（元）"])
    for r in table["townships"]:
        ws2.append(safe_row([r["rank"], r["township"], r["villages"], r["qualified"], float(r["share"]),
                             float(r["amount"])]))
    ws2.append(["", "", "", "", f"{table.get('scope_label', '全县')}合计", float(table["township_total"])])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
