"""Writes to the branch records: meetings, decisions, postings, and the rectification workflow.

Every write checks who may do it (`record_check` / `rectification_check`), validates the row
(model `full_clean`), saves it and its `RecordEvent` in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from cadres.models import Role
from cadres.scope import has_role, user_posts
from config.uploads import MSG_UPLOAD_SIZE, MSG_UPLOAD_TYPE, upload_verify
from villages.models import Level, Region
from villages.signals import village_records_changed

from .models import Branch, Rectification, RectificationStatus
from .models_records import Decision, Meeting, Posting, RecordEvent, RectificationUpdate

MSG_NOT_RECORDER = "只有本村（社区）党组织书记、第一书记或所属乡镇专干可以填报本村（社区）的组织生活记录"
MSG_NOT_RECTIFIER = "只有所属乡镇专干或县委组织部可以填报整顿方案和进展"
MSG_NOT_ACCEPTOR = "只有县委组织部可以验收销号"
MSG_NOT_VILLAGE = "只能为村（社区）填报记录"
MSG_FUTURE_DATE = "日期不能晚于今天"
MSG_FILE_TYPE = MSG_UPLOAD_TYPE  # files go through config/uploads.py
MSG_FILE_SIZE = MSG_UPLOAD_SIZE
MSG_PLAN_REQUIRED = "请填写整顿方案"
MSG_PROGRESS_REQUIRED = "请填写整顿进展"
MSG_RECTIFICATION_CLOSED = "该整顿已验收销号，不能再修改"
MSG_ACCEPT_WITHOUT_PLAN = "尚未制定整顿方案并开始整顿，不能验收"
MSG_ACCEPT_WITHOUT_PROGRESS = "尚无整顿进展记录，不能验收"
MSG_ACCEPT_BEFORE_LISTING = "验收日期不能早于列入日期"
MSG_ALREADY_ACCEPTED = "该整顿已验收销号"
MSG_PROGRESS_BEFORE_PLAN = "请先制定整顿方案，再报告进展"
MSG_NOT_LISTER = "只有县委组织部可以列入软弱涣散党组织"
MSG_NO_BRANCH = "该村（社区）尚无党组织记录"
MSG_ALREADY_LISTED = "该党组织已列入软弱涣散、尚未验收销号"
MSG_REASON_REQUIRED = "请填写软弱涣散原因"

RECORDER_ROLES = (Role.TOWNSHIP_STAFF, Role.VILLAGE_SECRETARY, Role.FIRST_SECRETARY)


# --- access ---------------------------------------------------------------------------------


def may_record(user, village: Region) -> bool:
    """Village secretary and first secretary for their own village; township staff for its villages."""
    if getattr(user, "is_superuser", False):
        return True
    return any(post.role in RECORDER_ROLES and village.code.startswith(post.region.prefix) for post in user_posts(user))


def record_check(user, village: Region) -> None:
    if village.level != Level.VILLAGE:
        raise ValidationError(MSG_NOT_VILLAGE)
    if not may_record(user, village):
        raise PermissionDenied(MSG_NOT_RECORDER)


def may_rectify(user, village: Region) -> bool:
    if has_role(user, Role.ORGANISATION):
        return any(village.code.startswith(p.region.prefix) for p in user_posts(user)) or user.is_superuser
    return any(p.role == Role.TOWNSHIP_STAFF and village.code.startswith(p.region.prefix) for p in user_posts(user))


def may_accept(user, village: Region) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(p.role == Role.ORGANISATION and village.code.startswith(p.region.prefix) for p in user_posts(user))


def attachment_check(upload):
    """A photo or PDF, verified by the project's one upload validator; returns what to store
    (under a generated name)."""
    if not upload:
        return None
    return upload_verify(upload).content


# --- the audit trail ------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "name") and not isinstance(value, str):  # a file
        return value.name or ""
    return value


def _snapshot(row: Model, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in fields}


def _event(*, row: Model, village: Region, action: str, by, changes: dict | None = None) -> None:
    RecordEvent.objects.create(record_type=row._meta.model_name, record_id=row.pk, village=village, action=action,
                               actor=by, changes=changes or {})


def _diff(before: dict, after: dict) -> dict:
    return {name: {"before": before.get(name), "after": value} for name, value in after.items()
            if before.get(name) != value}


def _future_check(errors: dict, field: str, value) -> None:
    if value and value > timezone.localdate():
        errors[field] = MSG_FUTURE_DATE


def _save_record(*, row: Model, fields: dict, village: Region, by, file_field: str | None = None,
                 date_fields: tuple[str, ...] = ()) -> Model:
    """1. check who may write, 2. validate (dates, file, model rules), 3. save with its event."""
    record_check(by, village)
    editable = [name for name in fields if name != file_field]
    # The stored row, not the instance: a bound ModelForm has already copied its input onto it.
    stored = type(row).objects.select_for_update().get(pk=row.pk) if row.pk else None
    before = _snapshot(stored, editable + ([file_field] if file_field else [])) if stored else {}
    errors: dict[str, str] = {}
    for name in date_fields:
        _future_check(errors, name, fields.get(name))
    upload = fields.get(file_field) if file_field else None
    verified = None
    if isinstance(upload, UploadedFile):  # a new file; the one already stored was checked on its way in
        try:
            verified = attachment_check(upload)
        except ValidationError as exc:
            errors[file_field] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        if name == file_field:
            if verified is not None:
                setattr(row, name, verified)
            elif stored is not None:
                setattr(row, name, getattr(stored, name))  # no new file: keep the one there is
            else:
                setattr(row, name, None)
            continue
        setattr(row, name, value)
    row.village = village
    creating = row.pk is None
    if creating:
        row.created_by = by
    row.updated_by = by
    row.full_clean()
    row.save()
    after = _snapshot(row, editable + ([file_field] if file_field else []))
    if creating:
        _event(row=row, village=village, action=RecordEvent.Action.CREATE, by=by, changes=after)
    else:
        changes = _diff(before, after)
        if changes:
            _event(row=row, village=village, action=RecordEvent.Action.UPDATE, by=by, changes=changes)
    return row


# --- organisational life, decisions, postings -----------------------------------------------

MEETING_FIELDS = ("type", "date", "topic", "members_expected", "attendance", "minutes", "attachment")
DECISION_FIELDS = ("matter", "proposed_on", "discussed_on", "reviewed_on", "resolved_on", "resolution_published_on",
                   "result_published_on", "note")
POSTING_FIELDS = ("category", "year", "month", "posted_on", "content", "photo")


@transaction.atomic
def meeting_save(*, village: Region, by, meeting: Meeting | None = None, **fields) -> Meeting:
    """Record a meeting of 三会一课 or a 主题党日, or correct one."""
    before = meeting.date if meeting else None
    meeting = _save_record(row=meeting or Meeting(), fields=_only(fields, MEETING_FIELDS), village=village, by=by,
                           file_field="attachment", date_fields=("date",))
    _rescore(village.pk, meeting.date)
    if before and (before.year, before.month) != (meeting.date.year, meeting.date.month):
        _rescore(village.pk, before)
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, by) -> None:
    record_check(by, meeting.village)
    _event(row=meeting, village=meeting.village, action=RecordEvent.Action.DELETE, by=by,
           changes=_snapshot(meeting, list(MEETING_FIELDS)))
    _rescore(meeting.village_id, meeting.date)
    meeting.delete()


@transaction.atomic
def decision_save(*, village: Region, by, decision: Decision | None = None, **fields) -> Decision:
    """Record a 四议两公开 matter and the dates of its steps so far."""
    return _save_record(row=decision or Decision(), fields=_only(fields, DECISION_FIELDS), village=village, by=by,
                        date_fields=DECISION_FIELDS[1:7])


@transaction.atomic
def posting_save(*, village: Region, by, posting: Posting | None = None, **fields) -> Posting:
    """Record a 三务公开 posting."""
    return _save_record(row=posting or Posting(), fields=_only(fields, POSTING_FIELDS), village=village, by=by,
                        file_field="photo", date_fields=("posted_on",))


def _only(fields: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    return fields


# --- rectification of weak-and-lax branches -------------------------------------------------


def _locked(rectification: Rectification) -> Rectification:
    return Rectification.objects.select_for_update().select_related("branch__village").get(pk=rectification.pk)


@transaction.atomic
def rectification_list_branch(*, village: Region, reason: str, by, listed_on: dt.date | None = None) -> Rectification:
    """列入: the county organisation department lists a village's branch as weak-and-lax. The
    flag acts as a veto on the branch star until the rectification is accepted."""
    if not may_accept(by, village):
        raise PermissionDenied(MSG_NOT_LISTER)
    branch = Branch.objects.select_for_update().filter(village=village).first()
    if branch is None:
        raise ValidationError(MSG_NO_BRANCH)
    if branch.rectifications.exclude(status=RectificationStatus.ACCEPTED).exists():
        raise ValidationError(MSG_ALREADY_LISTED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": MSG_REASON_REQUIRED})
    listed_on = listed_on or timezone.localdate()
    if listed_on > timezone.localdate():
        raise ValidationError({"listed_on": MSG_FUTURE_DATE})
    rectification = Rectification.objects.create(branch=branch, year=listed_on.year, reason=reason,
                                                 listed_on=listed_on)
    Branch.objects.filter(pk=branch.pk).update(is_weak_lax=True, updated_at=timezone.now())
    _event(row=rectification, village=village, action=RecordEvent.Action.CREATE, by=by,
           changes={"reason": reason, "listed_on": listed_on.isoformat()})
    _rescore(village.pk, listed_on)
    return rectification


@transaction.atomic
def rectification_plan_save(*, rectification: Rectification, plan: str, by) -> Rectification:
    """Write (or revise) the plan; a listed branch starts its rectification with it."""
    rectification = _locked(rectification)
    village = rectification.branch.village
    if not may_rectify(by, village):
        raise PermissionDenied(MSG_NOT_RECTIFIER)
    if rectification.status == RectificationStatus.ACCEPTED:
        raise ValidationError(MSG_RECTIFICATION_CLOSED)
    plan = (plan or "").strip()
    if not plan:
        raise ValidationError({"plan": MSG_PLAN_REQUIRED})
    before = {"plan": rectification.plan, "status": rectification.status}
    rectification.plan = plan
    rectification.status = RectificationStatus.RECTIFYING
    rectification.save(update_fields=["plan", "status", "updated_at"])
    _event(row=rectification, village=village, action=RecordEvent.Action.PLAN, by=by,
           changes=_diff(before, {"plan": plan, "status": rectification.status}))
    return rectification


@transaction.atomic
def rectification_progress_add(*, rectification: Rectification, note: str, by,
                               date: dt.date | None = None) -> RectificationUpdate:
    """Report progress: a new update in the history; the rectification shows the latest one."""
    rectification = _locked(rectification)
    village = rectification.branch.village
    if not may_rectify(by, village):
        raise PermissionDenied(MSG_NOT_RECTIFIER)
    if rectification.status == RectificationStatus.ACCEPTED:
        raise ValidationError(MSG_RECTIFICATION_CLOSED)
    if rectification.status != RectificationStatus.RECTIFYING:
        raise ValidationError(MSG_PROGRESS_BEFORE_PLAN)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": MSG_PROGRESS_REQUIRED})
    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise ValidationError({"date": MSG_FUTURE_DATE})
    update = RectificationUpdate.objects.create(rectification=rectification, date=date, note=note, created_by=by)
    rectification.progress = note
    rectification.save(update_fields=["progress", "updated_at"])
    _event(row=rectification, village=village, action=RecordEvent.Action.PROGRESS, by=by,
           changes={"date": date.isoformat(), "note": note})
    return update


@transaction.atomic
def rectification_accept(*, rectification: Rectification, by, accepted_on: dt.date | None = None,
                         note: str = "") -> Rectification:
    """The organisation department's acceptance (验收销号).

    1. only the county organisation department, and only a rectification under way with a plan
       and at least one progress report (no skipping steps, no second acceptance);
    2. close it; 3. clear the branch's weak-and-lax flag unless another listing stays open.
    """
    rectification = _locked(rectification)
    branch = rectification.branch
    if not may_accept(by, branch.village):
        raise PermissionDenied(MSG_NOT_ACCEPTOR)
    if rectification.status == RectificationStatus.ACCEPTED:
        raise ValidationError(MSG_ALREADY_ACCEPTED)
    if rectification.status != RectificationStatus.RECTIFYING or not rectification.plan.strip():
        raise ValidationError(MSG_ACCEPT_WITHOUT_PLAN)
    if not rectification.updates.exists():
        raise ValidationError(MSG_ACCEPT_WITHOUT_PROGRESS)
    accepted_on = accepted_on or timezone.localdate()
    if accepted_on > timezone.localdate():
        raise ValidationError({"accepted_on": MSG_FUTURE_DATE})
    if accepted_on < rectification.listed_on:
        raise ValidationError({"accepted_on": MSG_ACCEPT_BEFORE_LISTING})
    rectification.status = RectificationStatus.ACCEPTED
    rectification.accepted_on = accepted_on
    rectification.accepted_by = "县委组织部"
    rectification.accepted_by_user = by
    rectification.acceptance_note = (note or "").strip()
    rectification.save()
    still_open = branch.rectifications.exclude(status=RectificationStatus.ACCEPTED).exists()
    if not still_open:
        Branch.objects.filter(pk=branch.pk).update(is_weak_lax=False, updated_at=timezone.now())
    _event(row=rectification, village=branch.village, action=RecordEvent.Action.ACCEPT, by=by,
           changes={"accepted_on": accepted_on.isoformat(), "note": rectification.acceptance_note,
                    "weak_lax_cleared": not still_open})
    _rescore(branch.village_id, accepted_on)
    return rectification


def _rescore(village_id: int, day: dt.date | None) -> None:
    """The branch star reads these records: ratings scores the village's month (and the running
    one) again, once the change is committed."""
    village_records_changed.send(sender=Branch, village_id=village_id, day=day)
