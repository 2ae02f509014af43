"""The exploration as a chart: monthly cost per combination, byte-identical across runs and processes.

The first varied key's values run along x; each value of the other keys (combined) is one series; each point is
annotated with its DR strategy; combinations that could not be planned leave a gap. matplotlib is imported only
when a chart is drawn, with the Agg backend and matplotlib's default style (a user's matplotlibrc cannot change
the output); PNG output carries no software tag, SVG no date and a fixed hash salt.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from archgen.errors import UserError
from archgen.explore import Exploration, exploration_markdown

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH_IN, HEIGHT_IN, DPI = 9.0, 5.5, 100
SVG_SALT = "archgen"
FORMATS = ("png", "svg")

__all__ = ["chart", "chart_png", "chart_svg", "exploration_markdown"]


def _series(exploration: Exploration) -> dict[str, list[tuple[int, float, str]]]:
    """Points ``(x index, monthly USD, DR strategy)`` by series label, in the order the series first appear."""
    first = exploration.varies[0]
    rest = exploration.varies[1:]
    series: dict[str, list[tuple[int, float, str]]] = {}
    for row in exploration.rows:
        label = ", ".join(f"{vary.key}={value}" for vary, value in zip(rest, row.values[1:], strict=True))
        points = series.setdefault(label or "monthly cost", [])
        if row.monthly_usd is not None:
            points.append((first.values.index(row.values[0]), row.monthly_usd, row.dr_strategy or ""))
    return series


def _labels(series: dict[str, list[tuple[int, float, str]]]) -> list[tuple[int, float, str]]:
    """Where to write the DR strategies: once above an x where every point shares one, else beside each point."""
    by_x: dict[int, list[tuple[float, str]]] = {}
    for points in series.values():
        for x, y, strategy in points:
            by_x.setdefault(x, []).append((y, strategy))
    labels: list[tuple[int, float, str]] = []
    for x, at_x in sorted(by_x.items()):
        strategies = {strategy for _, strategy in at_x}
        if len(strategies) == 1:
            labels.append((x, max(y for y, _ in at_x), strategies.pop()))
        else:
            labels.extend((x, y, strategy) for y, strategy in sorted(set(at_x)))
    return labels


def _draw(axes: Axes, exploration: Exploration) -> None:
    from matplotlib.ticker import StrMethodFormatter  # noqa: PLC0415 - matplotlib is loaded by chart()

    first = exploration.varies[0]
    series = {label: points for label, points in _series(exploration).items() if points}
    markers = "osD^v<>ph*"
    for number, (label, points) in enumerate(series.items()):
        xs = [x for x, _, _ in points]
        ys = [y for _, y, _ in points]
        axes.plot(xs, ys, marker=markers[number % len(markers)], linewidth=1.5, label=label)
    for x, y, strategy in _labels(series):
        axes.annotate(strategy, (x, y), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=8)
    budgets = {row.budget_usd for row in exploration.rows if row.budget_usd is not None}
    if len(budgets) == 1:
        budget = budgets.pop()
        axes.axhline(budget, color="grey", linestyle="--", linewidth=1, label=f"budget (${budget:,.0f})")
    failed = sum(1 for row in exploration.rows if row.error is not None)
    axes.set_xticks(range(len(first.values)), list(first.values))
    axes.set_xlim(-0.5, len(first.values) - 0.5)
    axes.set_xlabel(first.key + (f"  ({failed} combination(s) not valid, not shown)" if failed else ""))
    axes.set_ylabel("monthly cost (USD)")
    axes.yaxis.set_major_formatter(StrMethodFormatter("${x:,.0f}"))
    axes.set_ylim(bottom=0, top=max((y for points in series.values() for _, y, _ in points), default=1) * 1.15)
    axes.grid(axis="y", linewidth=0.5, alpha=0.5)
    axes.set_title(f"{exploration.name}: monthly cost by {', '.join(v.key for v in exploration.varies)}")
    axes.legend(fontsize=8, loc="lower right")


def chart(exploration: Exploration, output: str = "png") -> bytes:
    """The chart as ``png`` or ``svg`` bytes; the same exploration always gives the same bytes."""
    if output not in FORMATS:
        raise UserError(f"a chart is written as {' or '.join(FORMATS)}, not {output!r}")
    try:
        import matplotlib  # noqa: PLC0415 - lazy: archgen runs without drawing charts
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
        from matplotlib.figure import Figure  # noqa: PLC0415
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        raise UserError("a chart needs matplotlib: pip install matplotlib") from None

    with matplotlib.rc_context():
        matplotlib.rcdefaults()  # the default style, whatever the user's matplotlibrc says
        matplotlib.rcParams["svg.hashsalt"] = SVG_SALT
        matplotlib.rcParams["text.parse_math"] = False  # a "$" in a value or a label is a dollar sign
        matplotlib.rcParams["svg.fonttype"] = "path"
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        FigureCanvasAgg(figure)
        _draw(figure.add_subplot(), exploration)
        figure.tight_layout()
        buffer = io.BytesIO()
        metadata = {"Software": None} if output == "png" else {"Date": None, "Creator": None}
        figure.savefig(buffer, format=output, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def chart_png(exploration: Exploration) -> bytes:
    """The chart as PNG bytes (9 × 5.5 in at 100 dpi), byte-identical across runs and processes."""
    return chart(exploration, "png")


def chart_svg(exploration: Exploration) -> bytes:
    """The chart as SVG bytes, byte-identical across runs and processes."""
    return chart(exploration, "svg")
