"""Writes for first secretaries' daily work: sign-in, leave, spot checks."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from config.uploads import IMAGE_KINDS, upload_verify

from .models import FirstSecretary, FirstSecretaryStatus, Role, User
from .models_work import (
    Evaluation,
    EvaluationGrade,
    LeaveRequest,
    LeaveStatus,
    MonthlyReport,
    ReportStatus,
    SignIn,
    SpotCheck,
)
from .scope import can_see_region, has_role

MSG_SIGN_IN_TWICE = "今天已经签到，每天只能签到一次。"
MSG_SIGN_IN_NOT_YOURS = "只能为本人签到。"
MSG_LEAVE_NOT_YOURS = "只能为本人申请请假。"
MSG_REPORT_NOT_YOURS = "只能填写本人的月度工作报告。"
MSG_SIGN_IN_WRONG_VILLAGE = "只能在本人驻村的村签到。"
MSG_SIGN_IN_FUTURE = "不能为将来的日期签到。"
MSG_SIGN_IN_TOO_OLD = "补签超过允许的期限（{days} 天）。"
MSG_NOT_SERVING = "该第一书记不在任，不能记录。"
MSG_LEAVE_OVERLAP = "请假时间与已有的请假（{start} 至 {end}）重叠。"
MSG_LEAVE_ORDER = "结束日期不能早于开始日期。"
MSG_LEAVE_DECIDED = "该请假已审批，不能再次审批。"
MSG_TOWNSHIP_ONLY = "只有所属乡镇的专干可以办理。"
MSG_LEAVE_PAST = "不能为已经过去的日期请假。"
MSG_LEAVE_REASON = "请填写请假事由。"
MSG_ORGANISATION_ONLY = "只有县委组织部可以办理。"
MSG_RECALL_REASON = "请填写召回原因。"
MSG_RECALL_NOT_SERVING = "该第一书记已不在任，不能召回。"
MSG_EVALUATION_EXISTS = "该第一书记{year}年度已有考核结果，每年只评定一次。"
MSG_EVALUATION_GRADE = "请选择考核等次。"
MSG_EVALUATION_YEAR = "只能评定本年度及以前年度。"
MSG_EVALUATION_TERM = "该第一书记{year}年度不在任期内。"


def _check_serving(fs: FirstSecretary) -> None:
    if fs.status != FirstSecretaryStatus.SERVING:
        raise ValidationError(MSG_NOT_SERVING)


def _check_township(fs: FirstSecretary, by: User) -> None:
    if not (has_role(by, Role.TOWNSHIP_STAFF) and can_see_region(by, fs.village)):
        raise PermissionDenied(MSG_TOWNSHIP_ONLY)


@transaction.atomic
def sign_in_record(
    *, first_secretary: FirstSecretary, date: dt.date, by: User, note: str = "", photo=None,
    village=None, now: dt.datetime | None = None,
) -> SignIn:
    """Record the first secretary's own sign-in for `date` (today, or backdated within the grace)."""
    now = timezone.localtime(now or timezone.now())
    if first_secretary.user_id != by.pk:
        raise PermissionDenied(MSG_SIGN_IN_NOT_YOURS)
    _check_serving(first_secretary)
    if village is not None and village.pk != first_secretary.village_id:
        raise ValidationError(MSG_SIGN_IN_WRONG_VILLAGE)
    today = now.date()
    if date > today:
        raise ValidationError(MSG_SIGN_IN_FUTURE)
    grace = settings.PORTAL["SIGN_IN_GRACE_DAYS"]
    if (today - date).days > grace:
        raise ValidationError(MSG_SIGN_IN_TOO_OLD.format(days=grace))
    # Lock the first secretary row so two taps on the button cannot both pass the check.
    FirstSecretary.objects.select_for_update().filter(pk=first_secretary.pk).first()
    if SignIn.objects.filter(first_secretary=first_secretary, date=date).exists():
        raise ValidationError(MSG_SIGN_IN_TWICE)
    stored_photo = ""
    if photo:
        try:
            stored_photo = upload_verify(photo, kinds=IMAGE_KINDS).content
        except ValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from exc
    return SignIn.objects.create(
        first_secretary=first_secretary, village_id=first_secretary.village_id, date=date, time=now.time(),
        note=note.strip(), photo=stored_photo, created_by=by,
    )


@transaction.atomic
def leave_request(*, first_secretary: FirstSecretary, start: dt.date, end: dt.date, reason: str, by: User,
                  today: dt.date | None = None) -> LeaveRequest:
    """Ask for leave before the absence: no past dates, no overlap with a pending or approved leave."""
    if first_secretary.user_id != by.pk:
        raise PermissionDenied(MSG_LEAVE_NOT_YOURS)
    _check_serving(first_secretary)
    if not reason.strip():
        raise ValidationError(MSG_LEAVE_REASON)
    if end < start:
        raise ValidationError(MSG_LEAVE_ORDER)
    if start < (today or timezone.localdate()):
        raise ValidationError(MSG_LEAVE_PAST)
    FirstSecretary.objects.select_for_update().filter(pk=first_secretary.pk).first()
    clash = (
        LeaveRequest.objects.filter(
            first_secretary=first_secretary, status__in=[LeaveStatus.REQUESTED, LeaveStatus.APPROVED],
            start__lte=end, end__gte=start,
        ).order_by("start").first()
    )
    if clash:
        raise ValidationError(MSG_LEAVE_OVERLAP.format(start=clash.start, end=clash.end))
    return LeaveRequest.objects.create(first_secretary=first_secretary, start=start, end=end, reason=reason.strip())


@transaction.atomic
def leave_decide(*, leave: LeaveRequest, approve: bool, by: User, note: str = "") -> LeaveRequest:
    leave = LeaveRequest.objects.select_for_update().select_related("first_secretary__village").get(pk=leave.pk)
    _check_township(leave.first_secretary, by)
    if leave.status != LeaveStatus.REQUESTED:
        raise ValidationError(MSG_LEAVE_DECIDED)
    leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    leave.decided_by, leave.decided_at, leave.decision_note = by, timezone.now(), note.strip()
    leave.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return leave


@transaction.atomic
def spot_check_record(*, first_secretary: FirstSecretary, date: dt.date, present: bool, by: User, note: str = "") -> SpotCheck:
    _check_township(first_secretary, by)
    _check_serving(first_secretary)
    if date > timezone.localdate():
        raise ValidationError(MSG_SIGN_IN_FUTURE)
    return SpotCheck.objects.create(first_secretary=first_secretary, date=date, present=present, note=note.strip(), checked_by=by)


MSG_REPORT_LOCKED = "报告已提交，不能再修改。"
MSG_REPORT_EMPTY = "请填写本月工作。"
MSG_REPORT_NOT_SUBMITTED = "报告尚未提交。"


@transaction.atomic
def monthly_report_save(*, first_secretary: FirstSecretary, year: int, month: int, work_done: str, problems: str,
                        next_steps: str, by: User, submit: bool = False) -> MonthlyReport:
    """Save the month's report as a draft, or save and submit it; a submitted report is locked."""
    if first_secretary.user_id != by.pk:
        raise PermissionDenied(MSG_REPORT_NOT_YOURS)
    if not work_done.strip():
        raise ValidationError(MSG_REPORT_EMPTY)
    report, _ = MonthlyReport.objects.select_for_update().get_or_create(
        first_secretary=first_secretary, year=year, month=month, defaults={"work_done": work_done}
    )
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(MSG_REPORT_LOCKED)
    report.work_done, report.problems, report.next_steps = work_done.strip(), problems.strip(), next_steps.strip()
    if submit:
        report.status, report.submitted_at = ReportStatus.SUBMITTED, timezone.now()
    report.save()
    return report


@transaction.atomic
def monthly_report_mark_read(*, report: MonthlyReport, by: User) -> MonthlyReport:
    report = MonthlyReport.objects.select_for_update().select_related("first_secretary__village").get(pk=report.pk)
    _check_township(report.first_secretary, by)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(MSG_REPORT_NOT_SUBMITTED)
    report.status, report.read_by, report.read_at = ReportStatus.READ, by, timezone.now()
    report.save(update_fields=["status", "read_by", "read_at", "updated_at"])
    return report


def _check_organisation(fs: FirstSecretary, by: User) -> None:
    if not (has_role(by, Role.ORGANISATION) and can_see_region(by, fs.village)):
        raise PermissionDenied(MSG_ORGANISATION_ONLY)


@transaction.atomic
def first_secretary_recall(*, first_secretary: FirstSecretary, reason: str, by: User,
                           today: dt.date | None = None) -> FirstSecretary:
    """Recall (召回) a serving first secretary for absence or poor work.

    1. only the county organisation department of his county may recall;
    2. the row is locked and must still be serving (two clicks cannot recall twice);
    3. the term ends today (never before it began), the reason and who/when are kept.
    Pending leave requests lapse with the term: they are refused with the recall as the note.
    """
    _check_organisation(first_secretary, by)
    if not reason.strip():
        raise ValidationError(MSG_RECALL_REASON)
    fs = FirstSecretary.objects.select_for_update().get(pk=first_secretary.pk)
    if fs.status != FirstSecretaryStatus.SERVING:
        raise ValidationError(MSG_RECALL_NOT_SERVING)
    now = timezone.now()
    today = today or timezone.localdate()
    fs.status = FirstSecretaryStatus.RECALLED
    fs.term_end = max(today, fs.term_start)
    fs.recall_reason, fs.recalled_by, fs.recalled_at = reason.strip(), by, now
    fs.save(update_fields=["status", "term_end", "recall_reason", "recalled_by", "recalled_at", "updated_at"])
    LeaveRequest.objects.filter(first_secretary=fs, status=LeaveStatus.REQUESTED).update(
        status=LeaveStatus.REFUSED, decided_by=by, decided_at=now, decision_note="已召回，请假自动作废")
    return fs


def evaluation_evidence(*, first_secretary: FirstSecretary, year: int) -> dict:
    """What a yearly grade rests on: days present over the year and reports submitted (two queries)."""
    from .selectors import days_present_by_month

    months = days_present_by_month(first_secretary_ids=[first_secretary.pk], year=year, month_to=12)
    by_month = months.get(first_secretary.pk, {})
    reports = MonthlyReport.objects.filter(
        first_secretary=first_secretary, year=year, status__in=[ReportStatus.SUBMITTED, ReportStatus.READ]
    ).count()
    return {"days_by_month": [by_month.get(m, 0) for m in range(1, 13)], "days_present": sum(by_month.values()),
            "reports_submitted": reports}


@transaction.atomic
def evaluation_record(*, first_secretary: FirstSecretary, year: int, grade: str, by: User, note: str = "",
                      today: dt.date | None = None) -> Evaluation:
    """The county organisation department grades a first secretary once per year, with the
    year's days present and reports stored beside the grade as its evidence.

    The township does not propose a grade here: its view is already in the records the grade
    rests on (spot checks, leave decisions, reports read), and the campaign leaves the grade to
    the department that dispatched and manages first secretaries."""
    _check_organisation(first_secretary, by)
    if grade not in EvaluationGrade.values:
        raise ValidationError(MSG_EVALUATION_GRADE)
    today = today or timezone.localdate()
    if year > today.year:
        raise ValidationError(MSG_EVALUATION_YEAR)
    if first_secretary.term_start.year > year or (first_secretary.term_end and first_secretary.term_end.year < year):
        raise ValidationError(MSG_EVALUATION_TERM.format(year=year))
    # Lock the first secretary so two clicks cannot both pass the "one per year" check.
    FirstSecretary.objects.select_for_update().filter(pk=first_secretary.pk).first()
    if Evaluation.objects.filter(first_secretary=first_secretary, year=year).exists():
        raise ValidationError(MSG_EVALUATION_EXISTS.format(year=year))
    evidence = evaluation_evidence(first_secretary=first_secretary, year=year)
    return Evaluation.objects.create(
        first_secretary=first_secretary, year=year, grade=grade, note=note.strip(), evaluated_by=by,
        days_present=evidence["days_present"], reports_submitted=evidence["reports_submitted"],
    )
