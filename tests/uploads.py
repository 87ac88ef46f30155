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
