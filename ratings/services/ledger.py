"""The life of a ledger entry (台账): save → submit → approve, or return → fix → submit again;
an approved entry is locked and a correction supersedes it. Every change leaves an event."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from cadres.models import Role
from cadres.scope import has_role
from config.uploads import upload_verify
from villages.models import Region

from .. import messages as msg
from ..access import can_enter, can_review
from ..models import (
    Evidence,
    Indicator,
    LedgerEntry,
    LedgerEvent,
    LedgerStatus,
    LedgerWindow,
    Source,
    ValueType,
)
from .hooks import after_ledger_approved

Action = LedgerEvent.Action


# --- entry windows ---------------------------------------------------------------------------


def ledger_deadline(year: int, month: int) -> dt.datetime:
    """The end of the deadline day (default the 5th) of the month after, local time."""
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    day = min(settings.PORTAL["LEDGER_DEADLINE_DAY"], calendar.monthrange(next_year, next_month)[1])
    return timezone.make_aware(dt.datetime(next_year, next_month, day, 23, 59, 59))


def ledger_window_is_open(*, township: Region, year: int, month: int, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if now <= ledger_deadline(year, month):
        return True
    return LedgerWindow.objects.filter(township=township, year=year, month=month, open_until__gte=now).exists()


def _check_window(village: Region, year: int, month: int) -> None:
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise ValidationError(msg.MSG_FUTURE_MONTH)
    if not ledger_window_is_open(township=village.parent, year=year, month=month):
        deadline = timezone.localtime(ledger_deadline(year, month))
        raise ValidationError(msg.MSG_WINDOW_CLOSED.format(year=year, month=month, deadline=f"{deadline:%Y-%m-%d}"))


@transaction.atomic
def ledger_window_reopen(*, township: Region, year: int, month: int, until: dt.datetime, reason: str, by) -> LedgerWindow:
    if not has_role(by, Role.ORGANISATION):
        raise PermissionDenied(msg.MSG_REOPEN_ROLE)
    if not reason.strip():
        raise ValidationError(msg.MSG_REOPEN_REASON)
    if until <= timezone.now():
        raise ValidationError(msg.MSG_REOPEN_UNTIL)
    return LedgerWindow.objects.create(township=township, year=year, month=month, open_until=until,
                                       reason=reason.strip(), opened_by=by)


# --- values ----------------------------------------------------------------------------------


def clean_value(indicator: Indicator, raw) -> Decimal | None:
    """Parse and check a typed value against the indicator's type and range."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if indicator.value_type == ValueType.BOOLEAN:
        text = str(raw).strip()
        mapping = {"1": 1, "0": 0, "是": 1, "否": 0, "true": 1, "false": 0, "True": 1, "False": 0}
        if isinstance(raw, bool):
            return Decimal(int(raw))
        if text not in mapping:
            raise ValidationError(msg.MSG_NOT_BOOLEAN)
        return Decimal(mapping[text])
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(msg.MSG_NOT_A_NUMBER.format(value=raw)) from None
    if not value.is_finite():
        raise ValidationError(msg.MSG_NOT_A_NUMBER.format(value=raw))
    if indicator.value_type == ValueType.COUNT and value != value.to_integral_value():
        raise ValidationError(msg.MSG_NOT_INTEGER)
    low = indicator.min_value
    high = indicator.max_value
    if indicator.value_type == ValueType.PERCENT:
        low = Decimal(0) if low is None else low
        high = Decimal(100) if high is None else high
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValidationError(msg.MSG_OUT_OF_RANGE.format(min=_fmt(low, "-∞"), max=_fmt(high, "+∞")))
    return value


def _fmt(value: Decimal | None, default: str) -> str:
    return default if value is None else f"{value.normalize():f}"


def _snapshot(entry: LedgerEntry) -> dict:
    return {
        "value": None if entry.value is None else f"{entry.value.normalize():f}",
        "text_value": entry.text_value, "note": entry.note, "status": entry.status, "version": entry.version,
    }


def plausibility_flag(*, village: Region, indicator: Indicator, year: int, month: int, value: Decimal | None) -> str:
    """Flag (not refuse) a value far outside the village's own history or the township's range."""
    if value is None or indicator.value_type == ValueType.BOOLEAN:
        return ""
    history = LedgerEntry.objects.current().filter(village=village, indicator=indicator).exclude(
        year=year, month=month).aggregate(low=Min("value"), high=Max("value"))
    low, high = history["low"], history["high"]
    if low is not None and high is not None:
        spread = max(high - low, abs(high) * Decimal("0.5"), Decimal(1))
        if value > high + spread or value < low - spread:
            return msg.FLAG_HISTORY.format(low=_fmt(low, ""), high=_fmt(high, ""))
    peers = LedgerEntry.objects.current().filter(
        village__parent_id=village.parent_id, indicator=indicator, year=year, month=month).exclude(
        village=village).aggregate(low=Min("value"), high=Max("value"))
    low, high = peers["low"], peers["high"]
    if low is not None and high is not None:
        spread = max(high - low, abs(high) * Decimal("0.5"), Decimal(1))
        if value > high + spread * 2 or value < low - spread * 2:
            return msg.FLAG_TOWNSHIP.format(low=_fmt(low, ""), high=_fmt(high, ""))
    return ""


# --- save, submit ----------------------------------------------------------------------------


def _check_indicator(village: Region, indicator: Indicator, year: int) -> None:
    standard = indicator.star.standard
    if indicator.source != Source.LEDGER:
        raise ValidationError(msg.MSG_NOT_LEDGER_INDICATOR)
    if not standard.is_published:
        raise ValidationError(msg.MSG_STANDARD_NOT_PUBLISHED)
    if standard.year != year or standard.kind != (village.kind or "rural"):
        raise ValidationError(msg.MSG_WRONG_STANDARD)


@transaction.atomic
def ledger_entry_save(
    *, village: Region, indicator: Indicator, year: int, month: int, value=None, text_value: str = "",
    note: str = "", by, base_version: int | None = None, action: str = Action.CREATE,
) -> LedgerEntry:
    """Create a draft or change a draft/returned entry.

    1. scope, indicator, month and window checks; 2. the value parsed against type and range;
    3. the stored entry locked and its version compared with the one the edit was based on;
    4. nothing changes when the value is the same (so re-uploading a file is a no-op);
    5. the plausibility flag recomputed and the event recorded.
    """
    if not can_enter(by, village):
        raise PermissionDenied(msg.MSG_OUT_OF_SCOPE)
    if not 1 <= month <= 12:
        raise ValidationError(msg.MSG_MONTH_RANGE)
    _check_indicator(village, indicator, year)
    _check_window(village, year, month)
    if indicator.value_type == ValueType.TEXT:
        parsed, text_value = None, (text_value or ("" if value is None else str(value))).strip()
    else:
        parsed = clean_value(indicator, value)
    entry = (
        LedgerEntry.objects.current().select_for_update()
        .filter(village=village, indicator=indicator, year=year, month=month).first()
    )
    if entry is None:
        if parsed is None and not text_value:
            raise ValidationError(msg.MSG_VALUE_REQUIRED)
        entry = LedgerEntry.objects.create(
            village=village, indicator=indicator, year=year, month=month, value=parsed, text_value=text_value,
            note=note, entered_by=by,
            plausibility_flag=plausibility_flag(village=village, indicator=indicator, year=year, month=month, value=parsed),
        )
        LedgerEvent.objects.create(entry=entry, action=action, actor=by, after=_snapshot(entry))
        return entry
    if entry.is_locked:
        raise ValidationError(msg.MSG_ENTRY_LOCKED)
    if not entry.is_editable:
        raise ValidationError(msg.MSG_NOT_EDITABLE)
    if base_version is not None and base_version != entry.version:
        raise ValidationError(msg.MSG_VERSION_CONFLICT.format(current=entry.version, base=base_version))
    if entry.value == parsed and entry.text_value == text_value and entry.note == note:
        return entry
    before = _snapshot(entry)
    entry.value, entry.text_value, entry.note = parsed, text_value, note
    entry.version += 1
    entry.plausibility_flag = plausibility_flag(village=village, indicator=indicator, year=year, month=month, value=parsed)
    entry.save(update_fields=["value", "text_value", "note", "version", "plausibility_flag", "updated_at"])
    LedgerEvent.objects.create(entry=entry, action=Action.UPDATE if action == Action.CREATE else action,
                               actor=by, before=before, after=_snapshot(entry))
    return entry


def returned_unchanged(entries: Iterable[LedgerEntry]) -> set[int]:
    """The returned entries not changed since they were returned (their version is the one the
    return recorded): they are not submitted again until someone acts on the return. One query."""
    returned = {e.pk: e.version for e in entries if e.status == LedgerStatus.RETURNED}
    if not returned:
        return set()
    at_return: dict[int, int] = {}
    for entry_id, after in (LedgerEvent.objects.filter(entry_id__in=returned, action=Action.RETURN)
                            .order_by("entry_id", "-at", "-pk").values_list("entry_id", "after")):
        at_return.setdefault(entry_id, (after or {}).get("version"))
    return {pk for pk, version in returned.items() if at_return.get(pk) == version}


@transaction.atomic
def ledger_entries_submit(*, entries: Iterable[LedgerEntry], by) -> int:
    """Submit drafts and changed returned entries in one go: a constant number of queries.

    A returned entry nobody changed stays returned with its reason (never sent back unchanged);
    when nothing else is left the call is refused with the count."""
    ids = [e.pk for e in entries]
    rows = list(
        LedgerEntry.objects.select_for_update(of=("self",))
        .filter(pk__in=ids).select_related("village", "indicator")
    )
    unchanged = returned_unchanged(rows)
    rows = [e for e in rows if e.pk not in unchanged]
    if not rows:
        raise ValidationError(msg.MSG_RETURNED_UNCHANGED.format(count=len(unchanged)) if unchanged
                              else msg.MSG_SUBMIT_EMPTY)
    for entry in rows:
        if not can_enter(by, entry.village):
            raise PermissionDenied(msg.MSG_OUT_OF_SCOPE)
        if entry.status not in (LedgerStatus.DRAFT, LedgerStatus.RETURNED):
            raise ValidationError(msg.MSG_SUBMIT_STATE)
    needing = [e for e in rows if e.indicator.evidence_required]
    if needing:
        with_evidence = set(Evidence.objects.filter(entry__in=needing).values_list("entry_id", flat=True))
        missing = [e for e in needing if e.pk not in with_evidence]
        if missing:
            raise ValidationError(msg.MSG_EVIDENCE_REQUIRED.format(indicator=missing[0].indicator.name))
    now = timezone.now()
    events = [LedgerEvent(entry=e, action=Action.SUBMIT, actor=by, before={"status": e.status},
                          after={"status": LedgerStatus.SUBMITTED}) for e in rows]
    LedgerEntry.objects.filter(pk__in=[e.pk for e in rows]).update(status=LedgerStatus.SUBMITTED, submitted_at=now)
    LedgerEvent.objects.bulk_create(events)
    return len(rows)


# --- review ----------------------------------------------------------------------------------


def _check_reviewer(entry: LedgerEntry, by) -> None:
    if not can_review(by, entry.indicator.star.code, entry.village):
        raise PermissionDenied(msg.MSG_NOT_REVIEWER)
    if entry.entered_by_id == by.pk:
        raise PermissionDenied(msg.MSG_OWN_ENTRY)


@transaction.atomic
def ledger_entries_approve(*, entries: Iterable[LedgerEntry], by) -> int:
    """Approve submitted entries (one or many); the affected villages are recomputed after commit."""
    ids = [e.pk for e in entries]
    rows = list(
        LedgerEntry.objects.select_for_update(of=("self",)).filter(pk__in=ids)
        .select_related("village", "indicator__star")
    )
    for entry in rows:
        _check_reviewer(entry, by)
        if entry.status != LedgerStatus.SUBMITTED:
            raise ValidationError(msg.MSG_APPROVE_STATE)
    now = timezone.now()
    LedgerEntry.objects.filter(pk__in=[e.pk for e in rows]).update(
        status=LedgerStatus.APPROVED, reviewed_by=by, reviewed_at=now, return_reason="")
    LedgerEvent.objects.bulk_create(
        LedgerEvent(entry=e, action=Action.APPROVE, actor=by, before={"status": e.status},
                    after={"status": LedgerStatus.APPROVED}) for e in rows
    )
    _notify_approved(rows)
    return len(rows)


def _notify_approved(rows: list[LedgerEntry]) -> None:
    """The live view of the entry's month and of every later month of its year up to the
    running one: an entry of an earlier month (a late review, a correction) is carried forward
    by the months after it, the running month above all."""
    today = timezone.localdate()
    months: dict[tuple[int, int], set[int]] = {}
    for entry in rows:
        last = today.month if entry.year == today.year else (12 if entry.year < today.year else entry.month)
        for month in range(entry.month, max(last, entry.month) + 1):
            months.setdefault((entry.year, month), set()).add(entry.village_id)
    for (year, month), village_ids in months.items():
        after_ledger_approved(village_ids=sorted(village_ids), year=year, month=month)


@transaction.atomic
def ledger_entry_return(*, entry: LedgerEntry, by, reason: str) -> LedgerEntry:
    entry = LedgerEntry.objects.select_for_update(of=("self",)).select_related("village", "indicator__star").get(pk=entry.pk)
    _check_reviewer(entry, by)
    if entry.status != LedgerStatus.SUBMITTED:
        raise ValidationError(msg.MSG_APPROVE_STATE)
    if not (reason or "").strip():
        raise ValidationError(msg.MSG_RETURN_REASON)
    before = _snapshot(entry)
    entry.status, entry.return_reason = LedgerStatus.RETURNED, reason.strip()
    entry.reviewed_by, entry.reviewed_at = by, timezone.now()
    entry.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at", "updated_at"])
    LedgerEvent.objects.create(entry=entry, action=Action.RETURN, actor=by, before=before, after=_snapshot(entry),
                               note=entry.return_reason)
    return entry


@transaction.atomic
def ledger_entries_return(*, entries: Iterable[LedgerEntry], by, reason: str) -> int:
    """Return many entries with one reason: every entry is checked first (reviewer of its star,
    submitted), and none is returned unless all may be (one transaction)."""
    if not (reason or "").strip():
        raise ValidationError(msg.MSG_RETURN_REASON)
    rows = list(LedgerEntry.objects.select_for_update(of=("self",)).filter(pk__in=[e.pk for e in entries])
                .select_related("village", "indicator__star").order_by("pk"))
    for entry in rows:
        _check_reviewer(entry, by)
        if entry.status != LedgerStatus.SUBMITTED:
            raise ValidationError(msg.MSG_APPROVE_STATE)
    for entry in rows:
        ledger_entry_return(entry=entry, by=by, reason=reason)
    return len(rows)


@transaction.atomic
def ledger_entry_correct(*, entry: LedgerEntry, by, value, text_value: str = "", reason: str) -> LedgerEntry:
    """A reviewer corrects an approved entry: the old one is superseded, the new one approved."""
    entry = LedgerEntry.objects.select_for_update(of=("self",)).select_related("village", "indicator__star").get(pk=entry.pk)
    if not can_review(by, entry.indicator.star.code, entry.village):
        raise PermissionDenied(msg.MSG_NOT_REVIEWER)
    if entry.status != LedgerStatus.APPROVED:
        raise ValidationError(msg.MSG_CORRECT_STATE)
    if not (reason or "").strip():
        raise ValidationError(msg.MSG_CORRECT_REASON)
    parsed = None if entry.indicator.value_type == ValueType.TEXT else clean_value(entry.indicator, value)
    entry.status = LedgerStatus.SUPERSEDED
    entry.save(update_fields=["status", "updated_at"])
    now = timezone.now()
    new = LedgerEntry.objects.create(
        village=entry.village, indicator=entry.indicator, year=entry.year, month=entry.month, value=parsed,
        text_value=text_value, status=LedgerStatus.APPROVED, entered_by=by, submitted_at=now, reviewed_by=by,
        reviewed_at=now, supersedes=entry, correction_reason=reason.strip(), version=1,
    )
    LedgerEvent.objects.create(entry=entry, action=Action.CORRECT, actor=by, before=_snapshot(entry),
                               after={"superseded_by": new.pk}, note=reason.strip())
    LedgerEvent.objects.create(entry=new, action=Action.CORRECT, actor=by, before={"supersedes": entry.pk},
                               after=_snapshot(new), note=reason.strip())
    _notify_approved([new])
    return new


# --- evidence --------------------------------------------------------------------------------

@transaction.atomic
def evidence_attach(*, entry: LedgerEntry, upload, by) -> Evidence:
    """Attach a photo or PDF, verified by `config.uploads` and stored under a generated name."""
    if not can_enter(by, entry.village):
        raise PermissionDenied(msg.MSG_OUT_OF_SCOPE)
    if entry.is_locked:
        raise ValidationError(msg.MSG_EVIDENCE_LOCKED)
    verified = upload_verify(upload)
    evidence = Evidence.objects.create(entry=entry, file=verified.content, original_name=verified.original_name,
                                       content_type=verified.mime, size=verified.size, uploaded_by=by)
    LedgerEvent.objects.create(entry=entry, action=Action.EVIDENCE, actor=by, after={"evidence": evidence.original_name})
    return evidence
