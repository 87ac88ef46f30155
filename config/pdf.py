"""HTML to PDF with the project's own CJK font.

The font comes with the project's dependencies (npm: @embedpdf/fonts-sc, Noto Sans SC under the
SIL Open Font License), is loaded through @font-face under a family name no host has, and is
subset and embedded by WeasyPrint: Chinese in a PDF never depends on the fonts of the machine.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FONT_FAMILY = "Portal Sans SC"
FACES = {"normal": "NotoSansHans-Regular.otf", "bold": "NotoSansHans-Bold.otf"}
MSG_NO_FONT = "找不到生成 PDF 所需的中文字体 {path}，请先运行 make install（npm ci）"


def font_face_css() -> str:
    rules = []
    for weight, name in FACES.items():
        path = settings.PDF_FONT_DIR / name
        if not path.is_file():
            raise ImproperlyConfigured(MSG_NO_FONT.format(path=path))
        rules.append(f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: normal; '
                     f'src: url("{path.as_uri()}"); }}')
    rules.append(f'html, body, svg, text {{ font-family: "{FONT_FAMILY}"; }}')
    return "\n".join(rules)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    stylesheet = CSS(string=font_face_css(), font_config=fonts)
    return HTML(string=html).write_pdf(stylesheets=[stylesheet], font_config=fonts)
