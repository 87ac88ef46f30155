"""Every transition of a ledger entry, legal and illegal, through the services."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cadres.models import Role
from ratings import messages as msg
from ratings.detail import detail_rows
from ratings.models import LedgerEntry, LedgerEvent, LedgerStatus, VillageScore
from ratings.services.ledger import (
    evidence_attach,
    ledger_entries_approve,
    ledger_entries_submit,
    ledger_entry_correct,
    ledger_entry_return,
    ledger_entry_save,
    ledger_window_reopen,
)
from tests.factories import PostFactory
from tests.uploads import pdf_bytes, png_bytes

PNG = png_bytes()
PDF = pdf_bytes()


@pytest.fixture
def jobs(indicator_of):
    return indicator_of("industry.jobs")


@pytest.fixture
def draft(village, jobs, township_clerk, this_month):
    year, month = this_month
    return ledger_entry_save(village=village, indicator=jobs, year=year, month=month, value="30", by=township_clerk)


def submitted(entry, by):
    ledger_entries_submit(entries=[entry], by=by)
    entry.refresh_from_db()
    return entry


def approved(entry, clerk, reviewer):
    submitted(entry, clerk)
    ledger_entries_approve(entries=[entry], by=reviewer)
    entry.refresh_from_db()
    return entry


def test_clerk_saves_a_draft_with_a_create_event(draft, township_clerk):
    assert draft.status == LedgerStatus.DRAFT and draft.value == D(30) and draft.version == 1
    event = draft.events.get()
    assert (event.action, event.actor, event.after["value"]) == ("create", township_clerk, "30")


def test_edit_records_before_and_after_and_bumps_the_version(draft, township_clerk, jobs):
    entry = ledger_entry_save(village=draft.village, indicator=jobs, year=draft.year, month=draft.month, value="45",
                              by=township_clerk, base_version=1)
    assert entry.version == 2
    event = entry.events.order_by("-id").first()
    assert (event.action, event.before["value"], event.after["value"]) == ("update", "30", "45")


def test_same_value_again_changes_nothing(draft, township_clerk, jobs):
    ledger_entry_save(village=draft.village, indicator=jobs, year=draft.year, month=draft.month, value="30.0",
                      by=township_clerk, base_version=1)
    draft.refresh_from_db()
    assert draft.version == 1 and draft.events.count() == 1


def test_stale_save_is_a_conflict_not_an_overwrite(draft, township_clerk, jobs):
    ledger_entry_save(village=draft.village, indicator=jobs, year=draft.year, month=draft.month, value="40",
                      by=township_clerk, base_version=1)
    with pytest.raises(ValidationError) as error:
        ledger_entry_save(village=draft.village, indicator=jobs, year=draft.year, month=draft.month, value="50",
                          by=township_clerk, base_version=1)
    assert error.value.messages == [msg.MSG_VERSION_CONFLICT.format(current=2, base=1)]
    draft.refresh_from_db()
    assert draft.value == D(40)


@pytest.mark.parametrize(("raw", "message"), [
    ("abc", msg.MSG_NOT_A_NUMBER.format(value="abc")),
    ("20001", msg.MSG_OUT_OF_RANGE.format(min="0", max="10000")),
    ("-1", msg.MSG_OUT_OF_RANGE.format(min="0", max="10000")),
    ("2.5", msg.MSG_NOT_INTEGER),
])
def test_bad_values_are_refused_with_a_precise_message(village, jobs, township_clerk, this_month, raw, message):
    with pytest.raises(ValidationError) as error:
        ledger_entry_save(village=village, indicator=jobs, year=this_month[0], month=this_month[1], value=raw,
                          by=township_clerk)
    assert error.value.messages == [message]
    assert not LedgerEntry.objects.exists()


def test_yes_no_indicator_takes_only_yes_or_no(village, indicator_of, township_clerk, this_month):
    indicator = indicator_of("industry.leading_industry")
    entry = ledger_entry_save(village=village, indicator=indicator, year=this_month[0], month=this_month[1],
                              value="是", by=township_clerk)
    assert entry.value == D(1)
    with pytest.raises(ValidationError, match="是/否"):
        ledger_entry_save(village=village, indicator=indicator, year=this_month[0], month=this_month[1], value="2",
                          by=township_clerk)


def test_provider_indicator_cannot_be_entered(village, indicator_of, township_clerk, this_month):
    with pytest.raises(ValidationError) as error:
        ledger_entry_save(village=village, indicator=indicator_of("industry.collective_income"), year=this_month[0],
                          month=this_month[1], value="1", by=township_clerk)
    assert error.value.messages == [msg.MSG_NOT_LEDGER_INDICATOR]


def test_clerk_cannot_enter_for_other_township(foreign_village, jobs, township_clerk, this_month):
    with pytest.raises(PermissionDenied):
        ledger_entry_save(village=foreign_village, indicator=jobs, year=this_month[0], month=this_month[1], value="3",
                          by=township_clerk)


def test_village_secretary_cannot_enter(village, jobs, village_secretary, this_month):
    with pytest.raises(PermissionDenied):
        ledger_entry_save(village=village, indicator=jobs, year=this_month[0], month=this_month[1], value="3",
                          by=village_secretary)


def test_future_month_is_refused(village, jobs, township_clerk, this_month):
    year, month = this_month
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    with pytest.raises(ValidationError):
        ledger_entry_save(village=village, indicator=jobs, year=next_year, month=next_month, value="3",
                          by=township_clerk)


def test_after_deadline_only_a_reopened_window_accepts_entries(village, township, jobs, township_clerk, county_admin,
                                                               this_month):
    year, month = this_month
    past_year, past_month = (year - 1, 12) if month == 1 else (year, month - 1)
    if timezone.now() < timezone.make_aware(dt.datetime(year, month, 6)):
        past_year, past_month = (past_year - 1, 12) if past_month == 1 else (past_year, past_month - 1)
    from ratings.services.standard import standard_load_defaults

    standard_load_defaults(year=past_year)
    old = jobs.__class__.objects.get(code="industry.jobs", star__standard__year=past_year, star__standard__kind="rural")
    with pytest.raises(ValidationError, match="已过填报截止时间"):
        ledger_entry_save(village=village, indicator=old, year=past_year, month=past_month, value="3", by=township_clerk)
    with pytest.raises(PermissionDenied):
        ledger_window_reopen(township=township, year=past_year, month=past_month,
                             until=timezone.now() + dt.timedelta(days=2), reason="补报", by=township_clerk)
    ledger_window_reopen(township=township, year=past_year, month=past_month,
                         until=timezone.now() + dt.timedelta(days=2), reason="系统故障补报", by=county_admin)
    entry = ledger_entry_save(village=village, indicator=old, year=past_year, month=past_month, value="3",
                              by=township_clerk)
    assert entry.pk


def test_approve_a_draft_is_refused(draft, industry_reviewer):
    with pytest.raises(ValidationError) as error:
        ledger_entries_approve(entries=[draft], by=industry_reviewer)
    assert error.value.messages == [msg.MSG_APPROVE_STATE]


def test_submitted_entry_cannot_be_edited(draft, township_clerk, jobs):
    submitted(draft, township_clerk)
    with pytest.raises(ValidationError, match="已提交"):
        ledger_entry_save(village=draft.village, indicator=jobs, year=draft.year, month=draft.month, value="9",
                          by=township_clerk)


def test_approved_entry_is_locked(draft, township_clerk, industry_reviewer, jobs):
    approved(draft, township_clerk, industry_reviewer)
    with pytest.raises(ValidationError) as error:
        ledger_entry_save(village=draft.village, indicator=jobs, year=draft.year, month=draft.month, value="9",
                          by=township_clerk)
    assert error.value.messages == [msg.MSG_ENTRY_LOCKED]


def test_reviewer_of_another_star_cannot_approve(draft, township_clerk, branch_reviewer):
    submitted(draft, township_clerk)
    with pytest.raises(PermissionDenied):
        ledger_entries_approve(entries=[draft], by=branch_reviewer)


def test_clerk_cannot_approve(draft, township_clerk):
    submitted(draft, township_clerk)
    with pytest.raises(PermissionDenied):
        ledger_entries_approve(entries=[draft], by=township_clerk)


def test_nobody_reviews_their_own_entry(village, jobs, county, this_month):
    from tests.factories import UserFactory

    both = UserFactory(username="both_hats")
    PostFactory(user=both, role=Role.ORGANISATION, region=county)
    PostFactory(user=both, role=Role.LEAD_DEPARTMENT, region=county, star="industry")
    entry = ledger_entry_save(village=village, indicator=jobs, year=this_month[0], month=this_month[1], value="5",
                              by=both)
    submitted(entry, both)
    with pytest.raises(PermissionDenied) as error:
        ledger_entries_approve(entries=[entry], by=both)
    assert str(error.value) == msg.MSG_OWN_ENTRY


def test_return_needs_a_reason_and_the_clerk_can_fix_and_resubmit(draft, township_clerk, industry_reviewer, jobs):
    submitted(draft, township_clerk)
    with pytest.raises(ValidationError):
        ledger_entry_return(entry=draft, by=industry_reviewer, reason="  ")
    returned = ledger_entry_return(entry=draft, by=industry_reviewer, reason="与佐证材料不符")
    assert (returned.status, returned.return_reason) == (LedgerStatus.RETURNED, "与佐证材料不符")
    fixed = ledger_entry_save(village=draft.village, indicator=jobs, year=draft.year, month=draft.month, value="35",
                              by=township_clerk, base_version=returned.version)
    assert fixed.status == LedgerStatus.RETURNED and fixed.value == D(35)
    assert submitted(fixed, township_clerk).status == LedgerStatus.SUBMITTED


def test_resubmitting_a_submitted_entry_is_refused(draft, township_clerk):
    submitted(draft, township_clerk)
    with pytest.raises(ValidationError):
        ledger_entries_submit(entries=[draft], by=township_clerk)


def test_clerk_cannot_submit_other_townships_entry(village, foreign_village, jobs, other_township_clerk, township_clerk,
                                                  this_month):
    entry = ledger_entry_save(village=village, indicator=jobs, year=this_month[0], month=this_month[1], value="5",
                              by=township_clerk)
    with pytest.raises(PermissionDenied):
        ledger_entries_submit(entries=[entry], by=other_township_clerk)


def test_correction_supersedes_the_approved_entry(draft, township_clerk, industry_reviewer):
    approved(draft, township_clerk, industry_reviewer)
    with pytest.raises(ValidationError):
        ledger_entry_correct(entry=draft, by=industry_reviewer, value="60", reason="")
    new = ledger_entry_correct(entry=draft, by=industry_reviewer, value="60", reason="复核发现统计口径有误")
    draft.refresh_from_db()
    assert draft.status == LedgerStatus.SUPERSEDED
    assert (new.status, new.value, new.supersedes_id) == (LedgerStatus.APPROVED, D(60), draft.pk)
    assert list(LedgerEntry.objects.current().values_list("pk", flat=True)) == [new.pk]
    assert draft.events.filter(action="correct").exists() and new.events.filter(action="correct").exists()


def test_clerk_cannot_correct(draft, township_clerk, industry_reviewer):
    approved(draft, township_clerk, industry_reviewer)
    with pytest.raises(PermissionDenied):
        ledger_entry_correct(entry=draft, by=township_clerk, value="1", reason="想改")


def test_approval_recomputes_the_villages_live_score(draft, township_clerk, industry_reviewer,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approved(draft, township_clerk, industry_reviewer)
    score = VillageScore.objects.get(village=draft.village, year=draft.year, month=draft.month, view="live")
    star = score.village.star_scores.get(year=draft.year, month=draft.month, view="live", star="industry")
    jobs_row = next(r for r in detail_rows(star.indicators) if r["code"] == "industry.jobs")
    assert jobs_row["value"] == "30" and jobs_row["met"] is False
    assert D(jobs_row["points"]) == D("6.00")  # ratio 30 / 50 of 10 points


def test_evidence_type_is_checked_by_content(draft, township_clerk):
    fake = SimpleUploadedFile("photo.jpg", b"this is not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        evidence_attach(entry=draft, upload=fake, by=township_clerk)
    assert error.value.messages == [msg.MSG_EVIDENCE_TYPE]
    png = evidence_attach(entry=draft, upload=SimpleUploadedFile("a.png", PNG), by=township_clerk)
    pdf = evidence_attach(entry=draft, upload=SimpleUploadedFile("b.pdf", PDF), by=township_clerk)
    assert (png.content_type, pdf.content_type) == ("image/png", "application/pdf")


def test_evidence_size_is_limited(draft, township_clerk, settings):
    settings.PORTAL = {**settings.PORTAL, "EVIDENCE_MAX_BYTES": 100}
    with pytest.raises(ValidationError, match="不能超过"):
        evidence_attach(entry=draft, upload=SimpleUploadedFile("a.png", PNG + b"\x00" * 200), by=township_clerk)


def test_evidence_required_blocks_submit_until_attached(village, indicator_of, township_clerk, this_month):
    indicator = indicator_of("industry.leading_industry")
    entry = ledger_entry_save(village=village, indicator=indicator, year=this_month[0], month=this_month[1],
                              value="1", by=township_clerk)
    with pytest.raises(ValidationError, match="佐证材料"):
        ledger_entries_submit(entries=[entry], by=township_clerk)
    evidence_attach(entry=entry, upload=SimpleUploadedFile("a.png", PNG), by=township_clerk)
    assert ledger_entries_submit(entries=[entry], by=township_clerk) == 1


def test_far_off_value_is_flagged_not_refused(village, other_village, jobs, township_clerk, this_month):
    year, month = this_month
    ledger_entry_save(village=other_village, indicator=jobs, year=year, month=month, value="20", by=township_clerk)
    entry = ledger_entry_save(village=village, indicator=jobs, year=year, month=month, value="900", by=township_clerk)
    assert "超出本乡镇同期数值范围" in entry.plausibility_flag
    normal = ledger_entry_save(village=village, indicator=jobs, year=year, month=month, value="22", by=township_clerk,
                               base_version=1)
    assert normal.plausibility_flag == ""


@pytest.mark.parametrize("count", [5, 25])
def test_submitting_a_township_month_is_a_constant_number_of_queries(count, township, jobs, township_clerk, this_month,
                                                                     django_assert_num_queries):
    from tests.factories import VillageFactory

    entries = [
        ledger_entry_save(village=v, indicator=jobs, year=this_month[0], month=this_month[1], value="10",
                          by=township_clerk)
        for v in VillageFactory.create_batch(count, parent=township)
    ]
    township_clerk = type(township_clerk).objects.get(pk=township_clerk.pk)
    with django_assert_num_queries(6):
        assert ledger_entries_submit(entries=entries, by=township_clerk) == count
    assert LedgerEvent.objects.filter(action="submit").count() == count


def test_saving_one_cell_is_a_bounded_number_of_queries(village, jobs, township_clerk, this_month,
                                                        django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        ledger_entry_save(village=village, indicator=jobs, year=this_month[0], month=this_month[1], value="10",
                          by=township_clerk)
