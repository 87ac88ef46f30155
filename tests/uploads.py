"""Real and malicious files for upload tests (the validator decodes images and parses PDFs,
so a few magic bytes no longer pass for a picture)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

HTML = b"<html><body><script>fetch('/api/first-secretaries/').then(r => r.text())</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><circle r="9"/></svg>'
JS = b"fetch('/api/first-secretaries/').then(function (r) { return r.text(); });"


def png_bytes(size=(8, 8)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size=(8, 8)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bomb(width: int = 7070, height: int = 7070, *, level: int = 9) -> bytes:
    """A valid RGB PNG of `width` × `height` black pixels, a few hundred KB on disk (the rows are
    compressed in blocks: no image is ever built)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + 3 * width)
    compressor = zlib.compressobj(level)
    block = row * max(1, (1 << 20) // len(row))
    rows_per_block = len(block) // len(row)
    data = []
    for _ in range(height // rows_per_block):
        data.append(compressor.compress(block))
    data.append(compressor.compress(row * (height % rows_per_block)))
    data.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(data)) + chunk(b"IEND", b"")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def good_png(name: str = "照片.png") -> SimpleUploadedFile:
    return upload(name, png_bytes(), "image/png")


def good_jpeg(name: str = "照片.jpg") -> SimpleUploadedFile:
    return upload(name, jpeg_bytes(), "image/jpeg")


def good_pdf(name: str = "会议记录.pdf") -> SimpleUploadedFile:
    return upload(name, pdf_bytes(), "application/pdf")


def bad_uploads() -> dict[str, SimpleUploadedFile]:
    """The attacks an upload point must refuse, each a fresh upload: name → file."""
    return {
        "html as jpg": upload("会议记录.jpg", b"\xff\xd8\xff\xe0" + HTML, "image/jpeg"),
        "svg as png": upload("照片.png", b"\x89PNG\r\n\x1a\n" + SVG, "image/png"),
        "js as pdf": upload("材料.pdf", b"%PDF-1.4\n" + JS, "application/pdf"),
        "html as pdf": upload("材料.pdf", b"%PDF-1.4\n" + HTML, "application/pdf"),
        "plain html": upload("会议记录.html", HTML, "text/html"),
        "svg": upload("图.svg", SVG, "image/svg+xml"),
        "jpeg polyglot": upload("照片.jpg", jpeg_bytes() + HTML, "image/jpeg"),
        "pdf polyglot": upload("材料.pdf", pdf_bytes() + HTML, "application/pdf"),
        "jpeg named html": upload("会议记录.html", jpeg_bytes(), "text/html"),
        "pdf named js": upload("材料.js", pdf_bytes(), "application/javascript"),
        "truncated png": upload("照片.png", png_bytes()[:40], "image/png"),
        "office document": upload("材料.docx", b"PK\x03\x04" + b"\x00" * 200, "application/msword"),
    }


def pdf_from_objects(objects: dict[int, bytes], *, in_object_stream: frozenset[int] = frozenset()) -> bytes:
    """A PDF 1.5 written by hand: `objects` (number → body; 1 is the catalog) in the file, those in
    `in_object_stream` inside one compressed object stream, found through a cross-reference
    stream (what pypdf and viewers read; a search of the raw bytes sees only deflated data)."""
    import struct
    import zlib

    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    entries: dict[int, tuple[int, int, int]] = {0: (0, 0, 65535)}
    stream_number = max(objects) + 1
    xref_number = stream_number + 1
    packed = sorted(in_object_stream)
    bodies, header = b"", b""
    for index, number in enumerate(packed):
        header += b"%d %d " % (number, len(bodies))
        bodies += objects[number] + b"\n"
        entries[number] = (2, stream_number, index)
    for number, body in sorted(objects.items()):
        if number in in_object_stream:
            continue
        entries[number] = (1, len(out), 0)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if packed:
        data = zlib.compress(header + bodies)
        entries[stream_number] = (1, len(out), 0)
        out += (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
                % (stream_number, len(packed), len(header), len(data)) + data + b"\nendstream\nendobj\n")
    entries[xref_number] = (1, len(out), 0)
    rows = b"".join(struct.pack(">BIH", *entries.get(n, (0, 0, 0))) for n in range(xref_number + 1))
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
            % (xref_number, xref_number + 1, len(rows)) + rows + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % entries[xref_number][1]
    return bytes(out)


def pdf_with_page(page_extra: bytes = b"", *, more: dict[int, bytes] | None = None,
                  in_object_stream: frozenset[int] = frozenset(), catalog_extra: bytes = b"") -> bytes:
    """A one-page PDF: catalog 1, pages 2, page 3 (with `page_extra` in its dictionary), and `more`."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
               2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page_extra + b">>",
               **(more or {})}
    return pdf_from_objects(objects, in_object_stream=in_object_stream)
