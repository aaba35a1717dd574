"""How the solved stages of a lexicographic solve are held for the later ones, and checked.

A stage solved to its value v is held by a row of HiGHS's model, cost @ x <= v + slack (`hold`),
or, solved on the optimal face of its relaxation (solve/face.py), by the face's bounds
(`hold_on_face`). The neighbourhoods (solve/submodel.py) and every plan taken are checked against
the holds as the solver keeps them here (`row_bounds`, `held_stages`, `keeps_rows`), not against
HiGHS's copy; `drop_holds` undoes them for a re-solve of the same model.

Rows held back until a later stage (cuts, `RowBlock.from_stage`) are free in HiGHS until that
stage begins (`hold_back_rows`, `release_rows`), left out of the neighbourhoods' models and not
counted by the work clock: a stage before it has the relaxation, face and budgets it would have
without them. (HiGHS's search on the whole model may still take another path with free rows in
it: docs/performance.md, "Personnel caps' hull rows from the cost stage".)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import highspy
import numpy as np

from ..model.portable import dot
from ..model.stage_names import LATER_STAGES
from .face import Face, apply_bounds
from .reach import rows_beyond_reach

if TYPE_CHECKING:
    from ..model.matrix import MatrixModel
    from .instance import StopFlag


class Holds:
    """The holds of a `LexicographicSolver` (a mixin: it owns `h` and `mm`)."""

    h: highspy.Highs
    mm: MatrixModel
    stop: StopFlag

    def init_holds(self, mm: MatrixModel) -> None:
        self.holds: list[tuple[int, float]] = []  # (row, value) of each held stage, in order
        self._held_costs: list[np.ndarray] = []  # the cost row of each hold
        self._hold_slack: list[float] = []  # how far above its value each hold lets a stage go
        # the row bounds as they are now (a re-solve may relax some: set_row_bounds)
        self.row_lower = mm.row_lower.copy()
        self.row_upper = mm.row_upper.copy()
        # the column bounds as they are now (a stage held on its optimal face narrows them)
        self.col_lower = mm.col_lower.copy()
        self.col_upper = mm.col_upper.copy()
        self._before_faces: Face | None = None  # every bound before the first face, for reset
        # the rows as the last face narrowed them in HiGHS (row_lower/row_upper keep the model's)
        self._face_rows: tuple[np.ndarray, np.ndarray] | None = None
        # (first stage they bind in, rows) of the rows held back, and which are free in HiGHS now
        self._held_back = [
            (first_stage_from(mm, stage), rows) for stage, rows in sorted(mm.held_back.items())
        ]
        self._waiting = np.zeros(mm.n_rows, dtype=bool)

    def beyond_reach(self) -> bool:
        """Whether a row of the model, with the bounds held now, no plan can meet
        (solve/reach.py): the model is infeasible, whatever the budget."""
        now = (self.col_lower, self.col_upper, self.row_lower, self.row_upper)
        return bool(len(rows_beyond_reach(self.mm, now)))

    def hold_back_rows(self) -> None:
        """A solve begins: the rows held back until a later stage are free in HiGHS."""
        rows = [r for first, r in self._held_back if first > 0]
        if rows:
            self._waiting[np.concatenate(rows)] = True
            self._push_rows(np.concatenate(rows))
            self._count_waiting()

    def release_rows(self, i: int) -> None:
        """Stage i begins: the rows held back until it (or an earlier one) bind in HiGHS."""
        rows = [r for first, r in self._held_back if first <= i and self._waiting[r].any()]
        if rows:
            self._waiting[np.concatenate(rows)] = False
            self._push_rows(np.concatenate(rows))
            self._count_waiting()

    def binding(self, rows: np.ndarray) -> np.ndarray:
        """`rows` without those held back now (a neighbourhood's model leaves them out)."""
        return rows[~self._waiting[rows]] if self._waiting.any() else rows

    def _count_waiting(self) -> None:
        """The work clock does not count the rows held back (`StopFlag.uncounted`)."""
        waiting = np.flatnonzero(self._waiting)
        nnz = int(np.diff(self.mm.a.indptr)[waiting].sum())
        self.stop.uncounted = (len(waiting), nnz)

    def _push_rows(self, rows: np.ndarray, raw: bool = False) -> None:
        """HiGHS's bounds of `rows` set to `row_bounds`' (free where held back); `raw`: to the
        model's as a re-solve set them, without the faces' narrowing."""
        lower, upper = (
            self._free_waiting(self.row_lower, self.row_upper) if raw else self.row_bounds()
        )
        # highspy's stubs lack changeRowsBounds (the binding has it)
        self.h.changeRowsBounds(len(rows), rows.astype(np.int32), lower[rows], upper[rows])  # type: ignore[attr-defined]

    def _free_waiting(self, lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The bounds with the rows held back free, as HiGHS holds them."""
        if not self._waiting.any():
            return lower, upper
        lower, upper = lower.copy(), upper.copy()
        lower[self._waiting], upper[self._waiting] = -np.inf, np.inf
        return lower, upper

    def row_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Every row's bounds as HiGHS holds them now: the model's (as a re-solve may have
        relaxed them), narrowed by the optimal faces the stages were held on, free where held
        back until a later stage."""
        if self._face_rows is None:
            return self._free_waiting(self.row_lower, self.row_upper)
        lower, upper = self._face_rows
        return self._free_waiting(
            np.maximum(self.row_lower, lower), np.minimum(self.row_upper, upper)
        )

    def held_stages(self) -> list[tuple[np.ndarray, float, float]]:
        """(cost row, value, slack) of every stage held so far: cost @ x <= value + slack."""
        return list(
            zip(self._held_costs, [v for _, v in self.holds], self._hold_slack, strict=True)
        )

    def within_columns(self, x: np.ndarray, tol: float = 1e-6) -> bool:
        """x keeps every column's bounds as the solve holds them now (faces narrow them)."""
        return bool(np.all(x >= self.col_lower - tol) and np.all(x <= self.col_upper + tol))

    def keeps_rows(self, x: np.ndarray, tol: float = 1e-6) -> bool:
        """x keeps every row (`row_bounds`) and every hold added so far, within `tol`."""
        lower, upper = self.row_bounds()
        act = self.mm.a @ x
        if np.any(act < lower - tol) or np.any(act > upper + tol):
            return False
        for cost, value, slack in self.held_stages():
            if dot(cost, x) > value + min(max(tol, 1e-9 * abs(value)), slack + tol):
                return False
        return True

    def gives_up_a_face(self, x: np.ndarray) -> bool:
        """x is worse at a stage held on its face than that stage's value. The face's bounds
        hold it exactly in exact arithmetic; duals read as 0 within `face.TOLERANCE` leave
        room, so a later stage's plan is checked before it is taken."""
        for (row, value), stage_cost in zip(self.holds, self._held_costs, strict=True):
            if row < 0 and dot(stage_cost, x) > value + max(1e-6, 1e-9 * abs(value)):
                return True
        return False

    def drop_holds(self) -> None:
        """Drop the rows added by the holds and restore the bounds the faces narrowed (the
        rows as `set_row_bounds` last left them: a re-solve may have changed some since)."""
        extra = self.h.getNumRow() - self.mm.n_rows
        if extra > 0:
            rows = np.arange(self.mm.n_rows, self.mm.n_rows + extra, dtype=np.int32)
            self.h.deleteRows(len(rows), rows)
        if self._before_faces is not None:
            before = self._before_faces
            lower, upper = self._free_waiting(self.row_lower, self.row_upper)
            apply_bounds(self, Face(before.col_lower, before.col_upper, lower, upper))
            self.col_lower, self.col_upper = before.col_lower.copy(), before.col_upper.copy()
            self._before_faces = None
        self.holds = []
        self._held_costs = []
        self._hold_slack = []
        self._face_rows = None

    def set_row_bounds(self, rows: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        if len(rows):
            self.row_lower[rows] = lower
            self.row_upper[rows] = upper
            self._push_rows(rows, raw=True)

    def hold_on_face(self, cost: np.ndarray, value: float, before: Face, face: Face) -> None:
        """A stage solved on its optimal face (solve/face.py) is held by the face's bounds,
        now in HiGHS, instead of a row; its value is still checked by `keeps_rows`."""
        if self._before_faces is None:
            self._before_faces = before
        self.col_lower, self.col_upper = face.col_lower.copy(), face.col_upper.copy()
        # the model's rows (the holding rows a face narrows stay checked by `held_stages`)
        n = self.mm.n_rows
        self._face_rows = (face.row_lower[:n].copy(), face.row_upper[:n].copy())
        self.holds.append((-1, value))
        self._held_costs.append(cost)
        self._hold_slack.append(0.0)

    def hold_plan(self, i: int, x: np.ndarray) -> None:
        """Keep stage i at the value of plan `x` from now on, unless it is held already (by
        its plan taken from HiGHS, or on its face)."""
        cost = self.mm.costs[i]
        if not any(held is cost for held in self._held_costs):
            stage = self.mm.stages[i]
            self.hold(cost, dot(cost, x), stage.hold_abs, stage.hold_rel)

    def hold(self, cost: np.ndarray, value: float, hold_abs: float, hold_rel: float) -> None:
        """Keep a solved stage at its value (cost @ x <= value + tolerance) from now on."""
        nz = np.flatnonzero(cost)
        tol = max(hold_abs, hold_rel * abs(value))
        self.holds.append((self.h.getNumRow(), value))
        self._held_costs.append(cost)
        self._hold_slack.append(tol)
        self.h.addRow(-highspy.kHighsInf, value + tol, len(nz), nz.astype(np.int32), cost[nz])


def first_stage_from(mm: MatrixModel, stage: str) -> int:
    """The first of the model's stages at or after `stage` in LATER_STAGES' order (`changes`
    without a baseline: `cost`); past the last stage when there is none."""
    order = LATER_STAGES.index(stage)
    for i, s in enumerate(mm.stages):
        kind = s.name.split(".", 1)[0]
        if kind in LATER_STAGES and LATER_STAGES.index(kind) >= order:
            return i
    return len(mm.stages)
