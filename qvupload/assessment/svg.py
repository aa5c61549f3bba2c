"""Small inline SVG charts for the report (no scripts, no fonts or images from the network)."""

from __future__ import annotations

from html import escape

from qvupload.localfmt import number

PALETTE = ("#2f6f9f", "#4d9a6a", "#c8891d", "#b44b4b", "#7a5ea8", "#5f7f8f", "#999999")


def bar_chart(title: str, rows: list[tuple[str, int]], *, colours: tuple[str, ...] = PALETTE, unit: str = "") -> str:
    """A horizontal bar chart: one labelled bar per row, its value at the end."""
    label_w, bar_w, row_h, top = 180, 270, 26, 8
    height = top * 2 + row_h * max(len(rows), 1)
    biggest = max((v for _, v in rows), default=0) or 1
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {label_w + bar_w + 80} {height}" '
        f'width="{label_w + bar_w + 80}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        width = 0 if value == 0 else max(2, round(bar_w * value / biggest))
        colour = colours[i % len(colours)]
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="lbl">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{width}" height="{row_h - 8}" rx="3" fill="{colour}">'
            f"<title>{escape(label)}: {value}{escape(unit)}</title></rect>"
            f'<text x="{label_w + width + 6}" y="{y + 17}" class="val">{number(value)}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
