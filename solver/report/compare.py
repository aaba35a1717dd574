"""The comparison section: several outputs (scenarios) side by side, changes against the first."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import pandas as pd

from . import figures
from .html import e, headline, scalar
from .load import Output

TOTALS = [
    "required_units",
    "allocated_units",
    "shortfall_units",
    "coverage_pct",
    "deployed_personnel",
    "contributors_engaged",
]


def summary_keys(outputs: Sequence[Output]) -> list[str]:
    """Status, the objective stages (in the first output's order), the gap and the totals."""
    keys = ["status"]
    for out in outputs:
        keys += [k for k in out.summary if k.startswith("objective.") and k not in keys]
    keys.append("mip_gap")
    for out in outputs:
        keys += [k for k in out.summary if k.startswith("shortfall_units.p") and k not in keys]
    return keys + TOTALS


def change(value: Any, base: Any) -> str:
    """' (+3)' against the first output's value, '' when equal or not numbers."""
    value, base = scalar(value), scalar(base)
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (value, base))
    if not numbers or value == base:
        return ""
    diff = value - base
    text = f"{diff:+,.0f}" if float(diff).is_integer() else f"{diff:+,.4g}"
    return f' <span class="chg">({text})</span>'


def side_by_side(outputs: Sequence[Output]) -> str:
    labels = "".join(f"<th>{e(o.label)}</th>" for o in outputs)
    rows = []
    base = outputs[0].summary
    for key in summary_keys(outputs):
        cells = [
            f'<td class="num">{e(o.summary.get(key))}{change(o.summary.get(key), base.get(key))}'
            "</td>"
            for o in outputs
        ]
        rows.append(f"<tr><td>{html.escape(key)}</td>{''.join(cells)}</tr>")
    return f"<table><tr><th>figure</th>{labels}</tr>{''.join(rows)}</table>"


def _changed(
    outputs: Sequence[Output],
    frames: list[pd.DataFrame],
    keys: list[str],
    value: str,
    first_cols: list[str],
) -> str:
    """Rows (by `keys`) whose `value` differs from the first output in any other output."""
    merged = frames[0][keys + first_cols + [value]].rename(columns={value: "v0"})
    for i, frame in enumerate(frames[1:], start=1):
        part = frame[[*keys, value]].rename(columns={value: f"v{i}"})
        merged = merged.merge(part, on=keys, how="outer")
    cols = [f"v{i}" for i in range(len(frames))]
    merged[cols] = merged[cols].fillna(0)
    differs = merged[cols].ne(merged["v0"], axis=0).any(axis=1)
    merged = merged[differs].sort_values(keys, kind="mergesort")
    if not len(merged):
        return "<p>No change against the first output.</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in keys + first_cols)
    head += "".join(f"<th>{value}: {e(o.label)}</th>" for o in outputs)
    body = []
    for _, row in merged.iterrows():
        cells = "".join(f"<td>{e(row[c])}</td>" for c in keys + first_cols)
        cells += "".join(
            f'<td class="num">{e(row[c])}{change(row[c], row["v0"])}</td>' for c in cols
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def comparison_section(outputs: Sequence[Output]) -> str:
    """Stage values, coverage and contributions of every output beside the first's."""
    figs = [headline(o) for o in outputs]
    by_priority = [{k: v for k, v in f.items() if k[:1] == "p" and k[1:].isdigit()} for f in figs]
    for f, bp in zip(figs, by_priority, strict=True):
        bp["all"] = f["coverage"]
    coverage = _changed(
        outputs,
        [o.coverage for o in outputs],
        ["site", "capability"],
        "allocated",
        ["priority", "required"],
    )
    contributors = _changed(
        outputs, [o.contributors for o in outputs], ["contributor"], "deployed_personnel", []
    )
    return "".join(
        [
            "<section><h2>Comparison</h2>",
            f"<p>{len(outputs)} outputs; changes are against {e(outputs[0].label)}.</p>",
            side_by_side(outputs),
            figures.compare_coverage([o.label for o in outputs], by_priority),
            "<h3>Requirement lines whose allocation changes</h3>",
            coverage,
            "<h3>Contributors whose deployed personnel changes</h3>",
            contributors,
            "</section>",
        ]
    )
