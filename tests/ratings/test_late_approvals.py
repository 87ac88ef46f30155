"""Late approvals: an entry of a closed month approved after its close leaves the published month
as it was, keeps `recompute --check` at 0 differences and is listed for the organisation
department with the effect it would have had; one step (confirmed) reopens and closes the month
again to apply it. Month close warns first of the entries still waiting for review, per lead
department."""

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from ratings.models import LedgerEntry, LedgerStatus, MonthClose, MonthReopening, View, VillageScore
from ratings.services.late_approvals import late_approval_effects, late_approvals
from ratings.services.ledger import ledger_entries_approve
from ratings.services.month_close import month_close

from .late_helpers import full_value, published, run_check
from .scoring_helpers import fill_ledgers, hold_meetings, make_villages


@pytest.fixture
def june_with_one_waiting(county, township, standard, township_clerk, ecology_reviewer, clock, indicator_of):
    """Three villages with every June ledger at full marks and their meetings held, except the
    first village's (required) waste-system entry, submitted and not yet reviewed."""
    year = clock.year
    villages = make_villages(township, 3)
    waste = indicator_of("ecology.waste_system")
    hold_meetings(villages, year, 6)
    fill_ledgers(villages, township_clerk, year, 6,
                 value_for=lambda v, i: None if (v.pk, i.pk) == (villages[0].pk, waste.pk) else full_value(i))
    fill_ledgers([villages[0]], township_clerk, year, 6, status=LedgerStatus.SUBMITTED,
                 value_for=lambda v, i: D(1) if i.pk == waste.pk else None)
    entry = LedgerEntry.objects.get(village=villages[0], indicator=waste, year=year, month=6)
    return year, villages, entry


@pytest.fixture
def june_closed(june_with_one_waiting, county, clock):
    year, villages, entry = june_with_one_waiting
    clock.set(7, 5)
    month_close(county=county, year=year, month=6, bulletins=False)
    return june_with_one_waiting


@pytest.fixture
def approve_late(clock, ecology_reviewer, django_capture_on_commit_callbacks):
    """Approve the entry on 20 July, its live recompute run as after a commit."""
    def approve(entry):
        clock.set(7, 20)
        with django_capture_on_commit_callbacks(execute=True):
            ledger_entries_approve(entries=[entry], by=ecology_reviewer)
    return approve


def test_a_late_approval_leaves_the_published_month_and_the_check_at_zero(june_closed, county, approve_late):
    year, villages, entry = june_closed
    before = published(year, 6)
    stored_level = VillageScore.objects.get(village=villages[0], year=year, month=6, view=View.PUBLISHED).star_level
    approve_late(entry)
    assert published(year, 6) == before
    out, code = run_check(county=county.code)
    assert code == 0 and out.splitlines()[0].endswith(", 0 differences")
    # Listed, with the effect it would have had: the ecology star (its required indicator met)
    # and one level more, from the level the month published.
    listed = list(late_approvals(county=county))
    assert [e.pk for e in listed] == [entry.pk]
    effect = late_approval_effects(county=county, entries=listed)[entry.pk]
    ecology = effect.stars[0]
    assert (ecology.code, ecology.earned_before, ecology.earned_after) == ("ecology", False, True)
    assert (effect.level_before, effect.level_after) == (stored_level, stored_level + 1)
    # The live view of June took it in.
    assert "ecology" in VillageScore.objects.get(village=villages[0], year=year, month=6, view=View.LIVE).stars_earned


def test_the_org_department_sees_the_late_approvals_with_their_effect(june_closed, county_admin, approve_late,
                                                                      client_for, django_assert_max_num_queries):
    year, villages, entry = june_closed
    level = VillageScore.objects.get(village=villages[0], year=year, month=6, view=View.PUBLISHED).star_level
    approve_late(entry)
    client = client_for(county_admin)
    # A fixed count whatever the late approvals (the roster providers read the county once).
    with django_assert_max_num_queries(41):
        page = client.get(reverse("ratings:late_approvals")).content.decode()
    assert villages[0].name in page and "生活垃圾收运处置体系正常运行" in page
    assert f"星级 {level}星 → {level + 1}星" in page and "由未获星变为获星" in page
    assert f"{year}年6月" in page and "重新关账并计入" in page
    assert "闭账后审核的台账：1 个月共 1 条" in client.get(reverse("ratings:month_close")).content.decode()


def test_one_confirmed_step_reopens_and_closes_the_month_with_the_late_approvals(june_closed, county, county_admin,
                                                                                approve_late, clock, client_for):
    year, villages, entry = june_closed
    level = VillageScore.objects.get(village=villages[0], year=year, month=6, view=View.PUBLISHED).star_level
    approve_late(entry)
    clock.set(7, 21)
    response = client_for(county_admin).post(reverse("ratings:late_approvals_apply"),
                                             {"year": year, "month": 6, "reason": "纳入闭账后审核的1条台账"})
    assert response.status_code == 302
    assert VillageScore.objects.get(village=villages[0], year=year, month=6, view=View.PUBLISHED).star_level == level + 1
    reopening = MonthReopening.objects.get()
    assert (reopening.reason, reopening.reopened_by, reopening.closed_again_at is not None) == (
        "纳入闭账后审核的1条台账", county_admin, True)
    assert not late_approvals(county=county).exists()
    assert run_check(county=county.code)[1] == 0


def test_late_approval_pages_are_the_county_organisation_departments(june_closed, ecology_reviewer, approve_late,
                                                                     client_for, township_clerk, county_admin):
    year, _, entry = june_closed
    approve_late(entry)
    closed_at = MonthClose.objects.get(year=year, month=6).closed_at
    for user in (township_clerk, ecology_reviewer):
        client = client_for(user)
        assert client.get(reverse("ratings:late_approvals")).status_code == 403
        assert client.post(reverse("ratings:late_approvals_apply"),
                           {"year": year, "month": 6, "reason": "x"}).status_code == 403
        assert client.get(reverse("ratings:month_close_unreviewed"), {"year": year, "month": 6}).status_code == 403
    assert client_for(county_admin).get(reverse("ratings:late_approvals_apply")).status_code == 405
    assert MonthClose.objects.get(year=year, month=6).closed_at == closed_at and not MonthReopening.objects.exists()


def test_month_close_warns_of_the_unreviewed_entries_per_lead_department(june_with_one_waiting, county, clock,
                                                                          county_admin, client_for):
    year, _, _ = june_with_one_waiting
    clock.set(7, 3)
    client = client_for(county_admin)
    page = client.get(reverse("ratings:month_close")).content.decode()
    assert f"{year}年6月仍有 1 条台账待审核" in page and "生态宜居星（县农业农村局）：1 条" in page
    assert "仍有 1 条台账待审核，关账后不计入该月已发布结果" in page  # the close button's confirmation
    fragment = client.get(reverse("ratings:month_close_unreviewed"), {"year": year, "month": 5}).content.decode()
    assert "提交的台账已全部审核" in fragment
    assert "尚未结束" in client.get(reverse("ratings:month_close_unreviewed"), {"year": year, "month": 7}).content.decode()
    assert "请选择正确的年月" in client.get(reverse("ratings:month_close_unreviewed"), {"year": "x"}).content.decode()
    out = StringIO()
    call_command("close_month", county=county.code, year=year, month=6, stdout=out)
    assert "仍有 1 条台账待审核" in out.getvalue() and "生态宜居星（县农业农村局）1 条" in out.getvalue()
    assert MonthClose.objects.get(year=year, month=6).unreviewed == {"ecology": 1}
