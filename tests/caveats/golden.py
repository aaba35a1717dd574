"""Each caveat kind's formulation pinned as LP-like text: its rows on a tiny world, as a diff.

`assert_golden(tmp_path, kind, **sheets)` builds the model of the standard world (`helpers.py`)
with these sheets and compares what the kind's caveats put into it with
`tests/caveats/golden/<kind>.lp`:

- the options they remove (`forbid`) and the requirements they make hard (`harden`);
- every row of a block whose origin is one of the caveats (row name: block name and key),
  plus the requirement rows they make hard, each as `lower <= sum coef col <= upper` (and
  a comment naming the stage after a cut the solver holds back until that stage);
- the bounds and type of every column those rows use (column name: block name and key).

Everything is sorted, so the text changes only when the formulation does. After a change made
on purpose, rewrite the files with `FORCEGEN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/caveats`
and review the diff.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from solver import api
from solver.model.build import build_model
from solver.model.context import BuildContext
from solver.model.linear import LinearModel, RowBlock, Stage
from tests.workbooks import Rows

from .helpers import world

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = "FORCEGEN_UPDATE_GOLDEN"


def golden_path(kind: str) -> Path:
    return GOLDEN / f"{kind}.lp"


def assert_golden(
    tmp_path: Path,
    kind: str,
    golden_name: str | None = None,
    *,
    explain: bool = False,
    **sheets: Rows,
) -> None:
    """The kind's rows on this world are the text of its golden file `<golden_name or
    kind>.lp` (or rewrite it, with FORCEGEN_UPDATE_GOLDEN=1); with `explain`, the model built
    to explain (every rule switchable: a forbidding kind's `caveat.<id>.forbid` rows)."""
    data = api.read(world(tmp_path / f"{kind}.xlsx", **sheets))
    text = lp_text(build_model(data, explain=explain), kind, sheets, golden_name)
    assert_text_golden(golden_path(golden_name or kind), text, f"the rows of caveat kind {kind}")


def assert_text_golden(path: Path, text: str, what: str) -> None:
    """`text` is the golden file's (with FORCEGEN_UPDATE_GOLDEN=1: it becomes it): every
    pinned formulation is compared, and rewritten on purpose, this one way."""
    if os.environ.get(UPDATE) == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path.name}: run with {UPDATE}=1 to write it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{what} changed ({path.name}); if on purpose, run with {UPDATE}=1 and review the diff"
    )


def lp_text(
    ctx: BuildContext, kind: str, sheets: dict[str, Rows], golden_name: str | None = None
) -> str:
    """What the caveats of `kind` put into the model, as sorted LP-like text (its world named
    by its test: test_<golden_name>_rows_golden, dots as underscores)."""
    lm = ctx.lm
    caveats = sorted(str(r["id"]) for r in sheets.get("caveats", []) if r["caveat"] == kind)
    origins = {f"caveat {cid}" for cid in caveats}
    names = column_names(lm)
    where = (
        f"test_rows_built_to_explain[{kind}] (tests/caveats/test_explain_rows.py)"
        if ctx.explain
        else f"test_timed_rows_are_pinned[{kind}] (tests/caveats/test_time_kinds.py)"
        if ctx.timed and golden_name in (None, f"{kind}.timed")
        else f"test_{(golden_name or kind).replace('.', '_')}_rows_golden (tests/caveats/test_{kind}.py)"
    )
    lines = [f"\\ caveat kind {kind}: {', '.join(caveats)} on the world of {where}"]
    lines += ["\\ rewrite after a change made on purpose: FORCEGEN_UPDATE_GOLDEN=1", ""]
    lines += ["removed options"]
    lines += removed_options(ctx, caveats)
    lines += ["", "hard requirements"]
    hardened = hardened_keys(ctx, caveats)
    lines += [f" {cid}: {', '.join(keys) or '(none)'}" for cid, keys in hardened.items()]
    rows: list[str] = []
    used: set[str] = set()
    hard_keys = {key for keys in hardened.values() for key in keys}
    for block in lm.row_blocks:
        if block.origin not in origins and block.kind != "requirement":
            continue
        for i, key in enumerate(block.keys):
            name = f"{block.name}({','.join(map(str, key))})"
            if block.origin not in origins and "/".join(map(str, key)) not in hard_keys:
                continue
            line = row_line(lm, block.start + i, name, names, used)
            rows.append(f"{line}  \\ from stage {block.from_stage}" if block.from_stage else line)
    lines += ["", "subject to", *(sorted(rows) or [" (no row)"])]
    lines += ["", "bounds", *column_lines(lm, names, used)]
    return "\n".join(lines) + "\n"


def rows_text(
    lm: LinearModel,
    keep: Callable[[RowBlock], bool],
    header: str,
    *,
    stages: Sequence[str] = (),
    sort: bool = False,
) -> str:
    """The rows of the blocks `keep` takes (in the model's order, or sorted), headed by
    `header`; before them the model's stages and each of `stages` as `minimise <stage>:
    scale x (terms + offset)`; after them the bounds of every column used. The one text of
    the core, tour and baseline golden files."""
    names = column_names(lm)
    rows: list[str] = []
    used: set[str] = set()
    for block in lm.row_blocks:
        if not keep(block):
            continue
        for i, key in enumerate(block.keys):
            name = f"{block.name}({','.join(map(str, key))})"
            rows.append(row_line(lm, block.start + i, name, names, used))
    lines = [f"\\ {header}", f"\\ rewrite after a change made on purpose: {UPDATE}=1", ""]
    if stages:
        lines += ["stages: " + ", ".join(s.name for s in lm.stages), ""]
    for stage in (s for s in lm.stages if s.name in stages):
        lines += [f"minimise {stage.name}: {stage_text(stage, names, used)}", ""]
    lines += ["subject to", *(sorted(rows) if sort else rows), ""]
    lines += ["bounds", *column_lines(lm, names, used)]
    return "\n".join(lines) + "\n"


def stage_text(stage: Stage, names: list[str], used: set[str]) -> str:
    """`+ 2 short(S1,INF) + 0` (scale 1), else `1e-06 x (+ 2000 x(A,INF,S1) + 0)`, its terms
    sorted by column name; adds the columns it uses to `used`."""
    terms = sorted(zip([names[c] for c in stage.cols], stage.coefs, strict=True))
    used.update(c for c, _ in terms)
    expr = " ".join(f"{'-' if v < 0 else '+'} {number(abs(v))} {c}" for c, v in terms) or "0"
    expr += f" + {number(stage.offset)}"
    return expr if stage.scale == 1 else f"{number(stage.scale)} x ({expr})"


def row_line(lm: LinearModel, r: int, name: str, names: list[str], used: set[str]) -> str:
    """Row r as ` name: terms <= bound`, its terms sorted by column name; adds the columns it
    uses to `used` (for the bounds section)."""
    matrix = lm.matrix()
    lower, upper = lm.row_bounds()
    start, end = matrix.indptr[r], matrix.indptr[r + 1]
    terms = sorted(
        zip([names[c] for c in matrix.indices[start:end]], matrix.data[start:end], strict=True)
    )
    used.update(c for c, _ in terms)
    return f" {name}: {row_text(terms, lower[r], upper[r])}"


def column_names(lm: LinearModel) -> list[str]:
    """The name of every column: its block's name and its key, e.g. x(A,INF,S1)."""
    names: list[str] = []
    for block in lm.var_blocks:
        names += [f"{block.name}({','.join(map(str, key))})" for key in block.keys]
    return names


def removed_options(ctx: BuildContext, caveats: list[str]) -> list[str]:
    cand = ctx.cand
    out = []
    for cid in caveats:
        positions = ctx.forbidden_by.get(cid, np.zeros(0, np.int64))
        keys = list(
            zip(
                cand["contributor"].to_numpy()[positions],
                cand["capability"].to_numpy()[positions],
                cand["site"].to_numpy()[positions],
                strict=True,
            )
        )
        keys = ctx.keyed(keys, cand["t"].to_numpy()[positions])
        options = sorted(f"({','.join(map(str, key))})" for key in keys)
        out.append(f" {cid}: {', '.join(options) or '(none)'}")
    return out


def hardened_keys(ctx: BuildContext, caveats: list[str]) -> dict[str, list[str]]:
    rq = ctx.data.requirements
    out = {}
    for cid in caveats:
        idx = ctx.hardened_by.get(cid, np.zeros(0, np.int64))
        first, last = ctx.hard_window.get(cid, (0, ctx.n_periods - 1))
        periods = [ctx.period_name(t) for t in range(first, last + 1)] if ctx.timed else [None]
        out[cid] = sorted(
            "/".join(filter(None, (rq["site"].iloc[i], rq["capability"].iloc[i], period)))
            for i in idx
            for period in periods
        )
    return out


def number(value: float) -> str:
    return f"{value:.12g}"


def row_text(terms: list[tuple[str, Any]], lower: float, upper: float) -> str:
    expr = " ".join(f"{'-' if v < 0 else '+'} {number(abs(v))} {c}" for c, v in terms) or "0"
    if lower == upper:
        return f"{expr} = {number(upper)}"
    if math.isinf(lower):
        return f"{expr} <= {number(upper)}"
    if math.isinf(upper):
        return f"{expr} >= {number(lower)}"
    return f"{number(lower)} <= {expr} <= {number(upper)}"


def column_lines(lm: LinearModel, names: list[str], used: set[str]) -> list[str]:
    lower, upper = lm.col_bounds()
    kinds = lm.integrality()
    binaries = {names[c] for b in lm.var_blocks if b.binary for c in b.cols}
    out = []
    for c, name in enumerate(names):
        if name in used:
            what = "binary" if name in binaries else "integer" if kinds[c] else "continuous"
            out.append(f" {number(lower[c])} <= {name} <= {number(upper[c])} {what}")
    return sorted(out) or [" (no column)"]
