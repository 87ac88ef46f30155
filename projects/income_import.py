"""The income Excel round-trip: a template of the user's villages, and its all-or-nothing import.

One row is one figure: village code, year, month (blank: the year as a whole), total, operating.
Every cell is checked first and every bad cell is reported as "第 N 行 第 X 列（列名）：…"; only
a clean file is written, in one transaction, through the same services as the browser. A row
equal to what is stored changes nothing, so the same file imported twice changes nothing more.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from config.excel import safe_text
from config.xlsx_reader import MSG_XLSX_NOT_EXCEL, open_workbook, sheet_rows
from villages.models import Level, Region

from .access import can_edit
from .models import MSG_OPERATING_ABOVE_TOTAL, CollectiveIncome, CollectiveIncomeMonth, IncomeSource
from .services import CREATED, UNCHANGED, UPDATED, income_month_save, income_year_recompute, income_year_save

SHEET = "集体经济收入"
HEADERS = ["区划代码", "村（社区）名称", "年度", "月份（年度收入留空）", "集体经济总收入（元）", "其中经营性收入（元）"]
COL_CODE, COL_NAME, COL_YEAR, COL_MONTH, COL_TOTAL, COL_OPERATING = range(6)
HEADER_ROW = 1
MAX_ROWS = 20_000

MSG_NOT_EXCEL = MSG_XLSX_NOT_EXCEL
MSG_BAD_HEADER = "表头不符：第 1 行应依次为 " + "、".join(HEADERS) + "，请使用下载的模板"
MSG_NO_ROWS = "文件中没有任何数据行"
MSG_TOO_MANY_ROWS = f"一次最多导入 {MAX_ROWS} 行"
MSG_CODE_MISSING = "请填写区划代码"
# Unknown and out of scope read the same: a code cannot be probed for another township's village.
MSG_UNKNOWN_CODE = "区划代码“{code}”不存在或不在您的管辖范围内"
MSG_NOT_A_VILLAGE = "区划代码“{code}”不是村（社区）"
MSG_OUT_OF_SCOPE = MSG_UNKNOWN_CODE
MSG_YEAR = "年度应为2000至2100之间的整数"
MSG_MONTH = "月份应为1至12之间的整数；年度收入请留空"
MSG_AMOUNT_MISSING = "请填写金额（没有请填0）"
MSG_AMOUNT_BAD = "“{value}”不是有效的金额"
MSG_AMOUNT_NEGATIVE = "金额不能为负数"
MSG_AMOUNT_DECIMALS = "金额最多保留两位小数"
MSG_AMOUNT_TOO_LARGE = "金额过大"
MSG_DUPLICATE = "与第 {first} 行重复（同一村、年度、月份只能填一行）"
MSG_MIXED = "同一村同一年度不能既填年度收入又填月度收入（见第 {first} 行）"
MSG_YEAR_HAS_MONTHS = "该村该年度已按月填报，年度合计由月度收入自动汇总，请按月填写"
MSG_YEAR_ENTERED_WHOLE = "该村该年度已按年度填报收入，不能再按月填报；如需按月填报，请先删除该年度收入"


def county_counts(*, county: Region) -> dict[str, int]:
    """What the county has recorded so far, for the going-live imports page: the villages with an
    income figure this year."""
    year = timezone.localdate().year
    return {"incomes": CollectiveIncome.objects.filter(year=year, village__code__startswith=county.prefix)
            .values("village_id").distinct().count()}


def template_build(*, villages: list[Region], year: int, month: int | None) -> bytes:
    """A sheet with one row per village for the year (and month), filled with stored figures."""
    if month is None:
        stored = {i.village_id: (i.total, i.operating) for i in CollectiveIncome.objects.filter(
            village__in=villages, year=year, source=IncomeSource.YEARLY)}
    else:
        stored = {i.village_id: (i.total, i.operating) for i in CollectiveIncomeMonth.objects.filter(
            village__in=villages, year=year, month=month)}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    grey = PatternFill("solid", fgColor="EEEEEE")
    for col, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font, cell.fill = Font(bold=True), grey
        ws.column_dimensions[get_column_letter(col)].width = [16, 18, 8, 20, 20, 20][col - 1]
    for row, village in enumerate(villages, start=HEADER_ROW + 1):
        ws.cell(row=row, column=1, value=village.code).number_format = "@"
        ws.cell(row=row, column=2, value=safe_text(village.name))
        ws.cell(row=row, column=3, value=year)
        ws.cell(row=row, column=4, value=month)
        figure = stored.get(village.pk)
        if figure:
            ws.cell(row=row, column=5, value=float(figure[0]))
            ws.cell(row=row, column=6, value=float(figure[1]))
        for col in (5, 6):
            ws.cell(row=row, column=col).number_format = "0.00"
    last = max(HEADER_ROW + len(villages), HEADER_ROW + 1) + 200
    for col, kind, low, high, title in ((3, "whole", 2000, 2100, "年度"), (4, "whole", 1, 12, "月份"),
                                        (5, "decimal", 0, 1e12, "金额"), (6, "decimal", 0, 1e12, "金额")):
        rule = DataValidation(type=kind, operator="between", formula1=str(low), formula2=str(high), allow_blank=True)
        rule.error, rule.errorTitle, rule.showErrorMessage = f"请填写有效的{title}", "数值无效", True
        ws.add_data_validation(rule)
        rule.add(f"{get_column_letter(col)}{HEADER_ROW + 1}:{get_column_letter(col)}{last}")
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    note = wb.create_sheet("填写说明")
    for line, text in enumerate([
        "每行填写一个村的一项收入：月份留空表示全年收入（按年度填报），填1至12表示该月收入（按月填报）。",
        "同一村同一年度只能选一种方式：按月填报时，年度合计由各月收入自动汇总。",
        "金额单位为元，最多两位小数；经营性收入不能大于总收入，没有请填0。",
        "导入时整份文件逐格检查，有任何错误则全部不导入，并列出出错的行和列。",
    ], start=1):
        note.cell(row=line, column=1, value=text)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _place(row: int, col: int) -> str:
    return f"第 {row} 行 第 {get_column_letter(col + 1)} 列（{HEADERS[col]}）"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _code(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().lstrip("'")


def _amount(value) -> Decimal:
    if _blank(value):
        raise ValueError(MSG_AMOUNT_MISSING)
    if isinstance(value, bool):
        raise ValueError(MSG_AMOUNT_BAD.format(value=value))
    text = value.strip().replace(",", "") if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(MSG_AMOUNT_BAD.format(value=value)) from None
    if not amount.is_finite():
        raise ValueError(MSG_AMOUNT_BAD.format(value=value))
    if amount < 0:
        raise ValueError(MSG_AMOUNT_NEGATIVE)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(MSG_AMOUNT_DECIMALS)
    if amount >= Decimal(10) ** 12:
        raise ValueError(MSG_AMOUNT_TOO_LARGE)
    return amount.quantize(Decimal("0.01"))


def _rows(file) -> list[tuple[int, tuple]]:
    # The shared bounded reader: sizes and the sheet's shape are checked before cells are read.
    shape = {"max_rows": HEADER_ROW + MAX_ROWS, "max_columns": len(HEADERS) + 10}
    with open_workbook(file, **shape) as workbook:
        sheet = SHEET if SHEET in workbook.sheetnames else None
        rows = sheet_rows(workbook, sheet, **shape)
    header = [str(c).strip() if c is not None else "" for c in (rows[0] if rows else ())][:len(HEADERS)]
    if header != HEADERS:
        raise ValidationError(MSG_BAD_HEADER)
    data = [(n, tuple(r) + (None,) * (len(HEADERS) - len(r))) for n, r in enumerate(rows[1:], start=HEADER_ROW + 1)
            if r and any(not _blank(c) for c in r[:len(HEADERS)])]
    if not data:
        raise ValidationError(MSG_NO_ROWS)
    if len(data) > MAX_ROWS:
        raise ValidationError(MSG_TOO_MANY_ROWS)
    return data


def import_apply(*, file, by) -> ImportResult:
    """1. read and check every cell (codes, scope, numbers, operating ≤ total, duplicates, the
    one-way-per-year rule against the file and the database); 2. with any error, stop and
    write nothing; 3. otherwise write all rows in one transaction and sum each monthly year once."""
    result = ImportResult()
    data = _rows(file)
    codes = {_code(r[COL_CODE]) for _, r in data if not _blank(r[COL_CODE])}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    planned: list[tuple[int, Region, int, int | None, Decimal, Decimal]] = []
    for number, row in data:
        errors_before = len(result.errors)
        village = None
        if _blank(row[COL_CODE]):
            result.errors.append(f"{_place(number, COL_CODE)}：{MSG_CODE_MISSING}")
        else:
            code = _code(row[COL_CODE])
            village = regions.get(code)
            if village is None:
                result.errors.append(f"{_place(number, COL_CODE)}：{MSG_UNKNOWN_CODE.format(code=code)}")
            elif village.level != Level.VILLAGE:
                result.errors.append(f"{_place(number, COL_CODE)}：{MSG_NOT_A_VILLAGE.format(code=code)}")
                village = None
            elif not can_edit(by, village):
                result.errors.append(f"{_place(number, COL_CODE)}：{MSG_OUT_OF_SCOPE.format(code=code)}")
                village = None
        year = _integer(row[COL_YEAR])
        if year is None or not 2000 <= year <= 2100:
            result.errors.append(f"{_place(number, COL_YEAR)}：{MSG_YEAR}")
        month = None
        if not _blank(row[COL_MONTH]):
            month = _integer(row[COL_MONTH])
            if month is None or not 1 <= month <= 12:
                result.errors.append(f"{_place(number, COL_MONTH)}：{MSG_MONTH}")
        amounts = []
        for col in (COL_TOTAL, COL_OPERATING):
            try:
                amounts.append(_amount(row[col]))
            except ValueError as exc:
                result.errors.append(f"{_place(number, col)}：{exc}")
        if len(amounts) == 2 and amounts[1] > amounts[0]:
            result.errors.append(f"{_place(number, COL_OPERATING)}：{MSG_OPERATING_ABOVE_TOTAL}")
        if len(result.errors) == errors_before:
            planned.append((number, village, year, month, amounts[0], amounts[1]))
    _check_keys(planned, result)
    result.rows = len(data)
    if result.errors:
        return result
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    try:
        with transaction.atomic():
            touched = set()
            for _number, village, year, month, total, operating in planned:
                if month is None:
                    _row, outcome = income_year_save(village=village, year=year, total=total, operating=operating,
                                                     by=by)
                else:
                    _row, outcome = income_month_save(village=village, year=year, month=month, total=total,
                                                      operating=operating, by=by, recompute=False)
                    if outcome != UNCHANGED:
                        touched.add((village, year))
                counts[outcome] += 1
            for village, year in sorted(touched, key=lambda t: (t[0].code, t[1])):
                income_year_recompute(village=village, year=year, by=by)
    except ValidationError as exc:
        # Something changed between the check and the write (another clerk's entry): the
        # transaction is rolled back and nothing is kept.
        result.errors.append("；".join(exc.messages))
        return result
    result.created, result.updated, result.unchanged = counts[CREATED], counts[UPDATED], counts[UNCHANGED]
    return result


def _check_keys(planned: list, result: ImportResult) -> None:
    """Duplicates, a year both yearly and monthly in the file, and the same rule against the
    database (two queries for the whole file)."""
    seen: dict[tuple, int] = {}
    way: dict[tuple, tuple[bool, int]] = {}
    for number, village, year, month, *_ in planned:
        key = (village.pk, year, month)
        if key in seen:
            result.errors.append(f"{_place(number, COL_CODE)}：{MSG_DUPLICATE.format(first=seen[key])}")
            continue
        seen[key] = number
        monthly, first = way.setdefault((village.pk, year), (month is not None, number))
        if monthly != (month is not None):
            result.errors.append(f"{_place(number, COL_MONTH)}：{MSG_MIXED.format(first=first)}")
    village_ids = {p[1].pk for p in planned}
    years = {p[2] for p in planned}
    whole = set(CollectiveIncome.objects.filter(village_id__in=village_ids, year__in=years, source=IncomeSource.YEARLY)
                .values_list("village_id", "year"))
    by_month = set(CollectiveIncomeMonth.objects.filter(village_id__in=village_ids, year__in=years)
                   .values_list("village_id", "year"))
    for number, village, year, month, *_ in planned:
        if month is None and (village.pk, year) in by_month:
            result.errors.append(f"{_place(number, COL_MONTH)}：{MSG_YEAR_HAS_MONTHS}")
        elif month is not None and (village.pk, year) in whole:
            result.errors.append(f"{_place(number, COL_MONTH)}：{MSG_YEAR_ENTERED_WHOLE}")
    result.errors.sort(key=lambda e: int(e.split(" ")[1]))
