"""Charts: inline SVG bars for the HTML reports and the confusion-matrix figure for `plenary eval`."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import jinja2
import numpy as np
from markupsafe import Markup

if TYPE_CHECKING:
    from ..evaluate.agreement import EvalResult


def svg_bars(items: Iterable[tuple[str, int, str]], width: int = 640, bar_height: int = 18,
             label_width: int = 260) -> Markup:
    """Horizontal bar chart as inline SVG; items are (label, value, colour)."""
    items = list(items)
    peak = max((v for _, v, _ in items), default=1) or 1
    height = bar_height * len(items) + 10
    esc = jinja2.utils.markupsafe.escape
    rows = []
    for i, (label, value, colour) in enumerate(items):
        y = i * bar_height + 5
        w = (width - label_width - 50) * value / peak
        short = label if len(label) <= 40 else label[:39] + "…"
        rows.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end">{esc(short)}</text>'
            f'<rect x="{label_width}" y="{y + 2}" width="{w:.1f}" height="{bar_height - 4}" fill="{esc(colour)}">'
            f'<title>{esc(label)}: {value}</title></rect>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height * 0.7:.1f}">{value}</text>')
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
                  f'font-size="12" font-family="sans-serif">{"".join(rows)}</svg>')


def confusion_figure(result: EvalResult):
    """A heatmap of the confusion matrix (matplotlib, Agg backend, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = result.confusion_labels
    data = np.array(result.confusion)
    size = max(4.0, 0.6 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    im = ax.imshow(data, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels=labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels=labels)
    ax.set_xlabel("tool's main code")
    ax.set_ylabel("person's main code")
    kappa = result.summary.get("cohen_kappa")
    ax.set_title(f"Main code, {result.n_items} statements" + (f" (kappa {kappa:.2f})" if kappa is not None else ""))
    peak = data.max() if data.size else 0
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, str(data[i, j]), ha="center", va="center",
                    color="white" if peak and data[i, j] > peak / 2 else "black")
    fig.colorbar(im, ax=ax, shrink=0.8)
    fig.tight_layout()
    return fig
