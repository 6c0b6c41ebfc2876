"""Charts for print: matplotlib straight to SVG (no browser, no network, text stays text)."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import matplotlib as mpl
from markupsafe import Markup, escape
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from rom.numbers import decimal

INK, MUTED, BAND, ACCENT = "#1b1b1f", "#5f6270", "#c9d8ef", "#0b4f9c"
PALETTE = ("#0b4f9c", "#c25400", "#2d6a4f", "#7b2d8b")
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "kring",  # the same chart gives the same SVG
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
}

Series = Sequence[float | None]


def line_chart(
    x: Sequence[int],
    lines: dict[str, Series],
    *,
    band: tuple[Series, Series] | None = None,
    band_label: str = "",
    y_range: tuple[float, float] | None = None,
    cutoff: float | None = None,
    x_label: str = "",
    y_label: str = "",
    size: tuple[float, float] = (6.3, 2.4),
    description: str = "",
) -> Markup:
    """Lines over sessions, with an optional shaded band and a dashed cut-off line; the
    description is the image's text alternative (none where a table beside it says the same)."""
    with mpl.rc_context(STYLE):
        figure = Figure(figsize=size)
        axes = figure.add_subplot()
        if band is not None:
            low, high = (_nan(v) for v in band)
            axes.fill_between(x, low, high, color=BAND, label=band_label or None, linewidth=0)
        for (label, values), colour in zip(lines.items(), PALETTE, strict=False):
            axes.plot(x, _nan(values), marker="o", markersize=3, color=colour, label=label)
        if cutoff is not None:
            axes.axhline(cutoff, color=MUTED, linestyle="--", linewidth=0.8)
        if y_range is not None:
            axes.set_ylim(*y_range)
        axes.set_xlabel(x_label)
        axes.set_ylabel(y_label)
        axes.spines[["top", "right"]].set_visible(False)
        if len(lines) > 1 or band_label:
            axes.legend(frameon=False, fontsize=7, ncols=5, loc="lower left", bbox_to_anchor=(0, 1))
        _margins(figure)
        return _svg(figure, description)


def _margins(figure: Figure, left: float = 0.55) -> None:
    """Fixed margins in inches (tight_layout measures every text and is the slow part)."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(
        left=left / width, right=1 - 0.15 / width, bottom=0.45 / height, top=1 - 0.35 / height
    )


def _nan(values: Series) -> list[float]:
    return [float("nan") if v is None else float(v) for v in values]


def _svg(figure: Figure, description: str = "") -> Markup:
    """An <img> with the SVG as a data URI: WeasyPrint then draws it as one image instead of
    styling each of its nodes as part of the page (which is several times slower)."""
    buffer = io.BytesIO()
    FigureCanvasSVG(figure).print_svg(buffer)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Markup(
        f'<img class="chart" alt="{escape(description)}" src="data:image/svg+xml;base64,{encoded}">'
    )


def bar_chart(
    categories: Sequence[str],
    stacks: dict[str, Sequence[int]],
    *,
    labels: dict[str, str],
    size: tuple[float, float] = (6.3, 2.6),
) -> Markup:
    """Horizontal stacked bars, one per category, one segment per stack."""
    with mpl.rc_context(STYLE):
        figure = Figure(figsize=size)
        axes = figure.add_subplot()
        left = [0.0] * len(categories)
        for (name, values), colour in zip(stacks.items(), (*PALETTE[2:], *PALETTE), strict=False):
            axes.barh(categories, values, left=left, color=colour, label=labels.get(name, name))
            left = [a + b for a, b in zip(left, values, strict=True)]
        axes.invert_yaxis()
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(frameon=False, fontsize=7, ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1))
        _margins(figure, left=1.5)
        return _svg(figure)


def sparkline(
    x: Sequence[int],
    values: Series,
    *,
    band: tuple[Series, Series] | None = None,
    cutoff: float | None = None,
    y_max: float = 27.0,
    width: int = 240,
    height: int = 90,
) -> Markup:
    """A small trajectory drawn directly as a few SVG elements, for pages of small multiples
    (a member per chart): the scores as a line with dots, the expected band, the cut-off."""
    pad, left = 6.0, 22.0
    first, last = min(x), max(x)
    span = max(last - first, 1)

    def px(n: float) -> float:
        return left + (n - first) / span * (width - left - pad)

    def py(v: float) -> float:
        return pad + (1 - min(max(v, 0.0), y_max) / y_max) * (height - 2 * pad - 10)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans" font-size="8">'
    ]
    if band is not None:
        low, high = band
        upper = [(px(n), py(v)) for n, v in zip(x, high, strict=True) if v is not None]
        lower = [(px(n), py(v)) for n, v in zip(x, low, strict=True) if v is not None][::-1]
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in upper + lower)
        parts.append(f'<polygon points="{points}" fill="{BAND}"/>')
    if cutoff is not None:
        parts.append(
            f'<line x1="{left}" x2="{width - pad}" y1="{py(cutoff):.1f}" y2="{py(cutoff):.1f}" '
            f'stroke="{MUTED}" stroke-dasharray="3 2" stroke-width="0.7"/>'
        )
    for tick in range(0, int(y_max) + 1, 10):
        parts.append(
            f'<text x="{left - 3}" y="{py(tick) + 3:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{tick:.0f}</text>"
        )
    for n in (first, last):
        parts.append(
            f'<text x="{px(n):.1f}" y="{height - 2}" text-anchor="middle" fill="{MUTED}">{n}</text>'
        )
    measured = [(px(n), py(v)) for n, v in zip(x, values, strict=True) if v is not None]
    if measured:
        line = " ".join(f"{a:.1f},{b:.1f}" for a, b in measured)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{ACCENT}" stroke-width="1.3"/>'
        )
        parts.extend(
            f'<circle cx="{a:.1f}" cy="{b:.1f}" r="1.8" fill="{ACCENT}"/>' for a, b in measured
        )
    parts.append("</svg>")
    encoded = base64.b64encode("".join(parts).encode()).decode("ascii")
    return Markup(f'<img class="spark" alt="" src="data:image/svg+xml;base64,{encoded}">')


def trend_chart(
    x: Sequence[int],
    lines: dict[str, Series],
    *,
    y_max: float,
    title: str = "",
    width: int = 360,
    height: int = 120,
    language: str = "nl",
) -> Markup:
    """A few small lines over sessions as inline SVG (page and PDF alike), a legend above them,
    every value also spoken in the title for screen readers (in `language`'s numbers)."""
    top, bottom, left, right = 18.0, 14.0, 20.0, 8.0
    first, last = min(x), max(x)
    span = max(last - first, 1)

    def px(n: float) -> float:
        return left + (n - first) / span * (width - left - right)

    def py(v: float) -> float:
        return top + (1 - min(max(v, 0.0), y_max) / y_max) * (height - top - bottom)

    spoken = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{n} {decimal(v, 1, language)}" for n, v in zip(x, values, strict=True) if _real(v)
        )
        for label, values in lines.items()
    )
    parts = [
        f'<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans" '
        f'font-size="8" role="img"><title>{escape(title)} {escape(spoken)}</title>'
    ]
    for tick in (0, y_max / 2, y_max):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py(tick):.1f}" y2="{py(tick):.1f}" '
            f'stroke="#e3e5ea" stroke-width="0.6"/><text x="{left - 3}" y="{py(tick) + 3:.1f}" '
            f'text-anchor="end" fill="{MUTED}">{tick:.0f}</text>'
        )
    for n in x:
        parts.append(
            f'<text x="{px(n):.1f}" y="{height - 3}" text-anchor="middle" fill="{MUTED}">{n}</text>'
        )
    legend_x = left
    for (label, values), colour in zip(lines.items(), PALETTE, strict=False):
        measured = [(px(n), py(v)) for n, v in zip(x, values, strict=True) if _real(v)]
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in measured)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.4"/>'
        )
        parts.extend(
            f'<circle cx="{a:.1f}" cy="{b:.1f}" r="1.8" fill="{colour}"/>' for a, b in measured
        )
        parts.append(
            f'<rect x="{legend_x}" y="4" width="8" height="8" fill="{colour}"/>'
            f'<text x="{legend_x + 11}" y="11" fill="{INK}">{escape(label)}</text>'
        )
        legend_x += 16 + 5.2 * len(label)
    parts.append("</svg>")
    return Markup("".join(parts))


def _real(value: float | None) -> bool:
    return value is not None and value == value
