"""The briefing's figures in time, as inline SVG (matplotlib, the settings of figures.py).

x is the periods in time order, one column per period (periods of uneven length are drawn equally
wide and named). Each nation has one colour on every figure of the page, and its cells on the
Timeline sheet a light shade of it (solver/nation_colours.py). Bars, bands and series carry an
SVG id (`tour:Kyiv:FRA:INF_BN:P1:P3` = FRA's tour at Kyiv, `short:Kyiv:INF_BN:P4` = Kyiv's
INF_BN line is short in P4, `coverage:p1`, `burden:FRA:P2`), so that a reader or a test can find them; texts
are escaped by matplotlib, ids reduced to [A-Za-z0-9_.:-]."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.patches import Patch, Rectangle

from .figures import SHORT, _figure, label, labels
from .timed import Bar, lanes

_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]")


def gid(*parts: object) -> str:
    """An SVG id from parts: `tour:Kyiv:FRA:INF_BN:P1:P3` (other characters become '_')."""
    return ":".join(_UNSAFE.sub("_", str(p)) for p in parts)


def _period_axis(ax: Any, periods: Sequence[str]) -> None:
    """Period names under the columns; every k-th when there are many."""
    step = max(1, math.ceil(len(periods) / 24))
    ticks = list(range(0, len(periods), step))
    ax.set_xticks([t + 0.5 for t in ticks], [periods[t] for t in ticks])
    if len(ticks) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    ax.set_xlim(0, len(periods))


def gantt(
    site: str,
    bars: Sequence[Bar],
    short: Mapping[str, Sequence[int]],
    periods: Sequence[str],
    colour: dict[str, str],
) -> str:
    """One site: one bar per tour (periods first..last, label `FRA 2` = nation and units), in
    lanes per capability (timed.lanes; id `tour:SITE:NATION:CAPABILITY:FIRST:LAST`: with the
    site, since one nation's tours of one capability and dates at two sites are two bars on
    two figures of the page); every line of `short` (capability -> the periods it is
    short, Timed.short of the site) has a lane, an empty one when no tour serves it; a red band
    over that capability's lanes only, in every period its line is short (id
    `short:SITE:CAPABILITY:PERIOD`); a thin grey rule between one capability's lanes and the
    next's."""
    rows = lanes(list(bars), short)
    labelled: list[tuple[Any, Any]] = []  # (label, its bar), to hide the labels that overflow
    with _figure(10, 0.32 * max(len(rows), 1) + 1.6) as (fig, out):
        ax = fig.add_subplot()
        for cap, (top, bottom) in _spans(rows).items():
            for t in short.get(cap, ()):
                band = Rectangle((t, top - 0.5), 1, bottom - top + 1, color=SHORT, alpha=0.18, lw=0)
                band.set_gid(gid("short", site, cap, periods[t]))
                ax.add_patch(band)
            if bottom + 1 < len(rows):  # a thin rule under each capability's lanes but the last
                ax.axhline(bottom + 0.5, color="#DDDDDD", lw=0.6)
        for y, (_, lane) in enumerate(rows):
            if not lane:
                ax.text(0.1, y, "no tour", va="center", fontsize=7, color="#7F7F7F")
            for bar in lane:
                drawn = ax.barh(
                    y,
                    bar.last - bar.first + 1,
                    left=bar.first,
                    height=0.7,
                    color=colour.get(bar.contributor, "#7F7F7F"),
                    edgecolor="white",
                )
                drawn.patches[0].set_gid(
                    gid(
                        "tour",
                        site,
                        bar.contributor,
                        bar.capability,
                        periods[bar.first],
                        periods[bar.last],
                    )
                )
                text = ax.text(
                    bar.first + 0.1,
                    y,
                    f"{label(bar.contributor)} {bar.units}",
                    va="center",
                    fontsize=7,
                )
                labelled.append((text, drawn.patches[0]))
        ax.set_yticks(range(len(rows)), labels(cap for cap, _ in rows))
        ax.set_ylim(len(rows) - 0.5 if rows else 0.5, -0.5)
        _period_axis(ax, periods)
        ax.grid(axis="x", color="#EEEEEE", lw=0.6)
        ax.set_axisbelow(True)
        shown = sorted({b.contributor for b in bars})
        if shown:
            handles = [Patch(color=colour.get(c, "#7F7F7F")) for c in shown]
            fig.legend(  # labels given apart: matplotlib leaves out one that starts with `_`
                handles,
                labels(shown),
                loc="outside right upper",
                frameon=False,
                fontsize=7,
                ncol=legend_columns(len(handles), fig.get_figheight()),
            )
        said = "" if bars else " (no tour)"
        ax.set_title(f"{site}: tours by nation{said}; red: that line is short")
        _hide_overflowing(fig, labelled)
    return out[0]


def _hide_overflowing(fig: Any, labelled: Sequence[tuple[Any, Any]]) -> None:
    """Hide each bar's label that is wider than its bar, measured once the figure is laid out:
    on 36 monthly periods the labels of one-month tours ran into each other (`N006N013N025`, a
    scale trial). The legend's colours name the nation of a bar left unlabelled."""
    if not labelled:
        return
    fig.get_layout_engine().execute(fig)  # the constrained layout, so that extents are final
    for text, bar in labelled:
        extent = text.get_window_extent()
        if extent.x1 > bar.get_window_extent().x1:
            text.set_visible(False)


def _spans(rows: Sequence[tuple[str, list[Bar]]]) -> dict[str, tuple[int, int]]:
    """Capability -> the first and last of its lanes (rows are grouped by capability)."""
    spans: dict[str, tuple[int, int]] = {}
    for y, (cap, _) in enumerate(rows):
        spans[cap] = (spans.get(cap, (y, y))[0], y)
    return spans


LEGEND_ENTRY_INCHES = 0.16  # one entry of a 7 pt legend, with its spacing
LEGEND_MARGIN_INCHES = 0.8  # the figure's top and bottom margins


def legend_columns(entries: int, height: float) -> int:
    """Columns enough for a 7 pt legend of `entries` to fit a figure `height` inches high
    (in one column, 30 nations ran off the bottom of the 3.8 in personnel chart)."""
    per_column = max(int((height - LEGEND_MARGIN_INCHES) / LEGEND_ENTRY_INCHES), 1)
    return max(1, -(-entries // per_column))


def coverage_over_time(coverage: dict[int, list[float | None]], periods: Sequence[str]) -> str:
    """Per priority, the share of required units covered in each period (%)."""
    with _figure(10, 3.4) as (fig, out):
        ax = fig.add_subplot()
        x = np.arange(len(periods)) + 0.5
        for p, values in sorted(coverage.items()):
            y = [np.nan if v is None else 100 * v for v in values]
            (drawn,) = ax.plot(x, y, marker="o", ms=3, label=f"priority {p}")
            drawn.set_gid(gid("coverage", f"p{p}"))
        _period_axis(ax, periods)
        ax.set_ylim(0, 105)
        ax.set_ylabel("covered %")
        ax.grid(color="#EEEEEE", lw=0.6)
        ax.legend(loc="lower left", frameon=False, ncol=min(len(coverage), 5))
        ax.set_title("Coverage over time: share of required units covered, per priority")
    return out[0]


def personnel_over_time(
    burden: dict[str, list[int]], periods: Sequence[str], colour: dict[str, str]
) -> str:
    """Personnel present per period, stacked by nation (nations in code order, bottom up)."""
    with _figure(10, 3.8) as (fig, out):
        ax = fig.add_subplot()
        x = np.arange(len(periods)) + 0.5
        bottom = np.zeros(len(periods))
        handles: list[Patch] = []
        names: list[str] = []
        for c, people in sorted(burden.items()):
            drawn = ax.bar(x, people, 0.85, bottom=bottom, color=colour.get(c, "#7F7F7F"))
            for t, patch in enumerate(drawn.patches):
                patch.set_gid(gid("burden", c, periods[t]))
            bottom += np.asarray(people, dtype=float)
            handles.append(Patch(color=colour.get(c, "#7F7F7F")))
            names.append(label(c))
        _period_axis(ax, periods)
        ax.set_ylabel("personnel present")
        # given as labels, not the bars' own: matplotlib leaves out a label that starts with
        # `_` (a nation coded `_GBR` was missing from the legend)
        fig.legend(
            handles,
            names,
            loc="outside right upper",
            frameon=False,
            fontsize=7,
            ncol=legend_columns(len(burden), fig.get_figheight()),
        )
        ax.set_title("Who carries the force: personnel present per period, by nation")
    return out[0]
