"""Finance charts with matplotlib's Figure API: budget against spend by line, stream balances.

Money stays Decimal until the very last step: the values handed to matplotlib's drawing calls.
Charts go into PDFs as 220 dpi images sized to their place on the page.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from decimal import Decimal

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from cspdesk.dates import financial_year_label
from cspdesk.services.budget_figures import YearFigures

DPI = 220
PROFILED = "#9AA5B1"
SPENT = "#2F3E4E"
COMMITTED = "#E6A100"
STREAM_COLOURS = ("#2F3E4E", "#2E8B57", "#8E6C8A", "#C0392B", "#5B8DB8", "#E6A100")


def _pounds(value: float, _pos: int) -> str:
    return f"£{value:,.0f}" if abs(value) >= 1 else "£0"


def _draw(values: Sequence[Decimal]) -> list[float]:
    """The one place money becomes float: coordinates for drawing."""
    return [float(v) for v in values]


def _style(fig: Figure) -> None:
    fig.set_layout_engine("constrained")
    for ax in fig.axes:
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=7.5)


def _legend(fig: Figure, columns: int) -> None:
    """Below the chart, where it cannot run into the title however long the labels are."""
    fig.legend(fontsize=7, frameon=False, ncols=columns, loc="outside lower center")


def budget_vs_actual(figs: YearFigures, width_in: float, height_in: float) -> Figure:
    """Horizontal bars per line: profiled budget against spent (and committed)."""
    fig = Figure(figsize=(width_in, height_in), dpi=DPI)
    ax = fig.add_subplot()
    lines = list(figs.lines)
    labels = [textwrap.shorten(lf.line.item, 42, placeholder="…") for lf in lines]
    y = list(range(len(lines)))[::-1]
    ax.barh([v + 0.2 for v in y], _draw([lf.profiled for lf in lines]), height=0.38,
            color=PROFILED, label="Profiled budget")
    ax.barh([v - 0.2 for v in y], _draw([lf.actual for lf in lines]), height=0.38,
            color=SPENT, label="Spent")
    ax.barh([v - 0.2 for v in y], _draw([lf.committed for lf in lines]), height=0.38,
            left=_draw([max(lf.actual, Decimal(0)) for lf in lines]), color=COMMITTED,
            label="Committed")
    ax.set_yticks(y, labels, fontsize=7.5)
    ax.xaxis.set_major_formatter(FuncFormatter(_pounds))
    ax.set_xlabel("£ (pounds)", fontsize=8)
    ax.set_title(f"Budget against spend by line, {figs.label}", fontsize=9, loc="left")
    _legend(fig, 3)
    ax.grid(axis="x", color="#E3E7EB", linewidth=0.6)
    ax.set_axisbelow(True)
    _style(fig)
    return fig


def stream_balances(history: Sequence[YearFigures], width_in: float, height_in: float) -> Figure:
    """Grouped bars: each stream's closing balance at the end of each recorded year."""
    fig = Figure(figsize=(width_in, height_in), dpi=DPI)
    ax = fig.add_subplot()
    years = [f.year for f in history]
    names: list[str] = []
    for f in history:
        for s in f.streams:
            if s.stream.name not in names and any(
                    x.stream.name == s.stream.name and x.closing for h in history
                    for x in h.streams):
                names.append(s.stream.name)
    width = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        values = []
        for f in history:
            found = next((s for s in f.streams if s.stream.name == name), None)
            values.append(found.closing if found else Decimal(0))
        xs = [n + (i - (len(names) - 1) / 2) * width for n in range(len(years))]
        ax.bar(xs, _draw(values), width=width * 0.92, label=name,
               color=STREAM_COLOURS[i % len(STREAM_COLOURS)])
    ax.set_xticks(range(len(years)), [financial_year_label(y) for y in years])
    ax.yaxis.set_major_formatter(FuncFormatter(_pounds))
    ax.set_ylabel("Closing balance (£)", fontsize=8)
    ax.set_title("Stream balances at each year end", fontsize=9, loc="left")
    ax.axhline(0, color="#5B6770", linewidth=0.6)
    _legend(fig, min(max(len(names), 1), 4))
    ax.grid(axis="y", color="#E3E7EB", linewidth=0.6)
    ax.set_axisbelow(True)
    _style(fig)
    return fig


def chart_flowable(fig: Figure):  # type: ignore[no-untyped-def]
    """A reportlab Image of the figure at its own size (so it prints at 220 dpi)."""
    from reportlab.platypus import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    buf.seek(0)
    width_in, height_in = fig.get_size_inches()
    return Image(buf, width=width_in * 72, height=height_in * 72)
