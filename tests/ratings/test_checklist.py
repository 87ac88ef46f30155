import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ratings.campaign.services import checklist as svc
from ratings.models import ChecklistItem, ChecklistProgress, ItemOrigin, ItemStatus, TargetLevel
from tests.factories import StarScoreFactory
from tests.uploads import png_bytes

pytestmark = pytest.mark.django_db

PNG = png_bytes()  # a real image: uploads are decoded and re-encoded


def _star(village, star="industry", unmet=("ind_income",), month=5, score="60"):
    rows = [{"code": c, "name": f"指标{c}", "value": "3", "points": "0", "max_points": "10", "met": False,
             "gap": "2"} for c in unmet]
    rows.append({"code": "ind_ok", "value": "9", "points": "10", "max_points": "10", "met": True, "gap": None})
    return StarScoreFactory(village=village, star=star, month=month, view="live", score=Decimal(score),
                            unmet=list(unmet), indicators={"rows": rows, "to_earn": []})


def test_gap_items_are_created_from_unmet_indicators_with_a_snapshot(village, village_secretary):
    TargetLevel.objects.create(village=village, year=2026, level=1, target_stars=["industry"])
    _star(village)
    result = svc.checklist_regenerate(village_ids=[village.pk], year=2026, month=5)
    assert result["created"] == 1
    item = ChecklistItem.objects.get()
    assert (item.indicator_code, item.star, item.origin, item.status) == ("ind_income", "industry", "gap", "open")
    assert item.gap["value"] == "3" and item.gap["needed"] == "2" and item.gap["points"] == "10"
    assert item.gap["month"] == 5
    assert item.owner == village_secretary
    assert item.due_date == dt.date(2026, 6, 5)


def test_owner_is_the_township_when_the_village_has_no_secretary(village):
    TargetLevel.objects.create(village=village, year=2026, level=1, target_stars=["industry"])
    _star(village)
    svc.checklist_regenerate(village_ids=[village.pk], year=2026, month=5)
    item = ChecklistItem.objects.get()
    assert item.owner is None and item.owner_text == "乡镇"


def test_regenerating_twice_creates_no_duplicates(village):
    TargetLevel.objects.create(village=village, year=2026, level=1, target_stars=["industry"])
    _star(village, unmet=("a", "b"))
    svc.checklist_regenerate(village_ids=[village.pk], year=2026, month=5)
    second = svc.checklist_regenerate(village_ids=[village.pk], year=2026, month=5)
    assert second["created"] == 0
    assert ChecklistItem.objects.count() == 2


def test_item_closes_automatically_when_the_indicator_is_met(village):
    TargetLevel.objects.create(village=village, year=2026, level=1, target_stars=["industry"])
    _star(village, unmet=("a", "b"))
    svc.checklist_regenerate(village_ids=[village.pk], year=2026, month=5)
    _star(village, unmet=("b",), month=6)
    result = svc.checklist_regenerate(village_ids=[village.pk], year=2026, month=6)
    assert result == {"created": 0, "updated": 1, "closed": 1}
    closed = ChecklistItem.objects.get(indicator_code="a")
    assert closed.status == ItemStatus.CLOSED and closed.closed_at and closed.closed_reason == svc.REASON_GAP_CLOSED
    assert ChecklistItem.objects.get(indicator_code="b").gap["month"] == 6


def test_gap_reopening_after_close_makes_a_new_item(village):
    TargetLevel.objects.create(village=village, year=2026, level=1, target_stars=["industry"])
    _star(village, unmet=("a",))
    svc.checklist_regenerate(village_ids=[village.pk], year=2026, month=5)
    _star(village, unmet=(), month=6)
    svc.checklist_regenerate(village_ids=[village.pk], year=2026, month=6)
    _star(village, unmet=("a",), month=7)
    svc.checklist_regenerate(village_ids=[village.pk], year=2026, month=7)
    assert ChecklistItem.objects.filter(indicator_code="a", status="open").count() == 1
    assert ChecklistItem.objects.filter(indicator_code="a", status="closed").count() == 1


def test_villages_without_a_target_get_no_items(village):
    _star(village)
    assert svc.checklist_regenerate(village_ids=[village.pk], year=2026, month=5)["created"] == 0


def test_without_target_stars_the_branch_star_comes_first_then_the_highest_scores(village):
    target = TargetLevel.objects.create(village=village, year=2026, level=2, target_stars=[])
    scores = {s: _star(village, s, unmet=(f"{s}_1",), score=v)
              for s, v in (("industry", "50"), ("ecology", "70"), ("branch", "10"))}
    assert svc.stars_aimed_at(target, scores) == ["branch", "ecology"]
    svc.checklist_regenerate(village_ids=[village.pk], year=2026, month=5)
    assert set(ChecklistItem.objects.values_list("star", flat=True)) == {"branch", "ecology"}


def test_overdue_flags_only_open_items_past_due(village):
    past = dt.date.today() - dt.timedelta(days=1)
    open_item = ChecklistItem.objects.create(village=village, year=2026, star="branch", origin="gap",
                                             indicator_code="x", title="t", status="open", due_date=past)
    closed = ChecklistItem.objects.create(village=village, year=2026, star="branch", origin="inspection",
                                          title="t", status="closed", due_date=past)
    future = ChecklistItem.objects.create(village=village, year=2026, star="branch", origin="inspection",
                                          title="t", status="assigned", due_date=dt.date.today() + dt.timedelta(days=3))
    assert open_item.overdue and not closed.overdue and not future.overdue


# --- problem ledger ---------------------------------------------------------------------------


def _problem(village, township_clerk):
    return svc.problem_record(village=village, year=2026, star="ecology", title="垃圾堆放", by=township_clerk)


def test_problem_goes_collect_report_assign_feedback_close(village, township_clerk, village_secretary):
    item = _problem(village, township_clerk)
    assert item.status == ItemStatus.COLLECTED and item.origin == ItemOrigin.INSPECTION
    item = svc.problem_report(item=item, by=township_clerk)
    item = svc.problem_assign(item=item, by=township_clerk, owner=village_secretary, due_date=dt.date(2026, 7, 1))
    evidence = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    item = svc.problem_feedback(item=item, by=village_secretary, note="已清理", evidence=evidence)
    item = svc.problem_close(item=item, by=township_clerk)
    assert item.status == ItemStatus.CLOSED and item.closed_by == township_clerk and item.verified_by == township_clerk
    assert ChecklistProgress.objects.filter(item=item).count() == 5
    assert ChecklistProgress.objects.filter(item=item).exclude(evidence="").count() == 1


def test_county_may_record_problems(village, county_admin):
    assert _problem(village, county_admin).status == ItemStatus.COLLECTED


def test_village_cannot_record_or_close_problems(village, township_clerk, village_secretary):
    with pytest.raises(PermissionDenied):
        _problem(village, village_secretary)
    item = svc.problem_report(item=_problem(village, township_clerk), by=township_clerk)
    item = svc.problem_assign(item=item, by=township_clerk)
    item = svc.problem_feedback(item=item, by=village_secretary, note="已整改")
    with pytest.raises(PermissionDenied):
        svc.problem_close(item=item, by=village_secretary)


def test_township_cannot_give_feedback_for_the_village(village, township_clerk):
    item = svc.problem_assign(item=svc.problem_report(item=_problem(village, township_clerk), by=township_clerk),
                              by=township_clerk)
    with pytest.raises(PermissionDenied):
        svc.problem_feedback(item=item, by=township_clerk, note="x")


def test_other_township_cannot_touch_the_problem(village, township_clerk, other_township_clerk):
    item = _problem(village, township_clerk)
    with pytest.raises(PermissionDenied):
        svc.problem_report(item=item, by=other_township_clerk)


def test_out_of_order_steps_are_refused_with_a_chinese_message(village, township_clerk, village_secretary):
    item = _problem(village, township_clerk)
    with pytest.raises(ValidationError, match="不能执行“交办”"):
        svc.problem_assign(item=item, by=township_clerk)
    with pytest.raises(ValidationError, match="不能执行“反馈”"):
        svc.problem_feedback(item=item, by=village_secretary, note="x")
    with pytest.raises(ValidationError, match="不能执行“销号”"):
        svc.problem_close(item=item, by=township_clerk)


def test_feedback_evidence_is_checked_by_content(village, township_clerk, village_secretary):
    item = svc.problem_assign(item=svc.problem_report(item=_problem(village, township_clerk), by=township_clerk),
                              by=township_clerk)
    fake = SimpleUploadedFile("a.png", b"not really a png at all", content_type="image/png")
    with pytest.raises(ValidationError, match=svc.MSG_BAD_EVIDENCE):
        svc.problem_feedback(item=item, by=village_secretary, note="x", evidence=fake)


def test_gap_items_are_not_run_through_the_problem_workflow(village, township_clerk):
    item = ChecklistItem.objects.create(village=village, year=2026, star="branch", origin="gap",
                                        indicator_code="x", title="t", status="open")
    with pytest.raises(ValidationError, match=svc.MSG_NOT_PROBLEM):
        svc.problem_report(item=item, by=township_clerk)


def test_inspection_record_stores_scores_for_the_township(township, village, township_clerk, foreign_village):
    inspection = svc.inspection_record(region=township, year=2026, quarter=2, date=dt.date(2026, 6, 1),
                                       scores=[(village, "branch", "88.5", "")], by=township_clerk)
    assert inspection.scores.get().score == Decimal("88.5")
    with pytest.raises(PermissionDenied):
        svc.inspection_record(region=township, year=2026, quarter=3, date=dt.date(2026, 8, 1),
                              scores=[(foreign_village, "branch", "80", "")], by=township_clerk)
    with pytest.raises(ValidationError):
        svc.inspection_record(region=township, year=2026, quarter=5, date=dt.date(2026, 6, 1), scores=[],
                              by=township_clerk)


def test_one_inspection_per_township_and_quarter_dated_within_it(township, township_clerk):
    from ratings.models import Inspection

    svc.inspection_record(region=township, year=2026, quarter=2, date=dt.date(2026, 6, 1), by=township_clerk)
    with pytest.raises(ValidationError, match="已有观摩记录"):
        svc.inspection_record(region=township, year=2026, quarter=2, date=dt.date(2026, 5, 1), by=township_clerk)
    with pytest.raises(ValidationError, match="第3季度内"):
        svc.inspection_record(region=township, year=2026, quarter=3, date=dt.date(2026, 6, 30), by=township_clerk)
    assert Inspection.objects.count() == 1


def test_inspection_scores_save_checks_every_row_before_saving(township, village, other_village, township_clerk):
    inspection = svc.inspection_record(region=township, year=2026, quarter=2, date=dt.date(2026, 6, 1),
                                       scores=[(village, "branch", "70", "")], by=township_clerk)
    with pytest.raises(ValidationError) as caught:
        svc.inspection_scores_save(inspection=inspection, by=township_clerk, scores=[
            (village, "branch", "95", ""), (other_village, "industry", "abc", ""), (other_village, "ecology", "101", "")])
    assert len(caught.value.messages) == 2
    assert f"{other_village.name} 产业兴旺星：得分必须是数字。" in caught.value.messages
    assert inspection.scores.get().score == Decimal("70")  # nothing saved
    counts = svc.inspection_scores_save(inspection=inspection, by=township_clerk, scores=[
        (village, "branch", "", ""), (other_village, "industry", "81.5", "好")])
    assert counts == {"created": 1, "updated": 0, "removed": 1}
    assert [(s.village_id, s.star, s.score) for s in inspection.scores.all()] == [
        (other_village.pk, "industry", Decimal("81.5"))]
