"""Measure how the shared Excel reader refuses a zip bomb: a small .xlsx holding millions of cells.

    manage.py bench_import_bomb [--cells 3000000] [--dimension none|lying]
    manage.py bench_import_bomb --shape wide|tall|sheets|strings

The shapes: one row of 5.2 million empty cells; 1.3 million one-cell rows; 3,000 sheets;
750,000 shared strings (each file some tens of KB, just under the unpacked-size limit).

Prints the file's size on disk and unpacked, the time to refusal and the peak memory the
refusal allocated (tracemalloc) and the process's resident-size growth. The figures are
recorded in docs/performance.md; no test asserts a time.
"""

from __future__ import annotations

import io
import resource
import time
import tracemalloc
import zipfile

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from openpyxl import Workbook


def build_bomb(*, cells: int, columns: int = 10, dimension: str = "true") -> bytes:
    """An income-import-shaped workbook whose first sheet is replaced by `cells` numeric cells.
    Rows and cells carry no `r` attribute (valid, and it makes them compress ~1000:1).
    `dimension`: "true" (declared), "none" (no tag), "lying" (declares A1:J10)."""
    template = io.BytesIO()
    book = Workbook()
    book.active.title = "收入"
    book.save(template)
    template.seek(0)
    rows = max(1, cells // columns)
    letters = [chr(ord("A") + i) for i in range(columns)]
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item, source.read(item.filename))
                continue
            with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8"?>'
                            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
                if dimension != "none":
                    declared = 10 if dimension == "lying" else rows
                    sheet.write(f'<dimension ref="A1:{letters[-1]}{declared}"/>'.encode())
                sheet.write(b"<sheetData>")
                row = b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>"
                for _ in range(rows):
                    sheet.write(row)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


SHAPES = ("wide", "tall", "sheets", "strings")
_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook_parts(strings: bytes = "<si><t>区划代码</t></si>".encode()) -> dict[str, bytes]:
    """The parts of a one-sheet workbook with a shared-string table holding `strings` (openpyxl
    writes inline strings; Excel and WPS write such a table), its first cell the first string."""
    out = io.BytesIO()
    book = Workbook()
    book.active.title = "收入"
    book.active["A1"] = 1
    book.save(out)
    with zipfile.ZipFile(out) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/sharedStrings.xml"] = b'<sst xmlns="' + _MAIN + b'">' + strings + b"</sst>"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b'<c r="A1" t="n"><v>1</v></c>', b'<c r="A1" t="s"><v>0</v></c>')
    return parts


def zip_parts(parts: dict[str, bytes], *, compresslevel: int = 9) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _sheet(rows: bytes) -> bytes:
    # The dimension declares one cell, as a bomb would: a reader that trusts it reads on.
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + _MAIN + b'"><dimension ref="A1"/>'
            b"<sheetData>" + rows + b"</sheetData></worksheet>")


def build_shape_bomb(shape: str, *, compresslevel: int = 9) -> bytes:
    """A workbook of one of the `SHAPES` (module docstring), each under 20 MiB unpacked (tests
    build them at level 1: four times larger on disk, three times faster to make)."""
    parts = workbook_parts()
    streamed: dict[str, tuple[bytes, bytes, int, bytes]] = {}  # name: head, repeated unit, count, tail
    if shape == "wide":
        streamed["xl/worksheets/sheet1.xml"] = (_sheet(b"")[:-24] + b'<row r="1">', b"<c/>", 5_200_000,
                                                b"</row></sheetData></worksheet>")
    elif shape == "tall":
        streamed["xl/worksheets/sheet1.xml"] = (_sheet(b"")[:-24], b"<row><c/></row>", 1_300_000,
                                                b"</sheetData></worksheet>")
    elif shape == "strings":
        del parts["xl/sharedStrings.xml"]
        streamed["xl/sharedStrings.xml"] = (b'<sst xmlns="' + _MAIN + b'">', b"<si><t>0123456789</t></si>", 750_000,
                                            b"</sst>")
    elif shape == "sheets":
        count = 3000
        sheet = _sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>')
        names = [f"xl/worksheets/sheet{n}.xml" for n in range(1, count + 1)]
        parts.update({name: sheet for name in names})
        parts["xl/workbook.xml"] = (b'<workbook xmlns="' + _MAIN + b'" xmlns:r="' + _RELATIONSHIPS + b'"><sheets>'
                                    + b"".join(f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>'.encode()
                                               for n in range(1, count + 1)) + b"</sheets></workbook>")
        parts["xl/_rels/workbook.xml.rels"] = (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + b"".join(f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml" Type="{_RELATIONSHIPS.decode()}'
                       f'/worksheet"/>'.encode() for n in range(1, count + 1))
            + b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="' + _RELATIONSHIPS
            + b'/sharedStrings"/><Relationship Id="rIdT" Target="styles.xml" Type="' + _RELATIONSHIPS
            + b'/styles"/></Relationships>')
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", b"".join(
            f'<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-officedocument.'
            f'spreadsheetml.worksheet+xml"/>'.encode() for name in names[1:]) + b"</Types>")
    else:
        raise ValueError(shape)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as bomb:
        for name, data in parts.items():
            if name not in streamed:
                bomb.writestr(name, data)
        for name, (head, unit, count, tail) in streamed.items():
            with bomb.open(name, "w", force_zip64=True) as part:
                part.write(head)
                block = unit * 10_000
                for _ in range(count // 10_000):
                    part.write(block)
                part.write(tail)
    return out.getvalue()


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class Command(BaseCommand):
    help = "Time and memory of refusing a zip-bomb .xlsx through the shared reader (ledger and income imports)."

    def add_arguments(self, parser):
        parser.add_argument("--cells", type=int, default=3_000_000)
        parser.add_argument("--shape", choices=SHAPES, help="one of the bombs of build_shape_bomb instead")
        parser.add_argument("--dimension", choices=["true", "none", "lying"], default="true",
                            help="the sheet's <dimension> tag: declared, left out, or declaring 10 rows")

    def handle(self, *args, cells: int, dimension: str, shape: str | None, **options):
        from config.xlsx_reader import open_workbook, sheet_rows
        from projects.income_import import HEADER_ROW, HEADERS, MAX_ROWS

        data = build_shape_bomb(shape) if shape else build_bomb(cells=cells, dimension=dimension)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
        what = f"shape {shape}" if shape else f"{cells:,} cells, dimension tag: {dimension}"
        self.stdout.write(f"bomb: {what}, {len(data) / 1024:,.0f} KB on disk, {unpacked / 1024 / 1024:,.1f} MB unpacked")
        rss_before = _rss_kb()
        tracemalloc.start()
        started = time.perf_counter()
        try:
            shape = {"max_rows": HEADER_ROW + MAX_ROWS, "max_columns": len(HEADERS) + 10}
            with open_workbook(io.BytesIO(data), **shape) as workbook:
                sheet_rows(workbook, None, **shape)
            outcome = "ACCEPTED (bad)"
        except ValidationError as exc:
            outcome = f"refused: {exc.messages[0]}"
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(f"{outcome}\ntime to refusal: {elapsed * 1000:,.0f} ms; "
                          f"peak allocated: {peak / 1024 / 1024:,.1f} MB; RSS growth: {(_rss_kb() - rss_before) / 1024:,.1f} MB")
