"""A tiny server-side bar chart as inline SVG, so the PDF needs no browser to draw charts."""

from __future__ import annotations

from xml.sax.saxutils import escape

from config.pdf import FONT_FAMILY


def bar_chart_svg(labels: list[str], values: list[float], *, width: int = 520, height: int = 220,
                  colour: str = "#c8102e") -> str:
    top, bottom, left = 20, 36, 36
    plot_h = height - top - bottom
    n = max(len(values), 1)
    slot = (width - left - 10) / n
    peak = max([v for v in values] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}" font-size="12">',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#666"/>']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / peak
        x = left + i * slot + slot * 0.15
        y = top + plot_h - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{colour}"/>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle">{value:g}</text>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
                     f'{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
