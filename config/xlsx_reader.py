"""Reading an uploaded Excel file without trusting its size: the one reader every import uses
(ledger upload, income import, and the go-live imports that follow).

An .xlsx is a zip: 150 KB on disk can hold millions of cells that take seconds and hundreds of
MB to unpack. So, before any cell is read,

1. the file on disk is at most `max_file_bytes`, and is a zip at all;
2. the declared uncompressed size of all its members is at most `max_uncompressed_bytes`
   (the zip's directory is read, nothing is inflated; Python's zipfile never inflates a member
   past its declared size, so the declaration bounds the work);
3. the workbook is opened read-only (streaming: rows are parsed one at a time, nothing is kept);
4. a sheet's declared dimension (`<dimension ref="A1:F30000">`) may not exceed the template's
   shape, and the part's row tags are counted while it is inflated (a regular expression over
   1 MB chunks, no XML parsing): a sheet that lies about its dimension is refused before
   openpyxl parses a row of it; while streaming, the first row past the limit stops the read.

`open_workbook` returns a `Workbook` to read sheets from with `sheet_rows`; callers `close()` it
(or use it in a `with`). Errors are Django ValidationErrors with Chinese messages.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MSG_XLSX_NOT_EXCEL = "文件不是有效的 Excel（.xlsx）文件"
MSG_XLSX_FILE_TOO_LARGE = "Excel 文件不能超过 {mb} MB"
MSG_XLSX_UNPACKED_TOO_LARGE = "Excel 文件内容过多（解压后超过 {mb} MB），超出模板范围；请只在下载的模板中填写数据"
MSG_XLSX_TOO_MANY_ROWS = "工作表“{sheet}”超出模板范围：最多 {rows} 行，请删除多余的行后重新上传"
MSG_XLSX_TOO_MANY_COLUMNS = "工作表“{sheet}”超出模板范围：最多 {columns} 列，请删除多余的列后重新上传"
MSG_XLSX_NO_SHEET = "文件中没有工作表“{sheet}”，请使用下载的模板"

MB = 1024 * 1024


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


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")
# A sheet without a <dimension> tag (Excel, WPS, LibreOffice and openpyxl always write one) makes
# openpyxl parse the whole sheet just to size it; such a sheet may only be small.
MAX_UNSIZED_SHEET_BYTES = 2 * MB
# Formatted but empty rows below the data are tolerated, a few of them (as in sheet_rows).
BLANK_ROWS_TOLERATED = 1000
CHUNK = 1 * MB


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _row_tags(data: bytes) -> int:
    # <row …> and a prefixed <x:row …>; a <rowBreaks> (one, after the data) may be counted too.
    return data.count(b"<row") + data.count(b":row ") + data.count(b":row>")


def _count_rows(part, head: bytes) -> int:
    """The number of row tags in a worksheet part, reading the rest of it after `head` in chunks
    (bytes.count, no parsing). Tags starting in a buffer's last bytes are carried over."""
    count, carry, chunk = 0, b"", head
    while chunk:
        buffer = carry + chunk
        cut = max(len(buffer) - 8, 0)
        count += _row_tags(buffer) - _row_tags(buffer[cut:])
        carry = buffer[cut:]
        chunk = part.read(CHUNK)
    return count + _row_tags(carry)


def _check_sheet_parts(archive: zipfile.ZipFile, max_rows: int, max_columns: int) -> None:
    """Step 4 before openpyxl touches a sheet: each worksheet part's declared dimension (from its
    head), then its row tags counted while it is inflated."""
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        sheet = _sheet_label(info)
        with archive.open(info) as part:
            head = part.read(64 * 1024)
            data_at = _SHEET_DATA.search(head)
            match = _DIMENSION.search(head, 0, data_at.start() if data_at else len(head))
            if match is None:
                if info.file_size > MAX_UNSIZED_SHEET_BYTES:
                    raise ValidationError(MSG_XLSX_UNPACKED_TOO_LARGE.format(mb=MAX_UNSIZED_SHEET_BYTES // MB))
            else:
                _check_dimension(match, sheet, max_rows, max_columns)
            rows = _count_rows(part, head)
        if rows > max_rows + BLANK_ROWS_TOLERATED:
            raise ValidationError(MSG_XLSX_TOO_MANY_ROWS.format(sheet=sheet, rows=max_rows))


def _sheet_label(info) -> str:
    number = "".join(ch for ch in info.filename.rsplit("/", 1)[-1] if ch.isdigit())
    return f"第{number}张" if number else "工作表"


def _check_dimension(match, sheet: str, max_rows: int, max_columns: int) -> None:
    last_column, last_row = (match.group(3), match.group(4)) if match.group(4) else (match.group(1), match.group(2))
    if last_row and int(last_row) > max_rows:
        raise ValidationError(MSG_XLSX_TOO_MANY_ROWS.format(sheet=sheet, rows=max_rows))
    if last_column and _column_number(last_column) > max_columns:
        raise ValidationError(MSG_XLSX_TOO_MANY_COLUMNS.format(sheet=sheet, columns=max_columns))


def open_workbook(file, *, max_rows: int, max_columns: int, max_file_bytes: int = 10 * MB,
                  max_uncompressed_bytes: int = 20 * MB) -> Workbook:
    """Steps 1–3 of the module docstring, and step 4's declared shape of every sheet, with
    `max_rows` × `max_columns` the largest sheet the import's template has."""
    size = getattr(file, "size", None)
    if size is None:
        try:
            file.seek(0, 2)
            size = file.tell()
        except (AttributeError, OSError):
            size = 0
    if size > max_file_bytes:
        raise ValidationError(MSG_XLSX_FILE_TOO_LARGE.format(mb=max_file_bytes // MB))
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > max_uncompressed_bytes:
                raise ValidationError(MSG_XLSX_UNPACKED_TOO_LARGE.format(mb=max_uncompressed_bytes // MB))
            _check_sheet_parts(archive, max_rows, max_columns)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError, RuntimeError):
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
