"""The HTML briefing: one self-contained page (inline CSS and SVG, no script, no network).

Every text taken from a workbook goes through `html.escape`; figures are matplotlib's SVG."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..results.tables import CAVEAT_COLUMNS as TABLE_CAVEAT_COLUMNS
from . import figures
from .load import Geo, Output

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;
 margin:0 auto;max-width:1200px;padding:16px 24px}
h1{font-size:24px;margin:4px 0}h2{font-size:19px;border-bottom:2px solid #1F3864;padding-bottom:3px;
 margin-top:28px}h3{font-size:15px;margin:18px 0 6px}
.sub,.note{color:#555}.note{font-style:italic}
.status{padding:10px 14px;border-radius:6px;margin:10px 0;font-weight:600}
.ok{background:#E2EFDA;border-left:6px solid #548235}.warn{background:#FFF2CC;border-left:6px solid
 #BF8F00}.bad{background:#F8CBAD;border-left:6px solid #C00000}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin:8px 0}
.card{border:1px solid #D9D9D9;border-radius:6px;padding:8px 10px}.card b{display:block;font-size:22px}
.card span{color:#555;font-size:12px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
svg{max-width:100%;height:auto}
table{border-collapse:collapse;margin:6px 0;font-size:12.5px}
th{background:#1F3864;color:#fff;text-align:left;padding:3px 8px}
td{border-bottom:1px solid #E5E5E5;padding:3px 8px;vertical-align:top;max-width:560px;
 overflow-wrap:anywhere}td:first-child{white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.short td{background:#FBE5D6}td ul{margin:0;padding-left:16px}.chg{color:#7F6000;font-style:italic}
@media print{.grid2{grid-template-columns:1fr}h2{break-before:page}}
"""
STATUS = {"optimal": "ok", "feasible": "warn"}
COMMON = ("pledge exhausted", "unavailable", "pledged 0 units")  # listed after specific reasons
CAVEAT_COLUMNS = [*TABLE_CAVEAT_COLUMNS, "remark"]


def e(value: Any) -> str:
    """Escaped text of a cell: numbers with thousands separators, blanks as an en dash."""
    value = scalar(value)
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() or abs(value) >= 1000 else f"{value:,.4g}"
    return html.escape(str(value))


def scalar(value: Any) -> Any:
    """A numpy scalar as the Python value it holds."""
    return value.item() if isinstance(value, np.generic) else value


def table(frame: pd.DataFrame, columns: Sequence[str], short: Iterable[bool] | None = None) -> str:
    """An HTML table of `columns` (those present and not blank throughout)."""
    cols = [c for c in columns if c in frame.columns and frame[c].map(e).ne("–").any()]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    flags = list(short) if short is not None else [False] * len(frame)
    body = []
    for flag, row in zip(flags, frame[cols].itertuples(index=False, name=None), strict=True):
        cells = "".join(
            f'<td class="num">{e(v)}</td>'
            if isinstance(scalar(v), int | float)
            else f"<td>{e(v)}</td>"
            for v in row
        )
        body.append(f'<tr class="short">{cells}</tr>' if flag else f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def headline(out: Output) -> dict[str, Any]:
    """The figures a briefing opens with, from the Coverage and Contributors sheets."""
    cov, con = out.coverage, out.contributors
    required, allocated = float(cov["required"].sum()), float(cov["allocated"].sum())
    figs: dict[str, Any] = {"coverage": allocated / required if required else 1.0}
    for p in sorted(cov["priority"].dropna().unique()):
        sel = cov[cov["priority"] == p]
        req = float(sel["required"].sum())
        figs[f"p{int(p)}"] = float(sel["allocated"].sum()) / req if req else 1.0
    figs["personnel"] = int(con["deployed_personnel"].sum())
    figs["engaged"] = int((con["deployed_units"] > 0).sum())
    figs["available"] = int((con["status"].astype(str) == "available").sum())
    figs["unmet"] = int(cov["shortfall"].sum())
    figs["hard_short"] = int(((cov["hard"].astype(str) == "yes") & (cov["shortfall"] > 0)).sum())
    return figs


def status_block(out: Output) -> str:
    status, s = out.status, out.summary
    message = e(s.get("message", ""))
    if status == "optimal":
        text = "Optimal: the best plan at every stage"
    elif status == "feasible":
        gap = s.get("mip_gap")
        gap_text = f"{gap:.2%}" if isinstance(gap, int | float) else e(gap)
        text = f"Feasible with gap {gap_text}: a valid plan, not proven optimal"
    elif status == "infeasible":
        text = "Infeasible: hard requirements and caveats cannot all hold"
    else:
        text = f"Status {e(status)}"
    block = (
        f'<div class="status {STATUS.get(status, "bad")}">{text}<br><small>{message}</small></div>'
    )
    why = out.table("Infeasibility")
    if why is not None and len(why):
        block += "<h3>Why there is no plan</h3>" + table(
            why, ["part", "explanation", "relax_by", "rule"]
        )
    return block


def cards(figs: dict[str, Any]) -> str:
    items = [(f"{figs['coverage']:.1%}", "coverage, all priorities")]
    items += [
        (f"{v:.1%}", f"coverage priority {k[1:]}")
        for k, v in figs.items()
        if k[:1] == "p" and k[1:].isdigit()
    ]
    items += [
        (f"{figs['personnel']:,}", "personnel deployed"),
        (f"{figs['engaged']} of {figs['available']}", "contributors engaged"),
        (f"{figs['unmet']:,}", "units unmet"),
        (f"{figs['hard_short']:,}", "hard lines short"),
    ]
    body = "".join(
        f"<div class=card><b>{v}</b><span>{html.escape(k)}</span></div>" for v, k in items
    )
    return f'<div class="cards">{body}</div>'


def map_block(out: Output, geo: Geo) -> str:
    notes = [f'<p class="note">{e(n)}</p>' for n in geo.notes]
    if geo.sites is None or geo.homes is None:
        return "".join(notes) + figures.coverage_bars(out.coverage)
    svg, off = figures.site_map(out.coverage, out.allocation, geo.sites, geo.homes)
    if off:
        notes.append(f'<p class="note">Lines leave the frame towards {e(", ".join(off))}.</p>')
    return svg + "".join(notes)


def gaps_block(out: Output) -> str:
    """One row per short line; the contributors that pledged it, grouped by reason."""
    gaps = out.table("Gaps")
    if gaps is None:
        cov = out.coverage
        gaps = cov[cov["shortfall"] > 0].assign(contributor="", reason="(no Gaps sheet)")
    if not len(gaps):
        return "<p>No requirement line is short.</p>"
    keys = ["site", "capability", "priority", "required", "allocated", "shortfall"]
    rows = []
    for line, grp in gaps.groupby(keys, sort=False):
        by_reason: dict[str, list[str]] = {}
        for c, reason in zip(grp["contributor"], grp["reason"], strict=True):
            head = str(reason)
            head = "pledge exhausted" if head.startswith("pledge exhausted") else head
            by_reason.setdefault(head, []).append(str(c))
        ordered = sorted(by_reason.items(), key=lambda kv: kv[0] in COMMON)
        why = "".join(f"<li>{e(r)}: <b>{e(', '.join(cs))}</b></li>" for r, cs in ordered)
        cells = "".join(f"<td>{e(v)}</td>" for v in line)
        rows.append(f"<tr>{cells}<td><ul>{why}</ul></td></tr>")
    head = "".join(
        f"<th>{c}</th>" for c in [*keys, "why not filled (contributors that pledged it)"]
    )
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def caveats_block(out: Output) -> str:
    cav = out.table("Caveats")
    if cav is None or "binding" not in cav.columns:
        return "<p>No Caveats sheet in this output.</p>"
    binding = cav[cav["binding"].astype(str) == "yes"]
    if not len(binding):
        return "<p>No caveat binds.</p>"
    return table(binding, CAVEAT_COLUMNS)


def output_section(out: Output, geo: Geo) -> str:
    """Everything about one output: status, figures, map, heat map, bars, gaps, caveats."""
    parts = [f"<section><h2>{e(out.label)}</h2>", status_block(out), cards(headline(out))]
    parts += ["<h3>Where the force goes</h3>", map_block(out, geo)]
    parts += ["<h3>Coverage per site and capability</h3>", figures.heatmap(out.coverage)]
    burden = figures.burden(out.contributors)
    parts += [
        '<div class="grid2"><div><h3>Contributions</h3>',
        figures.contributions(out.contributors),
        "</div><div><h3>Burden share</h3>",
        burden or "<p>No contributor has a gdp in the input: no burden-share chart.</p>",
        "</div></div>",
    ]
    parts += [
        "<h3>Gaps and why</h3>",
        gaps_block(out),
        "<h3>Caveats that bind</h3>",
        caveats_block(out),
        "</section>",
    ]
    return "".join(parts)


def page(outputs: Sequence[Output], geos: Sequence[Geo]) -> str:
    """The whole HTML document."""
    from .compare import comparison_section

    names = ", ".join(o.path.name for o in outputs)
    first = outputs[0]
    title = f"forcegen briefing: {names}"
    head = (
        f"<header><h1>Force generation briefing</h1><p class=sub>{e(names)} · input "
        f"{e(first.summary.get('input_file'))} · forcegen {e(__version__)}</p></header>"
    )
    body = [head]
    if len(outputs) > 1:
        body.append(comparison_section(outputs))
    body += [output_section(o, g) for o, g in zip(outputs, geos, strict=True)]
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )
