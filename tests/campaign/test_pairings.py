"""Pairings (结对共建): setting up and keeping a pairing by the county or a township, joint
activities by both partners, scope on every page, the receiver's lift from the published rows of
closed months only (a later recompute of a live month leaves it), and the early warning of a
pairing without a joint activity this quarter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from branches.models_pairing import Pairing, PairingActivity
from branches.selectors_pairing import pairings_without_activity, quarter_span
from branches.services_pairing import (
    MSG_OUT_OF_SCOPE,
    MSG_SAME_PARTNER,
    pairing_activity_record,
    pairing_create,
    pairing_target_set,
)
from cadres.models import Role
from ratings.campaign.selectors_pairings import lifts, pairing_months
from ratings.models import MonthClose, View, VillageScore
from ratings.services.scoring import recompute
from ratings.services.standard import standard_load_defaults
from tests.factories import (
    CollectiveIncomeFactory,
    PostFactory,
    UserFactory,
    VillageFactory,
    VillageScoreFactory,
)
from tests.uploads import pdf_bytes

TODAY = timezone.localdate()


def months_ago(n: int) -> tuple[int, int]:
    index = TODAY.year * 12 + TODAY.month - 1 - n
    return index // 12, index % 12 + 1


def first_day(n: int) -> dt.date:
    year, month = months_ago(n)
    return dt.date(year, month, 1)


@pytest.fixture
def pairing(county_admin, village, foreign_village):
    return pairing_create(by=county_admin, helper=foreign_village, receiver=village, started_on=first_day(3))


@pytest.fixture
def helper_secretary(foreign_village):
    user = UserFactory(username="helper_secretary", full_name="柳书记")
    PostFactory(user=user, role=Role.VILLAGE_SECRETARY, region=foreign_village)
    return user


# --- setting up --------------------------------------------------------------------------------


def test_township_pairs_two_of_its_villages(township_clerk, township, village, other_village):
    p = pairing_create(by=township_clerk, helper=other_village, receiver=village, started_on=first_day(1))
    assert p.region == township and p.helper == other_village


def test_township_cannot_pair_a_village_of_another_township(township_clerk, village, foreign_village):
    with pytest.raises(ValidationError) as exc:
        pairing_create(by=township_clerk, helper=foreign_village, receiver=village, started_on=first_day(1))
    assert MSG_OUT_OF_SCOPE in exc.value.messages


def test_a_village_cannot_pair_with_itself(county_admin, village):
    with pytest.raises(ValidationError) as exc:
        pairing_create(by=county_admin, helper=village, receiver=village, started_on=first_day(1))
    assert MSG_SAME_PARTNER in exc.value.messages


def test_village_roles_cannot_set_up_a_pairing(village_secretary, village, other_village):
    with pytest.raises(PermissionDenied):
        pairing_create(by=village_secretary, helper=other_village, receiver=village, started_on=first_day(1))


def test_county_creates_cross_township_pairing_with_agreement_on_the_page(client_for, county_admin, village,
                                                                          foreign_village):
    pdf = SimpleUploadedFile("协议.pdf", pdf_bytes(), content_type="application/pdf")
    response = client_for(county_admin).post(reverse("campaign:pairing_new"), {
        "helper": foreign_village.pk, "receiver": village.pk, "kind": "strong_weak",
        "started_on": first_day(2).isoformat(), "content": "电商技能共享", "agreement": pdf})
    pairing = Pairing.objects.get()
    assert response.status_code == 302 and pairing.region.level == "county"
    assert pairing.agreement.name.endswith(".pdf")
    assert client_for(county_admin).get(reverse("campaign:pairing_agreement", args=[pairing.pk])).status_code == 200


def test_bad_form_input_answers_in_chinese_not_500(client_for, county_admin, village):
    response = client_for(county_admin).post(reverse("campaign:pairing_new"), {
        "helper": village.pk, "receiver": village.pk, "kind": "strong_weak", "started_on": "不是日期"})
    assert response.status_code == 200
    assert "请输入有效的日期" in response.content.decode()


def test_target_year_outside_the_pairing_is_refused(county_admin, pairing):
    with pytest.raises(ValidationError):
        pairing_target_set(by=county_admin, pairing=pairing, year=pairing.started_on.year - 1, star_level=3,
                           income=Decimal(1))


# --- activities ----------------------------------------------------------------------------------


def test_both_partners_record_activities(pairing, village_secretary, helper_secretary):
    pairing_activity_record(by=village_secretary, pairing=pairing, held_on=TODAY, title="联合主题党日")
    pairing_activity_record(by=helper_secretary, pairing=pairing, held_on=TODAY, title="电商培训",
                            resources="电商直播技能", resource_value=Decimal("3000"))
    assert PairingActivity.objects.filter(pairing=pairing).count() == 2


def test_an_unrelated_village_cannot_record_an_activity(pairing, other_village):
    outsider = UserFactory(username="outsider")
    PostFactory(user=outsider, role=Role.VILLAGE_SECRETARY, region=other_village)
    with pytest.raises(PermissionDenied):
        pairing_activity_record(by=outsider, pairing=pairing, held_on=TODAY, title="活动")


def test_activity_before_the_pairing_began_is_refused(pairing, village_secretary):
    with pytest.raises(ValidationError):
        pairing_activity_record(by=village_secretary, pairing=pairing, held_on=pairing.started_on - dt.timedelta(days=1),
                                title="活动")


def test_early_warning_lists_pairings_without_an_activity_this_quarter(county_admin, pairing, village_secretary):
    start, _ = quarter_span(TODAY)
    assert pairing.started_on < start  # the fixture begins three months back, before this quarter
    assert list(pairings_without_activity(user=county_admin, day=TODAY)) == [pairing]
    pairing_activity_record(by=village_secretary, pairing=pairing, held_on=TODAY, title="联合主题党日")
    assert list(pairings_without_activity(user=county_admin, day=TODAY)) == []


# --- scope ---------------------------------------------------------------------------------------


def test_township_sees_pairings_of_its_villages_only(client_for, township_clerk, other_township_clerk, pairing,
                                                     county_admin, other_village, village):
    own = pairing_create(by=township_clerk, helper=other_village, receiver=village, started_on=first_day(1))
    body = client_for(other_township_clerk).get(reverse("campaign:pairing_list")).content.decode()
    # the other township holds the helper of `pairing` only
    assert reverse("campaign:pairing_detail", args=[pairing.pk]) in body
    assert reverse("campaign:pairing_detail", args=[own.pk]) not in body
    assert client_for(other_township_clerk).get(reverse("campaign:pairing_detail", args=[own.pk])).status_code == 404


def test_both_partners_see_their_pairing_and_others_do_not(client_for, pairing, village_secretary, helper_secretary,
                                                           other_village):
    url = reverse("campaign:pairing_detail", args=[pairing.pk])
    assert client_for(village_secretary).get(url).status_code == 200
    assert client_for(helper_secretary).get(url).status_code == 200
    outsider = UserFactory(username="outsider")
    PostFactory(user=outsider, role=Role.VILLAGE_SECRETARY, region=other_village)
    assert client_for(outsider).get(url).status_code == 404


def test_partner_cannot_edit_and_wrong_method_is_405(client_for, pairing, village_secretary, county_admin):
    assert client_for(village_secretary).get(reverse("campaign:pairing_edit", args=[pairing.pk])).status_code == 403
    assert client_for(village_secretary).get(reverse("campaign:pairing_new")).status_code == 403
    assert client_for(county_admin).get(reverse("campaign:pairing_target", args=[pairing.pk])).status_code == 405


def test_township_cannot_edit_a_county_pairing(client_for, pairing, township_clerk):
    assert client_for(township_clerk).get(reverse("campaign:pairing_edit", args=[pairing.pk])).status_code == 403


# --- lift and month by month -------------------------------------------------------------------


def _close(county, year, month):
    MonthClose.objects.create(county=county, year=year, month=month, closed_at=timezone.now())


def test_lift_reads_published_rows_of_closed_months_and_a_live_recompute_leaves_it(county, pairing, village, standard):
    """Published levels: 1 before the pairing, 3 in the latest closed month; a live recompute of
    that month (and of the running month) writes level 0 live rows, and the lift stays +2."""
    base, latest = months_ago(4), months_ago(1)
    for year in {base[0], latest[0]}:
        if year != standard.year:
            standard_load_defaults(year=year)
    VillageScoreFactory(village=village, year=base[0], month=base[1], stars_earned=["branch"], standard=standard)
    VillageScoreFactory(village=village, year=latest[0], month=latest[1], stars_earned=["branch", "industry", "safety"],
                        standard=standard)
    _close(county, *base)
    _close(county, *latest)
    # a published row of a month that is not closed (it was reopened) is not counted
    VillageScoreFactory(village=village, year=TODAY.year, month=TODAY.month, stars_earned=["branch"] * 5,
                        standard=standard)
    before = lifts([pairing], today=TODAY)[pairing.pk]
    assert (before.base, before.latest, before.gained) == (1, 3, 2)

    recompute(year=latest[0], month=latest[1], view=View.LIVE, region=county)
    recompute(year=TODAY.year, month=TODAY.month, view=View.LIVE, region=county)
    live = VillageScore.objects.get(village=village, year=latest[0], month=latest[1], view=View.LIVE)
    assert live.star_level != 3  # the live figure differs, so reading it would change the lift
    after = lifts([pairing], today=TODAY)[pairing.pk]
    assert (after.base, after.latest, after.gained) == (1, 3, 2)


def test_lift_is_unknown_without_closed_months(pairing):
    assert lifts([pairing], today=TODAY)[pairing.pk].gained is None


def test_pairing_page_shows_both_partners_month_by_month_against_target(client_for, county_admin, county, pairing,
                                                                        village, foreign_village, standard):
    pairing_target_set(by=county_admin, pairing=pairing, year=TODAY.year, star_level=3, income=Decimal("100000"))
    CollectiveIncomeFactory(village=village, year=TODAY.year, total=Decimal("120000"))
    rows = pairing_months(pairing, today=TODAY)
    assert [(r.year, r.month) for r in rows][0] == (pairing.started_on.year, pairing.started_on.month)
    this_year = [r for r in rows if r.year == TODAY.year]
    assert this_year and all(r.income_reached for r in this_year)
    assert all(r.target_level == 3 for r in this_year)
    body = client_for(county_admin).get(reverse("campaign:pairing_detail", args=[pairing.pk])).content.decode()
    assert "逐月对照" in body and foreign_village.name in body and "120,000.00" in body


def test_list_page_works_for_every_role_in_scope(client_for, pairing, county_admin, township_clerk, village_secretary,
                                                 industry_reviewer):
    for user in (county_admin, township_clerk, village_secretary, industry_reviewer):
        response = client_for(user).get(reverse("campaign:pairing_list"))
        assert response.status_code == 200
        assert pairing.receiver.name in response.content.decode()


def test_list_reads_do_not_grow_with_pairings(client_for, county_admin, township):
    villages = [VillageFactory(parent=township) for _ in range(16)]

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_for(county_admin)
        client.get(reverse("campaign:pairing_list"))  # the session settles on the first request
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("campaign:pairing_list")).status_code == 200
        return len(ctx.captured_queries)

    for helper, receiver in zip(villages[:2], villages[2:4], strict=True):
        pairing_create(by=county_admin, helper=helper, receiver=receiver, started_on=first_day(2))
    few = count_queries()
    for helper, receiver in zip(villages[4:10], villages[10:16], strict=True):
        pairing_create(by=county_admin, helper=helper, receiver=receiver, started_on=first_day(2))
    assert count_queries() == few
