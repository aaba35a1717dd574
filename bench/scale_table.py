"""The logic of bench/scale.py, apart from any solve: stage rows of a run, the lexicographic
comparison of two plans' stage values, the best-known record and the markdown table.

A run is what a fresh process printed: forcegen's (bench/phases.py: `stage_runs`, lists of
[name, status, value, gap, seconds]) or plain HiGHS's (bench/plain.py: `stages`, dicts), or
{"error": text} when the process failed. Values are in the planner's units; a gap is a fraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

REL_TOL = 1e-6  # two stage values are equal within this share of the larger (and 1e-6 absolute)
WITHIN = 0.01  # "within 1% of the best known value"


@dataclass
class StageRow:
    name: str
    status: str
    value: float | None
    gap: float | None
    seconds: float = 0.0


def stage_rows(run: dict[str, Any]) -> list[StageRow]:
    """A run's stages in lexicographic order, forcegen's or plain's; [] for a failed run.
    forcegen's `not_solved` is written "not reached", as plain's."""
    if "stage_runs" in run:
        return [
            StageRow(name, "not reached" if status == "not_solved" else status, value, gap, sec)
            for name, status, value, gap, sec in run["stage_runs"]
        ]
    return [StageRow(**s) for s in run.get("stages", [])]


def equal(a: float, b: float) -> bool:
    return abs(a - b) <= REL_TOL * max(1.0, abs(a), abs(b))


def lex_compare(a: Sequence[float | None], b: Sequence[float | None]) -> tuple[int, int]:
    """Compare two plans' stage values in lexicographic order (all stages minimised): (-1, i)
    when a is better, first at stage i; (1, i) when b is; (0, -1) when equal at every stage. A
    missing value (the stage has no plan) is worse than any value; two missing are equal. A
    stage's values only count when every earlier stage is equal, which the order ensures."""
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x is None and y is None:
            continue
        if x is None or y is None:
            return (1 if x is None else -1), i
        if not equal(x, y):
            return (-1 if x < y else 1), i
    return 0, -1


def best_vector(best: dict[str, Any], names: Sequence[str]) -> list[float | None]:
    """The best known values of one case for these stages (None where none is known)."""
    return [best[n]["value"] if n in best else None for n in names]


def record(known: dict[str, Any], case: str, rows: Sequence[StageRow], source: str) -> bool:
    """Replace the best known entry of `case` with this run's values when the run's plan is
    lexicographically better (see `lex_compare`); True when it did."""
    names = [r.name for r in rows]
    entry = known.get(case, {})
    order, _ = lex_compare([r.value for r in rows], best_vector(entry, names))
    if order >= 0:
        return False
    known[case] = {
        r.name: {"value": r.value, "source": source} for r in rows if r.value is not None
    }
    return True


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def cell(row: StageRow | None) -> str:
    """ "value (gap, status, seconds)", or the status alone without a value."""
    if row is None:
        return "—"
    if row.value is None:
        return row.status
    gap = "" if row.gap is None else f"{100 * row.gap:.2f}%, "
    return f"{number(row.value)} ({gap}{row.status}, {row.seconds:.1f} s)"


def within(value: float | None, best: float | None) -> str:
    """ "yes" when value is at most 1% above the best known (or equal to it), else "no"."""
    if value is None or best is None:
        return "—"
    ok = value <= best + WITHIN * abs(best) or equal(value, best)
    return "yes" if ok else "no"


def versus(forcegen: Sequence[StageRow], plain: Sequence[StageRow]) -> str:
    """Which plan is lexicographically better, and at which stage (by forcegen's stages)."""
    if not forcegen or not plain:
        return "—"
    plain_values = {r.name: r.value for r in plain}
    order, i = lex_compare(
        [r.value for r in forcegen], [plain_values.get(r.name) for r in forcegen]
    )
    if order == 0:
        return "equal"
    return f"{'forcegen' if order < 0 else 'plain'} better at {forcegen[i].name}"


HEADER = [
    "| case | limit | stage | forcegen value (gap, status, s) | plain HiGHS value (gap, status, s)"
    " | best known | forcegen within 1% of best known | lexicographically better |",
    "|---" * 8 + "|",
]
FOOTNOTE = (
    "† an earlier stage of forcegen's plan differs from the best known plan's: this stage's "
    "values are not comparable (a worse earlier stage can allow a better later one)."
)


def case_rows(
    case: str, label: str, limit: float, forcegen: dict, plain: dict, best: dict[str, Any]
) -> list[str]:
    """The table's rows of one case at one limit: a row per stage of forcegen's model."""
    f_rows, p_rows = stage_rows(forcegen), stage_rows(plain)
    p_by_name = {r.name: r for r in p_rows}
    names = [r.name for r in f_rows] or [r.name for r in p_rows]
    f_by_name = {r.name: r for r in f_rows}
    known = best_vector(best.get(case, {}), names)
    lines = []
    comparable = True  # every earlier stage of forcegen's plan equals the best known
    for i, (name, k) in enumerate(zip(names, known, strict=True)):
        f = f_by_name.get(name)
        fv = f.value if f else None
        first = i == 0
        lines.append(
            f"| {label if first else ''} | {f'{limit:g} s' if first else ''} | {name} | "
            f"{_error(forcegen) if first and 'error' in forcegen else cell(f)} | "
            f"{_error(plain) if first and 'error' in plain else cell(p_by_name.get(name))} | "
            f"{'—' if k is None else number(k)} | "
            f"{_within_cell(fv, k, comparable)} | "
            f"{versus(f_rows, p_rows) if first else ''} |"
        )
        comparable = comparable and fv is not None and k is not None and equal(fv, k)
    return lines


def _within_cell(value: float | None, best: float | None, comparable: bool) -> str:
    """`within`, marked † when an earlier stage differs from the best known plan's."""
    answer = within(value, best)
    return answer if comparable or answer == "—" else f"{answer} †"


def _error(run: dict) -> str:
    return "error: " + " ".join(str(run["error"]).split())[:80].replace("|", "/")
