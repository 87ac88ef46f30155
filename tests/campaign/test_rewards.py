"""奖优罚劣: the reward table's totals equal the named list × the county's amounts (villages by
named level, townships by their results), a withdrawal changes them, the decision keeps what was
decided; pages, Excel and API scoped."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ratings.campaign.services.awards import star_withdraw
from ratings.campaign.services.rewards import reward_decide, reward_scheme_save, reward_table
from ratings.models import Application, ApplicationStatus, RewardScheme

YEAR = timezone.localdate().year
FIVE = ["branch", "industry", "ecology", "safety", "civility"]


@pytest.fixture
def named(village, other_village, foreign_village):
    for v, stars in ((village, FIVE), (other_village, FIVE[:3]), (foreign_village, FIVE[:4])):
        Application.objects.create(village=v, year=YEAR, stars=stars, status=ApplicationStatus.NAMED,
                                   named_stars=stars, named_at=timezone.now())


@pytest.fixture
def scheme(county_admin, county):
    return reward_scheme_save(by=county_admin, county=county, year=YEAR,
                              level_amounts={5: "100000", 4: "50000", 3: "30000", 2: ""},
                              township_amounts=["80000", "40000"])


def test_totals_equal_named_list_times_amounts_and_change_on_withdrawal(named, scheme, county, county_admin,
                                                                         village, township, other_township):
    table = reward_table(county=county, year=YEAR, scheme=scheme)
    assert [(r["village"], r["level"], r["amount"]) for r in table["villages"]] == [
        ("东风村", 5, Decimal("100000.00")), ("红旗村", 3, Decimal("30000.00")), ("柳林村", 4, Decimal("50000.00"))]
    assert table["village_total"] == Decimal("180000.00")
    # Both townships have all their villages at three stars or more: 城关镇 (2 villages) ranks first.
    assert [(r["township"], r["rank"], r["amount"]) for r in table["townships"]] == [
        ("城关镇", 1, Decimal("80000.00")), ("河西乡", 2, Decimal("40000.00"))]
    assert table["total"] == Decimal("300000.00")
    decision = reward_decide(by=county_admin, county=county, year=YEAR, decision_no="县委〔2026〕1号",
                             decided_on=timezone.localdate())

    star_withdraw(village=village, year=YEAR, star="safety", reason="发生安全事故", by=county_admin)
    after = reward_table(county=county, year=YEAR, scheme=scheme)
    assert [r["amount"] for r in after["villages"] if r["village"] == "东风村"] == [Decimal("50000.00")]
    assert after["village_total"] == Decimal("130000.00") and after["total"] == Decimal("250000.00")
    decision.refresh_from_db()
    assert decision.village_total + decision.township_total == Decimal("300000.00")  # as decided


def test_scheme_refuses_bad_amounts_and_other_roles(county_admin, township_clerk, county):
    with pytest.raises(ValidationError):
        reward_scheme_save(by=county_admin, county=county, year=YEAR, level_amounts={3: "-5"}, township_amounts=[])
    with pytest.raises(ValidationError):
        reward_scheme_save(by=county_admin, county=county, year=YEAR, level_amounts={3: "三万"}, township_amounts=[])
    with pytest.raises(PermissionDenied):
        reward_scheme_save(by=township_clerk, county=county, year=YEAR, level_amounts={3: 1}, township_amounts=[])
    assert not RewardScheme.objects.exists()


def test_page_export_and_scope(client_for, named, scheme, county_admin, township_clerk, village_secretary,
                               other_township_clerk):
    body = client_for(county_admin).get(reverse("campaign:rewards")).content.decode()
    assert "300,000.00" in body and "柳林村" in body and "保存奖励标准" in body
    own = client_for(township_clerk).get(reverse("campaign:rewards")).content.decode()
    assert "东风村" in own and "柳林村" not in own and "保存奖励标准" not in own
    assert client_for(village_secretary).get(reverse("campaign:rewards")).status_code == 403
    assert client_for(township_clerk).post(reverse("campaign:reward_scheme"), {"year": YEAR, "level_3": "1"}
                                           ).status_code == 403
    assert client_for(other_township_clerk).post(reverse("campaign:reward_decide"), {
        "year": YEAR, "decision_no": "x", "decided_on": timezone.localdate().isoformat()}).status_code == 403
    xlsx = client_for(county_admin).get(reverse("campaign:rewards_export"))
    sheet = load_workbook(io.BytesIO(xlsx.content))["村级奖励"]
    assert [row[-1].value for row in sheet.iter_rows(min_row=3)][-1] == 180000
    assert client_for(county_admin).get(reverse("campaign:reward_decide")).status_code == 405


def test_api_table_and_decision(api_for, named, scheme, county_admin, township_clerk, village_secretary):
    table = api_for(county_admin).get(reverse("rewards-table")).json()
    assert Decimal(table["total"]) == Decimal("300000.00")
    assert [r["village"] for r in api_for(township_clerk).get(reverse("rewards-table")).json()["villages"]] == [
        "东风村", "红旗村"]
    assert api_for(village_secretary).get(reverse("rewards-table")).status_code == 403
    assert api_for(township_clerk).post(reverse("rewards-list"), {
        "year": YEAR, "decision_no": "x", "decided_on": timezone.localdate().isoformat()}, format="json"
    ).status_code == 403
    made = api_for(county_admin).post(reverse("rewards-list"), {
        "year": YEAR, "decision_no": "县委〔2026〕2号", "decided_on": timezone.localdate().isoformat()}, format="json")
    assert made.status_code == 201 and Decimal(made.json()["village_total"]) == Decimal("180000.00")


def test_a_township_reads_its_own_totals_and_the_county_reads_the_countys(client_for, named, scheme, county_admin,
                                                                          township_clerk):
    from tests.sums import marked_sums, wrong_sums

    own = client_for(township_clerk).get(reverse("campaign:rewards")).content.decode()
    # 东风村 100,000 + 红旗村 30,000; 城关镇 first place 80,000: never the county's 180,000.
    assert {name: shown for name, shown, _ in marked_sums(own)} == {
        "village-amount": Decimal("130000.00"), "township-amount": Decimal("80000.00")}
    assert not wrong_sums(own)
    assert "本乡镇合计" in own and "180,000.00" not in own and "本乡镇奖励总计：<strong id=\"reward-total\">210,000.00" in own
    county_page = client_for(county_admin).get(reverse("campaign:rewards")).content.decode()
    assert {name: shown for name, shown, _ in marked_sums(county_page)} == {
        "village-amount": Decimal("180000.00"), "township-amount": Decimal("120000.00")}
    assert not wrong_sums(county_page) and "全县合计" in county_page
    # The share column states its base: all villages and communities, not named ones only.
    assert "占全部村、社区" in own and "命名3星及以上" in own
    sheet = load_workbook(io.BytesIO(client_for(township_clerk).get(reverse("campaign:rewards_export")).content))
    assert [row[-1].value for row in sheet["村级奖励"].iter_rows(min_row=3)][-1] == 130000
    assert list(sheet["村级奖励"].iter_rows(min_row=3))[-1][-2].value == "本乡镇合计"
