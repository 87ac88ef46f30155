from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import selectors
from reports.models import Bulletin
from reports.services.bulletin import MSG_BAD_REGION, bulletin_generate
from reports.tasks import generate_bulletins_for_month
from tests.factories import VillageScoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(village, other_village, foreign_village):
    VillageScoreFactory(village=village, stars_earned=["branch", "industry", "ecology"], total=360, county_rank=1,
                        township_rank=1)
    VillageScoreFactory(village=other_village, stars_earned=["branch"], total=310, county_rank=2, township_rank=2)
    VillageScoreFactory(village=foreign_village, stars_earned=[], total=250, county_rank=3, township_rank=1)


def test_county_pdf_has_chinese_title_and_renders_a_page(county, results, screenshot_dir, tmp_path):
    bulletin = bulletin_generate(region=county, year=2026, month=5)
    pdf = tmp_path / "b.pdf"
    pdf.write_bytes(bulletin.pdf.read())
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "示范县2026年5月五星支部创建通报" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    page = next(tmp_path.glob("p*.png"))
    shutil.copy(page, screenshot_dir / "bulletin_county_page1.png")
    assert page.stat().st_size > 1000


def test_excel_holds_the_same_numbers_as_the_dashboard(county, results):
    bulletin = bulletin_generate(region=county, year=2026, month=5)
    wb = load_workbook(bulletin.xlsx.open("rb"))
    assert wb.sheetnames == ["汇总", "排名", "分星"]
    data = selectors.county_dashboard(county, selectors.Period(2026, 5, "published"))
    summary = list(wb["汇总"].iter_rows(min_row=3, max_row=8, values_only=True))
    assert [row[1] for row in summary] == [lv["count"] for lv in data["levels"]]
    ranking = list(wb["排名"].iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[4]) for r in ranking] == [("东风村", 360), ("红旗村", 310), ("柳林村", 250)]


def test_regenerating_replaces_files_of_the_same_row(county, results):
    first = bulletin_generate(region=county, year=2026, month=5)
    second = bulletin_generate(region=county, year=2026, month=5)
    assert first.pk == second.pk and Bulletin.objects.count() == 1


def test_village_region_is_refused(village):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        bulletin_generate(region=village, year=2026, month=5)
    assert MSG_BAD_REGION in exc.value.messages


def test_month_close_hook_makes_county_and_township_bulletins(county, township, other_township, results):
    generate_bulletins_for_month(county.pk, 2026, 5)  # Celery runs eagerly in tests
    assert set(Bulletin.objects.values_list("region__code", flat=True)) == {
        county.code, township.code, other_township.code}


def test_township_user_sees_county_and_own_township_only(client_for, township_clerk, county, township,
                                                         other_township, results):
    for region in (county, township, other_township):
        bulletin_generate(region=region, year=2026, month=5)
    c = client_for(township_clerk)
    listed = {b.region.code for b in c.get(reverse("reports:bulletin_list")).context["page_obj"]}
    assert listed == {county.code, township.code}
    foreign = Bulletin.objects.get(region=other_township)
    assert c.get(reverse("reports:bulletin_download", args=[foreign.pk, "pdf"])).status_code == 404
    own = Bulletin.objects.get(region=township)
    response = c.get(reverse("reports:bulletin_download", args=[own.pk, "xlsx"]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


def test_organisation_generates_on_demand(client_for, county_admin, county, results):
    response = client_for(county_admin).post(reverse("reports:bulletin_generate"),
                                             {"region": county.pk, "year": 2026, "month": 5})
    assert response.status_code == 302 and Bulletin.objects.filter(region=county, generated_by=county_admin).exists()


def test_lead_department_may_list_but_not_generate(client_for, industry_reviewer, county, results):
    c = client_for(industry_reviewer)
    assert c.get(reverse("reports:bulletin_list")).status_code == 200
    response = c.post(reverse("reports:bulletin_generate"), {"region": county.pk, "year": 2026, "month": 5})
    assert response.status_code == 403


def test_township_user_cannot_generate_for_another_township(client_for, township_clerk, other_township):
    response = client_for(township_clerk).post(reverse("reports:bulletin_generate"),
                                               {"region": other_township.pk, "year": 2026, "month": 5})
    assert response.status_code == 404


def test_bad_month_gives_a_message_not_a_500(client_for, county_admin, county):
    response = client_for(county_admin).post(reverse("reports:bulletin_generate"),
                                             {"region": county.pk, "year": 2026, "month": 13}, follow=True)
    assert response.status_code == 200 and "月份不正确" in response.content.decode()


def test_village_user_gets_404(client_for, village_secretary):
    assert client_for(village_secretary).get(reverse("reports:bulletin_list")).status_code == 404


def test_generate_by_get_is_405(client_for, county_admin):
    assert client_for(county_admin).get(reverse("reports:bulletin_generate")).status_code == 405
