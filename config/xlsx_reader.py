"""Reading an uploaded Excel file without trusting its size: the one reader every import uses
(ledger upload, income import, region, branch, first-secretary and people imports, and any
import added later: call `open_workbook` and `sheet_rows`, never openpyxl's `load_workbook`).

An .xlsx is a zip of XML: 30 KB on disk can hold millions of cells that take a worker tens of
seconds and gigabytes to materialise. So, before openpyxl reads anything,

1. the file on disk is at most `max_file_bytes`, is a zip, and holds at most `MAX_PARTS` members;
2. the declared uncompressed size of all its members is at most `max_uncompressed_bytes`
   (the zip's directory is read, nothing is inflated; Python's zipfile never inflates a member
   past its declared size, so the declaration bounds the work);
3. every XML part is streamed (256 KB chunks, no tree is built, nothing is kept) and counted
   against the template's shape: a worksheet's first row wider than `max_columns` or row past
   `max_rows` (and a few blank ones), a workbook of more than `max_cells` cells or `MAX_SHEETS`
   sheets, a shared-string table with more strings than cells or a string longer than Excel
   allows, parts with more tags than such cells need, or a DTD, are refused at the first
   element past the limit (worksheets through expat; tags and shared strings are counted on the
   bytes, at C speed), so a bomb costs what the template's size costs;
4. the workbook is then opened read-only (streaming: rows are parsed one at a time), and
   `sheet_rows` checks the shape again while it reads.

`open_workbook` returns a `Workbook` to read sheets from with `sheet_rows`; callers `close()` it
(or use it in a `with`). Errors are Django ValidationErrors with Chinese messages.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MSG_XLSX_NOT_EXCEL = "文件不是有效的 Excel（.xlsx）文件"
MSG_XLSX_FILE_TOO_LARGE = "Excel 文件不能超过 {mb} MB"
MSG_XLSX_UNPACKED_TOO_LARGE = "Excel 文件内容过多（解压后超过 {mb} MB），超出模板范围；请只在下载的模板中填写数据"
MSG_XLSX_TOO_MANY_ROWS = "工作表“{sheet}”超出模板范围：最多 {rows} 行，请删除多余的行后重新上传"
MSG_XLSX_TOO_MANY_COLUMNS = "工作表“{sheet}”超出模板范围：最多 {columns} 列，请删除多余的列后重新上传"
MSG_XLSX_TOO_MANY_CELLS = "Excel 文件超出模板范围：单元格超过 {cells} 个，请只在下载的模板中填写数据"
MSG_XLSX_TOO_MANY_SHEETS = "Excel 文件超出模板范围：工作表超过 {sheets} 张，请使用下载的模板"
MSG_XLSX_TOO_MANY_PARTS = "Excel 文件内容过多，超出模板范围；请只在下载的模板中填写数据"
MSG_XLSX_TEXT_TOO_LONG = "Excel 文件超出模板范围：单元格文字超过 {chars} 个字符"
MSG_XLSX_NO_SHEET = "文件中没有工作表“{sheet}”，请使用下载的模板"

MB = 1024 * 1024
# One ceiling for every import: the largest template filled in (20,000 income rows of 6 cells,
# 5,000 people of 12) stays below it; streaming 150,000 cells costs about half a second.
MAX_CELLS = 150_000
# The templates have one or two sheets; a user may add a few of notes.
MAX_SHEETS = 10
# Members of the zip: a workbook saved by Excel or WPS with a few pictures has a few dozen.
MAX_PARTS = 500
# Tags (each "<") of all parts together, beyond those of the cells (a cell with a formula or an
# inline string has six): styles, themes and relationships of a real workbook have some thousands.
TAGS_PER_CELL, TAGS_BESIDES_CELLS = 6, 200_000
# Excel's own limit of a cell's text, and the bytes such a text may take with its formatting runs.
MAX_TEXT_CHARS = 32_767
MAX_STRING_BYTES = 4 * MAX_TEXT_CHARS
# Formatted but empty rows below the data are tolerated, a few of them (as in sheet_rows).
BLANK_ROWS_TOLERATED = 1000
CHUNK = 256 * 1024


@dataclass
class Workbook:
    book: object  # openpyxl's read-only workbook

    @property
    def sheetnames(self) -> list[str]:
        return list(self.book.sheetnames)

    def close(self) -> None:
        self.book.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_CELL_REFERENCE = re.compile(r"([A-Z]{1,3})?(\d+)?")
_RANGE = re.compile(r"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?$")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _sheet_label(name: str) -> str:
    number = "".join(ch for ch in name.rsplit("/", 1)[-1] if ch.isdigit())
    return f"第{number}张" if number else "工作表"


class _Budget:
    """What the whole workbook may hold, counted across its parts while they stream."""

    def __init__(self, *, max_rows: int, max_columns: int, max_cells: int):
        self.max_rows, self.max_columns, self.max_cells = max_rows, max_columns, max_cells
        self.cells = 0
        self.tag_count = 0
        self.max_tags = TAGS_PER_CELL * max_cells + TAGS_BESIDES_CELLS

    def tags(self, count: int) -> None:
        self.tag_count += count
        if self.tag_count > self.max_tags:
            raise ValidationError(MSG_XLSX_TOO_MANY_PARTS)

    def cell(self) -> None:
        self.cells += 1
        if self.cells > self.max_cells:
            raise ValidationError(MSG_XLSX_TOO_MANY_CELLS.format(cells=self.max_cells))


class _SheetScan:
    """A worksheet part's rows and cells, counted as expat streams them."""

    def __init__(self, budget: _Budget, sheet: str):
        self.budget, self.sheet = budget, sheet
        self.row_limit = budget.max_rows + BLANK_ROWS_TOLERATED
        self.rows = 0
        self.column = 0  # the last cell's column in the current row
        self.in_row = 0  # the current row's cells, however they are numbered

    def start(self, name: str, attrs: dict) -> None:
        local = name.rpartition(" ")[2]
        if local == "c":
            self.budget.cell()
            reference = attrs.get("r")
            letters = _CELL_REFERENCE.match(reference).group(1) if reference else None
            self.column = _column_number(letters) if letters else self.column + 1
            self.in_row += 1
            if self.column > self.budget.max_columns or self.in_row > self.budget.max_columns:
                self.too_wide()
        elif local == "row":
            self.rows += 1
            self.column = self.in_row = 0
            number = attrs.get("r", "")
            if self.rows > self.row_limit or (number.isdigit() and int(number) > self.row_limit):
                raise ValidationError(MSG_XLSX_TOO_MANY_ROWS.format(sheet=self.sheet, rows=self.budget.max_rows))
        elif local == "dimension":
            self.dimension(attrs.get("ref", ""))

    def dimension(self, ref: str) -> None:
        match = _RANGE.match(ref)
        if match is None:
            return
        last_column, last_row = (match.group(3), match.group(4)) if match.group(4) else (match.group(1), match.group(2))
        if last_row and int(last_row) > self.budget.max_rows:
            raise ValidationError(MSG_XLSX_TOO_MANY_ROWS.format(sheet=self.sheet, rows=self.budget.max_rows))
        if last_column and _column_number(last_column) > self.budget.max_columns:
            self.too_wide()

    def too_wide(self) -> None:
        raise ValidationError(MSG_XLSX_TOO_MANY_COLUMNS.format(sheet=self.sheet, columns=self.budget.max_columns))


class _WorkbookScan:
    """The workbook part: its list of sheets."""

    def __init__(self):
        self.sheets = 0

    def start(self, name: str, attrs: dict) -> None:
        if name.rpartition(" ")[2] == "sheet":
            self.sheets += 1
            if self.sheets > MAX_SHEETS:
                raise ValidationError(MSG_XLSX_TOO_MANY_SHEETS.format(sheets=MAX_SHEETS))


def _refuse_doctype(*args) -> None:
    # No part of a real workbook declares a DTD; entities are how XML bombs expand.
    raise ValidationError(MSG_XLSX_NOT_EXCEL)


def _stream(part, start, budget: _Budget) -> None:
    """Feed a part to expat chunk by chunk; each chunk's tags are counted (at C speed) before it
    is parsed, so a part with more elements than the budget stops before expat works on it."""
    parser = expat.ParserCreate(namespace_separator=" ")
    if start is not None:
        parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    while chunk := part.read(CHUNK):
        budget.tags(chunk.count(b"<"))
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


# A shared string's opening tag, prefixed or not. The table is only counted (bytes, no parsing):
# it is the one part whose elements can all be legitimate and still number hundreds of thousands.
_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?si[\s/>]")
_TAG_REACH = 48


def _check_strings(part, budget: _Budget) -> None:
    """The shared-string table: no more strings than the workbook may have cells, none longer
    than Excel allows (judged by the bytes from one string's tag to the next), no DTD."""
    strings, offset, last, pending = 0, 0, 0, b""
    while True:
        chunk = part.read(CHUNK)
        if offset == 0 and (b"<!DOCTYPE" in chunk[:4096] or b"<!ENTITY" in chunk[:4096]):
            _refuse_doctype()
        buffer = pending + chunk
        # A tag starting in the last bytes is counted with the next chunk, unless this is the end.
        end = max(len(buffer) - _TAG_REACH, 0) if chunk else len(buffer)
        for match in _STRING_TAG.finditer(buffer):
            if match.start() >= end:
                break
            strings += 1
            if offset + match.start() - last > MAX_STRING_BYTES:
                raise ValidationError(MSG_XLSX_TEXT_TOO_LONG.format(chars=MAX_TEXT_CHARS))
            last = offset + match.start()
        if strings > budget.max_cells:
            raise ValidationError(MSG_XLSX_TOO_MANY_CELLS.format(cells=budget.max_cells))
        pending, offset = buffer[end:], offset + end
        if not chunk:
            break
    if offset - last > MAX_STRING_BYTES:
        raise ValidationError(MSG_XLSX_TEXT_TOO_LONG.format(chars=MAX_TEXT_CHARS))


def _is_worksheet(info: zipfile.ZipInfo) -> bool:
    return info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")


def _check_parts(archive: zipfile.ZipFile, budget: _Budget) -> None:
    """Step 3: every XML part streamed and counted (module docstring)."""
    for info in archive.infolist():
        name = info.filename
        if not name.endswith((".xml", ".rels")):
            continue  # pictures and other binary parts: openpyxl's read-only mode never opens them
        with archive.open(info) as part:
            if name.endswith("sharedStrings.xml"):
                _check_strings(part, budget)
            elif _is_worksheet(info):
                _stream(part, _SheetScan(budget, _sheet_label(name)).start, budget)
            elif name == "xl/workbook.xml":
                _stream(part, _WorkbookScan().start, budget)
            else:
                _stream(part, None, budget)


def open_workbook(file, *, max_rows: int, max_columns: int, max_cells: int = MAX_CELLS,
                  max_file_bytes: int = 10 * MB, max_uncompressed_bytes: int = 20 * MB) -> Workbook:
    """Steps 1–4 of the module docstring, with `max_rows` × `max_columns` the largest sheet the
    import's template has and `max_cells` the most cells its whole workbook may hold."""
    size = getattr(file, "size", None)
    if size is None:
        try:
            file.seek(0, 2)
            size = file.tell()
        except (AttributeError, OSError):
            size = 0
    if size > max_file_bytes:
        raise ValidationError(MSG_XLSX_FILE_TOO_LARGE.format(mb=max_file_bytes // MB))
    budget = _Budget(max_rows=max_rows, max_columns=max_columns, max_cells=min(max_cells, max_rows * max_columns))
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if sum(1 for info in members if _is_worksheet(info)) > MAX_SHEETS:
                raise ValidationError(MSG_XLSX_TOO_MANY_SHEETS.format(sheets=MAX_SHEETS))
            if len(members) > MAX_PARTS:
                raise ValidationError(MSG_XLSX_TOO_MANY_PARTS)
            unpacked = sum(info.file_size for info in members)
            if unpacked > max_uncompressed_bytes:
                raise ValidationError(MSG_XLSX_UNPACKED_TOO_LARGE.format(mb=max_uncompressed_bytes // MB))
            _check_parts(archive, budget)
    except (zipfile.BadZipFile, expat.ExpatError, OSError, ValueError, EOFError, KeyError, NotImplementedError,
            RuntimeError):
        raise ValidationError(MSG_XLSX_NOT_EXCEL) from None
    try:
        file.seek(0)
        book = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, EOFError):
        raise ValidationError(MSG_XLSX_NOT_EXCEL) from None
    except Exception:  # a malformed part of the package (openpyxl raises many kinds)
        raise ValidationError(MSG_XLSX_NOT_EXCEL) from None
    return Workbook(book)


def _declared_shape(sheet) -> tuple[int, int]:
    """The sheet's declared last row and column (0 when it declares none)."""
    try:
        return int(sheet.max_row or 0), int(sheet.max_column or 0)
    except (TypeError, ValueError):
        return 0, 0


def sheet_rows(workbook: Workbook, sheet_name: str | None = None, *, max_rows: int, max_columns: int,
               min_row: int = 1) -> list[tuple]:
    """The values of a sheet's rows `min_row`…, at most `max_rows` rows (counted from row 1) and
    `max_columns` columns; refused when the sheet is larger than that (step 4)."""
    book = workbook.book
    if sheet_name is None:
        sheet = book.worksheets[0]
    elif sheet_name in book.sheetnames:
        sheet = book[sheet_name]
    else:
        raise ValidationError(MSG_XLSX_NO_SHEET.format(sheet=sheet_name))
    title = sheet.title
    declared_rows, declared_columns = _declared_shape(sheet)
    if declared_rows > max_rows:
        raise ValidationError(MSG_XLSX_TOO_MANY_ROWS.format(sheet=title, rows=max_rows))
    if declared_columns > max_columns:
        raise ValidationError(MSG_XLSX_TOO_MANY_COLUMNS.format(sheet=title, columns=max_columns))
    # Stream to the sheet's real end, not to the declared one: a dimension that declares fewer
    # rows than the sheet holds would make openpyxl drop the rest silently.
    sheet.reset_dimensions()
    rows: list[tuple] = []
    blank_beyond = 0
    try:
        for row in sheet.iter_rows(min_row=min_row, max_col=max_columns):
            number = next((c.row for c in row if getattr(c, "row", None)), None) or (min_row + len(rows) + blank_beyond)
            if number > max_rows:
                # Formatted but empty rows below the data are tolerated, a few of them.
                blank_beyond += 1
                if blank_beyond > 1000 or any(c.value not in (None, "") for c in row):
                    raise ValidationError(MSG_XLSX_TOO_MANY_ROWS.format(sheet=title, rows=max_rows))
                continue
            if len(rows) >= max_rows:
                raise ValidationError(MSG_XLSX_TOO_MANY_ROWS.format(sheet=title, rows=max_rows))
            rows.append(tuple(getattr(c, "value", None) for c in row))
    except ValidationError:
        raise
    except Exception:  # a malformed sheet part
        raise ValidationError(MSG_XLSX_NOT_EXCEL) from None
    return rows
