"""How the solved stages of a lexicographic solve are held for the later ones, and checked.

A stage solved to its value v is held by a row of HiGHS's model, cost @ x <= v + slack (`hold`),
or, solved on the optimal face of its relaxation (solve/face.py), by the face's bounds
(`hold_on_face`). The neighbourhoods (solve/submodel.py) and every plan taken are checked against
the holds as the solver keeps them here (`row_bounds`, `held_stages`, `keeps_rows`), not against
HiGHS's copy; `drop_holds` undoes them for a re-solve of the same model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import highspy
import numpy as np

from ..model.portable import dot
from .face import Face, apply_bounds

if TYPE_CHECKING:
    from ..model.matrix import MatrixModel


class Holds:
    """The holds of a `LexicographicSolver` (a mixin: it owns `h` and `mm`)."""

    h: highspy.Highs
    mm: MatrixModel

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

    def row_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Every row's bounds as HiGHS holds them now: the model's (as a re-solve may have
        relaxed them), narrowed by the optimal faces the stages were held on."""
        if self._face_rows is None:
            return self.row_lower, self.row_upper
        lower, upper = self._face_rows
        return np.maximum(self.row_lower, lower), np.minimum(self.row_upper, upper)

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
            apply_bounds(
                self, Face(before.col_lower, before.col_upper, self.row_lower, self.row_upper)
            )
            self.col_lower, self.col_upper = before.col_lower.copy(), before.col_upper.copy()
            self._before_faces = None
        self.holds = []
        self._held_costs = []
        self._hold_slack = []
        self._face_rows = None

    def set_row_bounds(self, rows: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        if len(rows):
            # highspy's stubs lack changeRowsBounds (the binding has it)
            self.h.changeRowsBounds(len(rows), rows.astype(np.int32), lower, upper)  # type: ignore[attr-defined]
            self.row_lower[rows] = lower
            self.row_upper[rows] = upper

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

    def hold(self, cost: np.ndarray, value: float, hold_abs: float, hold_rel: float) -> None:
        """Keep a solved stage at its value (cost @ x <= value + tolerance) from now on."""
        nz = np.flatnonzero(cost)
        tol = max(hold_abs, hold_rel * abs(value))
        self.holds.append((self.h.getNumRow(), value))
        self._held_costs.append(cost)
        self._hold_slack.append(tol)
        self.h.addRow(-highspy.kHighsInf, value + tol, len(nz), nz.astype(np.int32), cost[nz])
