"""Measure how the shared Excel reader refuses a zip bomb: a small .xlsx holding millions of cells.

    manage.py bench_import_bomb [--cells 3000000] [--no-dimension]

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
        parser.add_argument("--dimension", choices=["true", "none", "lying"], default="true",
                            help="the sheet's <dimension> tag: declared, left out, or declaring 10 rows")

    def handle(self, *args, cells: int, dimension: str, **options):
        from config.xlsx_reader import open_workbook, sheet_rows
        from projects.income_import import HEADER_ROW, HEADERS, MAX_ROWS

        data = build_bomb(cells=cells, dimension=dimension)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
        self.stdout.write(f"bomb: {cells:,} cells, {len(data) / 1024:,.0f} KB on disk, "
                          f"{unpacked / 1024 / 1024:,.1f} MB unpacked, dimension tag: {dimension}")
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
