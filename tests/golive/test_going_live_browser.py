"""README's "上线一个真实的县 / Going live", step by step, in Chromium, from an empty database:
setup_county, the first login and its forced password change, the four imports from the
downloaded templates (one refused first, with its cell named), a clerk created by hand, and
that clerk's first login, password change and first ledger cell."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from branches.models import Branch
from cadres.models import FirstSecretary, Post, Role, User
from ratings.models import Indicator, LedgerEntry, Source
from villages.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "Minquan-Zzb-2026"
CLERK_PASSWORD = "Chengguan-Zg-2026"
TOWNSHIPS = [["411421001000", "城关镇"], ["411421002000", "人和镇"]]
VILLAGES = [["411421001001", "东关村", "行政村"], ["411421001002", "西关社区", "城市社区"],
            ["411421001003", "南关村", "行政村"], ["411421002001", "人和村", "行政村"]]


def _login(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button:has-text('登录')")
    page.wait_for_load_state("networkidle")


def _change_password(page, old, new):
    assert "修改密码" in page.content() and page.locator("[data-testid=forced-change]").count() == 1
    page.fill("#id_old_password", old)
    page.fill("#id_new_password1", new)
    page.fill("#id_new_password2", new)
    page.click("button:has-text('保存新密码')")
    page.wait_for_load_state("networkidle")
    assert "密码已修改" in page.content()


def _menu(page, group, item):
    page.click(f"nav .nav-link.dropdown-toggle:has-text('{group}')")
    page.click(f"nav .dropdown-item:has-text('{item}')")
    page.wait_for_load_state("networkidle")


def _download_template(page, card: int, path):
    with page.expect_download() as download:
        page.locator("main .card").nth(card).locator("a:has-text('下载模板')").click()
    download.value.save_as(path)
    return load_workbook(path)


def _import(page, card: int, path, *, complete=False):
    page.locator("main .card").nth(card).locator("a:has-text('导入')").click()
    page.wait_for_load_state("networkidle")
    page.set_input_files("input[type=file]", str(path))
    if complete:
        page.check("#id_complete")
    page.click("button:has-text('检查并导入')")
    page.wait_for_load_state("networkidle")


def _fill(workbook, rows, path):
    sheet = workbook.active
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    workbook.save(path)


def test_going_live_from_an_empty_database(browser_page, screenshot_dir, tmp_path):
    page, base = browser_page, browser_page.base_url
    # A long walk on a shared machine: a slow step waits rather than failing the walk.
    page.context.set_default_timeout(60000)
    assert not Region.objects.exists() and not User.objects.exists()

    # 2. The county.
    out = StringIO()
    call_command("setup_county", "--code", "411421000000", "--name", "民权县", "--admin", "zzb_admin", stdout=out)
    one_time = re.search(r"一次性密码：(\S+)", out.getvalue()).group(1)

    # 3. First login: the change is forced.
    _login(page, base, "zzb_admin", one_time)
    _change_password(page, one_time, ADMIN_PASSWORD)

    # 4.1 Regions: a mistake first (refused whole, the cell named), then the good file.
    _menu(page, "系统管理", "上线数据导入")
    workbook = _download_template(page, 0, tmp_path / "regions.xlsx")
    rows = [t + [None] for t in TOWNSHIPS] + VILLAGES
    bad = [row[:] for row in rows]
    bad[3][0] = "41142100100"  # eleven digits
    _fill(workbook, bad, tmp_path / "regions_bad.xlsx")
    _import(page, 0, tmp_path / "regions_bad.xlsx", complete=True)
    assert "导入失败，未保存任何数据" in page.content()
    assert page.locator("tr:has-text('区划代码必须是12位数字') td").nth(1).inner_text() == "A"
    assert not Region.objects.filter(level="township").exists()
    page.screenshot(path=str(screenshot_dir / "golive_region_errors.png"), full_page=True)
    workbook = load_workbook(tmp_path / "regions.xlsx")
    _fill(workbook, rows, tmp_path / "regions_good.xlsx")
    page.set_input_files("input[type=file]", str(tmp_path / "regions_good.xlsx"))
    page.check("#id_complete")
    page.click("button:has-text('检查并导入')")
    page.wait_for_load_state("networkidle")
    assert "导入成功" in page.content(), page.locator("main").inner_text()
    assert Region.objects.filter(level="village").count() == 4

    # 4.2 Branches.
    _menu(page, "系统管理", "上线数据导入")
    workbook = _download_template(page, 1, tmp_path / "branches.xlsx")
    sheet = workbook.active
    assert sheet["A2"].value == "411421001001"  # the template lists the imported villages
    sheet["E2"], sheet["G2"], sheet["I2"], sheet["K2"], sheet["L2"] = "李支书", "是", 42, 5, "李支书（书记）、王委员（组织委员）"
    workbook.save(tmp_path / "branches.xlsx")
    _import(page, 1, tmp_path / "branches.xlsx")
    assert "导入成功" in page.content(), page.locator("main").inner_text()
    assert Branch.objects.count() == 4 and Branch.objects.get(village__code="411421001001").secretary_is_head

    # 4.3 People and posts: one-time passwords shown once, the batch's sheet downloadable.
    _menu(page, "系统管理", "上线数据导入")
    workbook = _download_template(page, 2, tmp_path / "people.xlsx")
    _fill(workbook, [
        ["李支书", "13700000001", "村党支部书记", "411421001001", None, None, None, None, None],
        ["赵局长", "13700000002", "星级牵头部门", "411421000000", "产业兴旺星", "农业农村局", None, None, None],
        ["孙书记", "13700000003", "驻村第一书记", "411421001003", None, None, None, None, None],
    ], tmp_path / "people.xlsx")
    _import(page, 2, tmp_path / "people.xlsx")
    assert "导入成功" in page.content(), page.locator("main").inner_text()
    assert page.locator("[data-testid=issued-password]").count() == 3
    with page.expect_download() as download:
        page.click("button:has-text('下载本批账号表')")
    download.value.save_as(tmp_path / "issued.xlsx")
    assert load_workbook(tmp_path / "issued.xlsx").active["D1"].value == "一次性密码"
    page.screenshot(path=str(screenshot_dir / "golive_people_issued.png"), full_page=True)

    # 4.4 First secretaries and work teams.
    _menu(page, "系统管理", "上线数据导入")
    workbook = _download_template(page, 3, tmp_path / "fs.xlsx")
    _fill(workbook, [["孙书记", "男", "13700000003", "省财政厅", "省派", "科长", "411421001003", "2025-03-01",
                      "2027-02-28", "周队员（县农业农村局）"]], tmp_path / "fs.xlsx")
    _import(page, 3, tmp_path / "fs.xlsx")
    assert "导入成功" in page.content(), page.locator("main").inner_text()
    assert FirstSecretary.objects.get().user.full_name == "孙书记"

    # 5. A clerk who joins later, created by hand.
    _menu(page, "系统管理", "账号管理")
    page.click("a:has-text('新建账号')")
    page.fill("#id_full_name", "陈专干")
    page.fill("#id_phone", "13700000009")
    page.select_option("#id_role", label="乡镇专干")
    page.select_option("#id_region", label="城关镇（乡镇）")
    page.click("button:has-text('建立账号')")
    page.wait_for_load_state("networkidle")
    username = page.locator("[data-testid=issued-username]").inner_text()
    clerk_password = page.locator("[data-testid=issued-password]").inner_text()
    assert Post.objects.get(user__username=username).role == Role.TOWNSHIP_STAFF
    page.locator("nav .navbar-nav").last.locator(".dropdown-toggle").click()
    page.click("button:has-text('退出登录')")
    page.wait_for_load_state("networkidle")

    # 6. The clerk's first login, password change and a ledger cell of an imported village.
    first = Indicator.objects.filter(star__standard__kind="rural", star__code="branch", source=Source.LEDGER) \
        .order_by("order").first()
    assert first.value_type == "boolean"  # the first column of the branch star is a 是/否 cell
    _login(page, base, username, clerk_password)
    _change_password(page, clerk_password, CLERK_PASSWORD)
    _menu_or_link(page, "台账填报")
    row = page.locator("table.ledger-grid tbody tr:has-text('东关村')")
    row.locator("td.ledger-cell").first.locator("select.cell-input").select_option("1")
    page.wait_for_selector("td.ledger-cell.status-draft")
    page.screenshot(path=str(screenshot_dir / "golive_clerk_ledger.png"), full_page=False)
    entry = LedgerEntry.objects.get(village__code="411421001001")
    assert entry.indicator == first and entry.entered_by.username == username and entry.value == 1


def _menu_or_link(page, label):
    page.click(f"nav a.nav-link:has-text('{label}'), nav .dropdown-item:has-text('{label}')")
    page.wait_for_load_state("networkidle")
