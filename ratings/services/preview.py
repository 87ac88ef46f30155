"""Impact preview of a draft standard (预览影响): what publishing it would do to a county.

The draft runs through the same engine on the same inputs a county recompute gathers
(`scoring_inputs.gather`, `evaluate_many`), next to the published standard it was copied from, for
the county's last closed month (published view) or the running month (live view). Nothing is
written but the StandardPreview row: no VillageScore, StarScore, ranking or task item.

The draft is usually next year's standard, copied from this year's: ledger entries belong to
this year's indicators, so the draft's ledger indicators read the entries of the published
indicator with the same code (a new code has no entries yet and counts as missing).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.models import Role
from cadres.regions import county_of_user
from cadres.scope import has_role
from config.jobs import error_text_plain
from villages.models import Level, Region

from ..engine import evaluate_many
from ..models import MonthClose, PreviewState, Source, Standard, StandardPreview, StandardStatus, View
from .scoring_inputs import LoadedStandard, gather, load_standard

MSG_NOT_DRAFT = "只能预览草稿标准的影响；已发布的标准请直接查看排名"
MSG_NOT_ORGANISATION = "只有县委组织部可以预览标准的影响"
MSG_NO_BASE = "没有可对比的已发布标准：请先发布{year}年的{kind}标准"
MSG_NO_CLOSED_MONTH = "{year}年还没有已关账的月份，可选择“本月实时数据”预览"
MSG_NO_RUNNING_MONTH = "本月不在{year}年度内，无法使用实时数据预览"
MSG_NO_COUNTY = "您的岗位不属于任何县，无法预览"
MSG_RUNNING = "该草稿正在预览中，请等待完成"

PROGRESS_STEPS = {
    "load": (10, "读取标准"),
    "gather": (30, "汇集台账和系统数据"),
    "published": (55, "按已发布标准计算"),
    "draft": (80, "按草稿标准计算"),
    "summary": (95, "汇总对比"),
}


def standard_fingerprint(standard: Standard) -> str:
    """What the engine reads of a standard, hashed: a preview of another fingerprint is stale.
    Names and guidance are left out (they change no figure)."""
    stars = []
    for star in standard.stars.prefetch_related("indicators").order_by("order", "pk"):
        stars.append([star.code, str(star.pass_mark), str(star.max_score), star.is_prerequisite, [
            [i.code, i.source, i.provider, i.aggregation, i.rule, i.params, i.direction, str(i.points), i.required]
            for i in star.indicators.all()
        ]])
    payload = json.dumps([standard.prerequisite_from_level, stars], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def preview_base(standard: Standard) -> Standard | None:
    """The published standard the draft is compared with: the one it was copied from, else the
    latest published standard of its kind up to its year."""
    source = standard.copied_from
    if source is not None and source.status == StandardStatus.PUBLISHED:
        return source
    return (Standard.objects.filter(kind=standard.kind, status=StandardStatus.PUBLISHED, year__lte=standard.year)
            .exclude(pk=standard.pk).order_by("-year").first())


def preview_month(*, county: Region, year: int, live: bool, today: dt.date | None = None) -> tuple[int, str]:
    """The month and view to preview on: the running month's live figures, or the county's
    last closed month of the year (published view)."""
    if live:
        today = today or timezone.localdate()
        if today.year != year:
            raise ValidationError(MSG_NO_RUNNING_MONTH.format(year=year))
        return today.month, View.LIVE
    month = (MonthClose.objects.filter(county=county, year=year).order_by("-month")
             .values_list("month", flat=True).first())
    if month is None:
        raise ValidationError(MSG_NO_CLOSED_MONTH.format(year=year))
    return month, View.PUBLISHED


@transaction.atomic
def preview_create(*, standard: Standard, by, live: bool = False, county: Region | None = None) -> StandardPreview:
    """Record a preview of the draft for the user's county and send its task after commit."""
    if by is not None and not has_role(by, Role.ORGANISATION):
        raise PermissionDenied(MSG_NOT_ORGANISATION)
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    if standard.is_published:
        raise ValidationError(MSG_NOT_DRAFT)
    county = county or county_of_user(by)
    if county is None or county.level != Level.COUNTY:
        raise ValidationError(MSG_NO_COUNTY)
    base = preview_base(standard)
    if base is None:
        raise ValidationError(MSG_NO_BASE.format(year=standard.year - 1, kind=standard.get_kind_display()))
    month, view = preview_month(county=county, year=base.year, live=live)
    if StandardPreview.objects.filter(standard=standard, county=county,
                                      state__in=[PreviewState.PENDING, PreviewState.RUNNING]).exists():
        raise ValidationError(MSG_RUNNING)
    preview = StandardPreview.objects.create(
        standard=standard, base_standard=base, county=county, year=base.year, month=month, view=view,
        fingerprint=standard_fingerprint(standard), created_by=by,
    )
    from config.celery import publish_soon

    from ..tasks import standard_preview_run

    transaction.on_commit(lambda: publish_soon(standard_preview_run, args=[preview.pk]))
    return preview


def _progress(preview: StandardPreview, step: str) -> None:
    percent, words = PROGRESS_STEPS[step]
    StandardPreview.objects.filter(pk=preview.pk).update(progress=percent, step=words)


def _draft_reading_base_ledger(draft: LoadedStandard, base: LoadedStandard) -> LoadedStandard:
    """The draft's ledger indicators pointed at the published indicator of the same code, whose
    entries the year's ledger holds (in memory only)."""
    indicators = {}
    for code, indicator in draft.indicators.items():
        same = base.indicators.get(code)
        if indicator.source == Source.LEDGER and same is not None and same.source == Source.LEDGER:
            indicator = copy.copy(indicator)
            indicator.pk = indicator.id = same.pk
        indicators[code] = indicator
    return LoadedStandard(draft.standard, draft.spec, indicators, draft.star_specs)


def _same_inputs(a: LoadedStandard, b: LoadedStandard) -> bool:
    """Whether one gather serves both: every shared ledger indicator aggregates the same way."""
    for code, indicator in a.indicators.items():
        other = b.indicators.get(code)
        if other is not None and other.pk == indicator.pk and other.aggregation != indicator.aggregation:
            return False
    return True


def _cause_rows(base_star, draft_star, loaded: LoadedStandard, names: dict[str, str]) -> list[dict]:
    """The indicators of a star whose points or met state differ between the two standards."""
    rows = []
    before = {r.code: r for r in base_star.indicators} if base_star else {}
    for result in draft_star.indicators if draft_star else ():
        old = before.pop(result.code, None)
        if old is None or old.points != result.points or old.met != result.met or old.veto_fired != result.veto_fired:
            rows.append({"code": result.code, "name": names.get(result.code, result.code),
                         "before": None if old is None else str(old.points), "after": str(result.points),
                         "met_before": None if old is None else old.met, "met_after": result.met})
    for code, old in before.items():  # indicators the draft removed
        rows.append({"code": code, "name": names.get(code, code), "before": str(old.points), "after": None,
                     "met_before": old.met, "met_after": None})
    return rows


def _levels() -> dict[str, int]:
    return {str(level): 0 for level in range(6)}


def preview_summary(*, base: LoadedStandard, draft: LoadedStandard, base_results, draft_results,
                    villages: dict[int, Region], townships: dict[int, Region]) -> dict:
    """Side by side: levels and stars per county and township, the villages that move and why,
    and the indicators behind most moves."""
    star_codes = [s.code for s in base.spec.stars] + [s.code for s in draft.spec.stars if s.code not in
                                                         {b.code for b in base.spec.stars}]
    star_names = {s.code: s.name for s in base.standard.stars.all()}
    star_names.update({s.code: s.name for s in draft.standard.stars.all()})
    names = {c: i.name for c, i in base.indicators.items()}
    names.update({c: i.name for c, i in draft.indicators.items()})

    def blank():
        return {"villages": 0, "levels": {"base": _levels(), "draft": _levels()},
                "stars": {"base": dict.fromkeys(star_codes, 0), "draft": dict.fromkeys(star_codes, 0)},
                "up": 0, "down": 0}

    county = blank()
    per_township: dict[int, dict] = defaultdict(blank)
    after = {r.village_id: r for r in draft_results}
    changes, decisive = [], Counter()
    decisive_moves: dict[str, Counter] = defaultdict(Counter)
    for old in base_results:
        new = after.get(old.village_id)
        if new is None:
            continue
        village = villages[old.village_id]
        bucket = per_township[village.parent_id]
        for totals in (county, bucket):
            totals["villages"] += 1
            totals["levels"]["base"][str(old.star_level)] += 1
            totals["levels"]["draft"][str(new.star_level)] += 1
            for star in old.stars:
                totals["stars"]["base"][star.code] += int(star.earned)
            for star in new.stars:
                totals["stars"]["draft"][star.code] += int(star.earned)
        if old.star_level == new.star_level:
            continue
        direction = "up" if new.star_level > old.star_level else "down"
        county[direction] += 1
        bucket[direction] += 1
        earned_before = {s.code for s in old.stars if s.earned}
        earned_after = {s.code for s in new.stars if s.earned}
        causes, cause_codes = [], set()
        for code in sorted(earned_before ^ earned_after, key=star_codes.index):
            rows = _cause_rows(old.star(code), new.star(code), draft, names)
            if not rows:
                pass_mark = draft.star_specs.get(code)
                rows = [{"code": "", "name": f"达标分（{pass_mark.pass_mark.normalize():f}）" if pass_mark else "星设置",
                         "before": None, "after": None, "met_before": None, "met_after": None}]
            causes.append({"star": code, "star_name": star_names.get(code, code),
                           "gained": code in earned_after, "indicators": rows})
            cause_codes |= {r["code"] for r in rows if r["code"]}
        if not causes:  # the same stars, another level: the prerequisite setting moved
            causes.append({"star": "", "star_name": "先决条件起始星级", "gained": direction == "up", "indicators": []})
        for code in cause_codes:
            decisive[code] += 1
            decisive_moves[code][direction] += 1
        township = townships.get(village.parent_id)
        changes.append({
            "village_id": village.pk, "code": village.code, "name": village.name,
            "township": township.name if township else "", "before": old.star_level, "after": new.star_level,
            "direction": direction, "total_before": str(old.total), "total_after": str(new.total), "causes": causes,
        })
    changes.sort(key=lambda c: (c["direction"] != "down", c["code"]))
    return {
        "star_codes": star_codes, "star_names": star_names, "county": county,
        "townships": [
            {"id": pk, "code": townships[pk].code, "name": townships[pk].name, **per_township[pk]}
            for pk in sorted(per_township, key=lambda pk: townships[pk].code) if pk in townships
        ],
        "changes": changes,
        "decisive": [{"code": code, "name": names.get(code, code), "changes": n,
                      "up": decisive_moves[code]["up"], "down": decisive_moves[code]["down"]}
                     for code, n in sorted(decisive.items(), key=lambda kv: (-kv[1], kv[0]))[:20]],
    }


def preview_compute(*, standard: Standard, base_standard: Standard, county: Region, year: int, month: int,
                    view: str, on_step=lambda step: None) -> dict:
    """The comparison for a county, in memory: steps 1-5 of the task, nothing written.

    1. both standards as engine specs; 2. the county's inputs, gathered as a recompute does
    (once when both standards read them the same way); 3. the published standard's results;
    4. the draft's; 5. the summary.
    """
    on_step("load")
    base = load_standard(Standard.objects.prefetch_related("stars__indicators").get(pk=base_standard.pk))
    draft = _draft_reading_base_ledger(
        load_standard(Standard.objects.prefetch_related("stars__indicators").get(pk=standard.pk)), base)
    kind = base.standard.kind
    villages = [v for v in Region.objects.filter(level=Level.VILLAGE, is_active=True, code__startswith=county.prefix)
                .only("id", "code", "kind", "parent_id", "name") if (v.kind or "rural") == kind]
    on_step("gather")
    inputs = gather(villages=villages, village_ids=None, prefix=county.prefix, year=year, month=month, view=view,
                    standards={kind: base})
    draft_inputs = inputs if _same_inputs(base, draft) else gather(
        villages=villages, village_ids=None, prefix=county.prefix, year=year, month=month, view=view,
        # The kept year-to-date values follow the published indicators' aggregation; a draft that
        # aggregates a shared indicator differently reads the entries themselves.
        standards={kind: draft}, year_to_date=False)
    on_step("published")
    base_results = evaluate_many(base.spec, inputs.get(kind, []), month)
    on_step("draft")
    draft_results = evaluate_many(draft.spec, draft_inputs.get(kind, []), month)
    on_step("summary")
    townships = {t.pk: t for t in Region.objects.filter(level=Level.TOWNSHIP, code__startswith=county.prefix)}
    summary = preview_summary(base=base, draft=draft, base_results=base_results, draft_results=draft_results,
                              villages={v.pk: v for v in villages}, townships=townships)
    summary["levels_by_village"] = {str(r.village_id): r.star_level for r in draft_results}
    return summary


def preview_run(*, preview_id: int) -> StandardPreview | None:
    """Run a recorded preview (the task's body); a finished one is left as it is."""
    started = StandardPreview.objects.filter(pk=preview_id, state=PreviewState.PENDING).update(
        state=PreviewState.RUNNING, started_at=timezone.now(), progress=5, step="开始")
    preview = StandardPreview.objects.select_related("standard", "base_standard", "county").filter(pk=preview_id).first()
    if preview is None or (not started and preview.state != PreviewState.RUNNING):
        return preview
    try:
        if preview.base_standard is None:
            raise ValidationError(MSG_NO_BASE.format(year=preview.year, kind=preview.standard.get_kind_display()))
        result = preview_compute(standard=preview.standard, base_standard=preview.base_standard,
                                 county=preview.county, year=preview.year, month=preview.month, view=preview.view,
                                 on_step=lambda step: _progress(preview, step))
    except ValidationError as exc:
        StandardPreview.objects.filter(pk=preview.pk).update(
            state=PreviewState.FAILED, error=error_text_plain(exc), finished_at=timezone.now())
        preview.refresh_from_db()
        return preview
    except Exception as exc:
        StandardPreview.objects.filter(pk=preview.pk).update(
            state=PreviewState.FAILED, error="预览计算出错，请稍后重试", finished_at=timezone.now())
        raise exc
    StandardPreview.objects.filter(pk=preview.pk).update(
        state=PreviewState.DONE, result=result, progress=100, step="完成", finished_at=timezone.now())
    preview.refresh_from_db()
    return preview


def preview_is_stale(preview: StandardPreview, fingerprint: str | None = None) -> bool:
    return preview.fingerprint != (fingerprint or standard_fingerprint(preview.standard))



LEVEL_WORDS = {0: "0星", 1: "一星", 2: "二星", 3: "三星", 4: "四星", 5: "五星"}


def preview_xlsx(*, preview: StandardPreview) -> bytes:
    """The report as a workbook: levels and stars side by side (county, then each township),
    the villages that move with their causes, the decisive indicators. Text cells are kept
    from running as formulas."""
    import io

    from openpyxl import Workbook

    from config.excel import safe_row

    result = preview.result or {}
    codes, names = result.get("star_codes", []), result.get("star_names", {})
    wb = Workbook()
    ws = wb.active
    ws.title = "星级分布"
    base_name = preview.base_standard.name if preview.base_standard else "已发布标准"
    ws.append(safe_row([f"{preview.standard.name} 影响预览：{preview.county.name}{preview.year}年{preview.month}月"
                        f"（{'实时' if preview.view == View.LIVE else '已发布'}口径），对比 {base_name}"]))
    header = ["区域", "村（社区）数"]
    header += [f"{LEVEL_WORDS[n]}（现行）" for n in range(6)] + [f"{LEVEL_WORDS[n]}（草稿）" for n in range(6)]
    header += [f"{names.get(c, c)}（现行）" for c in codes] + [f"{names.get(c, c)}（草稿）" for c in codes]
    header += ["升级村（社区）数", "降级村（社区）数"]
    ws.append(header)
    for label, row in [(preview.county.name, result.get("county", {}))] + [
            (t["name"], t) for t in result.get("townships", [])]:
        if not row:
            continue
        ws.append(safe_row(
            [label, row["villages"]]
            + [row["levels"]["base"][str(n)] for n in range(6)] + [row["levels"]["draft"][str(n)] for n in range(6)]
            + [row["stars"]["base"].get(c, 0) for c in codes] + [row["stars"]["draft"].get(c, 0) for c in codes]
            + [row["up"], row["down"]]))
    ws2 = wb.create_sheet("星级变化的村")
    ws2.append(["区划代码", "村（社区）", "乡镇", "现行星级", "草稿星级", "变化", "涉及的星", "原因指标"])
    for change in result.get("changes", []):
        stars = "；".join(f"{c['star_name']}{'获得' if c['gained'] else '失去'}" for c in change["causes"])
        causes = "；".join(i["name"] for c in change["causes"] for i in c["indicators"])
        ws2.append(safe_row([change["code"], change["name"], change["township"], change["before"], change["after"],
                             "升" if change["direction"] == "up" else "降", stars, causes]))
    ws3 = wb.create_sheet("关键指标")
    ws3.append(["指标代码", "指标", "影响村（社区）数", "其中升级", "其中降级"])
    for row in result.get("decisive", []):
        ws3.append(safe_row([row["code"], row["name"], row["changes"], row["up"], row["down"]]))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
