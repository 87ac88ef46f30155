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
from tests.factories import VillageFactory, VillageScoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(village, other_village, foreign_village):
    VillageScoreFactory(village=village, stars_earned=["branch", "industry", "ecology"], total=360, county_rank=1,
                        township_rank=1)
    VillageScoreFactory(village=other_village, stars_earned=["branch"], total=310, county_rank=2, township_rank=2)
    VillageScoreFactory(village=foreign_village, stars_earned=[], total=250, county_rank=3, township_rank=1)
    close_month(village.parent.parent, 2026, 5)


def close_month(county, year, month):
    from django.utils import timezone

    from ratings.models import MonthClose

    return MonthClose.objects.create(county=county, year=year, month=month, closed_at=timezone.now())


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
    # The project's own CJK font is embedded (subset), whatever fonts the host has.
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    from config.pdf import FONT_FAMILY

    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    shipped = FONT_FAMILY.replace(" ", "-")
    assert rows and all(shipped in row[0] for row in rows), fonts  # no font of the host's is used
    assert all(row[-5] == "yes" and row[-4] == "yes" for row in rows), fonts  # embedded, subset


def test_pdf_font_comes_from_the_project_not_the_host(settings, tmp_path):
    """Without the shipped font the PDF is refused with a message, never silently boxes."""
    from django.core.exceptions import ImproperlyConfigured

    from config.pdf import FONT_FAMILY, font_face_css, html_to_pdf

    css = font_face_css()
    assert f'font-family: "{FONT_FAMILY}"' in css and "NotoSansHans-Regular.otf" in css
    settings.PDF_FONT_DIR = tmp_path
    with pytest.raises(ImproperlyConfigured, match="make install"):
        html_to_pdf("<p>通报</p>")


def test_excel_holds_the_same_numbers_as_the_dashboard(county, results):
    bulletin = bulletin_generate(region=county, year=2026, month=5)
    wb = load_workbook(bulletin.xlsx.open("rb"))
    assert wb.sheetnames == ["汇总", "行政村排名"]
    data = selectors.county_dashboard(county, selectors.Period(2026, 5, "published"))
    summary = list(wb["汇总"].iter_rows(min_row=3, max_row=8, values_only=True))
    assert [row[1] for row in summary] == [lv["count"] for lv in data["levels"]]
    ranking = list(wb["行政村排名"].iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[3], r[4], r[6]) for r in ranking] == [
        ("城关镇", "东风村", "行政村", 360), ("城关镇", "红旗村", "行政村", 310), ("河西乡", "柳林村", "行政村", 250)]


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


def test_a_month_not_closed_is_refused_with_its_name(county, results):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        bulletin_generate(region=county, year=2026, month=6)
    assert "2026年6月尚未关账发布" in exc.value.messages[0]
    assert not Bulletin.objects.exists()


def test_form_proposes_the_last_closed_month_and_confirms_on_submit_only(client_for, county_admin, county,
                                                                          results):
    close_month(county, 2026, 4)  # an older close does not win over May
    page = client_for(county_admin).get(reverse("reports:bulletin_list")).content.decode()
    form = page.split('action="/reports/bulletins/generate/"', 1)[1].split("</form>", 1)[0]
    assert 'name="year" type="number" class="form-control form-control-sm" value="2026"' in form
    assert 'name="month" type="number" min="1" max="12" class="form-control form-control-sm" value="5"' in form
    assert "最近关账的月份：2026年5月" in form


def test_without_a_closed_month_there_is_no_form(client_for, county_admin, county):
    page = client_for(county_admin).get(reverse("reports:bulletin_list")).content.decode()
    assert "尚无关账发布的月份" in page and "生成通报</button>" not in page


def test_villages_and_communities_are_ranked_in_separate_tables_with_their_star_names(county, village, results):
    """Both ranked first: one table each, so no list shows two villages at rank 1."""
    from villages.models import Kind

    community = VillageFactory(parent=village.parent, code="419901001101", name="福民社区", kind=Kind.URBAN)
    VillageScoreFactory(village=community, stars_earned=["industry"], total=330, county_rank=1, township_rank=1)
    bulletin = bulletin_generate(region=county, year=2026, month=5)
    wb = load_workbook(bulletin.xlsx.open("rb"))
    assert wb.sheetnames == ["汇总", "行政村排名", "城市社区排名"]
    urban = list(wb["城市社区排名"].iter_rows(values_only=True))
    assert "宜业兴业星" in urban[0] and "产业兴旺星" not in urban[0]
    assert [(r[0], r[2], r[3], r[4]) for r in urban[1:]] == [(1, "城关镇", "福民社区", "城市社区")]
    assert [r[3] for r in wb["行政村排名"].iter_rows(min_row=2, values_only=True)] == ["东风村", "红旗村", "柳林村"]
    data = __import__("reports.services.bulletin", fromlist=["bulletin_data"]).bulletin_data(county, 2026, 5)
    assert [r["label"] for r in data["rankings"]] == ["行政村", "城市社区"]


def _reopen(county, by, reason="东风村5月台账数值录入有误，核实更正后重新发布"):
    from ratings.services.month_close import month_reopen

    return month_reopen(county=county, year=2026, month=5, by=by, reason=reason)


def _row_of(page: str, region_name: str) -> str:
    rows = [row for row in page.split("<tr>") if f"<td>{region_name}</td><td>2026年5月</td>" in row]
    assert len(rows) == 1, page
    return rows[0]


def test_bulletin_of_a_reopened_month_is_listed_as_superseded_with_the_day_and_reason(
        client_for, county_admin, township_clerk, county, township, results):
    from django.utils import timezone

    for region in (county, township):
        bulletin_generate(region=region, year=2026, month=5)
    reopening = _reopen(county, county_admin)
    day = timezone.localtime(reopening.reopened_at)
    expected = f"已被更正（{day.month}月{day.day}日重新开放：{reopening.reason}）"
    for user in (county_admin, township_clerk):
        page = client_for(user).get(reverse("reports:bulletin_list")).content.decode()
        assert expected in _row_of(page, county.name) and expected in _row_of(page, township.name)
    # The file says so too, wherever it is forwarded.
    own = Bulletin.objects.get(region=township)
    response = client_for(township_clerk).get(reverse("reports:bulletin_download", args=[own.pk, "pdf"]))
    assert "%EF%BC%88%E5%B7%B2%E8%A2%AB%E6%9B%B4%E6%AD%A3%EF%BC%89" in response["Content-Disposition"]  # （已被更正）


def test_bulletin_generated_anew_after_the_month_is_closed_again_says_it_follows_a_correction(
        client_for, county_admin, county, results):
    from django.utils import timezone

    from ratings.services.month_close import month_close

    bulletin_generate(region=county, year=2026, month=5)
    reopening = _reopen(county, county_admin)
    month_close(county=county, year=2026, month=5, by=county_admin, bulletins=False)
    bulletin_generate(region=county, year=2026, month=5, by=county_admin)
    day = timezone.localtime(reopening.reopened_at)
    row = _row_of(client_for(county_admin).get(reverse("reports:bulletin_list")).content.decode(), county.name)
    assert f"更正后重新生成（{day.month}月{day.day}日重新开放：{reopening.reason}）" in row
    assert "已被更正" not in row


def test_bulletin_of_a_month_never_reopened_carries_no_correction(client_for, county_admin, county, results):
    bulletin_generate(region=county, year=2026, month=5)
    row = _row_of(client_for(county_admin).get(reverse("reports:bulletin_list")).content.decode(), county.name)
    assert "更正" not in row


def test_the_summary_counts_villages_and_communities_by_their_name_in_excel_and_pdf(county, village, results):
    """A county with communities counts 村（社区）, never 村数, in both files; averages and shares
    say their base."""
    from villages.models import Kind

    community = VillageFactory(parent=village.parent, code="419901001101", name="福民社区", kind=Kind.URBAN)
    VillageScoreFactory(village=community, stars_earned=["industry"], total=330, county_rank=1, township_rank=1)
    bulletin = bulletin_generate(region=county, year=2026, month=5)
    sheet = [row for row in load_workbook(bulletin.xlsx.open("rb"))["汇总"].iter_rows(values_only=True)]
    headers = [cell for row in sheet for cell in row if isinstance(cell, str)]
    assert sheet[1][:2] == ("星级", "村（社区）数")
    assert [
        c for c in sheet[9] if c is not None] == ["乡镇", "村（社区）数", "平均总分（已评分村、社区）", "三星及以上占比(%)（占已评分）"]
    assert not [h for h in headers if "村数" in h]
    text = subprocess.run(["pdftotext", "-", "-"], input=bulletin.pdf.read(), capture_output=True,
                          check=True).stdout.decode()
    assert "各星级村（社区）数" in text and "村数" not in text and "平均总分（已评分村、社区）" in text


def test_a_bulletin_of_rural_villages_only_counts_villages(county, results):
    bulletin = bulletin_generate(region=county, year=2026, month=5)
    sheet = list(load_workbook(bulletin.xlsx.open("rb"))["汇总"].iter_rows(values_only=True))
    assert sheet[1][:2] == ("星级", "村数")


def test_places_word_names_what_a_count_counts():
    from reports.services.bulletin import places_word

    assert [places_word(k) for k in (["rural"], ["urban"], ["rural", "urban"], [])] == ["村", "社区", "村（社区）", "村"]
