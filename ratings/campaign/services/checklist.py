"""Task lists from the engine's gaps, and the problem ledger (问题台账) state machine.

Rules (documented here because the design leaves them open):
- Stars a village aims at: TargetLevel.target_stars; when empty, the branch star (the
  prerequisite) first, then the other stars by this month's score, highest first, up to the level.
- Owner of a gap item: the village secretary's user if there is an active post, else the
  township (owner_text "乡镇").
- Due date: the ledger deadline (PORTAL["LEDGER_DEADLINE_DAY"]) of the month after the computed month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cadres.models import Post, Role, StarCode, star_label
from cadres.scope import can_see_region, has_role
from config.uploads import MSG_UPLOAD_TYPE, upload_verify
from ratings.detail import detail_rows
from ratings.models import (
    ChecklistItem,
    ChecklistProgress,
    Indicator,
    ItemOrigin,
    ItemStatus,
    StarScore,
    TargetLevel,
)
from villages.models import Region

PREREQUISITE_STAR = StarCode.BRANCH

MSG_NOT_ALLOWED = "您无权执行此操作。"
MSG_NOT_PROBLEM = "该事项不是问题台账事项。"
MSG_WRONG_STATE = "当前状态为“{status}”，不能执行“{action}”。"
MSG_NOTE_REQUIRED = "请填写反馈说明。"
MSG_PROGRESS_REQUIRED = "请填写进展情况。"
MSG_BAD_EVIDENCE = MSG_UPLOAD_TYPE  # config/uploads.py
MSG_TITLE_REQUIRED = "请填写问题内容。"
MSG_ITEM_CLOSED = "该事项已关闭。"
REASON_GAP_CLOSED = "差距已消除，自动关闭"



def stars_aimed_at(target: TargetLevel, scores: dict[str, StarScore]) -> list[str]:
    if target.target_stars:
        return list(target.target_stars)
    if target.level <= 0:
        return []
    others = sorted((c for c in StarCode.values if c != PREREQUISITE_STAR),
                    key=lambda c: (-(scores[c].score if c in scores else 0), c))
    return [PREREQUISITE_STAR, *others][: target.level]


def due_date_after(year: int, month: int) -> dt.date:
    y, m = (year + 1, 1) if month == 12 else (year, month + 1)
    day = min(settings.PORTAL["LEDGER_DEADLINE_DAY"], calendar.monthrange(y, m)[1])
    return dt.date(y, m, day)


def gap_title(gap: dict, code: str) -> str:
    return f"补齐指标 {gap.get('name') or '（指标已从标准中删除）'}"


@transaction.atomic
def checklist_regenerate(*, village_ids: list[int], year: int, month: int, view: str = "live") -> dict[str, int]:
    """Bring the open gap items of these villages in line with the month's StarScore rows.

    Idempotent: existing open items are updated in place (snapshot refreshed), items whose
    indicator is met (or no longer aimed at) are closed. Returns counts created/updated/closed.
    """
    targets = {t.village_id: t for t in TargetLevel.objects.filter(village_id__in=village_ids, year=year)}
    # The engine keeps codes only; an item reads the indicator's name (a person never sees a code).
    names, units = {}, {}
    for code, name, unit, value_type in Indicator.objects.filter(star__standard__year=year).values_list(
            "code", "name", "unit", "value_type"):
        names[code] = name
        units[code] = {"unit": unit or ("%" if value_type == "percent" else ""), "value_type": value_type}
    scores: dict[int, dict[str, StarScore]] = {}
    for s in StarScore.objects.filter(village_id__in=list(targets), year=year, month=month, view=view):
        scores.setdefault(s.village_id, {})[s.star] = s
    secretaries = {p.region_id: p.user_id for p in Post.objects.active()
                   .filter(region_id__in=list(targets), role=Role.VILLAGE_SECRETARY).order_by("pk")}
    wanted: dict[tuple[int, str], tuple[str, dict]] = {}
    for village_id, target in targets.items():
        village_scores = scores.get(village_id, {})
        for star in stars_aimed_at(target, village_scores):
            star_score = village_scores.get(star)
            if star_score is None:
                continue
            unmet = set(star_score.unmet or [])
            for row in detail_rows(star_score.indicators):
                if row.get("met") is False or row.get("code") in unmet:
                    wanted[(village_id, row["code"])] = (star, {
                        "value": row.get("value"), "needed": row.get("needed", row.get("gap")),
                        "points": row.get("max_points"), "points_now": row.get("points"),
                        "month": month, "view": view, "name": row.get("name") or names.get(row["code"], ""),
                        **units.get(row["code"], {}),
                    })
                    unmet.discard(row.get("code"))
            for code in unmet:  # unmet codes without detail still become items
                wanted[(village_id, code)] = (star, {"month": month, "view": view, "name": names.get(code, "")})
    open_items = {(i.village_id, i.indicator_code): i for i in ChecklistItem.objects.select_for_update().filter(
        village_id__in=village_ids, year=year, origin=ItemOrigin.GAP, status=ItemStatus.OPEN)}
    now = timezone.now()
    created, updated, to_update, to_close = [], 0, [], []
    for key, item in open_items.items():
        if key in wanted:
            star, gap = wanted[key]
            title = gap_title(gap, item.indicator_code)
            if item.gap != gap or item.star != star or item.title != title:
                item.gap, item.star, item.title = gap, star, title
                to_update.append(item)
        else:
            item.status, item.closed_at, item.closed_reason = ItemStatus.CLOSED, now, REASON_GAP_CLOSED
            to_close.append(item)
    due = due_date_after(year, month)
    for (village_id, code), (star, gap) in wanted.items():
        if (village_id, code) in open_items:
            continue
        owner = secretaries.get(village_id)
        created.append(ChecklistItem(
            village_id=village_id, year=year, star=star, indicator_code=code, origin=ItemOrigin.GAP,
            title=gap_title(gap, code), gap=gap, owner_id=owner,
            owner_text="" if owner else "乡镇", due_date=due, status=ItemStatus.OPEN, created_at=now,
        ))
    ChecklistItem.objects.bulk_create(created)
    if to_update:
        updated = ChecklistItem.objects.bulk_update(to_update, ["gap", "star", "title"])
    if to_close:
        ChecklistItem.objects.bulk_update(to_close, ["status", "closed_at", "closed_reason"])
    return {"created": len(created), "updated": updated, "closed": len(to_close)}


# --- problem ledger ---------------------------------------------------------------------------

RECORDERS = (Role.TOWNSHIP_STAFF, Role.ORGANISATION)
VILLAGE_ROLES = (Role.VILLAGE_SECRETARY, Role.FIRST_SECRETARY)


def _check(item: ChecklistItem, *, by, roles, expected: str, action: str) -> None:
    if not can_see_region(by, item.village):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not has_role(by, *roles):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if item.origin != ItemOrigin.INSPECTION:
        raise ValidationError(MSG_NOT_PROBLEM)
    if item.status != expected:
        raise ValidationError(MSG_WRONG_STATE.format(status=item.get_status_display(), action=action))


def _log(item: ChecklistItem, by, action: str, note: str = "", evidence=None) -> None:
    ChecklistProgress.objects.create(item=item, by=by, action=action, note=note, evidence=evidence)


def check_evidence(evidence):
    """The project's one upload validator (size, type by content, whole-file check); returns
    what to store, under a generated name."""
    return upload_verify(evidence).content


@transaction.atomic
def problem_record(*, village: Region, year: int, star: str, title: str, detail: str = "",
                   due_date: dt.date | None = None, by) -> ChecklistItem:
    if not can_see_region(by, village) or not has_role(by, *RECORDERS):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not title.strip():
        raise ValidationError(MSG_TITLE_REQUIRED)
    item = ChecklistItem.objects.create(
        village=village, year=year, star=star, origin=ItemOrigin.INSPECTION, title=title.strip(), detail=detail,
        due_date=due_date, status=ItemStatus.COLLECTED, created_by=by)
    _log(item, by, "收集", detail)
    return item


def _move(item, *, by, roles, expected, target, action, note="", evidence=None, **fields) -> ChecklistItem:
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    _check(item, by=by, roles=roles, expected=expected, action=action)
    item.status = target
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    _log(item, by, action, note, evidence)
    return item


@transaction.atomic
def item_progress(*, item: ChecklistItem, by, note: str, evidence=None) -> ChecklistProgress:
    """进展: the village (or the township) notes progress on any open item, with optional
    evidence; the status does not change (a gap item closes when its gap does)."""
    if not can_see_region(by, item.village) or not has_role(by, *VILLAGE_ROLES, Role.TOWNSHIP_STAFF):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if item.status == ItemStatus.CLOSED:
        raise ValidationError(MSG_ITEM_CLOSED)
    if not note.strip():
        raise ValidationError(MSG_PROGRESS_REQUIRED)
    if evidence is not None:
        evidence = check_evidence(evidence)
    return ChecklistProgress.objects.create(item=item, by=by, action="进展", note=note.strip(), evidence=evidence)


@transaction.atomic
def problem_report(*, item: ChecklistItem, by, note: str = "") -> ChecklistItem:
    return _move(item, by=by, roles=RECORDERS, expected=ItemStatus.COLLECTED, target=ItemStatus.REPORTED,
                 action="上报", note=note)


@transaction.atomic
def problem_assign(*, item: ChecklistItem, by, owner=None, owner_text: str = "", due_date: dt.date | None = None,
                   note: str = "") -> ChecklistItem:
    fields = {"owner": owner, "owner_text": owner_text}
    if due_date:
        fields["due_date"] = due_date
    return _move(item, by=by, roles=RECORDERS, expected=ItemStatus.REPORTED, target=ItemStatus.ASSIGNED,
                 action="交办", note=note, **fields)


@transaction.atomic
def problem_feedback(*, item: ChecklistItem, by, note: str, evidence=None) -> ChecklistItem:
    if not note.strip():
        raise ValidationError(MSG_NOTE_REQUIRED)
    if evidence is not None:
        evidence = check_evidence(evidence)
    return _move(item, by=by, roles=VILLAGE_ROLES, expected=ItemStatus.ASSIGNED, target=ItemStatus.FEEDBACK,
                 action="反馈", note=note, evidence=evidence)


@transaction.atomic
def problem_close(*, item: ChecklistItem, by, note: str = "") -> ChecklistItem:
    return _move(item, by=by, roles=(Role.TOWNSHIP_STAFF,), expected=ItemStatus.FEEDBACK, target=ItemStatus.CLOSED,
                 action="销号", note=note, closed_at=timezone.now(), closed_by=by, verified_by=by,
                 closed_reason="核验销号")


MSG_NOT_MEASURE = "该事项不是会商措施。"
MSG_COMPLETE_NOTE = "请填写落实情况。"
MEASURE_CLOSERS = (*VILLAGE_ROLES, Role.TOWNSHIP_STAFF)


@transaction.atomic
def measure_complete(*, item: ChecklistItem, by, note: str) -> ChecklistItem:
    """A measure decided at a joint consultation is closed by the village (or its township) with
    a note saying how it was carried out."""
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if not can_see_region(by, item.village) or not has_role(by, *MEASURE_CLOSERS):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if item.origin != ItemOrigin.MEASURE:
        raise ValidationError(MSG_NOT_MEASURE)
    if item.status != ItemStatus.OPEN:
        raise ValidationError(MSG_WRONG_STATE.format(status=item.get_status_display(), action="完成销号"))
    if not note.strip():
        raise ValidationError(MSG_COMPLETE_NOTE)
    item.status, item.closed_at, item.closed_by, item.closed_reason = (
        ItemStatus.CLOSED, timezone.now(), by, "措施已落实")
    item.save(update_fields=["status", "closed_at", "closed_by", "closed_reason"])
    _log(item, by, "完成销号", note.strip())
    return item


MSG_BAD_QUARTER = "季度应为 1 到 4。"
MSG_INSPECTION_EXISTS = "{region}{year}年第{quarter}季度已有观摩记录，请在原记录中录入得分。"
MSG_INSPECTION_DATE = "观摩日期应在{year}年第{quarter}季度内。"
MSG_SCORE_NUMBER = "{village} {star}：得分必须是数字。"
MSG_SCORE_RANGE = "{village} {star}：得分应在 0 到 100 之间。"
SCORE_RANGE = (Decimal(0), Decimal(100))


def _parse_score(village: Region, star: str, score) -> Decimal:
    label = star_label(star, village)
    try:
        value = Decimal(str(score).strip())
    except InvalidOperation:
        raise ValidationError(MSG_SCORE_NUMBER.format(village=village.name, star=label)) from None
    if not value.is_finite() or not SCORE_RANGE[0] <= value <= SCORE_RANGE[1]:
        raise ValidationError(MSG_SCORE_RANGE.format(village=village.name, star=label))
    return value


@transaction.atomic
def inspection_record(*, region: Region, year: int, quarter: int, date: dt.date,
                      scores: list[tuple[Region, str, object, str]] = (), by):
    """Record a quarterly inspection (观摩) of a township or the county, with optional
    (village, star, score, note) rows; one inspection per region and quarter."""
    from ratings.models import Inspection

    if not can_see_region(by, region) or not has_role(by, *RECORDERS):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(MSG_BAD_QUARTER)
    if date.year != year or (date.month - 1) // 3 + 1 != quarter:
        raise ValidationError(MSG_INSPECTION_DATE.format(year=year, quarter=quarter))
    if Inspection.objects.filter(region=region, year=year, quarter=quarter).exists():
        raise ValidationError(MSG_INSPECTION_EXISTS.format(region=region.name, year=year, quarter=quarter))
    inspection = Inspection.objects.create(region=region, year=year, quarter=quarter, date=date, inspected_by=by)
    inspection_scores_save(inspection=inspection, scores=scores, by=by)
    return inspection


@transaction.atomic
def inspection_scores_save(*, inspection, scores, by) -> dict[str, int]:
    """Set scores on an inspection: rows (village, star, score, note); a blank score removes the
    village's score for that star. All rows are checked first: one bad row saves nothing, and
    every bad row is named in the error."""
    from ratings.models import InspectionScore

    if not can_see_region(by, inspection.region) or not has_role(by, *RECORDERS):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    errors, values, removed = [], {}, []
    for village, star, score, note in scores:
        if not village.code.startswith(inspection.region.prefix) or not can_see_region(by, village):
            raise PermissionDenied(MSG_NOT_ALLOWED)
        if star not in StarCode.values:
            raise ValidationError(f"未知的星：{star}")
        if score is None or str(score).strip() == "":
            removed.append((village.pk, star))
            continue
        try:
            values[(village.pk, star)] = (_parse_score(village, star, score), (note or "")[:200])
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    existing = {(s.village_id, s.star): s for s in InspectionScore.objects.select_for_update().filter(
        inspection=inspection)}
    create, update = [], []
    for (village_id, star), (value, note) in values.items():
        row = existing.get((village_id, star))
        if row is None:
            create.append(InspectionScore(inspection=inspection, village_id=village_id, star=star, score=value, note=note))
        elif row.score != value or row.note != note:
            row.score, row.note = value, note
            update.append(row)
    InspectionScore.objects.bulk_create(create)
    InspectionScore.objects.bulk_update(update, ["score", "note"])
    gone = [existing[k].pk for k in removed if k in existing]
    InspectionScore.objects.filter(pk__in=gone).delete()
    return {"created": len(create), "updated": len(update), "removed": len(gone)}


def visit_problems_record(*, visit, problems: list[tuple[str, str]], by, **kwargs) -> list[ChecklistItem]:
    """The problems a contact visit raised (cadres.signals.visit_problems_raised), each a
    problem-ledger item already collected and reported to the township, linked to the visit."""
    from cadres.services_duty import VISIT_ORIGIN_NOTE

    items = []
    for star, title in problems:
        item = ChecklistItem.objects.create(
            village=visit.village, year=visit.date.year, star=star, origin=ItemOrigin.INSPECTION, title=title[:200],
            detail=f"{VISIT_ORIGIN_NOTE}：{visit.assignment.person_name} {visit.date:%Y-%m-%d}",
            status=ItemStatus.REPORTED, created_by=by)
        ChecklistProgress.objects.bulk_create([
            ChecklistProgress(item=item, by=by, action="收集", note=VISIT_ORIGIN_NOTE),
            ChecklistProgress(item=item, by=by, action="上报", note=VISIT_ORIGIN_NOTE),
        ])
        items.append(item)
    visit.problems.set(items)
    return items


def consultation_measures_record(*, meeting, measures, by, **kwargs) -> list[ChecklistItem]:
    """The measures a joint consultation decided (cadres.signals.consultation_measures_decided),
    each an open task item of its village with its owner and due date, linked to the meeting."""
    items = []
    for m in measures:
        item = ChecklistItem.objects.create(
            village=m.village, year=meeting.date.year, star=m.star, origin=ItemOrigin.MEASURE, title=m.title.strip()[:200],
            detail=f"{meeting.date:%Y-%m-%d} {meeting.title}议定", owner_text=m.owner_text.strip()[:60],
            due_date=m.due_date, status=ItemStatus.OPEN, created_by=by)
        ChecklistProgress.objects.create(item=item, by=by, action="会商交办", note=meeting.title)
        items.append(item)
    meeting.measures.set(items)
    return items
