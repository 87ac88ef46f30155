"""The four lists of a village and the township plan (一乡一方案): content, dated versions,
PDFs (page 1 rendered by pdftoppm), scope (other township 404, village role 403) and API."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Duty, DutyTier
from cadres.services_duty import assignment_create
from config.pdf import FONT_FAMILY
from ratings.campaign.selectors import four_lists, township_plan_as_of
from ratings.campaign.services.plan import township_plan_save
from ratings.campaign.services.targets import record_created
from ratings.models import (
    ChecklistItem,
    Indicator,
    ItemOrigin,
    ItemStatus,
    Standard,
    Star,
    TargetChangeSource,
    TargetLevel,
)

TODAY = timezone.localdate()
YEAR = TODAY.year
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def lists_world(village, other_village, township_clerk, county_admin, township):
    standard = Standard.objects.create(year=YEAR, kind="rural", name="标准", status="published")
    star = Star.objects.create(standard=standard, code="industry", name="产业兴旺星", lead_department="农业农村局",
                               order=2)
    Indicator.objects.create(star=star, code="industry.income", name="村集体经营性收入", rule="threshold",
                             points=Decimal(30), required=True)
    targets = [TargetLevel.objects.create(village=village, year=YEAR, level=4,
                                          target_stars=["branch", "industry", "ecology", "safety"]),
               TargetLevel.objects.create(village=other_village, year=YEAR, level=3)]
    # Set at the start of the year: the plan as of March reads them from their history.
    record_created(targets, by=township_clerk, source=TargetChangeSource.SET,
                   at=timezone.make_aware(dt.datetime(YEAR, 1, 1)))
    ChecklistItem.objects.create(village=village, year=YEAR, star="industry", origin=ItemOrigin.GAP,
                                 title="补齐指标 村集体经营性收入", status=ItemStatus.OPEN, owner_text="李书记")
    ChecklistItem.objects.create(village=village, year=YEAR, star="ecology", origin=ItemOrigin.INSPECTION,
                                 title="坑塘垃圾未清", status=ItemStatus.ASSIGNED)
    assignment_create(by=township_clerk, year=YEAR, duty=Duty.GROUP_LEADER, tier=DutyTier.TOWNSHIP_LEADER,
                      region=village, start_date=dt.date(YEAR, 1, 1), person_name="赵委员", person_title="组织委员")
    return village


def test_four_lists_hold_standard_tasks_people_and_problems(lists_world, village):
    d = four_lists(village=village, year=YEAR, on=TODAY)
    assert d["target"].level == 4 and "产业兴旺星" in d["aimed_labels"]
    assert [s["name"] for s in d["standard"]] == ["产业兴旺星"] and d["standard"][0]["aimed"]
    assert [i.title for i in d["tasks"]] == ["补齐指标 村集体经营性收入"]
    assert [i.title for i in d["problems"]] == ["坑塘垃圾未清"]
    # Each task answers to its owner; one without an owner falls to the group's leader.
    assert {r["item"].title: r["owner"] for r in d["answers"]} == {
        "补齐指标 村集体经营性收入": "李书记", "坑塘垃圾未清": "赵委员"}


def test_four_lists_page_and_pdf_scope(client_for, lists_world, village, village_secretary, other_township_clerk):
    body = client_for(village_secretary).get(reverse("campaign:four_lists_mine"), follow=True).content.decode()
    assert "重点问题清单" in body and "坑塘垃圾未清" in body and "赵委员" in body
    assert client_for(other_township_clerk).get(reverse("campaign:four_lists", args=[village.code])).status_code == 404
    assert client_for(other_township_clerk).get(reverse("campaign:four_lists_pdf", args=[village.code])
                                                ).status_code == 404
    assert client_for(village_secretary).post(reverse("campaign:four_lists", args=[village.code])).status_code == 405


def _pdf_text_and_page1(pdf: bytes, name: str) -> str:
    """pdftotext for the words, pdftoppm for page 1 as a PNG kept for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(ARTIFACTS / f"{name}_page1")], check=True)
    assert (ARTIFACTS / f"{name}_page1.png").stat().st_size > 5000
    # Only the project's own CJK font, embedded and subset: never a font the host happens to have.
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(FONT_FAMILY.replace(" ", "-") in row[0] for row in rows), fonts
    assert all(row[-5] == "yes" and row[-4] == "yes" for row in rows), fonts
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True).stdout.decode()


def test_four_lists_and_plan_pdfs_render(client_for, lists_world, village, township, township_clerk):
    response = client_for(township_clerk).get(reverse("campaign:four_lists_pdf", args=[village.code]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text_and_page1(response.content, "four_lists")
    for words in ("四个清单", "标准清单", "任务清单", "责任清单", "重点问题清单", "坑塘垃圾未清"):
        assert words in text
    response = client_for(township_clerk).get(reverse("campaign:township_plan_pdf", args=[township.code]))
    text = _pdf_text_and_page1(response.content, "township_plan")
    assert "一星一清单" in text and "东风村" in text


def test_plan_versions_show_the_plan_as_of_a_day(lists_world, township, township_clerk, village, other_village):
    march = dt.date(YEAR, 3, 31) if dt.date(YEAR, 3, 31) <= TODAY else TODAY
    township_plan_save(by=township_clerk, township=township, year=YEAR, as_of=march, note="一季度")
    TargetLevel.objects.filter(village=other_village).update(level=5)  # later: a second candidate
    township_plan_save(by=township_clerk, township=township, year=YEAR, note="调整备选村")
    in_march = township_plan_as_of(township=township, year=YEAR, on=march)
    assert [c["village"] for c in in_march.content["candidates"]] == ["东风村"]
    now = township_plan_as_of(township=township, year=YEAR, on=TODAY)
    assert sorted(c["village"] for c in now.content["candidates"]) == ["东风村", "红旗村"]
    assert township_plan_as_of(township=township, year=YEAR, on=march - dt.timedelta(days=1)) is None


def test_plan_page_roles_and_scope(client_for, lists_world, township, township_clerk, other_township_clerk,
                                   village_secretary, industry_reviewer, county_admin):
    url = reverse("campaign:township_plan", args=[township.code])
    body = client_for(township_clerk).get(url).content.decode()
    assert "四星、五星备选村" in body and "东风村" in body and "保存当前方案为新版本" in body
    assert "保存当前方案为新版本" not in client_for(industry_reviewer).get(url).content.decode()
    assert client_for(industry_reviewer).post(url, {"year": YEAR}).status_code == 403
    assert not township.plans.exists()
    assert client_for(village_secretary).get(url).status_code == 403
    assert client_for(other_township_clerk).get(url).status_code == 404
    response = client_for(township_clerk).post(url, {"year": YEAR, "note": "年初方案"})
    assert response.status_code == 302 and township.plans.get().note == "年初方案"
    assert client_for(county_admin).get(reverse("campaign:township_plan_index")).status_code == 200


def test_api_plan_versions_and_four_lists(api_for, lists_world, township, village, township_clerk,
                                          other_township_clerk, industry_reviewer):
    created = api_for(township_clerk).post(reverse("township-plan-list"), {"township": township.code, "year": YEAR},
                                           format="json")
    assert created.status_code == 201 and created.json()["content"]["candidates"][0]["village"] == "东风村"
    assert api_for(industry_reviewer).post(reverse("township-plan-list"), {"township": township.code, "year": YEAR},
                                           format="json").status_code == 403
    assert api_for(other_township_clerk).get(reverse("township-plan-detail", args=[created.json()["id"]])
                                             ).status_code == 404
    lists = api_for(township_clerk).get(reverse("four-lists-detail", args=[village.code]))
    assert lists.status_code == 200 and lists.json()["target_level"] == 4
    assert api_for(other_township_clerk).get(reverse("four-lists-detail", args=[village.code])).status_code == 404
