"""Demo work records of the county's first secretaries: sign-ins (this year and last year),
weekly spot checks, leave (approved, refused, pending), monthly reports, last year's
evaluations, and who recalled the recalled ones.

Most are in the village 20–26 days a month; a few fall short, so the township's
below-minimum list and the branch star's first-secretary indicator show something real.
Every block skips what exists, so running the seed twice adds nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections import Counter

from django.utils import timezone

from villages.models import Region

from .models import FirstSecretary, FirstSecretaryStatus, Post, Role, SignIn, User
from .models_work import (
    Evaluation,
    EvaluationGrade,
    LeaveRequest,
    LeaveStatus,
    MonthlyReport,
    ReportStatus,
    SpotCheck,
)

WORK_DONE = ["走访脱贫户和监测户，了解产业发展需求", "组织召开支部委员会和主题党日", "协调村集体光伏电站收益分配",
             "推进人居环境整治，清理村内坑塘", "对接帮扶单位落实就业岗位", "调解邻里纠纷两起"]
PROBLEMS = ["村集体经营性收入来源单一", "部分党员年龄偏大", "排水设施老化", ""]
NEXT_STEPS = ["谋划特色种植项目", "发展年轻党员", "争取项目资金改造排水", "完善村规民约"]
LEAVE_REASONS = ["参加派出单位培训", "家中老人住院", "本人体检", "子女升学事宜"]


def _in_term(fs: FirstSecretary, day: dt.date) -> bool:
    return fs.term_start <= day and (fs.term_end is None or day <= fs.term_end)


def seed(*, rng: random.Random, county: Region, stdout=None) -> None:
    today = timezone.localdate()
    secretaries = list(FirstSecretary.objects.filter(
        village__code__startswith=county.prefix, status=FirstSecretaryStatus.SERVING)
        .select_related("village").order_by("village__code"))
    existing = set(SignIn.objects.filter(first_secretary__in=secretaries).values_list("first_secretary_id", "date"))
    rows = []
    diligence = {}
    for fs in secretaries:
        diligent = rng.random() > 0.12
        diligence[fs.pk] = diligent
        for month in range(1, today.month + 1):
            last = calendar.monthrange(today.year, month)[1]
            days = [dt.date(today.year, month, d) for d in range(1, last + 1)]
            days = [d for d in days if fs.term_start <= d < today and (fs.term_end is None or d <= fs.term_end)]
            share = rng.uniform(0.72, 0.9) if diligent else rng.uniform(0.4, 0.6)
            chosen = sorted(rng.sample(days, round(len(days) * share))) if days else []
            times = [dt.time(rng.randint(7, 9), rng.randint(0, 59)) for _ in chosen]
            rows += [SignIn(first_secretary=fs, village_id=fs.village_id, date=d, time=t, created_by_id=fs.user_id)
                     for d, t in zip(chosen, times, strict=True) if (fs.pk, d) not in existing]
    SignIn.objects.bulk_create(rows, batch_size=5000)
    if stdout:
        stdout.write(f"  第一书记签到：新增 {len(rows)} 条")
    # Each later block draws from its own generator, so adding one never shifts another's data.
    last_year = _last_year_sign_ins(random.Random(f"{rng.random()}-last-year"), secretaries, diligence, today)
    checks = _spot_checks(random.Random(f"{rng.random()}-checks"), county, secretaries, today)
    leaves = _leaves(random.Random(f"{rng.random()}-leaves"), county, secretaries, today)
    reports = _reports(random.Random(f"{rng.random()}-reports"), county, secretaries, today)
    evaluations = _evaluations(random.Random(f"{rng.random()}-evaluations"), county, secretaries, today)
    recalled = _recalls(county)
    if stdout:
        stdout.write(f"  第一书记：去年签到 {last_year} 条，抽查 {checks} 条，请假 {leaves} 条，月报 {reports} 份，"
                     f"去年考核 {evaluations} 条，召回记录 {recalled} 条")


def _last_year_sign_ins(rng, secretaries, diligence, today) -> int:
    """Last year's sign-ins, so last year's evaluations rest on real days present."""
    year = today.year - 1
    candidates = [fs for fs in secretaries if fs.term_start.year <= year]
    existing = set(SignIn.objects.filter(first_secretary__in=candidates, date__year=year)
                   .values_list("first_secretary_id", "date"))
    rows = []
    for fs in candidates:
        share = rng.uniform(0.68, 0.9) if diligence[fs.pk] else rng.uniform(0.35, 0.6)
        days = [dt.date(year, 1, 1) + dt.timedelta(days=n) for n in range(366 if calendar.isleap(year) else 365)]
        days = [d for d in days if _in_term(fs, d)]
        for day in sorted(rng.sample(days, round(len(days) * share))):
            if (fs.pk, day) not in existing:
                rows.append(SignIn(first_secretary=fs, village_id=fs.village_id, date=day, time=dt.time(8, 30),
                                   created_by_id=fs.user_id))
    SignIn.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _township_clerks(county: Region, secretaries) -> dict[int, int | None]:
    """{first secretary id: user id of a township clerk of his township, if the demo has one}."""
    clerks: dict[int, int] = {}
    for region_id, user_id in (Post.objects.filter(role=Role.TOWNSHIP_STAFF, region__code__startswith=county.prefix)
                               .order_by("pk").values_list("region_id", "user_id")):
        clerks.setdefault(region_id, user_id)
    return {fs.pk: clerks.get(fs.village.parent_id) for fs in secretaries}


def _spot_checks(rng, county, secretaries, today) -> int:
    """One spot check a week for most first secretaries; this week only half are checked yet."""
    if SpotCheck.objects.filter(first_secretary__in=secretaries).exists():
        return 0
    signed = set(SignIn.objects.filter(first_secretary__in=secretaries, date__year=today.year)
                 .values_list("first_secretary_id", "date"))
    clerks = _township_clerks(county, secretaries)
    monday = today - dt.timedelta(days=today.weekday())
    rows = []
    week = dt.date(today.year, 1, 1) - dt.timedelta(days=dt.date(today.year, 1, 1).weekday())
    while week <= monday:
        for fs in secretaries:
            if rng.random() < (0.5 if week == monday else 0.15):
                continue
            day = week + dt.timedelta(days=rng.randint(0, min(4, (today - week).days)))
            if day.year != today.year or not _in_term(fs, day) or day > today:
                continue
            present = (fs.pk, day) in signed or rng.random() < 0.3
            rows.append(SpotCheck(first_secretary=fs, date=day, present=present, checked_by_id=clerks[fs.pk],
                                  note="在村开展工作" if present else "电话联系不在村"))
        week += dt.timedelta(days=7)
    SpotCheck.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _leaves(rng, county, secretaries, today) -> int:
    """Approved leave in the past, a few refused, and some waiting for the township."""
    if LeaveRequest.objects.filter(first_secretary__in=secretaries).exists():
        return 0
    clerks = _township_clerks(county, secretaries)
    rows = []
    for fs in secretaries:
        for _ in range(rng.randint(0, 2)):
            start = today - dt.timedelta(days=rng.randint(10, 300))
            if not _in_term(fs, start):
                continue
            status = LeaveStatus.APPROVED if rng.random() < 0.8 else LeaveStatus.REFUSED
            rows.append(LeaveRequest(
                first_secretary=fs, start=start, end=start + dt.timedelta(days=rng.randint(0, 2)),
                reason=rng.choice(LEAVE_REASONS), status=status, decided_at=timezone.now(), decided_by_id=clerks[fs.pk],
                decision_note="同意，请安排好村内工作" if status == LeaveStatus.APPROVED else "近期迎接检查，请调整时间"))
        if rng.random() < 0.12:
            start = today + dt.timedelta(days=rng.randint(1, 10))
            rows.append(LeaveRequest(first_secretary=fs, start=start, end=start + dt.timedelta(days=1),
                                     reason=rng.choice(LEAVE_REASONS)))
    # No overlaps between one first secretary's leaves: keep the first of any clash.
    kept: dict[int, list] = {}
    for leave in sorted(rows, key=lambda r: (r.first_secretary_id, r.start)):
        previous = kept.setdefault(leave.first_secretary_id, [])
        if not previous or previous[-1].end < leave.start:
            previous.append(leave)
    final = [leave for leaves in kept.values() for leave in leaves]
    LeaveRequest.objects.bulk_create(final)
    return len(final)


def _reports(rng, county, secretaries, today) -> int:
    """Last year's and past months read by the township; last month partly still waiting; this month mixed."""
    # A missing report is part of the demo: once seeded, never fill the gaps on a second run.
    if MonthlyReport.objects.filter(first_secretary__in=secretaries).exists():
        return 0
    clerks = _township_clerks(county, secretaries)
    now = timezone.now()
    rows = []
    months = [(today.year - 1, m) for m in range(1, 13)] + [(today.year, m) for m in range(1, today.month + 1)]
    for fs in secretaries:
        for year, month in months:
            if dt.date(year, month, 28) < fs.term_start:
                continue
            roll = rng.random()
            if year < today.year:
                status = ReportStatus.READ if roll < 0.92 else None
            elif month == today.month:
                status = ReportStatus.SUBMITTED if roll < 0.35 else ReportStatus.DRAFT if roll < 0.55 else None
            elif month == today.month - 1:
                status = ReportStatus.READ if roll < 0.6 else ReportStatus.SUBMITTED if roll < 0.95 else None
            else:
                status = ReportStatus.READ if roll < 0.95 else None
            if status is None:
                continue
            rows.append(MonthlyReport(
                first_secretary=fs, year=year, month=month, status=status,
                work_done="；".join(rng.sample(WORK_DONE, 3)), problems=rng.choice(PROBLEMS),
                next_steps=rng.choice(NEXT_STEPS), submitted_at=now if status != ReportStatus.DRAFT else None,
                read_by_id=clerks[fs.pk] if status == ReportStatus.READ else None,
                read_at=now if status == ReportStatus.READ else None))
    MonthlyReport.objects.bulk_create(rows)
    return len(rows)


def _evaluations(rng, county, secretaries, today) -> int:
    """Last year's grades, following the days present the records show."""
    from .selectors import days_present_by_month

    year = today.year - 1
    organisation = User.objects.filter(posts__role="organisation", posts__region=county).first()
    candidates = [fs for fs in secretaries if fs.term_start.year <= year]
    done = set(Evaluation.objects.filter(first_secretary__in=candidates, year=year).values_list("first_secretary_id", flat=True))
    days = days_present_by_month(first_secretary_ids=[fs.pk for fs in candidates], year=year, month_to=12)
    reports = Counter(MonthlyReport.objects.filter(first_secretary__in=candidates, year=year)
                      .exclude(status=ReportStatus.DRAFT).values_list("first_secretary_id", flat=True))
    rows = []
    for fs in candidates:
        if fs.pk in done:
            continue
        total = sum(days.get(fs.pk, {}).values())
        in_term = sum(1 for n in range(365) if _in_term(fs, dt.date(year, 1, 1) + dt.timedelta(days=n)))
        share = total / in_term if in_term else 0
        if share >= 0.8 and rng.random() < 0.5:
            grade = EvaluationGrade.EXCELLENT
        elif share >= 0.66:
            grade = EvaluationGrade.COMPETENT
        elif share >= 0.5:
            grade = EvaluationGrade.BASIC
        else:
            grade = EvaluationGrade.INCOMPETENT
        rows.append(Evaluation(first_secretary=fs, year=year, grade=grade, days_present=total, reports_submitted=reports[fs.pk],
                               evaluated_by=organisation, note="" if grade != EvaluationGrade.INCOMPETENT else "驻村天数严重不足"))
    Evaluation.objects.bulk_create(rows)
    return len(rows)


def _recalls(county) -> int:
    """The recalled first secretaries of the demo were recalled by the county organisation
    department, on the last day of their term (the day their service ended)."""
    organisation = User.objects.filter(posts__role="organisation", posts__region=county).first()
    recalled = FirstSecretary.objects.filter(
        village__code__startswith=county.prefix, status=FirstSecretaryStatus.RECALLED, recalled_by__isnull=True)
    rows = list(recalled.values_list("pk", "term_end"))
    for pk, term_end in rows:
        at = timezone.make_aware(dt.datetime.combine(term_end, dt.time(10))) if term_end else timezone.now()
        FirstSecretary.objects.filter(pk=pk).update(recalled_by=organisation, recalled_at=min(at, timezone.now()))
    return len(rows)
