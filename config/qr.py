"""QR codes the portal prints for village notice boards and residents' slips (the duty roster, an
errand's satisfaction page, an award's public notice): SVG made in the process by segno, no
service outside the portal."""

from __future__ import annotations

import io

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, scale: int = 4, title: str = "二维码") -> SafeString:
    """An inline SVG of `url` (error correction M, a quiet zone of four modules)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=scale, xmldecl=False, svgns=True,
                                                 title=title, nl=False, svgclass="qr-code", lineclass=None)
    return mark_safe(out.getvalue().decode())  # noqa: S308 - segno's own markup, the url is encoded in it
