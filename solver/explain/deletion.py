"""The search for one irreducible conflict: a feasibility check on the explain model whose
rules are switched on and off by their rows' bounds (`Feasibility`), and the deletion filter
over it (`search`): whole classes first, then a class's rules of one capability together, then
all periods of one rule, then single rules; a rule is kept only if the model becomes feasible
without it. In time the filter first works on the first period impossible on its own
(`conflict_time.localise`). `infeasibility.py` names what it finds.
"""

from __future__ import annotations

import highspy
import numpy as np

from ..model.matrix import MatrixModel
from ..solve.instance import MS, apply_options, load, new_highs
from .conflict import Conflict
from .conflict_time import localise
from .rules import CLASS_ORDER, Rule
from .search_budget import SearchBudget

FEASIBILITY_TOL = 1e-7  # HiGHS's primal_feasibility_tolerance default
# a check stopped by a limit, not by a failure
UNDECIDED_IN_TIME = (
    MS.kTimeLimit,
    MS.kIterationLimit,
    MS.kSolutionLimit,
    MS.kInterrupt,
    MS.kHighsInterrupt,  # type: ignore[attr-defined]  # bound, missing from the stubs
)


class Feasibility:
    """One HiGHS instance on the explain model; rules are switched by their rows' bounds."""

    def __init__(
        self,
        mm: MatrixModel,
        per_check: float,
        period_cols: list[np.ndarray] | None = None,
        budget: SearchBudget | None = None,
    ) -> None:
        self.mm = mm
        self.budget = budget  # counts the checks made (a work limit's budget is in checks)
        self.h = new_highs()
        apply_options(self.h, {"time_limit": per_check, "threads": 1, "mip_rel_gap": 1.0})
        load(self.h, mm)
        self.period_cols = period_cols or []  # per period: its columns (units present, arrivals)
        self.off: set[int] = set()  # rows of rules switched off
        # rows on only columns `keep_periods` fixed at 0: free while they are (see there)
        self.fixed_only = np.zeros(mm.n_rows, dtype=bool)
        self._nonzeros = np.diff(mm.a.indptr)  # per row
        self._row_of = np.repeat(np.arange(mm.n_rows), self._nonzeros)  # per nonzero
        self.undecided = 0  # checks that ended neither infeasible nor with a plan
        self.failure = ""  # the last check's failure in HiGHS's words, when it failed

    def keep_periods(self, periods: set[int] | None) -> None:
        """Fix at 0 the units present and arriving in every period not in `periods` (None:
        none); the rules of those periods are the caller's to switch off. "Impossible" must be
        verified with `keep_periods(None)`.

        A row whose every column is so fixed is free meanwhile: it can only hold or fail by
        the fixing itself. A locked tour's row in another period (x >= 2, x fixed at 0) made
        every period "impossible on its own", so the search for a conflict started in the
        wrong period and ran out of time, naming 46 rules for one lock above its line (a
        trial)."""
        fixed = np.zeros(self.mm.n_cols, dtype=bool)
        cols = np.unique(np.concatenate([np.zeros(0, np.int32), *self.period_cols]))
        for t, at in enumerate(self.period_cols):  # a column of several periods: fixed by any
            fixed[at] |= periods is not None and t not in periods
        lo = np.where(fixed[cols], 0.0, self.mm.col_lower[cols])
        hi = np.where(fixed[cols], 0.0, self.mm.col_upper[cols])
        self.h.changeColsBounds(len(cols), cols, lo, hi)
        nonzeros = self._nonzeros
        on_fixed = np.bincount(
            self._row_of, weights=fixed[self.mm.a.indices], minlength=len(nonzeros)
        )
        now = (nonzeros > 0) & (on_fixed == nonzeros)
        changed = np.flatnonzero(now != self.fixed_only)
        self.fixed_only = now
        back = changed[~now[changed]]
        self._bounds(np.array([r for r in back.tolist() if r not in self.off], np.int32), True)
        self._bounds(changed[now[changed]].astype(np.int32), False)

    def set_rules(self, rules: list[Rule], on: bool) -> None:
        rows = np.array([r for rule in rules for r in rule.rows], dtype=np.int32)
        (self.off.difference_update if on else self.off.update)(rows.tolist())
        self._bounds(rows[~self.fixed_only[rows]] if on else rows, on)

    def _bounds(self, rows: np.ndarray, on: bool) -> None:
        """Rows on (their bounds) or off (free)."""
        if not len(rows):
            return
        lo = self.mm.row_lower[rows] if on else np.full(len(rows), -highspy.kHighsInf)
        hi = self.mm.row_upper[rows] if on else np.full(len(rows), highspy.kHighsInf)
        # highspy's stubs lack changeRowsBounds (the binding has it)
        self.h.changeRowsBounds(len(rows), rows, lo, hi)  # type: ignore[attr-defined]

    def infeasible(self) -> bool | None:
        """True / False, or None when the check was not decided: it ran out of time, or HiGHS
        failed (then `failure` says how; a failure is never read as "feasible")."""
        self.failure = ""
        if self.budget is not None:
            self.budget.used += 1
            if self.budget.checks is not None:  # what is left of the safety stop, not more
                self.h.setOptionValue("time_limit", self.budget.per_check())
        if self.h.getNumCol() == 0:  # HiGHS says only "Empty": every row's activity is 0
            lp = self.h.getLp()
            lower, upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
            return bool(((lower > FEASIBILITY_TOL) | (upper < -FEASIBILITY_TOL)).any())
        self.h.clearSolver()
        run = self.h.run()
        status = self.h.getModelStatus()
        if run != highspy.HighsStatus.kError and status in (
            MS.kInfeasible,
            MS.kUnboundedOrInfeasible,
        ):
            return True
        if run != highspy.HighsStatus.kError and self.h.getInfo().primal_solution_status == 2:
            return False
        self.undecided += 1
        if run == highspy.HighsStatus.kError or status not in UNDECIDED_IN_TIME:
            self.failure = f"HiGHS failed ({self.h.modelStatusToString(status)})"
        return None


def search(
    check: Feasibility, rules: list[Rule], n_periods: int, budget: SearchBudget, conflict: Conflict
) -> list[Rule]:
    """The deletion filter, on one period's rules (and that period's columns) when one period
    is impossible on its own and the conflict found there holds in the whole model; else on
    every rule."""
    period = localise(check, rules, n_periods, budget)
    if period is not None:
        suspects = [r for r in rules if r.t in (-1, period)]
        needed = _deletion_filter(check, suspects, budget, conflict)
        check.keep_periods(None)
        if check.infeasible():
            return needed
        check.set_rules(rules, on=True)  # a row of another period made it: search it all
    return _deletion_filter(check, rules, budget, conflict)


# classes whose rules are keyed (site or contributor, capability, ...): a class needed by the
# conflict is tried a capability at a time before rule by rule (a conflict of one capability
# among many hard lines ran out of its time budget trying them one by one: a trial's
# 22-rule "conflict" of a rotation that needed 4)
BY_CAPABILITY = ("requirement_limit", "hard", "pledge", "tour")


def _deletion_filter(
    check: Feasibility, rules: list[Rule], budget: SearchBudget, conflict: Conflict
) -> list[Rule]:
    """Switch off whole classes first, then a class's rules of one capability together, then
    all periods of one rule (a timed workbook's), then single rules; keep what the conflict
    needs. A set dropped at once is a set the conflict needs none of, found in one check where
    one by one took one each; the conflict left is irreducible all the same (which of several
    it is may differ with the order)."""
    kept: list[Rule] = []
    for cls in CLASS_ORDER:
        members = [r for r in rules if r.cls == cls]
        if not members:
            continue
        if budget.spent():  # no check left: every rule of the class is kept, said cut short
            conflict.complete = False
            kept += members
            continue
        check.set_rules(members, on=False)
        if check.infeasible():
            continue  # the conflict needs none of this class
        check.set_rules(members, on=True)
        if cls in BY_CAPABILITY:
            members = _without_capabilities_not_needed(check, members, budget)
        for group in _by_base(members):
            if len(group) > 1 and not budget.spent():
                check.set_rules(group, on=False)
                if check.infeasible():
                    continue  # the conflict needs none of this rule's periods
                check.set_rules(group, on=True)
            for rule in group:
                if budget.spent():
                    conflict.complete = False
                    kept.append(rule)
                    continue
                check.set_rules([rule], on=False)
                if check.infeasible():
                    continue
                check.set_rules([rule], on=True)
                kept.append(rule)
    return kept


def _without_capabilities_not_needed(
    check: Feasibility, members: list[Rule], budget: SearchBudget
) -> list[Rule]:
    """`members` (one class's rules, all on) less those of each capability whose rules the
    conflict needs none of (switched off, left so), tried a capability at a time in the order
    the capabilities first appear; a capability of one rule is left to the rule-by-rule
    filter (the same check)."""
    by_capability: dict[str, list[Rule]] = {}
    for rule in members:
        by_capability.setdefault(str(rule.key[1]), []).append(rule)
    if len(by_capability) < 2:
        return members
    dropped: set[Rule] = set()
    for part in by_capability.values():
        if len(_by_base(part)) < 2 or budget.spent():
            continue
        check.set_rules(part, on=False)
        if check.infeasible():
            dropped.update(part)
            continue
        check.set_rules(part, on=True)
    return [r for r in members if r not in dropped]


def _by_base(rules: list[Rule]) -> list[list[Rule]]:
    """The rules grouped by rule without its period, in their order (a snapshot: one each)."""
    groups: dict[tuple[str, tuple], list[Rule]] = {}
    for rule in rules:
        groups.setdefault(rule.base, []).append(rule)
    return list(groups.values())
