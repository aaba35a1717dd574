"""A linear model held as blocks of numpy arrays: the single source of truth for every rule.

Core rules and caveat modules add *blocks* of variables and rows at once (index arrays and
coefficient arrays, never one Python call per constraint). Renderers turn the same blocks into a
Pyomo model (`pyomo_render.py`) or hand them straight to HiGHS as a sparse matrix (`matrix()`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from .stage_names import LATER_STAGES

INF = float("inf")


@dataclass
class VarBlock:
    """Columns of one kind: x[c,k,s], present[c,s], a caveat's indicators..."""

    name: str
    keys: list[tuple[Any, ...]]
    start: int
    lower: np.ndarray
    upper: np.ndarray
    integer: bool
    binary: bool
    origin: str = ""

    @property
    def cols(self) -> np.ndarray:
        return np.arange(self.start, self.start + len(self.keys))


CAVEAT = "caveat "  # a caveat's blocks have origin `caveat <id>` (`caveat_origin`)

# the stages a block of rows may be held back until (`RowBlock.from_stage`): only rows that
# every whole plan keeps (cuts) may be, and only from a stage after the shortfall stages, whose
# faces and searches they would change (docs/performance.md, "Personnel caps' hull rows")


def caveat_origin(cid: object) -> str:
    """The origin of the rows and columns caveat `cid` adds: `caveat C7`."""
    return f"{CAVEAT}{cid}"


@dataclass
class RowBlock:
    """Rows of one rule, with the workbook place each came from (for explanations)."""

    name: str
    keys: list[tuple[Any, ...]]
    start: int
    lower: np.ndarray
    upper: np.ndarray
    origin: str  # e.g. "Pledges", "caveat C7"
    kind: str  # e.g. "pledge", "requirement", "max_units"
    # "forces": x > 0 forces a 0/1 indicator on (sum x <= M u); "allows": the indicator may be on
    # only where x > 0 (u <= sum x); "" for rules. Heuristics and explanations read it.
    link: str = ""
    # "" (the rows bind from the first stage), or the stage from which they bind: cuts, rows
    # that every whole plan keeps anyway, which only tighten that stage's relaxation
    from_stage: str = ""

    @property
    def rows(self) -> np.ndarray:
        return np.arange(self.start, self.start + len(self.keys))

    @property
    def caveat_id(self) -> str:
        """The id of the caveat whose rows these are (origin `caveat C7`), "" for a rule's."""
        return self.origin.removeprefix(CAVEAT) if self.origin.startswith(CAVEAT) else ""


@dataclass
class Stage:
    """One objective stage of the lexicographic order: minimise cost @ x + offset."""

    name: str  # e.g. "shortfall.p1", "cost", "presence"
    cols: np.ndarray
    coefs: np.ndarray
    offset: float
    hold_abs: float  # the stage is held within value + max(hold_abs, hold_rel * |value|)
    hold_rel: float
    scale: float = 1.0  # the stage in the planner's units is scale * (coefs @ x + offset)
    # the stage counts amounts, never below 0 over the model's rows (shortfall, changes, cost,
    # presence): a plan at 0 is optimal however its search ended (solve/polish.plan_at_bound)
    at_least_zero: bool = False


@dataclass
class LinearModel:
    """Blocks of variables and rows, plus the objective stages in lexicographic order."""

    var_blocks: list[VarBlock] = field(default_factory=list)
    row_blocks: list[RowBlock] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    _nz_rows: list[np.ndarray] = field(default_factory=list)
    _nz_cols: list[np.ndarray] = field(default_factory=list)
    _nz_vals: list[np.ndarray] = field(default_factory=list)
    n_cols: int = 0
    n_rows: int = 0
    _csr: sp.csr_array | None = None

    def add_vars(
        self,
        name: str,
        keys: list[tuple[Any, ...]],
        lower: np.ndarray | float,
        upper: np.ndarray | float,
        *,
        integer: bool = False,
        binary: bool = False,
        origin: str = "",
    ) -> np.ndarray:
        """Add a block of columns; returns their column numbers. Bounds are checked here (NaN,
        lower > upper, wrong shape: a ValueError naming the block)."""
        n = len(keys)
        where = f"internal error: columns '{name}' ({origin or 'no origin'})"
        _check_keys(where, keys)
        lo = _broadcast(lower, (n,), where, "lower bounds")
        hi = _broadcast(upper, (n,), where, "upper bounds")
        _check_bounds(lo, hi, where, "column")
        block = VarBlock(name, list(keys), self.n_cols, lo, hi, integer or binary, binary, origin)
        self.var_blocks.append(block)
        self.n_cols += n
        return block.cols

    def add_rows(
        self,
        name: str,
        keys: list[tuple[Any, ...]],
        row: np.ndarray,
        col: np.ndarray,
        val: np.ndarray | float,
        lower: np.ndarray | float,
        upper: np.ndarray | float,
        *,
        origin: str,
        kind: str,
        link: str = "",
        from_stage: str = "",
    ) -> np.ndarray:
        """Add rows given as coordinates: nonzero `i` is `val[i]` at (local row `row[i]`, `col[i]`).

        Row `j` (0 <= j < len(keys)) reads lower[j] <= sum_i val[i] x[col[i]] <= upper[j]. The
        input is checked here, at declaration (a malformed block is a bug in the module that
        declares it, and would otherwise land in another block or fail later inside scipy):
        raises ValueError naming the block. `from_stage`: cuts that the solver holds back until
        that stage (one of LATER_STAGES); the model keeps them all along.
        """
        n = len(keys)
        where = f"internal error: rows '{name}' ({origin})"
        if from_stage and from_stage not in LATER_STAGES:
            raise ValueError(f"{where}: from_stage '{from_stage}' is not one of {LATER_STAGES}")
        _check_kind(where, kind, link, origin)
        row = np.asarray(row)
        col = np.asarray(col)
        if row.ndim != 1 or col.shape != row.shape:
            raise ValueError(f"{where}: {row.size} row indices but {col.size} columns")
        if row.size and not (_whole(row) and _whole(col)):
            raise ValueError(f"{where}: row and column indices must be whole numbers")
        row = row.astype(np.int64)
        col = col.astype(np.int64)
        vals = _broadcast(val, row.shape, where, "coefficients")
        lo = _broadcast(lower, (n,), where, "lower bounds")
        hi = _broadcast(upper, (n,), where, "upper bounds")
        _check_rows(where, n, row, col, vals, lo, hi, self.n_cols)
        _check_keys(where, keys)
        if n == 0:
            return np.arange(0)
        block = RowBlock(name, list(keys), self.n_rows, lo, hi, origin, kind, link, from_stage)
        self.row_blocks.append(block)
        self._nz_rows.append(row + self.n_rows)
        self._nz_cols.append(col)
        self._nz_vals.append(vals)
        self.n_rows += n
        self._csr = None
        return block.rows

    def add_stage(self, stage: Stage) -> None:
        self.stages.append(stage)

    # ---- whole-model views -------------------------------------------------------------------
    def matrix(self) -> sp.csr_array:
        """The constraint matrix, rows and columns in block order (deterministic)."""
        if self._csr is None:
            rows = np.concatenate(self._nz_rows) if self._nz_rows else np.zeros(0, np.int64)
            cols = np.concatenate(self._nz_cols) if self._nz_cols else np.zeros(0, np.int64)
            vals = np.concatenate(self._nz_vals) if self._nz_vals else np.zeros(0)
            coo = sp.coo_array((vals, (rows, cols)), shape=(self.n_rows, self.n_cols))
            csr = coo.tocsr()
            csr.sum_duplicates()
            csr.sort_indices()
            self._csr = csr
        return self._csr

    def col_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        lo = [b.lower for b in self.var_blocks]
        hi = [b.upper for b in self.var_blocks]
        return (
            np.concatenate(lo) if lo else np.zeros(0),
            np.concatenate(hi) if hi else np.zeros(0),
        )

    def row_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        lo = [b.lower for b in self.row_blocks]
        hi = [b.upper for b in self.row_blocks]
        return (
            np.concatenate(lo) if lo else np.zeros(0),
            np.concatenate(hi) if hi else np.zeros(0),
        )

    def held_back(self) -> dict[str, np.ndarray]:
        """The rows held back until a later stage, by that stage's name (`from_stage`)."""
        rows: dict[str, list[np.ndarray]] = {}
        for b in self.row_blocks:
            if b.from_stage:
                rows.setdefault(b.from_stage, []).append(b.rows)
        return {stage: np.concatenate(r).astype(np.int32) for stage, r in rows.items()}

    def integrality(self) -> np.ndarray:
        parts = [
            np.full(len(b.keys), 1 if b.integer else 0, dtype=np.int8) for b in self.var_blocks
        ]
        return np.concatenate(parts) if parts else np.zeros(0, np.int8)

    def stage_vector(self, stage: Stage) -> np.ndarray:
        cost = np.zeros(self.n_cols)
        np.add.at(cost, stage.cols, stage.coefs)
        return cost

    def row_block_of(self, row: int) -> tuple[RowBlock, int]:
        """The block holding a row, and the row's position within it."""
        starts = [b.start for b in self.row_blocks]
        i = int(np.searchsorted(starts, row, side="right")) - 1
        block = self.row_blocks[i]
        return block, row - block.start

    def size(self) -> dict[str, int]:
        integ = self.integrality()
        binaries = sum(len(b.keys) for b in self.var_blocks if b.binary)
        return {
            "variables": self.n_cols,
            "integer_variables": int(integ.sum()) - binaries,
            "binary_variables": binaries,
            "constraints": self.n_rows,
            "nonzeros": int(self.matrix().nnz),
        }


# the kinds of rows a rule of the model declares (a caveat's rows take their caveat kind's name:
# `caveat_row_kinds`); heuristics and explanations branch on them, so a misspelt
# kind or link would turn a rule into another silently
RULE_ROW_KINDS = frozenset(
    {
        "pledge",
        "requirement",
        "single_source",
        "max_contributors",
        "presence",
        "tour",
        "flow",
        "baseline",
        "locked",
    }
)
LINKS = ("", "forces", "allows")
# the kinds of a caveat's rows besides its caveat kind's name: a row every kind may add (an
# option forbidden, built to explain; a site's use)
SHARED_CAVEAT_ROW_KINDS = frozenset({"forbid", "site_use"})


@functools.cache
def caveat_row_kinds() -> frozenset[str]:
    """The kinds a caveat's rows may carry: a registered caveat kind's name, or a shared one.
    Asked of the registry when the first row is added (the registry imports this module, so
    it is read then, not at import), once: every block a model adds is checked."""
    from ..caveats import KINDS

    return SHARED_CAVEAT_ROW_KINDS | frozenset(KINDS)


def _check_kind(where: str, kind: str, link: str, origin: str) -> None:
    """`kind` one of RULE_ROW_KINDS (of `caveat_row_kinds()` for a caveat's rows), `link` one
    of LINKS: a ValueError naming the block otherwise."""
    if link not in LINKS:
        raise ValueError(f"{where}: link '{link}' is not one of {LINKS}")
    known = caveat_row_kinds() if origin.startswith(CAVEAT) else RULE_ROW_KINDS
    if kind not in known:
        raise ValueError(f"{where}: kind '{kind}' is not one of {sorted(known)}")


def _check_keys(where: str, keys: Any) -> None:
    """Each key names one row (or column) of its block: a key given twice would name two, in
    the golden files and in a conflict's explanation alike."""
    if len(set(keys)) == len(keys):
        return
    seen: set = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"{where}: key {key!r} given twice")
        seen.add(key)


def _whole(a: np.ndarray) -> bool:
    if a.dtype.kind in "iu":
        return True
    if a.dtype.kind == "f":
        return bool(np.all(np.isfinite(a)) and np.all(a == np.round(a)))
    return False


def _broadcast(value: Any, shape: tuple[int, ...], where: str, what: str) -> np.ndarray:
    """`value` as a float array of `shape` (a scalar is repeated), or a ValueError naming it."""
    try:
        return np.broadcast_to(np.asarray(value, dtype=float), shape).copy()
    except (TypeError, ValueError):
        got = np.shape(value)
        raise ValueError(f"{where}: {what} of shape {got}, expected a number or {shape}") from None


def _check_rows(
    where: str,
    n: int,
    row: np.ndarray,
    col: np.ndarray,
    vals: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    n_cols: int,
) -> None:
    """Every index within its block, every coefficient finite, every row's bounds in order."""
    if row.size and (row.min() < 0 or row.max() >= n):
        bad = int(row[(row < 0) | (row >= n)][0])
        raise ValueError(f"{where}: row index {bad} outside its {n} keys")
    if col.size and (col.min() < 0 or col.max() >= n_cols):
        bad = int(col[(col < 0) | (col >= n_cols)][0])
        raise ValueError(f"{where}: column {bad} does not exist (the model has {n_cols})")
    if not np.all(np.isfinite(vals)):
        i = int(np.flatnonzero(~np.isfinite(vals))[0])
        raise ValueError(f"{where}: coefficient {vals[i]} at row {int(row[i])}, column {col[i]}")
    _check_bounds(lo, hi, where, "row")


def _check_bounds(lo: np.ndarray, hi: np.ndarray, where: str, what: str) -> None:
    """No NaN bound, and some value fits each `what` (column or row): lo <= hi, lo < inf,
    hi > -inf; else a ValueError naming the first that fails."""
    if np.isnan(lo).any() or np.isnan(hi).any():
        raise ValueError(f"{where}: a bound is NaN")
    bad = np.flatnonzero((lo > hi) | (lo == np.inf) | (hi == -np.inf))
    if len(bad):
        j = int(bad[0])
        raise ValueError(
            f"{where}: {what} {j} has lower bound {lo[j]:g} and upper bound {hi[j]:g}: no value fits"
        )


def group_sum_rows(groups: np.ndarray) -> tuple[np.ndarray, int]:
    """Map group labels to local row numbers 0..n-1, in sorted label order."""
    uniques, inverse = np.unique(groups, return_inverse=True)
    return inverse.astype(np.int64), len(uniques)


def ranges(start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """start[0], start[0]+1, ..., start[0]+count[0]-1, then the same from start[1], ... (the
    positions of runs, for rows given as coordinates)."""
    total = int(count.sum())
    return np.repeat(start, count) + np.arange(total) - np.repeat(np.cumsum(count) - count, count)
