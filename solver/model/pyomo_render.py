"""Render the model's blocks as a Pyomo model, and compile it back to matrices for HiGHS.

The Pyomo model is the one users extend or export (`model.x['FRA','INF_BN','Kyiv']`, one
`Constraint` per rule block, one `Objective` per stage). It is handed to HiGHS through Pyomo's
`LinearStandardFormCompiler` with our own column and row order, the fastest Pyomo route measured
(see README, Performance), so that both backends give the same matrix and the same search path.
"""

from __future__ import annotations

import logging
import re
import sys

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.core.expr.numeric_expr import LinearExpression
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from .linear import LinearModel
from .matrix import MatrixModel


class _QuietOnStop(logging.Filter):
    """Pyomo logs a component whose construction a Ctrl-C or SIGTERM cut short as an error
    (`Constructing component 'x' from data=None failed: KeyboardInterrupt`, and `Rule failed
    ...` before it) and raises the stop again; forcegen says what the stop did, so those two
    records are dropped (a trial: they printed internal block names beside the stop's
    message). They are logged inside Pyomo's `except`, so the exception being handled is the
    stop. Every other record is kept, and so is a failure that is an error of its own: one
    raised while a caller handles a stop is a real fault (a review), so a stop Pyomo's enums
    turn into an AttributeError is logged too."""

    FAILED = ("Constructing component", "Rule failed")

    def filter(self, record: logging.LogRecord) -> bool:
        stopped = isinstance(sys.exc_info()[1], KeyboardInterrupt)
        return not (stopped and str(record.msg).startswith(self.FAILED))


_PYOMO_CORE = logging.getLogger("pyomo.core")  # the logger of Pyomo's component construction
if not any(isinstance(f, _QuietOnStop) for f in _PYOMO_CORE.filters):
    _PYOMO_CORE.addFilter(_QuietOnStop())


def _component_name(name: str, taken: set[str]) -> str:
    """A Pyomo name for a block: its name with every other character than letters, digits and
    `_` made `_`, and `_2`, `_3`, ... after it where that is taken. Blocks may share a name
    (a timed `requires` adds `deploys.USA` once per period) and names may differ only where
    they become `_` (caveats `C-16` and `C_16`); Pyomo refuses a name given twice."""
    base = re.sub(r"[^0-9A-Za-z_]", "_", name)
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}_{n}"
    taken.add(found)
    return found


def to_pyomo(lm: LinearModel) -> tuple[pyo.ConcreteModel, list]:
    """The Pyomo model, and its variables in column order."""
    model = pyo.ConcreteModel(name="forcegen")
    colvars: list = []
    taken: set[str] = set()
    for block in lm.var_blocks:
        domain = (
            pyo.Binary
            if block.binary
            else (pyo.NonNegativeIntegers if block.integer else pyo.Reals)
        )
        index = _index(block.keys)
        bounds = {
            i: (float(lo), float(hi))
            for i, lo, hi in zip(index, block.lower, block.upper, strict=True)
        }
        var = pyo.Var(
            index,
            domain=domain,
            bounds=lambda m, *i, b=bounds: b[i[0] if len(i) == 1 else i],
            dense=True,
        )
        model.add_component(_component_name(block.name, taken), var)
        colvars.extend(var[i] for i in index)
    csr = lm.matrix()
    indptr, indices, data = csr.indptr, csr.indices, csr.data
    for row_block in lm.row_blocks:
        index = _index(row_block.keys)
        exprs = {}
        for local, key in enumerate(index):
            r = row_block.start + local
            lo, hi = row_block.lower[local], row_block.upper[local]
            cols = indices[indptr[r] : indptr[r + 1]]
            coefs = data[indptr[r] : indptr[r + 1]]
            if not len(cols):
                exprs[key] = pyo.Constraint.Skip  # a constant row: kept by the matrix, not Pyomo
                continue
            body = LinearExpression(
                [float(c) * colvars[j] for c, j in zip(coefs, cols, strict=True)]
            )
            exprs[key] = (
                None if np.isinf(lo) else float(lo),
                body,
                None if np.isinf(hi) else float(hi),
            )
        con = pyo.Constraint(index, rule=lambda m, *i, e=exprs: e[i[0] if len(i) == 1 else i])
        model.add_component(_component_name(f"rule_{row_block.name}", taken), con)
    for n, stage in enumerate(lm.stages):
        expr = (
            LinearExpression(
                [float(c) * colvars[j] for c, j in zip(stage.coefs, stage.cols, strict=True)]
            )
            + stage.offset
        )
        name = _component_name(f"stage_{n}_{stage.name}", taken)
        model.add_component(name, pyo.Objective(expr=expr))
    return model, colvars


def _index(keys: list[tuple]) -> list:
    """Pyomo index: readable keys (1-tuples flattened, as Pyomo does), else positions."""
    if len(set(keys)) != len(keys) or len({len(k) for k in keys}) > 1:
        return list(range(len(keys)))
    return [k[0] if len(k) == 1 else k for k in keys]


def compile_pyomo(model: pyo.ConcreteModel, colvars: list, lm: LinearModel) -> MatrixModel:
    """Pyomo -> standard form (our column/row order) -> the matrices HiGHS takes."""
    rows_in_order = [
        c for c in model.component_data_objects(pyo.Constraint, active=True, descend_into=True)
    ]
    info = LinearStandardFormCompiler().write(
        model, mixed_form=True, column_order=colvars, row_order=rows_in_order, set_sense=None
    )
    if [id(v) for v in info.columns] != [id(v) for v in colvars]:
        raise AssertionError("Pyomo dropped or reordered columns")
    a = sp.csr_array(info.A)
    # Mixed form writes a ranged constraint as two rows; fold them back into one row each.
    position: dict[int, int] = {}
    keep: list[int] = []
    lower, upper = [], []
    for r, (con, bound) in enumerate(info.rows):
        key = id(con)
        if key not in position:
            position[key] = len(keep)
            keep.append(r)
            lower.append(-np.inf)
            upper.append(np.inf)
        i = position[key]
        if bound in (0, -1):
            lower[i] = float(info.rhs[r])
        if bound in (0, 1):
            upper[i] = float(info.rhs[r])
    a = a[keep] if keep else sp.csr_array((0, len(colvars)))
    # Rows the compiler dropped (no variables left) still carry their bounds in the blocks.
    empty = _empty_rows(lm)
    col_lower = np.array([v.lb if v.lb is not None else -np.inf for v in colvars], dtype=float)
    col_upper = np.array([v.ub if v.ub is not None else np.inf for v in colvars], dtype=float)
    integrality = np.array([0 if v.is_continuous() else 1 for v in colvars], dtype=np.int8)
    c = sp.csr_array(info.c)
    costs = [c[[i]].toarray().ravel() for i in range(c.shape[0])]
    return MatrixModel.assemble(
        a,
        np.array(lower),
        np.array(upper),
        col_lower,
        col_upper,
        integrality,
        costs,
        list(info.c_offset),
        lm,
        empty,
    )


def _empty_rows(lm: LinearModel) -> np.ndarray:
    csr = lm.matrix()
    return np.flatnonzero(np.diff(csr.indptr) == 0)


def load_values(model: pyo.ConcreteModel, x: np.ndarray) -> None:
    """Put a solution back into the Pyomo variables (fast path, no validation)."""
    colvars = [v for v in model.component_data_objects(pyo.Var, descend_into=True)]
    for var, value in zip(colvars, x, strict=True):
        var.set_value(float(value), skip_validation=True)
