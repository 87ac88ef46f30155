"""The one upload validator of the project: every uploaded file goes through `upload_verify`.

Five upload points use it (ledger evidence, meeting attachments and posting photos, sign-in
photos, task and problem evidence, and whatever comes next). A file is accepted only when

1. it is not empty and not larger than `PORTAL["EVIDENCE_MAX_BYTES"]`;
2. its content is one of the accepted kinds (JPEG, PNG, PDF), read from its bytes, never from
   its name or the browser's Content-Type;
3. the uploader's file name ends in an extension of that kind (a JPEG named `.html` is refused);
4. it holds no markup a browser could run (HTML, SVG, script): no polyglots;
5. a library can read the whole of it. An image's header is read first (Pillow's parser of its
   one verified format only): more pixels than a phone photo (`MAX_PIXELS`), more memory to
   decode than `DECODE_MAX_BYTES`, or a JPEG of more scans than any camera writes is refused
   before a pixel is decoded; then Pillow decodes it completely and re-encodes it (what is
   stored is the re-encoded image, so nothing hidden after or inside it survives). A PDF must
   parse with pypdf, have at least one page and carry no active content (config/pdf_check.py).

The file is then stored under a generated name with the extension of the verified kind.

Office documents (Word, Excel, WPS) are refused on purpose: they can carry macros and
embedded objects that no library here can verify, and the campaign's evidence is photos and
scanned or exported PDFs. The message tells the user to save the document as PDF.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

MSG_UPLOAD_TYPE = "只能上传 JPG、PNG 图片或 PDF 文件（按文件内容识别；Word、Excel 等文档请另存为 PDF 后上传）"
MSG_UPLOAD_IMAGE_TYPE = "只能上传 JPG 或 PNG 图片（按文件内容识别）"
MSG_UPLOAD_SIZE = "文件不能超过 {mb} MB"
MSG_UPLOAD_EMPTY = "文件是空的，请重新选择"
MSG_UPLOAD_EXTENSION = "文件扩展名与内容不符：内容是 {kind}，文件名应以 {extensions} 结尾"
MSG_UPLOAD_BROKEN = "文件已损坏或不是完整的 {kind}，请重新拍照或导出后上传"
MSG_UPLOAD_ACTIVE = "文件中含有网页或脚本代码，不能上传"
MSG_UPLOAD_PIXELS = "图片尺寸过大（超过 {megapixels} 百万像素），请缩小后上传"
MSG_UPLOAD_DECODE = "图片尺寸过大（打开需要超过 {mb} MB 内存），请缩小或另存为 JPG 图片后上传"

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
DOCUMENT_KINDS = frozenset({JPEG, PNG, PDF})
IMAGE_KINDS = frozenset({JPEG, PNG})
# The stored extension of each kind, and the extensions an uploader's name may end in.
EXTENSION = {JPEG: "jpg", PNG: "png", PDF: "pdf"}
NAME_EXTENSIONS = {JPEG: (".jpg", ".jpeg"), PNG: (".png",), PDF: (".pdf",)}
LABEL = {JPEG: "JPG 图片", PNG: "PNG 图片", PDF: "PDF 文件"}
# A stored name the validator generated: 32 hex digits and a verified kind's extension.
GENERATED_NAME = re.compile(r"(?:^|/)[0-9a-f]{32}\.(jpg|png|pdf)$")
# A phone's photo is 12 MP (48 MP sensors save 12 MP by default); 24 MP leaves room for a
# scanner or a camera.
MAX_PIXELS = 24_000_000
# Decoding takes up to 4 bytes a pixel (Pillow keeps RGB as RGBX), and the upright copy of a
# rotated photo as much again. A JPEG larger than this is decoded at 1/2, 1/4 or 1/8 scale
# (libjpeg scales while decoding, the full image never exists); a PNG larger is refused.
DECODE_MAX_BYTES = 64 * 1024 * 1024
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}
# A progressive JPEG has about ten scans; each scan is a pass over the whole image, so a file of
# thousands of tiny scans costs minutes to decode.
MAX_JPEG_SCANS = 100

# What a browser would run if it ever took the bytes for a page: tags and script URLs. Random
# image data contains one of these by chance with a probability far below one in a million.
# Only tags of five or more characters: a 10 MB photo would hold short ones (`<a `) by chance.
_MARKUP = re.compile(rb"<\s*(script|html|iframe|body|object|embed|svg[\s>/])|<!doctype|<\?xml-stylesheet|javascript:",
                     re.IGNORECASE)
_PDF_SCRIPT = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")


@dataclass(frozen=True)
class VerifiedFile:
    content: ContentFile  # what to store; its name is generated
    mime: str
    original_name: str
    size: int


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def _reencode_image(data: bytes, mime: str) -> bytes:
    """1. Read the header and refuse what would cost too much to decode (module docstring);
    2. decode the whole image and write it again: metadata, trailers and anything hidden in it
    are dropped; orientation from EXIF is applied so phone photos stay upright."""
    import warnings

    from PIL import Image, ImageOps

    expected = "JPEG" if mime == JPEG else "PNG"
    if mime == JPEG and data.count(b"\xff\xda") > MAX_JPEG_SCANS:  # SOS markers (0xFF is escaped in data)
        raise ValidationError(MSG_UPLOAD_BROKEN.format(kind=LABEL[mime]))
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns past its limit and raises past twice that: both are ours to word.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[expected])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(MSG_UPLOAD_PIXELS.format(megapixels=MAX_PIXELS // 1_000_000)) from None
    except Exception as exc:  # Pillow raises many kinds (OSError, SyntaxError, UnidentifiedImageError…)
        raise ValidationError(MSG_UPLOAD_BROKEN.format(kind=LABEL[mime])) from exc
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ValidationError(MSG_UPLOAD_PIXELS.format(megapixels=MAX_PIXELS // 1_000_000))
        _fit_decode_in_memory(image)
        try:
            image.load()
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if mime == JPEG:
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                image.save(out, "JPEG", quality=90)
            else:
                image.save(out, "PNG")
        except Exception as exc:  # a broken or truncated image
            raise ValidationError(MSG_UPLOAD_BROKEN.format(kind=LABEL[mime])) from exc
    return out.getvalue()


def _decode_bytes(image) -> int:
    width, height = image.size
    return width * height * _BYTES_PER_PIXEL.get(image.mode, 4)


def _fit_decode_in_memory(image) -> None:
    """Keep the decode under `DECODE_MAX_BYTES`: a JPEG is set to decode at the smallest scale
    (1/2, 1/4, 1/8) that fits; anything that still does not fit is refused."""
    if _decode_bytes(image) <= DECODE_MAX_BYTES:
        return
    if image.format == "JPEG":
        width, height = image.size
        scale = 2
        while scale < 8 and _decode_bytes(image) // (scale * scale) > DECODE_MAX_BYTES:
            scale *= 2
        image.draft(image.mode, (width // scale, height // scale))
    if _decode_bytes(image) > DECODE_MAX_BYTES:
        raise ValidationError(MSG_UPLOAD_DECODE.format(mb=DECODE_MAX_BYTES // (1024 * 1024)))


def _check_pdf(data: bytes) -> None:
    from .pdf_check import pdf_check

    if _PDF_SCRIPT.search(data):  # the plain cases, before parsing
        raise ValidationError(MSG_UPLOAD_ACTIVE)
    pdf_check(data, active_message=MSG_UPLOAD_ACTIVE, broken_message=MSG_UPLOAD_BROKEN.format(kind=LABEL[PDF]))


def generated_name(mime: str) -> str:
    return f"{uuid.uuid4().hex}.{EXTENSION[mime]}"


def upload_verify(upload, *, kinds: frozenset[str] = DOCUMENT_KINDS) -> VerifiedFile:
    """Check an uploaded file (steps in the module docstring); raise ValidationError with a
    Chinese message, or return what to store under a generated name."""
    limit = settings.PORTAL["EVIDENCE_MAX_BYTES"]
    wrong_type = MSG_UPLOAD_IMAGE_TYPE if kinds <= IMAGE_KINDS else MSG_UPLOAD_TYPE
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(MSG_UPLOAD_SIZE.format(mb=limit // (1024 * 1024)))
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError(MSG_UPLOAD_SIZE.format(mb=limit // (1024 * 1024)))
    if not data:
        raise ValidationError(MSG_UPLOAD_EMPTY)
    mime = _sniff(data[:16])
    if mime is None or mime not in kinds:
        raise ValidationError(wrong_type)
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    if not name.lower().endswith(NAME_EXTENSIONS[mime]):
        raise ValidationError(MSG_UPLOAD_EXTENSION.format(kind=LABEL[mime], extensions="、".join(NAME_EXTENSIONS[mime])))
    if _MARKUP.search(data):
        raise ValidationError(MSG_UPLOAD_ACTIVE)
    if mime == PDF:
        _check_pdf(data)
        stored = data
    else:
        stored = _reencode_image(data, mime)
    return VerifiedFile(content=ContentFile(stored, name=generated_name(mime)), mime=mime,
                        original_name=name[:200], size=len(stored))
