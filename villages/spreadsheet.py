"""The going-live imports' shared sheet: a template with data validation, and a checked read.

Every import (regions, branches, people and posts, first secretaries) is one sheet with one
header row. Its columns are declared once (`Column`): the template's headers, widths, input
rules and help come from the declaration, and so do the cell checks. Errors name the cell as
the ledger and income imports do: "第 N 行 第 X 列（列名）：原因". Nothing is written unless
every cell of the file passed.

Over 400 lines as one module on purpose: the template's input rules and the reader's cell checks
come from the same column declaration and stay side by side, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from config.excel import safe_text
from config.phones import MOBILE_RE, MSG_MOBILE
from config.xlsx_reader import MAX_CELLS, open_workbook, sheet_rows

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
EXTRA_COLUMNS = 10
# Excel's last row: data validation over it covers the whole column.
WHOLE_COLUMN_LAST_ROW = 1_048_576

MSG_NOT_EXCEL = "文件不是有效的 Excel（.xlsx）文件"
MSG_TOO_BIG = "文件不能超过 5 MB"
MSG_BAD_HEADER = "表头不符：第 1 行应依次为 {headers}，请使用下载的模板"
MSG_NO_ROWS = "文件中没有任何数据行"
MSG_TOO_MANY_ROWS = "一次最多导入 {max} 行"
MSG_REQUIRED = "请填写{header}"
MSG_TOO_LONG = "“{value}”超过 {max} 个字"
MSG_CHOICE = "“{value}”不是可选值，应为：{choices}"
MSG_INTEGER = "“{value}”不是有效的整数"
MSG_RANGE = "“{value}”应在 {low} 至 {high} 之间"
MSG_DATE = "“{value}”不是有效的日期（如 2026-01-15）"
MSG_CODE = "“{value}”有误：区划代码必须是12位数字"
MSG_PHONE = "“{value}”有误：" + MSG_MOBILE
MSG_DUPLICATE = "与第 {first} 行重复"

CODE_RE = re.compile(r"^\d{12}$")
YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text | code | int | date | phone | choice | yesno
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = 100
    low: int = 0
    high: int = 100_000
    width: int = 14
    help: str = ""
    earliest_year: int = 2000  # a date column's first accepted year (a member joined decades ago)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    instructions: tuple[str, ...] = ()

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, key: str) -> tuple[int, Column]:
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index, column
        raise KeyError(key)


@dataclass
class ImportResult:
    """What an import found or did. `errors` are dicts with row, column (letter), header and
    reason; `issued` lists the one-time passwords of a people import (shown once)."""

    errors: list[dict] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    posts_ended: int = 0
    unlisted: int = 0
    issued: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, sheet: Sheet, row: int | str, key: str | None, reason: str) -> None:
        if key is None:
            self.errors.append({"row": row, "column": "", "header": "", "reason": reason})
            return
        index, column = sheet.column(key)
        self.errors.append({"row": row, "column": get_column_letter(index + 1), "header": column.header,
                            "reason": reason})

    def messages(self) -> list[str]:
        return [f"第 {e['row']} 行 第 {e['column']} 列（{e['header']}）：{e['reason']}" if e["column"]
                else (f"第 {e['row']} 行：{e['reason']}" if e["row"] else e["reason"]) for e in self.errors]

    def sort(self) -> None:
        self.errors.sort(key=lambda e: (e["row"] if isinstance(e["row"], int) else 0, e["column"]))


# --- the template --------------------------------------------------------------------------


def template_build(sheet: Sheet, rows: list[list] | None = None, *, extra_rows: int = 1000) -> bytes:
    """The sheet's headers (bold, grey), its data validation (lists, whole numbers, dates,
    12-digit codes) over the data rows, its instructions on a second sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.name
    grey = PatternFill("solid", fgColor="EEEEEE")
    for col, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=col, value=column.header)
        cell.font, cell.fill = Font(bold=True, color="C00000" if column.required else "000000"), grey
        ws.column_dimensions[get_column_letter(col)].width = column.width
    for number, values in enumerate(rows or [], start=2):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=number, column=col, value=safe_text(value) if isinstance(value, str) else value)
            if sheet.columns[col - 1].kind in ("code", "phone"):
                cell.number_format = "@"
    last = 1 + len(rows or []) + extra_rows
    for col, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(col)
        rule = _validation(column)
        if rule is None:
            if column.kind in ("code", "phone", "text"):
                for row in range(2, min(last, 2 + len(rows or []) + 200) + 1):
                    ws.cell(row=row, column=col).number_format = "@"
            continue
        rule.errorTitle, rule.showErrorMessage = "输入无效", True
        rule.promptTitle, rule.prompt, rule.showInputMessage = column.header, column.help or rule.error, bool(column.help)
        ws.add_data_validation(rule)
        # The whole column below the header: a county with more rows than the template had
        # filled still gets its lists and checks on row 1,002 and beyond.
        rule.add(f"{letter}2:{letter}{WHOLE_COLUMN_LAST_ROW}")
    ws.freeze_panes = "A2"
    note = wb.create_sheet("填写说明")
    lines = list(sheet.instructions) + [
        "红色表头为必填列。第 1 行表头请勿修改，从第 2 行起每行填写一条。",
        "导入时整份文件逐格检查，有任何错误则全部不导入，并列出出错的行、列和原因；改正后重新上传即可。",
        "同一份文件重复导入不会重复建立数据。",
    ]
    for line, text in enumerate(lines, start=1):
        note.cell(row=line, column=1, value=text)
    for line, column in enumerate(sheet.columns, start=len(lines) + 2):
        note.cell(row=line, column=1, value=column.header)
        note.cell(row=line, column=2, value=("必填；" if column.required else "") + (column.help or ""))
    note.column_dimensions["A"].width = 24
    note.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _validation(column: Column) -> DataValidation | None:
    if column.kind in ("choice", "yesno"):
        choices = column.choices if column.kind == "choice" else (YES, NO)
        rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=not column.required)
        rule.error = "请从下拉列表中选择：" + "、".join(choices)
        return rule
    if column.kind == "int":
        rule = DataValidation(type="whole", operator="between", formula1=str(column.low), formula2=str(column.high),
                              allow_blank=not column.required)
        rule.error = f"请填写 {column.low} 至 {column.high} 之间的整数"
        return rule
    if column.kind == "date":
        first = (dt.date(column.earliest_year, 1, 1) - dt.date(1899, 12, 30)).days  # Excel's day serial
        rule = DataValidation(type="date", operator="between", formula1=str(first), formula2="73051",
                              allow_blank=not column.required)
        rule.error = "请填写日期，如 2026-01-15"
        return rule
    if column.kind == "code":
        rule = DataValidation(type="textLength", operator="equal", formula1="12", allow_blank=not column.required)
        rule.error = "区划代码为12位数字"
        return rule
    if column.kind == "phone":
        rule = DataValidation(type="textLength", operator="equal", formula1="11", allow_blank=not column.required)
        rule.error = MSG_MOBILE
        return rule
    return None


# --- reading -------------------------------------------------------------------------------


def read_rows(file, sheet: Sheet, *, max_rows: int = MAX_ROWS) -> list[tuple[int, dict]]:
    """The data rows of the upload: (row number, {column key: raw value}), blank rows left out.

    The workbook is opened read-only (streamed) and only the first MAX_ROWS + 1 rows and the
    declared columns are read (an import of a county's whole member roster allows more rows).
    Raises ValidationError for a file that is not the template.
    """
    if getattr(file, "size", 0) and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(MSG_TOO_BIG)
    width = len(sheet.columns)
    raw_rows = _open_rows(file, sheet.name, width, max_rows + 2)
    header = [str(c).strip() if c is not None else "" for c in (raw_rows[0] if raw_rows else ())][:width]
    if header != sheet.headers:
        raise ValidationError(MSG_BAD_HEADER.format(headers="、".join(sheet.headers)))
    data = []
    for number, row in enumerate(raw_rows[1:], start=2):
        row = tuple(row) + (None,) * (width - len(row))
        if any(not blank(c) for c in row[:width]):
            data.append((number, {c.key: row[i] for i, c in enumerate(sheet.columns)}))
    if not data:
        raise ValidationError(MSG_NO_ROWS)
    if len(data) > max_rows:
        raise ValidationError(MSG_TOO_MANY_ROWS.format(max=max_rows))
    return data


def _open_rows(file, sheet_name: str, width: int, limit: int) -> list[tuple]:
    """The upload's rows through the project's one bounded reader (file size, unpacked size and
    each sheet's declared shape checked before any cell is read; streamed read-only). A few
    columns beyond the template are tolerated (a user's notes column) and ignored."""
    shape = {"max_rows": limit, "max_columns": width + EXTRA_COLUMNS}
    # A file allowed more rows than the usual (a county's roster) gets the cells its rows need;
    # `sheet_rows` keeps the shape alone.
    cells = {"max_cells": max(MAX_CELLS, limit * width)}
    with open_workbook(file, **shape, **cells) as workbook:
        name = sheet_name if sheet_name in workbook.sheetnames else None
        return [tuple(row)[:width] for row in sheet_rows(workbook, name, **shape)]


# --- cell checks ---------------------------------------------------------------------------


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip().lstrip("'")


def clean_cell(column: Column, value):
    """The cell's value in Python, or ValueError with the Chinese reason. Blank → None/""."""
    if blank(value):
        if column.required:
            raise ValueError(MSG_REQUIRED.format(header=column.header))
        return None if column.kind in ("int", "date") else ("" if column.kind != "yesno" else None)
    if column.kind == "code":
        text = _text(value)
        if not CODE_RE.match(text):
            raise ValueError(MSG_CODE.format(value=text))
        return text
    if column.kind == "phone":
        text = _text(value)
        if not MOBILE_RE.match(text):
            raise ValueError(MSG_PHONE.format(value=text))
        return text
    if column.kind == "int":
        number = _integer(value)
        if number is None:
            raise ValueError(MSG_INTEGER.format(value=_text(value)))
        if not column.low <= number <= column.high:
            raise ValueError(MSG_RANGE.format(value=number, low=column.low, high=column.high))
        return number
    if column.kind == "date":
        return _date(value, column.earliest_year)
    if column.kind in ("choice", "yesno"):
        text = _text(value)
        choices = column.choices if column.kind == "choice" else (YES, NO)
        if text not in choices:
            raise ValueError(MSG_CHOICE.format(value=text, choices="、".join(choices)))
        return text == YES if column.kind == "yesno" else text
    text = _text(value)
    if len(text) > column.max_length:
        raise ValueError(MSG_TOO_LONG.format(value=text[:20] + ("…" if len(text) > 20 else ""), max=column.max_length))
    return text


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return None


def _date(value, earliest_year: int = 2000) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        day = dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        raise ValueError(MSG_DATE.format(value=_text(value))) from None
    if not earliest_year <= day.year <= 2100:
        raise ValueError(MSG_DATE.format(value=_text(value)))
    return day


def clean_rows(sheet: Sheet, data: list[tuple[int, dict]], result: ImportResult) -> list[tuple[int, dict]]:
    """Every cell of every row checked against its column; rows with an error are reported
    (each bad cell) and left out of what is returned."""
    return [(number, values) for number, values, bad in clean_rows_partial(sheet, data, result) if not bad]


def clean_rows_partial(sheet: Sheet, data: list[tuple[int, dict]], result: ImportResult
                       ) -> list[tuple[int, dict, set[str]]]:
    """Every row with its good cells cleaned, its bad ones None and named in the set (each
    reported): an import then runs its own checks on the good cells of a bad row too, so one
    upload tells every mistake of the file."""
    rows = []
    for number, raw in data:
        values, bad = {}, set()
        for column in sheet.columns:
            try:
                values[column.key] = clean_cell(column, raw.get(column.key))
            except ValueError as exc:
                result.error(sheet, number, column.key, str(exc))
                values[column.key], bad = None, bad | {column.key}
        rows.append((number, values, bad))
    return rows


def check_unique(sheet: Sheet, rows: list[tuple[int, dict]], key: str, result: ImportResult,
                 *, value=None) -> list[tuple[int, dict]]:
    """Rows whose `key` (or `value(row)`) repeats an earlier row are reported and dropped."""
    seen: dict = {}
    kept = []
    for number, values in rows:
        k = value(values) if value else values[key]
        if k in (None, ""):
            kept.append((number, values))
            continue
        if k in seen:
            result.error(sheet, number, key, MSG_DUPLICATE.format(first=seen[k]))
            continue
        seen[k] = number
        kept.append((number, values))
    return kept


def name_list(text: str, pattern: re.Pattern, message: str) -> list[tuple[str, str]]:
    """A cell listing people as "姓名（职务）、姓名（单位）": (name, the bracketed part) pairs in
    order; ValueError with `message` (formatted with the bad `part`) for a part that does not
    match `pattern` (two groups: the name and the bracketed part, which may be optional)."""
    members = []
    for part in re.split(r"[、;；\n]", text or ""):
        if not part.strip():
            continue
        match = pattern.match(part)
        if not match:
            raise ValueError(message.format(part=part.strip()))
        members.append((match.group(1).strip(), (match.group(2) or "").strip()))
    return members


def sort_record(result: ImportResult, record, wanted: dict, make, new: list, changed: list):
    """Put one row's record among the new (`make()` builds it), the changed (its fields set to
    `wanted`) or the unchanged (counted in `result`); returns the record."""
    if record is None:
        record = make()
        new.append(record)
    elif any(getattr(record, f) != v for f, v in wanted.items()):
        for f, v in wanted.items():
            setattr(record, f, v)
        changed.append(record)
    else:
        result.unchanged += 1
    return record


def upsert_with_lists(result: ImportResult, planned, *, model, fields: list[str], stored: dict, child_model,
                      parent: str, child_fields: tuple[str, str]) -> None:
    """Write an import's checked rows: records with a list of children each (a branch and its
    committee, a first secretary and the work team), in a constant number of queries.

    `planned`: (key, make, wanted, children) per row; `stored`: key → the stored record; `make`
    builds a new record from `wanted` (the fields the row sets); `children`: (a, b) pairs for
    `child_fields`. A stored record equal to its row, children included, is left alone
    (`result.unchanged`); otherwise its fields are set and its children replaced when they differ.
    Call inside the import's transaction."""
    existing: dict[int, list[tuple]] = {}
    for child in child_model.objects.filter(**{f"{parent}__in": list(stored.values())}).order_by(f"{parent}_id", "id"):
        existing.setdefault(getattr(child, f"{parent}_id"), []).append(tuple(getattr(child, f) for f in child_fields))
    new, changed, replace = [], [], []
    for key, make, wanted, children in planned:
        record = stored.get(key)
        if record is None:
            new.append((make(wanted), children))
            continue
        same = all(getattr(record, f) == v for f, v in wanted.items())
        same_children = existing.get(record.pk, []) == children
        if same and same_children:
            result.unchanged += 1
            continue
        for f, v in wanted.items():
            setattr(record, f, v)
        changed.append(record)
        if not same_children:
            replace.append((record, children))
    model.objects.bulk_create([r for r, _ in new], batch_size=500)
    model.objects.bulk_update(changed, fields, batch_size=500)
    child_model.objects.filter(**{f"{parent}__in": [r for r, _ in replace]}).delete()
    child_model.objects.bulk_create(
        [child_model(**{parent: r, child_fields[0]: a, child_fields[1]: b}) for r, members in new + replace
         for a, b in members], batch_size=1000)
    result.created, result.updated = len(new), len(changed)
