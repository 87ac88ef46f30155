"""docs/going-live.md's first real month, in Chromium, from an empty database: setup_county with
a start month; the imports (a people file with two bad cells in one row refused whole, both
named with their values); the meetings, incomes and cooperatives a county keeps on paper; the
data readiness page showing what is missing, then nothing; a clerk entering a whole village
month with its evidence files from the grid and submitting it; the lead department approving;
and the village's level equal to what the engine gives on the same inputs, not 0 for want of a
source."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from cadres.models import User
from projects import income_import
from ratings.engine.evaluate import evaluate_village
from ratings.engine.types import VillageInput
from ratings.metrics import get_provider
from ratings.models import Evidence, Indicator, LedgerEntry, LedgerStatus, Source, View, VillageScore
from ratings.services.scoring_inputs import load_standards
from tests.uploads import png_bytes

from .test_going_live_browser import _change_password, _download_template, _fill, _import, _login, _menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "Minquan-Zzb-2026"
NEW_PASSWORD = "Renhe-First-2026"
VILLAGES = [["411421001000", "城关镇", None], ["411421001001", "东关村", "行政村"], ["411421001002", "南关村", "行政村"]]


def _value(indicator: Indicator) -> Decimal:
    """What a well-run village reports: yes, the target or better, no incidents."""
    if indicator.value_type == "boolean":
        return Decimal(1)
    if indicator.rule in ("veto", "deduction") or indicator.direction == "lower":
        return indicator.min_value or Decimal(0)
    params = indicator.params or {}
    wanted = params.get("target") or params.get("threshold") or max([b for b, _ in params.get("bands", [[1, 0]])])
    high = indicator.max_value if indicator.max_value is not None else Decimal(wanted)
    return min(Decimal(str(wanted)), high)


def _text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _logout(page):
    page.locator("nav .navbar-nav").last.locator(".dropdown-toggle").click()
    page.click("button:has-text('退出登录')")
    page.wait_for_load_state("networkidle")


def _income_file(path, today):
    wb = Workbook()
    ws = wb.active
    ws.title = income_import.SHEET
    ws.append(income_import.HEADERS)
    for code, name, _ in VILLAGES[1:]:
        ws.append([code, name, today.year - 1, None, 620000, 150000])
        for month in range(1, today.month):
            ws.append([code, name, today.year, month, 60000, 15000])
    wb.save(path)


def test_first_month_from_an_empty_database(browser_page, screenshot_dir, tmp_path):
    page, base = browser_page, browser_page.base_url
    # A long walk on a shared machine: a slow step waits rather than failing the month.
    page.context.set_default_timeout(60000)
    today = timezone.localdate()
    year, month = today.year, today.month
    png = tmp_path / "现场照片.png"
    png.write_bytes(png_bytes((40, 30)))

    # 1. The county, with its start month.
    out = StringIO()
    call_command("setup_county", "--code", "411421000000", "--name", "民权县", "--admin", "zzb_admin",
                 "--start", f"{year}-{month:02d}", stdout=out)
    assert f"自{year}年{month}月起使用本平台" in out.getvalue()
    one_time = re.search(r"一次性密码：(\S+)", out.getvalue()).group(1)
    _login(page, base, "zzb_admin", one_time)
    _change_password(page, one_time, ADMIN_PASSWORD)

    # 2. Regions and branches.
    _menu(page, "系统管理", "上线数据导入")
    workbook = _download_template(page, 0, tmp_path / "regions.xlsx")
    _fill(workbook, [row[:2] + [row[2], None, None] for row in VILLAGES], tmp_path / "regions.xlsx")
    _import(page, 0, tmp_path / "regions.xlsx")
    assert "导入成功" in page.content(), page.locator("main").inner_text()
    _menu(page, "系统管理", "上线数据导入")
    workbook = _download_template(page, 1, tmp_path / "branches.xlsx")
    for row in (2, 3):
        workbook.active[f"E{row}"], workbook.active[f"I{row}"] = "李支书", 40
    workbook.save(tmp_path / "branches.xlsx")
    _import(page, 1, tmp_path / "branches.xlsx")
    assert "导入成功" in page.content(), page.locator("main").inner_text()

    # 3. People: two bad cells in one row, both named with their values, nothing written.
    users = User.objects.count()
    _menu(page, "系统管理", "上线数据导入")
    workbook = _download_template(page, 2, tmp_path / "people.xlsx")
    _fill(workbook, [["陈专干", "1370000009", "村书记", "411421001000", None, None, None, "chen_zg", None]],
          tmp_path / "people_bad.xlsx")
    _import(page, 2, tmp_path / "people_bad.xlsx")
    errors = page.locator("[data-testid=import-errors]").inner_text() + page.locator("main table").inner_text()
    assert "导入失败，未保存任何数据" in errors and "“1370000009”有误" in errors and "“村书记”不是可选值" in errors
    assert User.objects.count() == users
    page.screenshot(path=str(screenshot_dir / "first_month_people_errors.png"), full_page=True)
    stars = ["支部过硬星", "产业兴旺星", "生态宜居星", "平安法治星", "文明幸福星"]
    _fill(workbook, [["陈专干", "13700000009", "乡镇专干", "411421001000", None, None, None, "chen_zg", None]]
          + [["吴审核", "13700000010", "星级牵头部门", "411421000000", s, "牵头部门", None, "wu_lead", None] for s in stars],
          tmp_path / "people.xlsx")
    page.set_input_files("input[type=file]", str(tmp_path / "people.xlsx"))
    page.click("button:has-text('检查并导入')")
    page.wait_for_load_state("networkidle")
    assert "导入成功" in page.content(), page.locator("main").inner_text()
    issued = {}
    for line in page.locator("tr:has([data-testid=issued-password])").all():
        issued[line.locator("td").nth(1).inner_text().strip()] = line.locator("[data-testid=issued-password]").inner_text()
    assert set(issued) == {"chen_zg", "wu_lead"}

    # 4. The readiness page: what the computed indicators still lack.
    _menu(page, "系统管理", "数据就绪")
    assert page.locator("[data-testid=start-words]").inner_text() == f"自{year}年{month}月起"
    for key in ("life_meetings", "themed_days", "incomes", "cooperatives", "bindings"):
        assert "缺 2 个" in page.locator(f"[data-testid=source-{key}]").inner_text(), key
    page.screenshot(path=str(screenshot_dir / "first_month_readiness_missing.png"), full_page=True)

    # 5. The records kept on paper: meetings of the year, cooperatives with bindings, incomes.
    _menu(page, "系统管理", "上线数据导入")
    workbook = _download_template(page, 4, tmp_path / "meetings.xlsx")
    meetings = []
    for code, name, _ in VILLAGES[1:]:
        meetings += [[code, name, "支部委员会", today.replace(day=1), "学习会议精神", 7, 7, None],
                     [code, name, "党小组会", today.replace(day=1), "党小组学习", 12, 11, None],
                     [code, name, "主题党日", today.replace(day=1), "主题党日", 40, 36, None]]
    _fill(workbook, meetings, tmp_path / "meetings.xlsx")
    _import(page, 4, tmp_path / "meetings.xlsx")
    assert "导入成功" in page.content(), page.locator("main").inner_text()
    _menu(page, "系统管理", "上线数据导入")
    workbook = _download_template(page, 5, tmp_path / "cooperatives.xlsx")
    _fill(workbook, [[code, f"{name}种植合作社", "是", dt.date(year - 1, 3, 1), None, 30, "小麦", "某面业公司", 80,
                      dt.date(year - 1, 4, 1), None, "保底收购"] for code, name, _ in VILLAGES[1:]],
          tmp_path / "cooperatives.xlsx")
    _import(page, 5, tmp_path / "cooperatives.xlsx")
    assert "导入成功" in page.content(), page.locator("main").inner_text()
    _menu(page, "系统管理", "上线数据导入")
    page.click("a:has-text('导入收入')")
    page.wait_for_load_state("networkidle")
    _income_file(tmp_path / "incomes.xlsx", today)
    page.set_input_files("input[type=file][name=file]", str(tmp_path / "incomes.xlsx"))
    page.click("main button:has-text('导入'):not(:has-text('下载'))")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=import-summary]").count() == 1, page.locator("main").inner_text()
    _menu(page, "系统管理", "数据就绪")
    assert page.locator("[data-testid=readiness-ready]").count() == 1, page.locator("main").inner_text()
    page.screenshot(path=str(screenshot_dir / "first_month_readiness_ready.png"), full_page=True)
    _logout(page)

    # 6. The clerk enters 东关村's whole month, star by star, evidence from the grid's cells.
    clerk = next(u for u in issued if u == "chen_zg")
    _login(page, base, clerk, issued[clerk])
    _change_password(page, issued[clerk], NEW_PASSWORD)
    page.click("nav a.nav-link:has-text('台账填报'), nav .dropdown-item:has-text('台账填报')")
    page.wait_for_load_state("networkidle")
    typed: dict[str, Decimal] = {}
    ledger = Indicator.objects.filter(star__standard__year=year, star__standard__kind="rural", source=Source.LEDGER)
    for star in ["branch", "industry", "ecology", "safety", "civility"]:
        page.click(f"ul.nav-tabs a[href$='star={star}']")
        page.wait_for_load_state("networkidle")
        row = page.locator("table.ledger-grid tbody tr:has-text('东关村')")
        for indicator in ledger.filter(star__code=star).order_by("order"):
            value = _value(indicator)
            typed[indicator.code] = value
            cell = row.locator(f"td#cell-{_village_pk('411421001001')}-{indicator.pk}")
            if indicator.value_type == "boolean":
                cell.locator("select.cell-input").select_option(_text(value))
            else:
                cell.locator("input.cell-input").fill(_text(value))
                cell.locator("input.cell-input").dispatch_event("change")
            page.wait_for_selector(f"td#cell-{_village_pk('411421001001')}-{indicator.pk}.status-draft")
            if indicator.needs_evidence(value):
                page.locator(f"#evbtn-{_village_pk('411421001001')}-{indicator.pk}").click()
                page.wait_for_selector("dialog#evidence-dialog[open] [data-testid=evidence-file]")
                page.set_input_files("dialog#evidence-dialog [data-testid=evidence-file]", str(png))
                page.click("dialog#evidence-dialog [data-testid=evidence-upload]")
                page.wait_for_selector("dialog#evidence-dialog:has-text('已上传')")
                if star == "branch" and not (screenshot_dir / "first_month_evidence_dialog.png").exists():
                    page.screenshot(path=str(screenshot_dir / "first_month_evidence_dialog.png"))
                page.click("dialog#evidence-dialog [data-close-dialog]")
        page.once("dialog", lambda d: d.accept())
        row.locator("[data-testid=row-submit]").click()
        page.wait_for_load_state("networkidle")
        assert "已提交东关村的" in page.content(), page.locator(".messages").inner_text()
    entries = LedgerEntry.objects.filter(village__code="411421001001", year=year, month=month)
    assert entries.count() == len(typed) and set(entries.values_list("status", flat=True)) == {LedgerStatus.SUBMITTED}
    assert Evidence.objects.filter(entry__in=entries).count() == sum(
        1 for i in ledger if i.needs_evidence(typed[i.code])) > 0
    _logout(page)

    # 7. The lead department approves the village's month.
    lead = "wu_lead"
    _login(page, base, lead, issued[lead])
    _change_password(page, issued[lead], NEW_PASSWORD + "x")
    page.goto(f"{base}/ratings/review/")
    page.wait_for_load_state("networkidle")
    page.check("input[data-check-all=entry]")
    page.once("dialog", lambda d: d.accept())
    page.click("button[value=approve]")
    page.wait_for_load_state("networkidle")
    assert set(entries.values_list("status", flat=True)) == {LedgerStatus.APPROVED}, page.locator("main").inner_text()

    # 8. The level deserved: the engine on the typed values and the providers' own answers.
    village = entries.first().village
    loaded = load_standards(year)["rural"]
    values = {code: [(month, value)] for code, value in typed.items()}
    for code, indicator in loaded.indicators.items():
        if indicator.source == Source.PROVIDER:
            provider = get_provider(indicator.provider)
            values[code] = provider(village_ids=[village.pk], year=year, month=month).get(
                village.pk, [(month, provider.absent)])
    expected = evaluate_village(loaded.spec, VillageInput(village_id=village.pk, division_code=village.code,
                                                          values=values), month)
    stored = VillageScore.objects.get(village=village, year=year, month=month, view=View.LIVE)
    assert stored.star_level == expected.star_level
    # Every source fed, every value at its target: all five stars, none lost for want of a source.
    assert stored.star_level == 5, [(s.code, s.score, s.reasons) for s in expected.stars]
    page.goto(f"{base}/ratings/rankings/?year={year}&month={month}")
    assert f"自{year}年{month}月起" in page.content()
    page.screenshot(path=str(screenshot_dir / "first_month_rankings.png"), full_page=True)


def _village_pk(code: str) -> int:
    from villages.models import Region

    return Region.objects.get(code=code).pk
