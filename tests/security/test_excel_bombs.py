"""Excel bombs of every shape (a row of 5.2 million cells, 1.3 million rows, 3,000 sheets,
750,000 shared strings; each a few dozen KB on disk) are refused by the shared reader while the
XML streams, before openpyxl materialises a cell, with a Chinese message, at every import.
Their time and memory are measured by `manage.py bench_import_bomb --shape …`."""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config import xlsx_reader
from projects.management.commands.bench_import_bomb import SHAPES, build_shape_bomb, workbook_parts, zip_parts
from projects.models import CollectiveIncome

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
EXPECTED = {"wide": "最多 .* 列", "tall": "最多 .* 行|单元格超过", "sheets": "工作表超过", "strings": "单元格超过"}


@functools.cache
def bomb(shape: str) -> bytes:
    return build_shape_bomb(shape, compresslevel=1)


@pytest.fixture
def openpyxl_never_reads(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened the bomb")

    monkeypatch.setattr(xlsx_reader, "load_workbook", never)


def _imports(county, county_admin, township_clerk):
    """Every import of the portal: name → function of the uploaded file."""
    from branches.branch_import import import_apply as branches
    from cadres.first_secretary_import import import_apply as first_secretaries
    from cadres.people_import import import_apply as people
    from projects.income_import import import_apply as incomes
    from ratings.services.excel import upload_apply as ledger
    from villages.region_import import import_apply as regions

    return {
        "ledger": lambda f: ledger(file=f, by=township_clerk),
        "income": lambda f: incomes(file=f, by=township_clerk),
        "people": lambda f: people(file=f, county=county, by=county_admin),
        "regions": lambda f: regions(file=f, county=county, by=county_admin),
        "branches": lambda f: branches(file=f, county=county),
        "first secretaries": lambda f: first_secretaries(file=f, county=county),
    }


@pytest.mark.parametrize("shape", SHAPES)
def test_each_bomb_shape_is_refused_at_every_import_before_openpyxl_reads_it(
        shape, county, county_admin, township_clerk, openpyxl_never_reads):
    data = bomb(shape)
    assert len(data) < 1024 * 1024
    for name, apply in _imports(county, county_admin, township_clerk).items():
        with pytest.raises(ValidationError) as refused:
            apply(io.BytesIO(data))
        message = refused.value.messages[0]
        assert re.search(EXPECTED[shape], message), (name, message)
        assert CHINESE.search(message), name
    assert not CollectiveIncome.objects.exists()


def test_a_row_one_cell_wider_than_the_template_is_refused_and_one_as_wide_is_read():
    def sheet(cells: int) -> bytes:
        from openpyxl import Workbook

        book = Workbook()
        book.active.append(list(range(cells)))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    with xlsx_reader.open_workbook(io.BytesIO(sheet(12)), max_rows=5, max_columns=12) as workbook:
        assert xlsx_reader.sheet_rows(workbook, max_rows=5, max_columns=12) == [tuple(range(12))]
    with pytest.raises(ValidationError, match="最多 12 列"):
        xlsx_reader.open_workbook(io.BytesIO(sheet(13)), max_rows=5, max_columns=12)


def test_a_cell_placed_past_the_templates_last_column_is_refused(openpyxl_never_reads):
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "区划代码"
    book.active["XFD1"] = "备注"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError, match="最多 16 列"):
        xlsx_reader.open_workbook(out, max_rows=100, max_columns=16)


def test_a_row_repeating_one_cell_reference_is_as_wide_as_its_cells(openpyxl_never_reads):
    parts = workbook_parts()
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b'<c r="A1" t="s"><v>0</v></c>', b'<c r="A1"><v>1</v></c>' * 17)
    with pytest.raises(ValidationError, match="最多 16 列"):
        xlsx_reader.open_workbook(io.BytesIO(zip_parts(parts)), max_rows=100, max_columns=16)


def test_the_cells_of_all_sheets_count_against_one_budget(openpyxl_never_reads):
    from openpyxl import Workbook

    book = Workbook()
    for index in range(3):
        sheet = book.active if index == 0 else book.create_sheet(f"S{index}")
        for _ in range(40):
            sheet.append(list(range(10)))
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError, match="单元格超过 1000 个"):
        xlsx_reader.open_workbook(out, max_rows=100, max_columns=10, max_cells=1000)


def test_a_shared_string_longer_than_excel_allows_is_refused_and_a_long_one_is_read(openpyxl_never_reads,
                                                                                   monkeypatch):
    too_long = zip_parts(workbook_parts(f"<si><t>{'村' * 50_000}</t></si><si><t>短</t></si>".encode()))
    with pytest.raises(ValidationError, match="超过 32767 个字符"):
        xlsx_reader.open_workbook(io.BytesIO(too_long), max_rows=100, max_columns=16)
    monkeypatch.undo()
    long = zip_parts(workbook_parts(f"<si><t>{'村' * 30_000}</t></si><si><t>短</t></si>".encode()))
    with xlsx_reader.open_workbook(io.BytesIO(long), max_rows=100, max_columns=16) as workbook:
        assert xlsx_reader.sheet_rows(workbook, max_rows=100, max_columns=16)[0][0] == "村" * 30_000


def test_the_checks_do_not_depend_on_where_the_stream_is_cut(monkeypatch, openpyxl_never_reads):
    monkeypatch.setattr(xlsx_reader, "CHUNK", 7)
    with pytest.raises(ValidationError, match="最多 .* 列"):
        xlsx_reader.open_workbook(io.BytesIO(bomb("wide")), max_rows=100, max_columns=16)


def test_a_part_declaring_entities_is_refused(openpyxl_never_reads):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><workbook>&a;</workbook>')
    with pytest.raises(ValidationError, match="不是有效的 Excel"):
        xlsx_reader.open_workbook(out, max_rows=100, max_columns=16)


def test_the_people_import_page_refuses_a_wide_row_with_a_chinese_message(client_for, county_admin):
    upload = SimpleUploadedFile("人员.xlsx", bomb("wide"))
    response = client_for(county_admin).post(reverse("cadres:import_page", args=["people"]), {"file": upload})
    assert response.status_code == 400
    assert re.search("超出模板范围：最多 .* 列", response.content.decode())


def test_the_income_import_page_refuses_huge_shared_strings_with_a_chinese_message(client_for, township_clerk):
    upload = SimpleUploadedFile("收入.xlsx", bomb("strings"))
    response = client_for(township_clerk).post(reverse("projects:income_import"), {"file": upload})
    assert response.status_code == 400
    assert "单元格超过" in response.content.decode()


def test_only_the_shared_reader_opens_workbooks():
    """An import added later reads through `config.xlsx_reader`, never through openpyxl itself."""
    readers = []
    apps = [p for p in Path(settings.BASE_DIR).iterdir() if (p / "__init__.py").exists() and p.name != "tests"]
    for path in (path for app in apps for path in app.rglob("*.py")):
        if re.search(r"\bload_workbook\b", path.read_text(encoding="utf-8")):
            readers.append(str(path.relative_to(settings.BASE_DIR)))
    assert readers == ["config/xlsx_reader.py"]
