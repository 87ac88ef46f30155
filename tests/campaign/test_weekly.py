"""Weekly progress of key villages (重点村周进展) and the monthly commentary (点评): who counts as
a key village, reporting with photos, the township's week with the villages not reported, and
scope and role checks on every page and endpoint."""

from __future__ import annotations

import datetime as dt
import types

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cadres.models import Role
from ratings.campaign.selectors_weekly import week_status, week_summary
from ratings.campaign.services import weekly
from ratings.campaign.services.weekly import (
    MSG_NOT_KEY_VILLAGE,
    MSG_NOTHING,
    MSG_PHOTO_WITHOUT_TEXT,
    StarProgress,
    Week,
    commentary_save,
    key_villages,
    weekly_report_submit,
)
from ratings.models import Commentary, TargetLevel, WeeklyPhoto, WeeklyReport
from tests.factories import PostFactory, UserFactory, VillageScoreFactory
from tests.uploads import HTML, jpeg_bytes, png_bytes
from villages.models import Region

TODAY = timezone.localdate()
YEAR = TODAY.year


def _jpeg(name="现场.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


@pytest.fixture
def key_village(village):
    TargetLevel.objects.create(village=village, year=YEAR, level=4)
    return village


@pytest.fixture
def foreign_key_village(foreign_village):
    TargetLevel.objects.create(village=foreign_village, year=YEAR, level=5)
    return foreign_village


@pytest.fixture
def foreign_secretary(foreign_village):
    user = UserFactory(username="foreign_secretary")
    PostFactory(user=user, role=Role.VILLAGE_SECRETARY, region=foreign_village)
    return user


def _report(user, village, on=None, **texts):
    entries = [StarProgress(star=star, text=text) for star, text in (texts or {"industry": "合作社分拣发货"}).items()]
    return weekly_report_submit(by=user, village=village, entries=entries, on=on)


# --- who is a key village ----------------------------------------------------------------

def test_key_villages_are_candidates_and_published_four_stars_and_up(township, village, other_village, county):
    from tests.factories import VillageFactory

    third = VillageFactory(parent=township, code="419901001003", name="前进村")
    TargetLevel.objects.create(village=village, year=YEAR, level=4)
    TargetLevel.objects.create(village=other_village, year=YEAR, level=4, proposed=True)  # not confirmed
    VillageScoreFactory(village=third, year=YEAR, month=TODAY.month, stars_earned=["a", "b", "c", "d"])
    keys = set(key_villages(Region.objects.filter(parent=township), on=TODAY))
    assert keys == {village, third}


def test_a_later_published_level_below_four_takes_a_village_off_the_key_list(township, village):
    VillageScoreFactory(village=village, year=2025, month=5, stars_earned=list("abcd"))
    VillageScoreFactory(village=village, year=2025, month=6, stars_earned=list("ab"))
    one = Region.objects.filter(pk=village.pk)
    assert key_villages(one, on=dt.date(2025, 5, 31)).exists()
    assert not key_villages(one, on=dt.date(2025, 6, 30)).exists()
    assert key_villages(one, on=dt.date(2025, 4, 30)).exists() is False


# --- reporting -----------------------------------------------------------------------------

def test_secretary_reports_text_and_photos_for_this_week(key_village, village_secretary):
    report = weekly_report_submit(by=village_secretary, village=key_village, entries=[
        StarProgress(star="industry", text="合作社分拣发货", photos=[_jpeg(), _jpeg("b.jpg")]),
        StarProgress(star="branch", text=""),
    ])
    week = Week.of(TODAY)
    assert (report.iso_year, report.week, report.week_start) == (week.iso_year, week.week, week.start)
    assert [e.star for e in report.entries.all()] == ["industry"]
    photos = list(WeeklyPhoto.objects.filter(entry__report=report))
    assert len(photos) == 2
    assert all(p.image.name.endswith(".jpg") and "现场" not in p.image.name for p in photos)


def test_reporting_again_the_same_week_completes_the_report(key_village, village_secretary, first_secretary):
    first = _report(village_secretary, key_village, industry="合作社分拣发货")
    again = _report(first_secretary, key_village, industry="订单已全部发出", ecology="环境整治")
    assert again.pk == first.pk
    assert {e.star: e.text for e in again.entries.all()} == {"industry": "订单已全部发出", "ecology": "环境整治"}
    assert WeeklyReport.objects.count() == 1


def test_next_week_is_a_new_report(key_village, village_secretary):
    _report(village_secretary, key_village)
    _report(village_secretary, key_village, on=TODAY + dt.timedelta(days=7))
    assert WeeklyReport.objects.filter(village=key_village).count() == 2


def test_a_village_that_is_not_key_is_told_so(village, village_secretary):
    with pytest.raises(ValidationError) as exc:
        _report(village_secretary, village)
    assert MSG_NOT_KEY_VILLAGE.format(village=village.name) in exc.value.messages


def test_township_staff_cannot_report_for_a_village(key_village, township_clerk):
    with pytest.raises(PermissionDenied):
        _report(township_clerk, key_village)


def test_empty_report_and_photo_without_text_are_refused_and_nothing_is_saved(key_village, village_secretary):
    with pytest.raises(ValidationError) as exc:
        weekly_report_submit(by=village_secretary, village=key_village, entries=[StarProgress(star="branch", text=" ")])
    assert MSG_NOTHING in exc.value.messages
    with pytest.raises(ValidationError) as exc:
        weekly_report_submit(by=village_secretary, village=key_village, entries=[
            StarProgress(star="industry", text="进展"), StarProgress(star="ecology", text="", photos=[_jpeg()])])
    assert MSG_PHOTO_WITHOUT_TEXT.format(star="生态宜居星") in exc.value.messages
    assert not WeeklyReport.objects.exists()


def test_a_report_refused_at_a_stars_photo_limit_leaves_no_file_in_media(key_village, village_secretary,
                                                                         settings):
    """The limit counts the week's photos already kept; a refusal found on a later star must not
    leave the photos of the stars before it stored (their rows roll back, files would not)."""
    from pathlib import Path

    weekly_report_submit(by=village_secretary, village=key_village, entries=[
        StarProgress(star="ecology", text="环境整治", photos=[_jpeg() for _ in range(weekly.PHOTOS_PER_STAR)])])
    media = Path(settings.MEDIA_ROOT)
    stored = sorted(p for p in media.rglob("*") if p.is_file())
    assert len(stored) == weekly.PHOTOS_PER_STAR
    with pytest.raises(ValidationError) as refused:
        weekly_report_submit(by=village_secretary, village=key_village, entries=[
            StarProgress(star="branch", text="主题党日", photos=[_jpeg("党日.jpg")]),
            StarProgress(star="ecology", text="环境整治续", photos=[_jpeg("再一张.jpg")])])
    assert weekly.MSG_TOO_MANY_PHOTOS.format(star="生态宜居星", n=weekly.PHOTOS_PER_STAR) in refused.value.messages
    assert sorted(p for p in media.rglob("*") if p.is_file()) == stored
    assert WeeklyPhoto.objects.count() == weekly.PHOTOS_PER_STAR
    assert not WeeklyReport.objects.get(village=key_village).entries.filter(star="branch").exists()


def test_a_page_disguised_as_a_photo_is_refused_by_content_and_nothing_is_saved(key_village, village_secretary):
    fake = SimpleUploadedFile("photo.jpg", HTML, content_type="image/jpeg")
    with pytest.raises(ValidationError):
        weekly_report_submit(by=village_secretary, village=key_village, entries=[
            StarProgress(star="industry", text="进展", photos=[_jpeg(), fake])])
    assert not WeeklyReport.objects.exists() and not WeeklyPhoto.objects.exists()


# --- the township's week -----------------------------------------------------------------

def test_week_status_flags_the_key_village_that_has_not_reported(key_village, other_village, village_secretary,
                                                                 township):
    TargetLevel.objects.create(village=other_village, year=YEAR, level=5)
    _report(village_secretary, key_village)
    rows = week_status(township=township, week=Week.of(TODAY))
    assert [(r["village"], r["report"] is not None) for r in rows] == [(other_village, False), (key_village, True)]


def test_the_week_after_a_report_the_village_is_missing_again(key_village, village_secretary, township, monkeypatch):
    _report(village_secretary, key_village)
    next_week = TODAY + dt.timedelta(days=7)
    monkeypatch.setattr(weekly, "timezone", types.SimpleNamespace(localdate=lambda: next_week, now=timezone.now))
    current = weekly.current_week()
    assert current == Week.of(TODAY).shift(1)
    assert week_status(township=township, week=current)[0]["report"] is None


def test_county_summary_counts_per_township(county_admin, key_village, foreign_key_village, village_secretary):
    _report(village_secretary, key_village)
    rows = {r["township"].code: (r["key"], r["reported"], r["missing"])
            for r in week_summary(user=county_admin, week=Week.of(TODAY))}
    assert rows == {key_village.parent.code: (1, 1, 0), foreign_key_village.parent.code: (1, 0, 1)}


def test_week_parse_and_month():
    assert Week.parse("2026-W01", Week(2000, 1)) == Week(2026, 1)
    assert Week.parse("nonsense", Week(2000, 1)) == Week(2000, 1)
    assert Week.parse("2026-W99", Week(2000, 1)) == Week(2000, 1)
    assert Week(2026, 1).start == dt.date(2025, 12, 29)
    assert Week(2026, 1).month == (2026, 1)  # its Thursday is 1 January


# --- the commentary ------------------------------------------------------------------------

def test_organisation_comments_once_per_township_and_month(county_admin, township):
    first = commentary_save(by=county_admin, township=township, year=YEAR, month=TODAY.month, text="报送及时")
    again = commentary_save(by=county_admin, township=township, year=YEAR, month=TODAY.month, text="继续保持")
    assert first.pk == again.pk and Commentary.objects.get().text == "继续保持"


def test_commentary_rules(county_admin, township_clerk, township, village):
    with pytest.raises(PermissionDenied):
        commentary_save(by=township_clerk, township=township, year=YEAR, month=TODAY.month, text="自评")
    with pytest.raises(ValidationError):
        commentary_save(by=county_admin, township=township, year=YEAR + 1, month=1, text="未来")
    with pytest.raises(ValidationError):
        commentary_save(by=county_admin, township=township, year=YEAR, month=TODAY.month, text=" ")
    with pytest.raises(ValidationError):
        commentary_save(by=county_admin, township=village, year=YEAR, month=TODAY.month, text="对村")
    assert not Commentary.objects.exists()


# --- pages: scope and roles ----------------------------------------------------------------

def test_secretary_reports_from_the_page_with_a_photo(client_for, key_village, village_secretary):
    client = client_for(village_secretary)
    page = client.get(reverse("campaign:weekly_new"))
    assert page.status_code == 200 and "报送本周进展" in page.content.decode()
    response = client.post(reverse("campaign:weekly_new"), {
        "text_industry": "合作社分拣发货", "photos_industry": _jpeg()})
    assert response.status_code == 302
    photo = WeeklyPhoto.objects.get()
    shown = client.get(reverse("campaign:weekly_village", args=[key_village.code])).content.decode()
    assert "合作社分拣发货" in shown and reverse("campaign:weekly_photo", args=[photo.pk]) in shown
    image = client.get(reverse("campaign:weekly_photo", args=[photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert image["X-Content-Type-Options"] == "nosniff"


def test_refused_report_on_the_page_keeps_the_text_and_says_why(client_for, key_village, village_secretary):
    fake = SimpleUploadedFile("photo.png", HTML, content_type="image/png")
    response = client_for(village_secretary).post(reverse("campaign:weekly_new"), {
        "text_industry": "合作社分拣发货", "photos_industry": fake})
    body = response.content.decode()
    assert response.status_code == 200 and "合作社分拣发货" in body and "产业兴旺星的照片" in body
    assert not WeeklyReport.objects.exists()


def test_non_key_village_page_explains_and_offers_no_form(client_for, village, village_secretary):
    body = client_for(village_secretary).get(reverse("campaign:weekly_new")).content.decode()
    assert "无需报送周进展" in body and "save-weekly" not in body


def test_report_form_is_for_village_roles_only(client_for, key_village, township_clerk, county_admin):
    assert client_for(township_clerk).get(reverse("campaign:weekly_new")).status_code == 403
    assert client_for(county_admin).get(reverse("campaign:weekly_new")).status_code == 403


def test_township_page_shows_reports_and_missing(client_for, key_village, other_village, village_secretary,
                                                 township_clerk, township):
    TargetLevel.objects.create(village=other_village, year=YEAR, level=4)
    _report(village_secretary, key_village, industry="合作社分拣发货")
    body = client_for(township_clerk).get(reverse("campaign:weekly_township", args=[township.code])).content.decode()
    assert "合作社分拣发货" in body
    assert "未报送（1）：" in body and other_village.name in body


def test_township_page_scope_and_roles(client_for, township_clerk, other_township, township, village_secretary,
                                       county_admin):
    url = reverse("campaign:weekly_township", args=[other_township.code])
    assert client_for(township_clerk).get(url).status_code == 404
    assert client_for(village_secretary).get(reverse("campaign:weekly_township", args=[township.code])).status_code == 403
    assert client_for(county_admin).get(url).status_code == 200
    assert client_for(county_admin).post(url).status_code == 405


def test_township_page_query_count_does_not_grow_with_villages(client_for, township_clerk, township,
                                                               django_assert_max_num_queries):
    from tests.factories import VillageFactory

    for n in range(12):
        v = VillageFactory(parent=township, code=f"419901001{n + 10:03d}")
        TargetLevel.objects.create(village=v, year=YEAR, level=4)
        WeeklyReport.objects.create(village=v, iso_year=Week.of(TODAY).iso_year, week=Week.of(TODAY).week,
                                    week_start=Week.of(TODAY).start).entries.create(star="branch", text="进展")
    client = client_for(township_clerk)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("campaign:weekly_township", args=[township.code])).status_code == 200


def test_village_page_scope(client_for, village_secretary, foreign_village, key_village, other_township_clerk):
    assert client_for(village_secretary).get(
        reverse("campaign:weekly_village", args=[foreign_village.code])).status_code == 404
    assert client_for(other_township_clerk).get(
        reverse("campaign:weekly_village", args=[key_village.code])).status_code == 404


def test_photo_is_served_only_in_scope(client_for, key_village, village_secretary, other_township_clerk,
                                       township_clerk):
    weekly_report_submit(by=village_secretary, village=key_village,
                         entries=[StarProgress(star="industry", text="进展", photos=[_jpeg()])])
    url = reverse("campaign:weekly_photo", args=[WeeklyPhoto.objects.get().pk])
    assert client_for(other_township_clerk).get(url).status_code == 404
    assert client_for(township_clerk).get(url).status_code == 200


def test_commentary_page_writes_for_org_only_and_village_sees_it(client_for, county_admin, township_clerk, township,
                                                                 key_village, village_secretary, other_township):
    url = reverse("campaign:weekly_commentary", args=[township.code])
    assert client_for(township_clerk).post(url, {"text": "自评"}).status_code == 403
    assert client_for(village_secretary).post(url, {"text": "自评"}).status_code == 404
    assert client_for(township_clerk).post(
        reverse("campaign:weekly_commentary", args=[other_township.code]), {"text": "x"}).status_code == 404
    response = client_for(county_admin).post(url, {"text": "报送及时，照片充分", "year": YEAR, "month": TODAY.month})
    assert response.status_code == 302
    body = client_for(village_secretary).get(reverse("campaign:weekly_village", args=[key_village.code])).content
    assert "报送及时，照片充分" in body.decode()
    assert client_for(county_admin).get(url).status_code == 405


def test_index_sends_each_role_to_its_page(client_for, county_admin, township_clerk, village_secretary, village,
                                           township, key_village, foreign_key_village):
    assert client_for(village_secretary).get(reverse("campaign:weekly_index")).url == reverse(
        "campaign:weekly_village", args=[village.code])
    assert client_for(township_clerk).get(reverse("campaign:weekly_index")).url == reverse(
        "campaign:weekly_township", args=[township.code])
    body = client_for(county_admin).get(reverse("campaign:weekly_index")).content.decode()
    assert township.name in body and "未报送" in body


# --- API -----------------------------------------------------------------------------------

def test_api_report_photo_and_missing(api_for, key_village, other_village, village_secretary, township_clerk,
                                      township):
    TargetLevel.objects.create(village=other_village, year=YEAR, level=4)
    api = api_for(village_secretary)
    response = api.post(reverse("weekly-report-list"), {
        "village": key_village.code, "entries": [{"star": "industry", "text": "合作社分拣发货"}]}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    photo = api.post(reverse("weekly-report-photos", args=[pk]),
                     {"star": "industry", "image": SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")},
                     format="multipart")
    assert photo.status_code == 200 and len(photo.json()["entries"][0]["photos"]) == 1
    missing = api_for(township_clerk).get(reverse("weekly-report-missing"), {"township": township.code})
    assert missing.status_code == 200
    assert [r["village_code"] for r in missing.json()] == [other_village.code]
    listed = api_for(township_clerk).get(reverse("weekly-report-list"), {"township": township.code}).json()
    assert listed["count"] == 1


def test_api_scope_and_roles(api_for, key_village, foreign_key_village, village_secretary, foreign_secretary,
                             township_clerk, other_township, county_admin, township):
    report = _report(foreign_secretary, foreign_key_village)
    assert api_for(township_clerk).get(reverse("weekly-report-detail", args=[report.pk])).status_code == 404
    assert api_for(township_clerk).get(reverse("weekly-report-missing"),
                                       {"township": other_township.code}).status_code == 404
    assert api_for(village_secretary).get(reverse("weekly-report-missing"),
                                          {"township": township.code}).status_code == 403
    refused = api_for(township_clerk).post(reverse("weekly-report-list"), {
        "village": key_village.code, "entries": [{"star": "industry", "text": "代报"}]}, format="json")
    assert refused.status_code == 403
    commentary = {"township": township.code, "year": YEAR, "month": TODAY.month, "text": "报送及时"}
    assert api_for(township_clerk).post(reverse("commentary-list"), commentary, format="json").status_code == 403
    assert api_for(county_admin).post(reverse("commentary-list"), commentary, format="json").status_code == 201
    assert api_for(village_secretary).get(reverse("commentary-list")).json()["count"] == 1
    assert api_for(foreign_secretary).get(reverse("commentary-list")).json()["count"] == 0
    assert api_for(township_clerk).delete(reverse("commentary-detail", args=[Commentary.objects.get().pk])).status_code == 405


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "1-W1", "2026-W54"])
def test_a_week_at_the_edge_of_the_calendar_never_gives_a_500(client_for, county_admin, township, other_township,
                                                              week):
    """`?week=` is typed by hand: a week whose neighbour (or last day) falls outside the calendar
    falls back to the current week instead of an OverflowError."""
    for url in (reverse("campaign:weekly_index"), reverse("campaign:weekly_township", args=[township.code])):
        response = client_for(county_admin).get(url, {"week": week})
        assert response.status_code == 200
        assert response.context["week"] == weekly.current_week()


def test_week_parse_keeps_to_the_years_the_portal_reads():
    current = Week(2026, 48)
    assert Week.parse("9999-W52", current) == current
    assert Week.parse("0001-W01", current) == current
    assert Week.parse("2025-W01", current) == Week(2025, 1)


def test_a_communitys_refusals_name_its_stars_its_own_way(township):
    """A community's form labels its stars 宜业兴业星, 共建共享星, 幸福和谐星: the refusal speaks the same words."""
    from tests.factories import VillageFactory
    from villages.models import Kind

    community = VillageFactory(parent=township, code="419901001201", name="城南社区", kind=Kind.URBAN)
    TargetLevel.objects.create(village=community, year=YEAR, level=4)
    secretary = UserFactory(username="community_secretary")
    PostFactory(user=secretary, role=Role.VILLAGE_SECRETARY, region=community)
    with pytest.raises(ValidationError) as refused:
        weekly_report_submit(by=secretary, village=community, entries=[
            StarProgress(star="industry", text="", photos=[_jpeg()]),
            StarProgress(star="ecology", text="x" * (weekly.TEXT_MAX + 1)),
            StarProgress(star="civility", text="议事会", photos=[_jpeg() for _ in range(weekly.PHOTOS_PER_STAR + 1)])])
    text = "".join(refused.value.messages)
    assert "宜业兴业星" in text and "共建共享星" in text and "幸福和谐星" in text
    assert "产业兴旺星" not in text and "生态宜居星" not in text and "文明幸福星" not in text
    assert not WeeklyReport.objects.exists()


def test_a_past_week_reads_the_targets_in_force_that_week(township, village, other_village, township_clerk):
    """A village made a four-star candidate today was not a key village last week (it is not
    flagged as missing then); one lowered today from four to two still was."""
    from ratings.campaign.services.awards import target_set
    from ratings.models import TargetLevelChange

    last_week = Week.of(TODAY).shift(-1)
    year = last_week.end.year  # the target year that week's key villages are read in
    earlier = timezone.now() - dt.timedelta(days=30)
    lowered = target_set(village=other_village, year=year, level=4, by=township_clerk)
    TargetLevelChange.objects.filter(village=other_village).update(at=earlier)
    TargetLevel.objects.filter(pk=lowered.pk).update(set_at=earlier)
    target_set(village=other_village, year=year, level=2, by=township_clerk)
    target_set(village=village, year=year, level=4, by=township_clerk)
    assert [r["village"] for r in week_status(township=township, week=last_week)] == [other_village]
    assert list(key_villages(Region.objects.filter(parent=township), on=TODAY)) == (
        [village] if year == YEAR else [])


def test_report_times_are_stored_aware_and_shown_in_shanghai_time(client_for, key_village, village_secretary,
                                                                   township_clerk, township):
    report = _report(village_secretary, key_village, industry="合作社分拣发货")
    assert timezone.is_aware(report.submitted_at)
    # 20:30 UTC is 04:30 the next morning in Asia/Shanghai.
    at = dt.datetime(2026, 12, 7, 20, 30, tzinfo=dt.UTC)
    WeeklyReport.objects.filter(pk=report.pk).update(submitted_at=at, updated_at=at)
    body = client_for(township_clerk).get(reverse("campaign:weekly_village", args=[key_village.code])).content.decode()
    assert "报送于 12月8日 04:30" in body and "20:30" not in body
