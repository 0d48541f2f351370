"""Charts as SVG, drawn on the server with matplotlib.

Each function takes metric dataclasses and returns SVG bytes, so a page
serves them as images and a PDF document can embed the same drawings.
Figures are made with ``matplotlib.figure.Figure`` and its own SVG canvas:
no pyplot, so no global figure state is shared between threads.

Colour never carries meaning alone: benchmark lines differ in dash pattern
and are labelled in words, stacked payers differ in hatching as well as
colour and are named in a legend, bars over a limit are hatched and say
so, and every bar carries its figure. Colours are from the Okabe–Ito
palette, which reads for the common kinds of colour blindness.
"""

from __future__ import annotations

import io

from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.text import Annotation
from matplotlib.ticker import FuncFormatter, MaxNLocator

from dashboards.metrics import (
    Benchmarks,
    Funnel,
    Money,
    QuarterRate,
    SpecialistCaseload,
)
from dashboards.rules import percent

INK = "#1b1f24"
MUTED = "#4a5561"
GRID = "#d5dbe1"
BRAND = "#1d4f73"
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
HATCHES = ("", "///", "...", "xx", "\\\\", "++", "oo", "--")
WIDTH = 9.0
FONT = 11


def _figure(height: float) -> Figure:
    figure = Figure(figsize=(WIDTH, height), dpi=100, layout="constrained")
    FigureCanvasSVG(figure)
    return figure


def _style(axes: object) -> None:
    axes.spines[["top", "right"]].set_visible(False)  # type: ignore[attr-defined]
    axes.tick_params(labelsize=FONT, colors=INK)  # type: ignore[attr-defined]
    axes.set_axisbelow(True)  # type: ignore[attr-defined]


def _svg(figure: Figure, title: str) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Title": title, "Date": None})
    return buffer.getvalue()


def _no_data(figure: Figure, message: str) -> None:
    figure.text(0.5, 0.5, message, ha="center", va="center", fontsize=FONT + 1)


def employment_rate_chart(rates: list[QuarterRate], benchmarks: Benchmarks) -> bytes:
    """Bars of each quarter's rate against the three labelled benchmark lines.

    A partial quarter is hatched and labelled "to date". Each bar carries
    its percentage and its members (employed of in IPS).
    """
    title = "Competitive employment rate by quarter"
    figure = _figure(4.6)
    axes = figure.add_subplot()
    _style(axes)
    if not rates:
        _no_data(figure, "No quarters in the period.")
        return _svg(figure, title)

    labels = [
        f"{row.quarter.label}\n(to date)"
        if row.quarter.is_partial
        else row.quarter.label
        for row in rates
    ]
    values = [float(row.rate or 0) * 100 for row in rates]
    positions = list(range(len(rates)))
    bars = axes.bar(
        positions,
        values,
        color=BRAND,
        edgecolor=INK,
        linewidth=0.8,
        width=0.6,
        hatch=["//" if row.quarter.is_partial else "" for row in rates],
    )
    axes.set_xticks(positions, labels)
    for bar, row in zip(bars, rates, strict=True):
        axes.annotate(
            f"{percent(row.rate)}\n{row.employed} of {row.active}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=FONT,
            color=INK,
            zorder=4,
            # A white ground keeps the figure readable where a line crosses.
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
        )

    lines = (
        ("Excellent", benchmarks.excellent, (0, (6, 2))),
        ("Average", benchmarks.average, (0, (3, 2, 1, 2))),
        ("Minimal", benchmarks.minimal, (0, (1, 2))),
    )
    for name, level, dashes in lines:
        axes.axhline(float(level) * 100, color=INK, linewidth=1.6, linestyle=dashes)
        axes.annotate(
            f"{name} {percent(level)}",
            (1.0, float(level) * 100),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=FONT,
            color=INK,
        )
    axes.set_ylim(0, 100)
    axes.set_ylabel("Members who worked competitively (%)", fontsize=FONT)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}%"))
    axes.grid(axis="y", color=GRID)
    axes.set_title(
        f"{title} — trials' cumulative {percent(benchmarks.cumulative_trials)} "
        "is context, not a quarterly line",
        fontsize=FONT,
        color=MUTED,
        loc="left",
    )
    return _svg(figure, title)


def funnel_chart(funnel: Funnel) -> bytes:
    """Horizontal bars from referral to 90 days, each with count and share."""
    title = "Milestone funnel"
    figure = _figure(3.8)
    axes = figure.add_subplot()
    _style(axes)
    steps = list(reversed(funnel.steps))
    counts = [step.members for step in steps]
    bars = axes.barh(
        [step.label for step in steps],
        counts,
        color=BRAND,
        edgecolor=INK,
        linewidth=0.8,
        height=0.6,
    )
    most = max(counts, default=0) or 1
    for bar, step in zip(bars, steps, strict=True):
        words = f"{step.members:,}"
        if step.key != "referred":
            words += f" ({percent(step.from_referred)} of referred)"
        axes.annotate(
            words,
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=FONT,
            color=INK,
        )
    axes.set_xlim(0, most * 1.45)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("Members", fontsize=FONT)
    axes.grid(axis="x", color=GRID)
    return _svg(figure, title)


def money_chart(money: Money) -> bytes:
    """Monthly amounts stacked by payer, each payer with colour and hatching."""
    return _svg(money_figure(money), "Milestones and coaching by month and payer")


def money_figure(money: Money) -> Figure:
    """The figure ``money_chart`` draws."""
    figure = _figure(4.6)
    axes = figure.add_subplot()
    _style(axes)
    payers = money.payers
    # A payer keeps its colour and hatching on every chart: by its id.
    payer_ids = {row.payer: row.payer_id for row in money.rows}
    if not money.months:
        _no_data(figure, "No months in the period.")
        return figure

    positions = list(range(len(money.months)))
    base = [0.0] * len(money.months)
    position = {month: index for index, month in enumerate(money.months)}
    for payer in payers:
        heights = [0.0] * len(money.months)
        for row in money.rows:
            if row.payer == payer and row.month in position:
                heights[position[row.month]] += float(row.total)
        axes.bar(
            positions,
            heights,
            bottom=base,
            label=payer,
            color=PALETTE[payer_ids[payer] % len(PALETTE)],
            hatch=HATCHES[payer_ids[payer] % len(HATCHES)],
            edgecolor=INK,
            linewidth=0.6,
            width=0.7,
        )
        base = [low + high for low, high in zip(base, heights, strict=True)]
    for index, total in enumerate(base):
        if total:
            axes.annotate(
                _short_dollars(total),
                (index, total),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=FONT - 1,
                color=INK,
            )
    if not payers:
        _no_data(figure, "No billable milestones or coaching in the period.")
    else:
        axes.legend(
            title="Payer",
            fontsize=FONT,
            title_fontsize=FONT,
            frameon=False,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
        )
    axes.set_xticks(positions, [f"{month:%b}\n{month:%Y}" for month in money.months])
    axes.set_ylabel("Amount", fontsize=FONT)
    if not any(base):
        # Nothing to scale: an axis of $0 would only repeat the message.
        axes.set_ylim(0, 1)
        axes.set_yticks([])
        axes.set_xlim(-0.5, len(positions) - 0.5)
        return figure

    axes.set_ylim(0, max(base) * 1.15)
    # Whole dollars only, so a small scale never reads "$0 $0 $1 $1".
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _: _short_dollars(value))
    )
    axes.grid(axis="y", color=GRID)
    return figure


def _short_dollars(value: float) -> str:
    """Amounts on axes and bars, short enough not to collide: $7.1k."""
    if value >= 1_000_000:
        return f"${value / 1_000_000:.1f}M".replace(".0M", "M")
    if value >= 1000:
        return f"${value / 1000:.1f}k".replace(".0k", "k")
    return f"${value:,.0f}"


def caseload_chart(caseloads: list[SpecialistCaseload]) -> bytes:
    """A bar per specialist against the labelled fidelity limit line.

    Bars over the limit are hatched and end with "over the limit".
    """
    return _svg(caseload_figure(caseloads), "Caseload per specialist")


def caseload_figure(caseloads: list[SpecialistCaseload]) -> Figure:
    """The figure ``caseload_chart`` draws."""
    rows = list(reversed(caseloads))
    figure = _figure(max(2.6, 0.34 * len(rows) + 1.3))
    axes = figure.add_subplot()
    _style(axes)
    if not rows:
        _no_data(figure, "No specialists in scope.")
        return figure

    limit = rows[0].limit
    bars = axes.barh(
        [f"{row.name} · {row.provider}" for row in rows],
        [row.members for row in rows],
        color=[PALETTE[5] if row.is_over_limit else BRAND for row in rows],
        hatch=["xx" if row.is_over_limit else "" for row in rows],
        edgecolor=INK,
        linewidth=0.6,
        height=0.65,
    )
    labels = [
        axes.annotate(
            f"{row.members}" + (" — over the limit" if row.is_over_limit else ""),
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=FONT - 1,
            color=INK,
        )
        for bar, row in zip(bars, rows, strict=True)
    ]
    axes.axvline(limit, color=INK, linewidth=1.6, linestyle=(0, (6, 2)))
    axes.annotate(
        f"Fidelity limit: {limit}",
        (limit, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, 2),
        textcoords="offset points",
        va="bottom",
        fontsize=FONT,
        color=INK,
    )
    most = max([row.members for row in rows] + [limit])
    axes.set_xlim(0, most * 1.35)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("Members on the caseload", fontsize=FONT)
    axes.tick_params(axis="y", labelsize=FONT - 1)
    axes.grid(axis="x", color=GRID)
    _fit_bar_labels(figure, axes, labels)
    return figure


def _fit_bar_labels(figure: Figure, axes: Axes, labels: list[Annotation]) -> None:
    """Widen the value axis until every label after its bar ends inside it.

    The layout leaves room for the axes' own labels, not for text written
    beside the bars, so a long "22 — over the limit" was cut off at the
    figure's edge. Measured once laid out: a label's width in pixels does
    not change with the axis, its bar's end does. Twice, as the new ticks
    may change the layout a little.
    """
    for _ in range(2):
        figure.draw_without_rendering()
        frame = axes.get_window_extent()
        low, high = axes.get_xlim()
        needed = high
        for label in labels:
            end, _ = label.xy
            bar_end = frame.x0 + frame.width * (end - low) / (high - low)
            # The label, and the gap before it, must fit after the bar.
            room = frame.width - (label.get_window_extent().x1 - bar_end)
            if room > 0 and end > low:
                needed = max(needed, low + (end - low) * frame.width / room)
        if needed <= high:
            return
        axes.set_xlim(low, needed * 1.02)


CHARTS = ("employment", "funnel", "money", "caseload")
