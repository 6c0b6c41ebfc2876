"""Charts for print: matplotlib straight to SVG (no browser, no network, text stays text)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib as mpl
from markupsafe import Markup
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

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
) -> Markup:
    """Lines over sessions, with an optional shaded band and a dashed cut-off line."""
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
            axes.legend(frameon=False, fontsize=7, loc="upper right")
        figure.tight_layout()
        return _svg(figure)


def _nan(values: Series) -> list[float]:
    return [float("nan") if v is None else float(v) for v in values]


def _svg(figure: Figure) -> Markup:
    buffer = io.StringIO()
    FigureCanvasSVG(figure).print_svg(buffer)
    text = buffer.getvalue()
    return Markup(text[text.index("<svg") :])


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
        figure.tight_layout()
        return _svg(figure)
