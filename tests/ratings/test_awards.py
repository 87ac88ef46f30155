import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from ratings.campaign.services import awards as svc
from ratings.models import ApplicationStatus, Notice, StarWithdrawal, TargetLevel

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year


@pytest.fixture
def target(village, township_clerk):
    return svc.target_set(village=village, year=YEAR, level=2, target_stars=["branch", "industry"], by=township_clerk)


@pytest.fixture
def applied(target, village, village_secretary):
    return svc.application_submit(village=village, year=YEAR, stars=["branch", "industry"], by=village_secretary)


@pytest.fixture
def checked(applied, township_clerk):
    return svc.application_township_check(application=applied, by=township_clerk)


@pytest.fixture
def reviewed(checked, branch_reviewer, industry_reviewer):
    svc.application_star_review(application=checked, star="branch", approved=True, by=branch_reviewer)
    svc.application_star_review(application=checked, star="industry", approved=False, reason="收入未达标",
                                by=industry_reviewer)
    checked.refresh_from_db()
    return checked


@pytest.fixture
def noticed(reviewed, county_admin):
    return svc.public_notice_start(application=reviewed, by=county_admin, start=dt.date(YEAR, 1, 1))


@pytest.fixture
def named(noticed, county_admin):
    return svc.application_name(application=noticed, by=county_admin, today=noticed.notice_end + dt.timedelta(days=1))


def test_the_whole_workflow_names_the_approved_stars(named):
    assert named.status == ApplicationStatus.NAMED
    assert named.named_stars == ["branch"]


def test_notice_period_is_taken_from_settings(noticed, settings):
    assert noticed.notice_end - noticed.notice_start == dt.timedelta(days=settings.PORTAL["PUBLIC_NOTICE_DAYS"])


def test_candidates_are_villages_aiming_at_four_stars_or_more(village, other_village, township_clerk):
    svc.target_set(village=village, year=YEAR, level=4, by=township_clerk)
    svc.target_set(village=other_village, year=YEAR, level=3, by=township_clerk)
    assert [t.village for t in svc.candidates(year=YEAR, villages=[village, other_village])] == [village]


# --- wrong roles, one test per step ----------------------------------------------------------


@pytest.mark.parametrize("role", ["village_secretary", "industry_reviewer", "other_township_clerk"])
def test_target_set_is_refused_to_the_wrong_role(request, village, role):
    with pytest.raises(PermissionDenied):
        svc.target_set(village=village, year=YEAR, level=3, by=request.getfixturevalue(role))


def test_target_level_out_of_range_is_refused(village, township_clerk):
    with pytest.raises(ValidationError, match=svc.MSG_BAD_LEVEL):
        svc.target_set(village=village, year=YEAR, level=6, by=township_clerk)


@pytest.mark.parametrize("role", ["township_clerk", "county_admin", "first_secretary", "industry_reviewer"])
def test_application_submit_is_refused_to_the_wrong_role(request, target, village, role):
    with pytest.raises(PermissionDenied):
        svc.application_submit(village=village, year=YEAR, stars=["branch"], by=request.getfixturevalue(role))


def test_application_submit_only_for_stars_aimed_at_and_in_the_year(target, village, village_secretary):
    with pytest.raises(ValidationError, match=svc.MSG_STARS_NOT_AIMED.split("：")[0]):
        svc.application_submit(village=village, year=YEAR, stars=["ecology"], by=village_secretary)
    with pytest.raises(ValidationError, match=svc.MSG_OUT_OF_WINDOW):
        svc.application_submit(village=village, year=YEAR, stars=["branch"], by=village_secretary,
                               today=dt.date(YEAR + 1, 1, 2))


def test_application_submit_without_a_target_is_refused(village, village_secretary):
    with pytest.raises(ValidationError, match=svc.MSG_NO_TARGET):
        svc.application_submit(village=village, year=YEAR, stars=["branch"], by=village_secretary)


def test_application_submit_twice_is_refused(applied, village, village_secretary):
    with pytest.raises(ValidationError, match=svc.MSG_ALREADY_APPLIED):
        svc.application_submit(village=village, year=YEAR, stars=["branch"], by=village_secretary)


@pytest.mark.parametrize("role", ["village_secretary", "county_admin", "industry_reviewer", "other_township_clerk"])
def test_township_check_is_refused_to_the_wrong_role(request, applied, role):
    with pytest.raises(PermissionDenied):
        svc.application_township_check(application=applied, by=request.getfixturevalue(role))


def test_township_check_out_of_order_is_refused(checked, township_clerk):
    with pytest.raises(ValidationError):
        svc.application_township_check(application=checked, by=township_clerk)


@pytest.mark.parametrize("role", ["village_secretary", "township_clerk", "county_admin", "branch_reviewer"])
def test_industry_star_review_is_refused_to_anyone_but_its_lead_department(request, checked, role):
    with pytest.raises(PermissionDenied):
        svc.application_star_review(application=checked, star="industry", approved=True,
                                    by=request.getfixturevalue(role))


def test_star_review_before_the_township_check_is_refused(applied, industry_reviewer):
    with pytest.raises(ValidationError):
        svc.application_star_review(application=applied, star="industry", approved=True, by=industry_reviewer)


def test_star_review_twice_or_rejecting_without_reason_is_refused(checked, industry_reviewer):
    with pytest.raises(ValidationError, match=svc.MSG_REASON_REQUIRED):
        svc.application_star_review(application=checked, star="industry", approved=False, by=industry_reviewer)
    svc.application_star_review(application=checked, star="industry", approved=True, by=industry_reviewer)
    with pytest.raises(ValidationError, match=svc.MSG_ALREADY_REVIEWED):
        svc.application_star_review(application=checked, star="industry", approved=True, by=industry_reviewer)


@pytest.mark.parametrize("role", ["village_secretary", "township_clerk", "industry_reviewer"])
def test_public_notice_start_is_refused_to_the_wrong_role(request, reviewed, role):
    with pytest.raises(PermissionDenied):
        svc.public_notice_start(application=reviewed, by=request.getfixturevalue(role))


def test_public_notice_before_all_star_reviews_is_refused(checked, county_admin, branch_reviewer):
    svc.application_star_review(application=checked, star="branch", approved=True, by=branch_reviewer)
    with pytest.raises(ValidationError, match=svc.MSG_REVIEWS_PENDING):
        svc.public_notice_start(application=checked, by=county_admin)


@pytest.mark.parametrize("role", ["village_secretary", "township_clerk", "industry_reviewer"])
def test_objection_record_is_refused_to_the_wrong_role(request, noticed, role):
    with pytest.raises(PermissionDenied):
        svc.objection_record(application=noticed, content="有异议", by=request.getfixturevalue(role))


def test_objection_outside_the_notice_is_refused(reviewed, county_admin):
    with pytest.raises(ValidationError):
        svc.objection_record(application=reviewed, content="有异议", by=county_admin)


@pytest.mark.parametrize("role", ["village_secretary", "township_clerk", "industry_reviewer"])
def test_naming_is_refused_to_the_wrong_role(request, noticed, role):
    with pytest.raises(PermissionDenied):
        svc.application_name(application=noticed, by=request.getfixturevalue(role),
                             today=noticed.notice_end + dt.timedelta(days=1))


def test_naming_before_the_notice_ends_is_refused(noticed, county_admin):
    with pytest.raises(ValidationError, match=svc.MSG_NOTICE_NOT_OVER):
        svc.application_name(application=noticed, by=county_admin, today=noticed.notice_end)


def test_naming_before_the_notice_starts_is_refused(reviewed, county_admin):
    with pytest.raises(ValidationError):
        svc.application_name(application=reviewed, by=county_admin)


def test_naming_with_an_unhandled_objection_is_refused_until_handled(noticed, county_admin):
    objection = svc.objection_record(application=noticed, content="群众反映", by=county_admin)
    after = noticed.notice_end + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match=svc.MSG_OBJECTIONS_OPEN):
        svc.application_name(application=noticed, by=county_admin, today=after)
    svc.objection_handle(objection=objection, handling="经核实不属实", by=county_admin)
    assert svc.application_name(application=noticed, by=county_admin, today=after).status == ApplicationStatus.NAMED


# --- withdrawal -------------------------------------------------------------------------------


def test_withdrawal_takes_the_star_away_and_notifies_the_township(named, village, township, branch_reviewer):
    svc.star_withdraw(village=village, year=YEAR, star="branch", reason="发生一票否决事项", by=branch_reviewer)
    named.refresh_from_db()
    assert named.named_stars == []
    assert StarWithdrawal.objects.get().reason == "发生一票否决事项"
    assert Notice.objects.get(region=township).text.endswith("发生一票否决事项")


@pytest.mark.parametrize("role", ["village_secretary", "township_clerk", "industry_reviewer"])
def test_withdrawal_is_refused_to_the_wrong_role(request, named, village, role):
    with pytest.raises(PermissionDenied):
        svc.star_withdraw(village=village, year=YEAR, star="branch", reason="否决", by=request.getfixturevalue(role))


def test_withdrawal_of_a_star_not_named_or_without_reason_is_refused(named, village, county_admin):
    with pytest.raises(ValidationError, match=svc.MSG_NOT_EARNED):
        svc.star_withdraw(village=village, year=YEAR, star="industry", reason="否决", by=county_admin)
    with pytest.raises(ValidationError, match=svc.MSG_REASON_REQUIRED):
        svc.star_withdraw(village=village, year=YEAR, star="branch", reason=" ", by=county_admin)


def test_named_list_exports_to_excel(named, village, tmp_path):
    path = tmp_path / "named.xlsx"
    path.write_bytes(svc.named_list_xlsx(year=YEAR, villages=[village]))
    rows = list(load_workbook(path).active.values)
    assert rows[1][:5] == (village.code, village.name, village.parent.name, "支部过硬星", 1)


def test_target_set_updates_in_place(village, township_clerk):
    svc.target_set(village=village, year=YEAR, level=2, by=township_clerk)
    svc.target_set(village=village, year=YEAR, level=3, by=township_clerk)
    assert TargetLevel.objects.get(village=village, year=YEAR).level == 3


def test_named_list_does_not_let_excel_run_a_village_name_as_a_formula(named):
    from villages.models import Region

    Region.objects.filter(pk=named.village_id).update(name="=HYPERLINK(\"http://x\",\"点我\")")
    sheet = load_workbook(io.BytesIO(svc.named_list_xlsx(year=YEAR, villages=Region.objects.all()))).active
    cell = sheet["B2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")
