"""Serving stored files: the only way a file under MEDIA_ROOT reaches a browser.

Nothing under the media folder is reachable by its path (no `/media/` route in any
environment). Each record that owns a file has a download view that loads the record through
the same scope and role checks as its page (404 outside the scope) and then answers with
`file_response`, which

- sends the file inline only when it is a verified image or PDF (stored under a name that
  `config.uploads` generated after checking its content); anything else, including files
  stored before that check existed, goes as a download (`attachment`, octet-stream);
- adds `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy, so even a
  file that slipped through cannot run a script on the portal's origin;
- streams the file from Django on the embedded default, or hands it to the front server with
  `X-Accel-Redirect` when `MEDIA_ACCEL_REDIRECT` names the front server's internal location
  (docker-compose's nginx: `/protected-media/`), so gunicorn workers are not tied up.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse

from config.uploads import GENERATED_NAME

FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
INLINE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


def _disposition(kind: str, filename: str) -> str:
    ascii_name = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in filename) or "file"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def file_headers(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def file_response(field_file, *, filename: str = "", as_attachment: bool = False) -> HttpResponse:
    """Answer with a stored file (the caller has checked scope and role). `filename` is what the
    user's browser saves it as; the extension of the stored, verified kind is kept."""
    if not field_file or not field_file.name:
        raise Http404
    stored = field_file.name
    match = GENERATED_NAME.search(stored)
    if match:
        extension = match.group(1)
        content_type = INLINE_TYPES[extension]
        disposition = "attachment" if as_attachment else "inline"
    else:
        # Not verified by content (an older file, or an export we generated ourselves).
        extension = stored.rsplit(".", 1)[-1].lower() if "." in stored else ""
        content_type = "application/octet-stream"
        disposition = "attachment"
    base = (filename or "").rsplit("/", 1)[-1].strip()
    if extension:
        stem = base.rsplit(".", 1)[0] if "." in base else base
        base = f"{stem or 'file'}.{extension}"
    base = base or stored.rsplit("/", 1)[-1]
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel:
        if not field_file.storage.exists(stored):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(stored)
    else:
        try:
            handle = field_file.storage.open(stored, "rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = _disposition(disposition, base)
    return file_headers(response)
