"""The report's figures as inline SVG text, drawn by matplotlib (Agg, no pyplot global state)."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..outputs.load import covered

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

CMAP = "RdYlGn"
DEPLOYED, PLEDGED, GDP, SHORT = "#2F5597", "#C9D3E6", "#A5A5A5", "#C00000"
RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",  # text stays text: smaller, searchable, crisp in the browser
    "svg.hashsalt": "forcegen",  # fixed element ids: the same input gives the same file
    "text.parse_math": False,  # a '$' in a name is a character, not mathtext
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)


LABEL_CHARACTERS = 40  # a chart's name label at most: longer ones squeezed the axes to nothing


def label(name: object) -> str:
    """A name as a chart shows it: cut to LABEL_CHARACTERS with an ellipsis (the tables show it
    whole). A 300-character site name collapsed the bar chart's axes (matplotlib warned on the
    planner's console, and the chart was blank)."""
    text = str(name)
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "\u2026"


def labels(names: Iterable[object]) -> list[str]:
    """`label` of each name, distinct names kept distinct: names that one cut would show alike
    (`Joint Multinational Logistics Support H…` of two hubs, Kyiv North and South: a briefing
    trial could not tell the heat map's two rows apart) keep their ends instead (`Joint
    Multinational…t Hub Kyiv North`), and are numbered where even those agree."""
    texts = [str(n) for n in names]
    cut = [label(t) for t in texts]
    alike: dict[str, set[str]] = {}
    for text, shown in zip(texts, cut, strict=True):
        alike.setdefault(shown, set()).add(text)
    cut = [_ends(t) if len(alike[c]) > 1 else c for t, c in zip(texts, cut, strict=True)]
    seen: dict[str, list[str]] = {}
    for text, shown in zip(texts, cut, strict=True):
        if text not in seen.setdefault(shown, []):
            seen[shown].append(text)
    return [
        c if len(seen[c]) == 1 else f"{c} ({seen[c].index(t) + 1})"
        for t, c in zip(texts, cut, strict=True)
    ]


def _ends(text: str) -> str:
    """A long name cut in its middle, its start and its end kept, LABEL_CHARACTERS in all."""
    head = LABEL_CHARACTERS // 2 - 1
    tail = LABEL_CHARACTERS - head - 1
    return f"{text[:head]}\u2026{text[-tail:]}"


@contextmanager
def _figure(width: float, height: float) -> Iterator[tuple[Figure, list[str]]]:
    """A figure under the report's settings; the SVG text is appended to the yielded list."""
    out: list[str] = []
    with rc_context(RC), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        fig = Figure(figsize=(width, height), layout="constrained")
        yield fig, out
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    out.append(_METADATA.sub("", _PROLOG.sub("", buf.getvalue(), count=1)))


def site_coverage(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per site: allocated, covered, required, shortfall units and coverage (sites in sheet
    order); `covered` and coverage count each line (in time, each line and period) only up to
    its requirement (an edited plan's extra unit on one line hides no other line's gap)."""
    cov = coverage.assign(covered=covered(coverage))
    g = cov.groupby("site", sort=False)[["allocated", "required", "shortfall", "covered"]].sum()
    g["coverage"] = np.where(g["required"] > 0, g["covered"] / g["required"].clip(lower=1), 1.0)
    return g.reset_index()


def coverage_bars(coverage: pd.DataFrame, unit: str = "units") -> str:
    """Per site: allocated and short units as stacked horizontal bars (when there is no map);
    `unit`: what the amounts count (a timed output's: unit-months, summed over the periods)."""
    per = site_coverage(coverage)
    with _figure(8, 0.35 * len(per) + 1.5) as (fig, out):
        ax = fig.add_subplot()
        y = np.arange(len(per))
        ax.barh(y, per["covered"], color=DEPLOYED, label="allocated (up to each line's need)")
        ax.barh(y, per["shortfall"], left=per["covered"], color=SHORT, label="short")
        ax.set_yticks(y, labels(per["site"]))
        ax.invert_yaxis()
        ax.set_xlabel(unit)
        ax.legend(loc="lower right", frameon=False)
        ax.set_title("Coverage per site")
    return out[0]


def heatmap(coverage: pd.DataFrame) -> str:
    """Sites x capabilities coloured by allocated/required; hard lines outlined and bold."""
    sites = list(dict.fromkeys(coverage["site"].astype(str)))
    caps = sorted(set(coverage["capability"].astype(str)))
    frac = np.full((len(sites), len(caps)), np.nan)
    with _figure(max(5.0, 0.62 * len(caps) + 2.4), 0.42 * len(sites) + 1.8) as (fig, out):
        ax = fig.add_subplot()
        rows = []
        for r in coverage.itertuples(index=False):
            i, j = sites.index(str(r.site)), caps.index(str(r.capability))
            frac[i, j] = r.allocated / r.required if r.required else 1.0
            rows.append((i, j, f"{r.allocated:.0f}/{r.required:.0f}", str(r.hard) == "yes"))
        mesh = ax.pcolormesh(
            np.ma.masked_invalid(frac), cmap=CMAP, vmin=0, vmax=1, edgecolors="white", linewidth=1
        )
        ax.set_facecolor("#F2F2F2")
        for i, j, text, hard in rows:
            ax.text(
                j + 0.5,
                i + 0.5,
                text,
                ha="center",
                va="center",
                fontsize=7.5,
                weight="bold" if hard else "normal",
            )
            if hard:
                ax.add_patch(_box(j, i))
        ax.set_xticks(np.arange(len(caps)) + 0.5, labels(caps), rotation=45, ha="right")
        ax.set_yticks(np.arange(len(sites)) + 0.5, labels(sites))
        ax.invert_yaxis()
        ax.tick_params(length=0)
        fig.colorbar(mesh, ax=ax, shrink=0.8, label="allocated / required")
        ax.set_title("Coverage per site and capability (hard lines outlined, bold)")
    return out[0]


def _box(x: float, y: float) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x + 0.04, y + 0.04), 0.92, 0.92, fill=False, lw=1.3, ec="black")


def order(contributors: pd.DataFrame) -> pd.DataFrame:
    """Available contributors that pledged or deployed, by deployed personnel (most first)."""
    con = contributors[contributors["status"].astype(str) == "available"]
    con = con[(con["pledged_personnel"] > 0) | (con["deployed_personnel"] > 0)]
    return con.sort_values(["deployed_personnel", "contributor"], ascending=[False, True])


def contributions(contributors: pd.DataFrame, timed: bool = False) -> str:
    """Deployed personnel per contributor over its pledged personnel; `timed`: the deployed
    are the peak present in one period, against the whole pledge, of which a rotating pool
    (tours, then dwell at home) deploys only a part at once: the title says both."""
    con = order(contributors)
    with _figure(8, 0.24 * len(con) + 1.4) as (fig, out):
        ax = fig.add_subplot()
        y = np.arange(len(con))
        ax.barh(y, con["pledged_personnel"], color=PLEDGED, label="pledged")
        ax.barh(y, con["deployed_personnel"], height=0.55, color=DEPLOYED, label="deployed")
        for yi, v in zip(y.tolist(), con["deployed_personnel"], strict=True):
            ax.text(v, yi, f" {v:,.0f}", va="center", fontsize=7)
        ax.set_yticks(y, labels(con["contributor"]))
        ax.invert_yaxis()
        ax.set_xlabel("personnel")
        ax.legend(loc="lower right", frameon=False)
        ax.set_title(
            "Contributions: peak deployed of pledged personnel\n"
            "(a rotating pool deploys part of its units at once; the rest are in dwell)"
            if timed
            else "Contributions: deployed of pledged personnel"
        )
    return out[0]


def burden(
    contributors: pd.DataFrame,
    carried: pd.Series | None = None,
    what: str = "deployed personnel",
) -> str | None:
    """Each contributor's share of what it carries beside its share of gdp (where given):
    deployed personnel, or `carried` per contributor (a timed plan's personnel-months), named
    `what`."""
    con = order(contributors)
    gdp = pd.to_numeric(con.get("gdp"), errors="coerce") if "gdp" in con else None
    if gdp is None or gdp.isna().all() or not len(con):
        return None
    if carried is None:
        mine = con["deployed_personnel"].astype(float)
    else:  # in the order of what the bars show (it was the peak's: 3.1% drawn below 2.7%)
        mine = carried.reindex(con["contributor"].astype(str)).fillna(0.0).set_axis(con.index)
        ranked = pd.DataFrame({"mine": mine, "name": con["contributor"].astype(str)})
        con = con.loc[ranked.sort_values(["mine", "name"], ascending=[False, True]).index]
        mine, gdp = mine.loc[con.index], gdp.loc[con.index]
    total = max(float(mine.sum()), 1.0)
    with _figure(8, 0.3 * len(con) + 1.4) as (fig, out):
        ax = fig.add_subplot()
        y = np.arange(len(con))
        ax.barh(
            y - 0.2,
            100 * mine / total,
            0.4,
            color=DEPLOYED,
            label=f"share of {what}",
        )
        ax.barh(
            y + 0.2, 100 * gdp.fillna(0) / float(gdp.sum()), 0.4, color=GDP, label="share of gdp"
        )
        ax.set_yticks(y, labels(con["contributor"]))
        ax.invert_yaxis()
        ax.set_xlabel("% of the coalition (available contributors with gdp)")
        ax.legend(loc="lower right", frameon=False)
        ax.set_title(f"Burden share: {what.removeprefix('deployed ')} vs gdp")
    return out[0]


def compare_coverage(labels: list[str], by_priority: list[dict[str, float]]) -> str:
    """Coverage % by priority, one group of bars per priority, one bar per output."""
    keys = sorted({k for d in by_priority for k in d})
    width = 0.8 / max(len(labels), 1)
    with _figure(8, 3.6) as (fig, out):
        ax = fig.add_subplot()
        x = np.arange(len(keys))
        handles = []
        for n, values in enumerate(by_priority):
            drawn = ax.bar(x + n * width, [100 * values.get(k, np.nan) for k in keys], width)
            handles.append(
                Patch(color=drawn.patches[0].get_facecolor()) if drawn.patches else Patch()
            )
        ax.set_xticks(x + width * (len(labels) - 1) / 2, keys)
        ax.set_ylabel("coverage %")
        ax.set_ylim(0, 105)
        # the labels given, not the bars' own: matplotlib leaves out one starting with `_`
        fig.legend(
            handles, labels, loc="outside lower center", ncol=min(len(labels), 3), frameon=False
        )
        ax.set_title("Coverage by priority")
    return out[0]
