"""The ledger's Excel round-trip: a ready template per township × month × star, and its upload.

An upload is all-or-nothing: every cell is checked first and every bad cell is reported (row,
column, reason); only a clean file is written, in one transaction, through the same service
as the browser. Cells whose value did not change are left alone, so the same file uploaded
twice changes nothing the second time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from config.excel import safe_text
from config.xlsx_reader import MSG_XLSX_NOT_EXCEL, open_workbook, sheet_rows
from villages.models import Region

from ..access import can_enter
from ..models import Indicator, LedgerEntry, LedgerEvent, LedgerStatus, Source, Standard, ValueType
from .ledger import clean_value, ledger_entry_save

TEMPLATE_ID = "five-star-ledger-template"
TEMPLATE_VERSION = "1"
META_SHEET = "_模板信息"
HEADER_ROW, CODE_ROW, FIRST_DATA_ROW = 3, 4, 5

MSG_NOT_EXCEL = MSG_XLSX_NOT_EXCEL
# The template's shape: a township's villages (fewer than 100 in Henan) under 4 heading rows,
# a star's indicators (about 15) after 2 columns; generous, and far below a zip bomb.
MAX_TEMPLATE_ROWS, MAX_TEMPLATE_COLUMNS = 2000, 200
MSG_NOT_TEMPLATE = "该文件不是本系统下载的台账模板，请先下载模板再填写"
MSG_TEMPLATE_OUT_OF_SCOPE = "模板所属乡镇不在您的管辖范围内"
# Unknown and out of scope read the same: a code cannot be probed for other villages.
MSG_UNKNOWN_CODE = "区划代码“{code}”不存在，或不在本模板乡镇、您的管辖范围内"
MSG_VILLAGE_OUT_OF_SCOPE = MSG_UNKNOWN_CODE
MSG_DUPLICATE_ROW = "区划代码“{code}”重复出现（第{first}行）"
MSG_UNKNOWN_INDICATOR = "指标代码“{code}”不属于该模板的标准"
MSG_LOCKED = "已审核通过的台账已锁定，不能通过导入修改"
MSG_SUBMITTED = "台账已提交待审核，不能通过导入修改"
MSG_NO_ROWS = "模板中没有任何数据行"
def _villages(township: Region, kind: str):
    return list(Region.objects.villages().filter(parent=township, kind=kind, is_active=True).order_by("code"))


def _indicators(standard: Standard, star_code: str) -> list[Indicator]:
    return list(Indicator.objects.filter(star__standard=standard, star__code=star_code, source=Source.LEDGER)
                .order_by("order"))


def _display(indicator: Indicator, value: Decimal | None):
    if value is None:
        return None
    if indicator.value_type == ValueType.BOOLEAN:
        return "是" if value == 1 else "否"
    return int(value) if value == value.to_integral_value() else float(value)


def template_build(*, township: Region, year: int, month: int, star_code: str, kind: str, standard: Standard) -> bytes:
    villages = _villages(township, kind)
    indicators = _indicators(standard, star_code)
    star = standard.stars.get(code=star_code)
    entries = {(e.village_id, e.indicator_id): e for e in LedgerEntry.objects.current().filter(
        village__in=villages, indicator__in=indicators, year=year, month=month)}
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws["A1"] = safe_text(f"{township.name} {year}年{month}月 {star.name}台账（{'城市社区' if kind == 'urban' else '行政村'}）")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "说明：只填写白色单元格；是/否类填“是”或“否”；灰色行列请勿修改。已审核通过的台账不能通过导入修改。"
    ws["A2"].font = Font(color="666666", size=9)
    grey = PatternFill("solid", fgColor="EEEEEE")
    headers = ["区划代码", "村（社区）"] + [f"{i.name}（{i.unit}）" if i.unit else i.name for i in indicators]
    codes = ["village_code", "village_name"] + [i.code for i in indicators]
    for col, (header, code) in enumerate(zip(headers, codes, strict=True), start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=safe_text(header))
        cell.font, cell.fill = Font(bold=True), grey
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        code_cell = ws.cell(row=CODE_ROW, column=col, value=code)
        code_cell.font, code_cell.fill = Font(color="999999", size=8), grey
        ws.column_dimensions[get_column_letter(col)].width = 14 if col > 2 else (15 if col == 1 else 12)
    ws.row_dimensions[HEADER_ROW].height = 48
    last_row = FIRST_DATA_ROW + len(villages) - 1
    for offset, village in enumerate(villages):
        row = FIRST_DATA_ROW + offset
        code_cell = ws.cell(row=row, column=1, value=village.code)
        code_cell.number_format = "@"
        ws.cell(row=row, column=2, value=safe_text(village.name))
        for col in (1, 2):
            ws.cell(row=row, column=col).fill = grey
        for index, indicator in enumerate(indicators, start=3):
            entry = entries.get((village.pk, indicator.pk))
            cell = ws.cell(row=row, column=index, value=_display(indicator, entry.value if entry else None))
            cell.protection = Protection(locked=bool(entry and entry.is_locked))
            if entry and entry.status == LedgerStatus.APPROVED:
                cell.fill = PatternFill("solid", fgColor="E6F4EA")
    for index, indicator in enumerate(indicators, start=3):
        if not villages:
            break
        column = get_column_letter(index)
        ref = f"{column}{FIRST_DATA_ROW}:{column}{last_row}"
        if indicator.value_type == ValueType.BOOLEAN:
            rule = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
        else:
            low = indicator.min_value if indicator.min_value is not None else (0 if indicator.value_type == ValueType.PERCENT else -1e12)
            high = indicator.max_value if indicator.max_value is not None else (100 if indicator.value_type == ValueType.PERCENT else 1e12)
            kind_ = "whole" if indicator.value_type == ValueType.COUNT else "decimal"
            rule = DataValidation(type=kind_, operator="between", formula1=str(low), formula2=str(high), allow_blank=True)
        rule.error, rule.errorTitle = f"{indicator.name}：请填写有效的值", "数值无效"
        rule.showErrorMessage = True
        ws.add_data_validation(rule)
        rule.add(ref)
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=3)
    # The codes row is for the upload only: hidden. The sheet is protected, so only the white
    # (unlocked) cells take input; columns may still be widened.
    ws.row_dimensions[CODE_ROW].hidden = True
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = True
    meta = wb.create_sheet(META_SHEET)
    for row, (key, value) in enumerate([
        ("template", TEMPLATE_ID), ("version", TEMPLATE_VERSION), ("township", township.code), ("year", year),
        ("month", month), ("star", star_code), ("kind", kind), ("standard", standard.pk),
    ], start=1):
        meta.cell(row=row, column=1, value=key)
        meta.cell(row=row, column=2, value=str(value))
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@dataclass
class UploadResult:
    errors: list[dict] = field(default_factory=list)
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    title: str = ""
    star_name: str = ""
    grid_query: str = ""  # the ledger grid of this township × month × star, to check and submit

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_meta(workbook) -> dict:
    if META_SHEET not in workbook.sheetnames:
        raise ValidationError(MSG_NOT_TEMPLATE)
    meta = {str(r[0]): str(r[1]) for r in sheet_rows(workbook, META_SHEET, max_rows=50, max_columns=2)
            if len(r) > 1 and r[0]}
    if meta.get("template") != TEMPLATE_ID or "台账" not in workbook.sheetnames:
        raise ValidationError(MSG_NOT_TEMPLATE)
    return meta


def upload_apply(*, file, by) -> UploadResult:
    """Check the whole file, then write it in one transaction, or write nothing."""
    result = UploadResult()
    # The shared bounded reader: sizes and each sheet's shape are checked before cells are read.
    with open_workbook(file, max_rows=MAX_TEMPLATE_ROWS, max_columns=MAX_TEMPLATE_COLUMNS) as workbook:
        return _upload_apply(workbook, result, by)


def _upload_apply(workbook, result: UploadResult, by) -> UploadResult:
    meta = _read_meta(workbook)
    try:
        township = Region.objects.get(code=meta["township"], level="township")
        year, month = int(meta["year"]), int(meta["month"])
        standard = Standard.objects.get(pk=int(meta["standard"]))
        star_code, kind = meta["star"], meta.get("kind", "rural")
    except (KeyError, ValueError, Region.DoesNotExist, Standard.DoesNotExist):
        raise ValidationError(MSG_NOT_TEMPLATE) from None
    if not can_enter(by, township):
        raise PermissionDenied(MSG_TEMPLATE_OUT_OF_SCOPE)
    star = standard.stars.filter(code=star_code).first()
    result.star_name = star.name if star else ""
    result.title = f"{township.name} {year}年{month}月 {result.star_name}"
    result.grid_query = f"township={township.code}&year={year}&month={month}&star={star_code}&kind={kind}"
    rows = sheet_rows(workbook, "台账", min_row=CODE_ROW, max_rows=MAX_TEMPLATE_ROWS, max_columns=MAX_TEMPLATE_COLUMNS)
    if not rows:
        raise ValidationError(MSG_NOT_TEMPLATE)
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    if header[:2] != ["village_code", "village_name"]:
        raise ValidationError(MSG_NOT_TEMPLATE)
    indicators = {i.code: i for i in Indicator.objects.filter(star__standard=standard, source=Source.LEDGER)
                  .select_related("star__standard")}
    columns = []
    for index, code in enumerate(header[2:], start=3):
        if not code:
            continue
        if code not in indicators or indicators[code].star.code != star_code:
            result.errors.append({"row": CODE_ROW, "column": get_column_letter(index), "indicator": code,
                                  "reason": MSG_UNKNOWN_INDICATOR.format(code=code)})
            continue
        columns.append((index, indicators[code]))
    own = {v.code: v for v in _villages(township, kind)}
    data_rows = [(n, r) for n, r in enumerate(rows[1:], start=FIRST_DATA_ROW) if r and any(c not in (None, "") for c in r)]
    if not data_rows:
        raise ValidationError(MSG_NO_ROWS)
    codes = [str(r[0]).strip() for _, r in data_rows if r[0] is not None]
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    entries = {(e.village_id, e.indicator_id): e for e in LedgerEntry.objects.current().filter(
        village__in=list(own.values()), indicator__in=[i for _, i in columns], year=year, month=month)}
    seen: dict[str, int] = {}
    planned = []
    for row_number, row in data_rows:
        code = "" if row[0] is None else str(row[0]).strip().lstrip("'")
        if code in seen:
            result.errors.append({"row": row_number, "column": "A", "indicator": "区划代码",
                                  "reason": MSG_DUPLICATE_ROW.format(code=code, first=seen[code])})
            continue
        seen[code] = row_number
        village = own.get(code)
        if village is None:
            message = MSG_VILLAGE_OUT_OF_SCOPE if code in known else MSG_UNKNOWN_CODE
            result.errors.append({"row": row_number, "column": "A", "indicator": "区划代码",
                                  "reason": message.format(code=code)})
            continue
        for index, indicator in columns:
            raw = row[index - 1] if index - 1 < len(row) else None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            place = {"row": row_number, "column": get_column_letter(index), "indicator": indicator.name}
            try:
                value = clean_value(indicator, raw.strip() if isinstance(raw, str) else raw)
            except ValidationError as exc:
                result.errors.append({**place, "reason": "；".join(exc.messages)})
                continue
            entry = entries.get((village.pk, indicator.pk))
            if entry is not None and entry.value == value:
                result.unchanged += 1
                continue
            if entry is not None and entry.is_locked:
                result.errors.append({**place, "reason": MSG_LOCKED})
                continue
            if entry is not None and not entry.is_editable:
                result.errors.append({**place, "reason": MSG_SUBMITTED})
                continue
            planned.append((village, indicator, value, entry))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for village, indicator, value, entry in planned:
                ledger_entry_save(village=village, indicator=indicator, year=year, month=month, value=value, by=by,
                                  base_version=entry.version if entry else None, action=LedgerEvent.Action.IMPORT)
                if entry is None:
                    result.created += 1
                else:
                    result.changed += 1
    except ValidationError as exc:
        # Something changed between the check and the write (a deadline, a concurrent edit):
        # the transaction is rolled back and nothing is kept.
        result.errors.append({"row": "", "column": "", "indicator": "", "reason": "；".join(exc.messages)})
        result.created = result.changed = 0
    return result
