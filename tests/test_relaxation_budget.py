"""The feasibility relaxation behind "the smallest change that gives a plan"
(solver/explain/relaxation.py): counted under a work limit, and saying when it is not proven
or found nothing (before: a 30 s wall-clock limit, a stopped relaxation's change printed as the
smallest, none found left out in silence)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from solver import api
from solver.explain import infeasibility, relaxation
from solver.explain.conflict import (
    NO_CHANGE_FOUND,
    NOT_PROVEN_SMALLEST,
    Conflict,
    conflict_table,
)
from solver.explain.give_way import GiveWay
from solver.explain.rules import Rule
from solver.explain.search_budget import SearchBudget
from solver.model.matrix import MatrixModel

from .workbooks import write_workbook


def parity_model() -> tuple[MatrixModel, list[Rule]]:
    """One rule row: 60 whole 0/1 columns with even coefficients must sum to 30,001, which no
    plan can (an odd number). The least excess is 1, but the relaxation in fractions is 0: HiGHS
    must search to find 1 and cannot prove it at once."""
    rng = np.random.default_rng(0)
    n = 60
    a = sp.csr_array(rng.integers(1000, 3000, size=(1, n)).astype(float) * 2)
    b = np.array([30001.0])
    mm = MatrixModel(a, b, b, np.zeros(n), np.ones(n), np.ones(n, dtype=np.int8), [], [], [])
    return mm, [Rule("hard", ("S1", "INF"), (0,))]


def one_column(rows: list[float], lower: list[float], upper: list[float]) -> MatrixModel:
    """x whole in [0, 2] and rows rows[i] * x in [lower[i], upper[i]]."""
    return MatrixModel(
        sp.csr_array(np.array([[v] for v in rows])),
        np.array(lower),
        np.array(upper),
        np.zeros(1),
        np.array([2.0]),
        np.ones(1, dtype=np.int8),
        [],
        [],
        [],
    )


def test_a_relaxation_stopped_by_its_count_is_not_proven_and_repeats(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under a work limit (a budget in checks) the relaxation's MIP is stopped after
    RELAX_CALLS_PER_CHECK * checks calls of its interrupt callback: with 5 calls it has a plan
    that is not proven the least (the least, 1, needs a search), the same plan on every run;
    with none it has no plan."""
    mm, rules = parity_model()
    monkeypatch.setattr(relaxation, "RELAX_CALLS_PER_CHECK", 5)
    first = relaxation.relax(mm, rules, SearchBudget(600.0, checks=1))
    again = relaxation.relax(mm, rules, SearchBudget(600.0, checks=1))
    assert first.excess is not None and not first.proven
    assert first.excess[0] >= 1.0
    assert again.excess is not None and np.array_equal(first.excess, again.excess)
    monkeypatch.setattr(relaxation, "RELAX_CALLS_PER_CHECK", 0)
    assert relaxation.relax(mm, rules, SearchBudget(600.0, checks=1)) == (None, False)


def test_a_relaxation_under_a_work_limit_has_no_30_second_wall() -> None:
    """Counted in calls, the relaxation's wall-clock limit is the search's safety stop (what is
    left of its 600 s), not RELAX_SECONDS: a loaded machine stops it where an idle one does."""
    import highspy

    h = highspy.Highs()
    calls = relaxation._arm(h, SearchBudget(600.0, checks=200))
    assert h.getOptionValue("time_limit")[1] > 500
    assert calls.limit == relaxation.RELAX_CALLS_PER_CHECK * 200
    h = highspy.Highs()
    calls = relaxation._arm(h, SearchBudget(10.0))
    assert h.getOptionValue("time_limit")[1] == 10.0 and calls.limit is None


def test_a_proven_relaxation_of_one_unit_short() -> None:
    """x <= 2 whole, a rule row x >= 3: the least excess is 1 on that row, proven."""
    mm = one_column([1.0], [3.0], [np.inf])
    relaxed = relaxation.relax(mm, [Rule("hard", ("S1", "INF"), (0,))])
    assert relaxed.proven and relaxed.excess is not None and relaxed.excess.tolist() == [1.0]


def test_a_change_not_proven_is_not_said_to_be_the_smallest() -> None:
    """The console's lines and the sheet's notes: a change from a stopped relaxation is `A
    change that gives a plan`, with why it may not be the least; none found is said."""
    change = [GiveWay("S1 needs 3 INF in full", 1.0, "unit")]
    unproven = Conflict(rules=[("hard:S1/INF", "S1 needs 3 INF")], give_way=change)
    unproven.give_way_note = NOT_PROVEN_SMALLEST
    lines = unproven.lines()
    assert "A change that gives a plan relaxes:" in lines
    assert not any("smallest change" in line for line in lines)
    assert f"  ({NOT_PROVEN_SMALLEST})" in lines
    assert NOT_PROVEN_SMALLEST in conflict_table(unproven)["explanation"].tolist()
    proven = Conflict(rules=unproven.rules, give_way=change)
    assert "The smallest change that gives a plan relaxes:" in proven.lines()
    none = Conflict(rules=unproven.rules)
    none.give_way_note = NO_CHANGE_FOUND
    assert none.lines()[-1] == f"  ({NO_CHANGE_FOUND})"
    assert NO_CHANGE_FOUND in conflict_table(none)["explanation"].tolist()


@pytest.mark.parametrize(
    ("excess", "note"), [(None, NO_CHANGE_FOUND), ("one", NOT_PROVEN_SMALLEST)]
)
def test_the_diagnosis_says_what_its_relaxation_could_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, excess: str | None, note: str
) -> None:
    """S1 needs 3 INF (hard), A pledges 2: the relaxation, made to stop (none found; one
    found, not proven), is said so in the diagnosis; proven, nothing is added."""
    path = write_workbook(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": "A"}],
        capabilities=[{"capability": "INF", "personnel_per_unit": 500}],
        sites=[{"site": "S1"}],
        requirements=[{"site": "S1", "capability": "INF", "units": 3, "hard": "yes"}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
    )
    data = api.read(path)
    assert infeasibility.explain_infeasibility(data).give_way_note == ""
    real = relaxation.relax

    def stopped(mm: MatrixModel, rules: list[Rule], budget: SearchBudget) -> relaxation.Relaxed:
        found = real(mm, rules, budget)
        return relaxation.Relaxed(found.excess if excess else None, False)

    monkeypatch.setattr(infeasibility, "relax", stopped)
    conflict = infeasibility.explain_infeasibility(data)
    assert conflict.give_way_note == note
    assert bool(conflict.give_way) == (excess is not None)


def test_a_search_past_its_safety_stop_says_it_depends_on_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a work limit the search counts checks; its wall-clock safety stop, reached (here
    made 0 s: every check's HiGHS limit is then what is left of it, 1 s at least), makes what
    it found depend on the machine: said on the console and as a note on the sheet. Not
    reached (600 s), nothing is said."""
    from solver.explain.conflict import SAFETY_STOPPED

    path = write_workbook(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": "A"}],
        capabilities=[{"capability": "INF", "personnel_per_unit": 500}],
        sites=[{"site": "S1"}],
        requirements=[{"site": "S1", "capability": "INF", "units": 3, "hard": "yes"}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
    )
    data = api.read(path)
    calm = infeasibility.explain_infeasibility(data, SearchBudget(600.0, checks=200))
    assert not calm.safety_stopped and SAFETY_STOPPED not in "\n".join(calm.lines())
    stopped = infeasibility.explain_infeasibility(data, SearchBudget(0.0, checks=200))
    assert stopped.safety_stopped
    assert f"  ({SAFETY_STOPPED})" in stopped.lines()
    assert SAFETY_STOPPED in conflict_table(stopped)["explanation"].tolist()
    # under a time limit there is no safety stop: its seconds are the budget itself
    assert not SearchBudget(0.0).past_safety_stop()


def test_the_excess_is_the_rows_violation_not_its_two_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three equality rule rows no whole plan meets, the relaxation stopped after a few
    interrupt-callback calls: each row's excess is its plan's violation, whatever the elastic
    columns hold (a stopped plan may hold both u and v on an equality row: a review measured
    u 218, v 417 for a violation of 199). The plan HiGHS returned is recorded to check it."""
    import highspy

    real_run = highspy.Highs.run
    seen: dict[str, np.ndarray] = {}

    def recording(self: highspy.Highs) -> highspy.HighsStatus:
        status = real_run(self)
        seen["x"] = np.asarray(self.getSolution().col_value)
        return status

    monkeypatch.setattr(highspy.Highs, "run", recording)
    n = 60
    for seed in range(6):
        rng = np.random.default_rng(seed)
        a = sp.csr_array(rng.integers(1000, 3000, size=(3, n)).astype(float) * 2)
        b = np.array([30001.0, 20001.0, 25001.0])
        mm = MatrixModel(a, b, b, np.zeros(n), np.ones(n), np.ones(n, dtype=np.int8), [], [], [])
        for calls in (1, 3, 10, 50):
            monkeypatch.setattr(relaxation, "RELAX_CALLS_PER_CHECK", calls)
            relaxed = relaxation.relax(
                mm, [Rule("hard", ("S1", "INF"), (0, 1, 2))], SearchBudget(600.0, checks=1)
            )
            if relaxed.excess is None:
                continue
            violation = np.abs(a @ seen["x"][:n] - b)
            assert np.allclose(relaxed.excess, violation, atol=1e-6), (seed, calls)


def test_no_change_of_these_rules_is_said_when_proven() -> None:
    """The rule row is not what makes it impossible (a bound is: x >= 3 and x <= 2 as a link
    row, not a rule): the elastic model is infeasible, proven; the diagnosis says that no
    change of the rules gives a plan, not that a budget ran out."""
    from solver.explain.conflict import NO_CHANGE_OF_THESE

    mm = one_column([1.0, 1.0], [0.0, 3.0], [np.inf, np.inf])
    assert relaxation.relax(mm, [Rule("hard", ("S1", "INF"), (0,))]) == (None, True)
    assert NO_CHANGE_OF_THESE.startswith("no change of the rules above alone gives a plan")
