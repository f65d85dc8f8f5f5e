"""Hand-written inline SVG charts for the HTML report (no plotting library needed)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from eval.metrics import percentile

FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def bar_chart(rows: Sequence[tuple[str, float, str]], title: str, *, vmax: float = 1.0,
              markers: Sequence[float | None] | None = None, width: int = 640) -> str:
    """Horizontal bars, one per (label, value, colour); an optional tick per row marks an
    earlier value (the baseline). Values are clipped to [0, vmax]."""
    label_w, row_h, top = 210, 16, 24
    plot_w = width - label_w - 50
    height = top + row_h * len(rows) + 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(title)}" {FONT}>',
             f'<text x="0" y="14" font-weight="bold" font-size="13">{escape(title)}</text>']
    for i, (label, value, colour) in enumerate(rows):
        y = top + i * row_h
        w = max(0.0, min(value, vmax)) / vmax * plot_w
        parts.append(f'<text x="{label_w - 6}" y="{y + 11}" text-anchor="end">'
                     f'{escape(label[:34])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 4}" '
                     f'fill="{colour}"><title>{escape(label)}: {value:.2f}</title></rect>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 11}">{value:.2f}</text>')
        before = markers[i] if markers else None
        if before is not None:
            x = label_w + max(0.0, min(before, vmax)) / vmax * plot_w
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + row_h - 1}" '
                         f'stroke="#222" stroke-width="2"><title>baseline {before:.2f}'
                         f'</title></line>')
    axis_y = top + row_h * len(rows) + 4
    parts.append(f'<line x1="{label_w}" x2="{label_w + plot_w}" y1="{axis_y}" y2="{axis_y}" '
                 f'stroke="#999"/>')
    for frac in (0, 0.5, 1):
        x = label_w + frac * plot_w
        parts.append(f'<text x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle">'
                     f'{frac * vmax:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(values: Sequence[float], title: str, unit: str = "ms", bins: int = 12,
              width: int = 640, height: int = 220) -> str:
    """Column histogram with dashed p50 and p95 lines."""
    left, bottom, top = 40, 30, 38
    plot_w, plot_h = width - left - 10, height - bottom - top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{escape(title)}" {FONT}>',
             f'<text x="0" y="14" font-weight="bold" font-size="13">{escape(title)} '
             f'({escape(unit)})</text>']
    if not values:
        parts.append('<text x="40" y="60">no data</text></svg>')
        return "".join(parts)
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / span * bins))] += 1
    peak = max(counts)
    bar_w = plot_w / bins
    base_y = top + plot_h
    for i, n in enumerate(counts):
        h = n / peak * plot_h
        a, b = lo + i * span / bins, lo + (i + 1) * span / bins
        parts.append(f'<rect x="{left + i * bar_w + 1:.1f}" y="{base_y - h:.1f}" '
                     f'width="{bar_w - 2:.1f}" height="{h:.1f}" fill="#4c78a8">'
                     f'<title>{a:.0f}-{b:.0f} {unit}: {n}</title></rect>')
        if n:
            parts.append(f'<text x="{left + (i + 0.5) * bar_w:.1f}" y="{base_y - h - 3:.1f}" '
                         f'text-anchor="middle">{n}</text>')
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{base_y}" y2="{base_y}" '
                 f'stroke="#999"/>')
    for x_val in (lo, (lo + hi) / 2, hi):
        x = left + (x_val - lo) / span * plot_w
        parts.append(f'<text x="{x:.1f}" y="{base_y + 14}" text-anchor="middle">'
                     f'{x_val:.0f}</text>')
    for q, colour, dy in ((50, "#2a9d8f", 10), (95, "#e76f51", 22)):
        v = percentile(values, q)
        x = left + (v - lo) / span * plot_w
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{base_y}" '
                     f'stroke="{colour}" stroke-dasharray="4 3"/>'
                     f'<text x="{x + 3:.1f}" y="{top + dy}" fill="{colour}">p{q} {v:.0f} '
                     f'{unit}</text>')
    parts.append("</svg>")
    return "".join(parts)
