"""Build villages with approved ledger values quickly (bulk), for scoring tests."""

from datetime import date
from decimal import Decimal as D

from django.utils import timezone

from ratings.models import Indicator, LedgerEntry, LedgerStatus, Source
from villages.models import Kind, Level, Region


def make_villages(township, count, start=1, kind=Kind.RURAL):
    rows = [Region(code=f"{township.code[:9]}{n:03d}", name=f"评分村{n}", level=Level.VILLAGE, kind=kind,
                   parent=township) for n in range(start, start + count)]
    Region.objects.bulk_create(rows)
    return list(Region.objects.filter(code__in=[r.code for r in rows]).order_by("code"))


def fill_ledgers(villages, user, year, month, *, value_for=None, status=LedgerStatus.APPROVED, service_centre=True,
                 roster=True):
    """Every ledger indicator of each village's standard gets a value for the month, and (unless
    `service_centre=False`) the service centre keeps the records the branch star reads at full
    marks (`run_service_centre`), as its ledger value "党群服务中心正常运转" once gave; (unless
    `roster=False`) each branch keeps a member roster the branch star reads at full marks
    (`keep_roster`), as the typed ledger value "党员联户覆盖率" once gave."""
    by_kind = {}
    rows = []
    for village in villages:
        kind = village.kind or "rural"
        if kind not in by_kind:
            by_kind[kind] = list(Indicator.objects.filter(star__standard__year=year, star__standard__kind=kind,
                                                          source=Source.LEDGER).exclude(rule="veto"))
        for indicator in by_kind[kind]:
            value = value_for(village, indicator) if value_for else full_marks(indicator)
            if value is None:
                continue
            rows.append(LedgerEntry(village=village, indicator=indicator, year=year, month=month, value=value,
                                    status=status, entered_by=user, submitted_at=timezone.now()))
    LedgerEntry.objects.bulk_create(rows)
    if service_centre:
        run_service_centre(villages, year, month)
    if roster:
        keep_roster(villages, year, month)


def keep_roster(villages, year, month):
    """A roster at full marks for the month: one 无职 member joined before it, holding a post,
    linked with a household and visiting it three times on the month's first day (3 points,
    the default target of the branch's average points)."""
    from branches.models import Branch
    from branches.models_members import (
        HouseholdVisit,
        LinkedHousehold,
        Member,
        MemberCategory,
        MemberPost,
        PostKind,
    )

    first = date(year, month, 1)
    branches = {b.village_id: b for b in Branch.objects.filter(village__in=villages)}
    missing = [Branch(village=v, name=f"{v.name}党支部") for v in villages if v.pk not in branches]
    Branch.objects.bulk_create(missing)
    branches = {b.village_id: b for b in Branch.objects.filter(village__in=villages)}
    visited = set(HouseholdVisit.objects.filter(household__member__branch__in=branches.values(), date=first)
                  .values_list("household__member__branch__village_id", flat=True))
    for village in villages:
        if village.pk in visited:
            continue  # a second fill of the month adds nothing
        branch = branches[village.pk]
        member = Member.objects.filter(branch=branch).first()
        if member is None:
            member = Member.objects.create(branch=branch, name="党员甲", gender="男", birth_year=1970,
                                           joined_on=date(2000, 7, 1), category=MemberCategory.NO_OFFICE)
            county = Region.objects.filter(code=village.code[:6] + "000000").first() or village.parent
            kind, _ = PostKind.objects.get_or_create(county=county, name="政策宣传岗")
            MemberPost.objects.create(member=member, kind=kind, duty="宣传政策", started_on=date(2000, 7, 1))
        household = LinkedHousehold.objects.filter(member=member).first() or LinkedHousehold.objects.create(
            member=member, head_name="户主甲", since=date(2000, 7, 1))
        HouseholdVisit.objects.bulk_create(HouseholdVisit(household=household, date=first, note="走访")
                                           for _ in range(3))


def run_service_centre(villages, year, month):
    """The service centre in use for the month: a cadre on duty every weekday from the month's
    first day, and an errand requested and done that day, within its promised days."""
    from branches.models_pairing import DutyShift, Errand

    first = date(year, month, 1)
    done = set(DutyShift.objects.filter(village__in=villages, valid_from=first).values_list("village_id", flat=True))
    villages = [v for v in villages if v.pk not in done]  # a second fill of the month adds nothing
    DutyShift.objects.bulk_create(
        DutyShift(village=village, weekday=weekday, person="值班干部", phone="0000000", valid_from=first)
        for village in villages for weekday in range(1, 6))
    Errand.objects.bulk_create(
        Errand(village=village, request="代办事项", category="other", resident_name="群众", runner="代办干部",
               requested_on=first, promised_days=7, done_on=first, token=f"t{year}{month:02d}{village.pk}")
        for village in villages)


def hold_meetings(villages, year, month):
    """Organisational life that meets the branch star's meeting indicators for the month: the
    committee and a party group meeting (三会一课, 2 meetings) and a themed party day."""
    from branches.models import Meeting, MeetingType

    kinds = [MeetingType.COMMITTEE_MEETING, MeetingType.GROUP_MEETING, MeetingType.THEMED_PARTY_DAY]
    Meeting.objects.bulk_create(
        Meeting(village=village, type=kind, date=date(year, month, 1), topic="学习", members_expected=10, attendance=9)
        for village in villages for kind in kinds
    )


def full_marks(indicator):
    params = indicator.params or {}
    if indicator.rule in ("pass_fail",):
        return D(1)
    if indicator.rule == "deduction":
        return D(0)
    target = D(str(params.get("threshold", params.get("target", 1))))
    return D(0) if indicator.direction == "lower" else target
