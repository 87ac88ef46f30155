"""Campaign pages read right: no crash on an empty user, communities' own star names, indicator
names not codes, gaps with units, the application's stars ticked and accepted alike, and links
only to what the role may open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ratings.campaign.services import awards as svc
from ratings.models import Application, ChecklistItem, ChecklistProgress, Inspection, ItemOrigin, ItemStatus
from tests.factories import VillageFactory
from villages.models import Kind

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year


@pytest.fixture
def community(township):
    return VillageFactory(parent=township, code="419901001101", name="福民社区", kind=Kind.URBAN)


@pytest.fixture
def applied(village, township_clerk, village_secretary):
    svc.target_set(village=village, year=YEAR, level=2, target_stars=["branch", "industry"], by=township_clerk)
    return svc.application_submit(village=village, year=YEAR, stars=["branch", "industry"], by=village_secretary)


def test_application_without_applicant_or_checker_shows_a_dash(client_for, applied, county_admin, township_clerk,
                                                               industry_reviewer):
    Application.objects.filter(pk=applied.pk).update(applied_by=None, checked_by=None)
    for user in (county_admin, township_clerk, industry_reviewer):
        response = client_for(user).get(reverse("campaign:application_detail", args=[applied.pk]))
        assert response.status_code == 200
        assert "village_secretary" not in response.content.decode()


def test_inspections_without_a_recorder_list_fine(client_for, county_admin, township, county):
    Inspection.objects.create(region=township, year=YEAR, quarter=1, date=dt.date(YEAR, 3, 20), inspected_by=None)
    response = client_for(county_admin).get(reverse("campaign:inspection_list"))
    assert response.status_code == 200 and "—" in response.content.decode()


def item_for(village, **fields):
    defaults = {"year": YEAR, "star": "industry", "origin": ItemOrigin.INSPECTION, "title": "修缮党群服务中心",
                "status": ItemStatus.OPEN}
    return ChecklistItem.objects.create(village=village, **{**defaults, **fields})


def test_progress_note_without_author_and_item_without_owner(client_for, township_clerk, village):
    item = item_for(village)
    ChecklistProgress.objects.create(item=item, by=None, action="进展", note="已完成屋面维修")
    response = client_for(township_clerk).get(reverse("campaign:task_item", args=[item.pk]))
    assert response.status_code == 200 and "已完成屋面维修" in response.content.decode()


def test_a_community_reads_its_own_star_names_on_task_lists(client_for, township_clerk, community, village):
    item_for(community, title="社区就业服务站建设")
    item_for(village, title="合作社分红")
    body = client_for(township_clerk).get(reverse("campaign:task_list")).content.decode()
    assert "产业兴旺星（社区：宜业兴业星）" in body  # a list shared by both kinds names both
    detail = client_for(township_clerk).get(
        reverse("campaign:task_item", args=[ChecklistItem.objects.get(village=community).pk])).content.decode()
    assert "宜业兴业星" in detail and "产业兴旺星" not in detail


def test_gap_items_name_the_indicator_with_units(client_for, township_clerk, village, standard, indicator_of):
    """The engine keeps codes only; an item built from a gap reads the indicator's name."""
    from ratings.campaign.services.checklist import checklist_regenerate
    from ratings.models import StarScore, TargetLevel, VillageScore
    from tests.factories import StarScoreFactory, VillageScoreFactory

    month = 5
    TargetLevel.objects.create(village=village, year=standard.year, level=1, target_stars=["industry"])
    VillageScoreFactory(village=village, year=standard.year, month=month, view="live")
    jobs = indicator_of("industry.jobs")
    StarScoreFactory(village=village, year=standard.year, month=month, view="live", star="industry",
                     earned=False, unmet=[jobs.code],
                     indicators=[{"code": jobs.code, "value": 3, "points": 0, "max_points": 10, "met": False,
                                  "gap": 7}])
    assert StarScore.objects.count() == 1 and VillageScore.objects.count() == 1
    checklist_regenerate(village_ids=[village.pk], year=standard.year, month=month)
    item = ChecklistItem.objects.get(village=village, origin=ItemOrigin.GAP)
    assert item.title == f"补齐指标 {jobs.name}" and jobs.code not in item.title
    body = client_for(township_clerk).get(reverse("campaign:task_item", args=[item.pk])).content.decode()
    assert jobs.code not in body
    assert f"还差 7{jobs.unit}" in body and "10 分" in body


def test_the_stars_ticked_are_the_stars_accepted_and_a_refusal_names_the_star(
        client_for, township_clerk, village_secretary, village):
    svc.target_set(village=village, year=YEAR, level=1, target_stars=["branch"], by=township_clerk)
    page = client_for(village_secretary).get(reverse("campaign:award_list")).content.decode()
    assert 'value="branch" id="apply-branch" checked' in page and 'id="apply-industry"' not in page
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        svc.application_submit(village=village, year=YEAR, stars=["branch", "industry"], by=village_secretary)
    assert "产业兴旺星不是本村" in exc.value.messages[0] and "支部过硬星" in exc.value.messages[0]


def test_a_first_secretary_is_not_offered_the_targets_page(client_for, first_secretary, industry_reviewer, village):
    targets = reverse("campaign:award_targets")
    assert targets not in client_for(first_secretary).get(reverse("campaign:award_list")).content.decode()
    assert client_for(first_secretary).get(targets).status_code == 403
    assert targets in client_for(industry_reviewer).get(reverse("campaign:award_list")).content.decode()


def test_target_stars_of_a_community_use_its_names(client_for, township_clerk, industry_reviewer, community):
    svc.target_set(village=community, year=YEAR, level=2, target_stars=["branch", "civility"], by=township_clerk)
    url = reverse("campaign:award_targets") + f"?year={YEAR}"
    assert "支部过硬星、幸福和谐星" in client_for(industry_reviewer).get(url).content.decode()
    editable = client_for(township_clerk).get(url).content.decode()
    assert "幸福和谐星</label>" in editable and "文明幸福星</label>" not in editable


def test_gap_title_never_shows_a_code():
    from ratings.campaign.services.checklist import gap_title

    assert gap_title({"name": "产业带动就业人数"}, "industry.jobs") == "补齐指标 产业带动就业人数"
    assert "industry" not in gap_title({}, "industry.jobs")


def test_a_gap_snapshot_from_before_units_still_shows(client_for, township_clerk, village):
    """Items stored before the snapshot kept a unit (or a name) read "—" where it is missing."""
    item = item_for(village, origin=ItemOrigin.GAP, title="补齐指标 当月三会一课开展次数",
                    gap={"value": "0", "needed": "2", "points": "15.00", "month": 12, "view": "live"})
    response = client_for(township_clerk).get(reverse("campaign:task_item", args=[item.pk]))
    assert response.status_code == 200 and "还差 2" in response.content.decode()


def test_a_communitys_application_and_award_list_use_its_star_names(client_for, township_clerk, county_admin,
                                                                   village_secretary, community):
    village_secretary.posts.update(region=community)
    svc.target_set(village=community, year=YEAR, level=2, target_stars=["branch", "civility"], by=township_clerk)
    application = svc.application_submit(village=community, year=YEAR, stars=["branch", "civility"],
                                         by=village_secretary)
    for user in (village_secretary, township_clerk, county_admin):
        detail = client_for(user).get(reverse("campaign:application_detail", args=[application.pk])).content.decode()
        assert "幸福和谐星" in detail and "文明幸福星" not in detail
    listing = client_for(county_admin).get(reverse("campaign:award_list") + f"?year={YEAR}").content.decode()
    assert "福民社区" in listing and "文明幸福星" not in listing


def test_a_communitys_own_page_uses_its_star_names(client_for, village_secretary, community):
    from tests.factories import StarScoreFactory, VillageScoreFactory

    village_secretary.posts.update(region=community)
    VillageScoreFactory(village=community, month=5, view="published", stars_earned=["industry"], total=330)
    for star in ("branch", "industry", "ecology", "safety", "civility"):
        StarScoreFactory(village=community, star=star, score=85, month=5, view="published")
    url = reverse("reports:village", args=[community.code]) + "?year=2026&month=5&view=published"
    body = client_for(village_secretary).get(url).content.decode()
    assert "宜业兴业" in body and "共建共享" in body and "幸福和谐" in body
    assert "产业兴旺" not in body and "生态宜居" not in body and "文明幸福" not in body
