"""The baseline as input (`replanning.md`): keys the workbook or a scenario no longer has, a
baseline of another workbook, unknown keys at their own cells.

Baseline columns: A contributor, B capability, C site, D units, E from, F to, G lock.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.errors import InputError

from .baseline_input_case import dropping_case, edited_plan, row, solved_output
from .workbooks import simple_case


def test_keys_gone_from_the_workbook_are_unavoidable_changes(tmp_path: Path) -> None:
    """The plan A S1 2, B S2 2 is the baseline of a workbook without S2 (S1 needs 2; A and B
    pledge 2 at cost 1). B's 2 units at S2 cannot stay: a warning names the file's cell, and
    they count as changes. Best: A S1 2 (A's row kept), changes = 2."""
    out = solved_output(tmp_path, simple_case(tmp_path / "first.xlsx"), "plan.xlsx")
    smaller = simple_case(
        tmp_path / "smaller.xlsx",
        sites=[{"site": "S1", "country": "X", "zone": "front", "lat": 0, "lon": 0}],
        requirements=[{"site": "S1", "capability": "INF", "units": 2}],
    )
    result = api.solve(smaller, baseline=out)
    assert result.summary["objective.changes"] == 2
    assert result.tables.allocation[["contributor", "site", "units"]].values.tolist() == [
        ["A", "S1", 2]
    ]
    warned = [str(w) for w in result.data.warnings]
    assert (
        "warning: plan.xlsx Allocation!C3: site 'S2' is not on the Sites sheet of the workbook: "
        "its 2 units change" in warned
    )


def test_a_file_s_unknown_keys_are_warned_at_their_own_cells(tmp_path: Path) -> None:
    """The plan's Allocation (row 2 A INF S1 2, row 3 B INF S2 2) edited: site S9 at C2 and
    capability INFX at B3, on no sheet of the workbook. Each warning is at the wrong value's
    cell, not the row's contributor cell, and is the only one about its row (no second
    'no requirement' / 'no pledge' warning for the same key)."""
    first, out = edited_plan(tmp_path, {"C2": "S9", "B3": "INFX"})
    data = api.read(first)
    baseline = api.read_baseline(out, data)
    assert baseline.rows["units"].tolist() == [2, 2]  # both rows kept
    assert [str(w) for w in data.warnings if w.where.startswith("plan.xlsx")] == [
        "warning: plan.xlsx Allocation!C2: site 'S9' is not on the Sites sheet of the workbook: "
        "its 2 units change",
        "warning: plan.xlsx Allocation!B3: capability 'INFX' is not on the Capabilities sheet of "
        "the workbook (did you mean 'INF'?): its 2 units change",
    ]


def test_one_warning_per_key_missing_and_a_lock_on_it_is_an_error(tmp_path: Path) -> None:
    """A baseline sheet of three rows of contributor Z (not on Contributors; 1 + 2 + 1 units,
    the second locked) and one of A. A file of those rows: the locked row is an error at its
    cell (a lock on a key the workbook lacks can never hold: it was a warning and an
    infeasible solve), the unlocked ones one warning at Z's first cell naming the other, with
    their 2 units (Z's rows are not every row, so no 'another workbook' warning)."""
    path = simple_case(
        tmp_path / "z.xlsx",
        baseline=[row(c="Z"), row(c="Z", s="S2", units=2, lock="yes"), row(c="Z"), row()],
    )
    with pytest.raises(InputError) as info:  # a key on no sheet is an error on the sheet
        api.read(path)
    assert len(info.value.errors) == 3
    out = solved_output(tmp_path, simple_case(tmp_path / "first.xlsx"), "plan.xlsx")
    wb = load_workbook(out)
    ws = wb["Allocation"]
    ws["F1"] = "lock"
    for r, (c, s, n, lock) in enumerate(
        [("Z", "S1", 1, None), ("Z", "S2", 2, "yes"), ("Z", "S1", 1, None), ("A", "S1", 1, None)],
        start=2,
    ):
        ws.cell(r, 1, c), ws.cell(r, 2, "INF"), ws.cell(r, 3, s), ws.cell(r, 4, n)
        ws.cell(r, 6, lock)
    wb.save(out)
    data = api.read(simple_case(tmp_path / "first.xlsx"))
    with pytest.raises(InputError) as info:
        api.read_baseline(out, data)
    assert [str(e) for e in info.value.errors] == [
        "plan.xlsx Allocation!A3: contributor 'Z' is not on the Contributors sheet of the "
        "workbook, and the row is locked: a lock can only keep units of a contributor the "
        "workbook has; correct the contributor, or unlock the row (its units are then withdrawn)"
    ]
    assert [str(w) for w in info.value.warnings if "'Z'" in w.message] == [
        "warning: plan.xlsx Allocation!A2: contributor 'Z' is not on the Contributors sheet of "
        "the workbook: its 2 units change (also Allocation!A4)"
    ]
    assert not any("another workbook" in w.message for w in info.value.warnings)


def test_a_baseline_of_another_workbook_is_said_once(tmp_path: Path) -> None:
    """Five rows, every one naming contributor Q or R (not in this workbook): one warning that
    none of its rows is this workbook's, first, then one per key missing (not one per row)."""
    out = solved_output(tmp_path, simple_case(tmp_path / "first.xlsx"), "plan.xlsx")
    wb = load_workbook(out)
    ws = wb["Allocation"]
    for r, c in enumerate(["Q", "R", "Q", "R", "Q"], start=2):
        ws.cell(r, 1, c), ws.cell(r, 2, "INF"), ws.cell(r, 3, "S1"), ws.cell(r, 4, 1)
    wb.save(out)
    data = api.read(simple_case(tmp_path / "first.xlsx"))
    api.read_baseline(out, data)
    said = [str(w) for w in data.warnings if w.where.startswith("plan.xlsx")]
    assert said == [
        "warning: plan.xlsx Allocation!A2: none of the baseline's 5 rows names a contributor, "
        "capability and site all of the workbook: was it solved from another workbook? All its "
        "units change",
        "warning: plan.xlsx Allocation!A2: contributor 'Q' is not on the Contributors sheet of "
        "the workbook: its 3 units change (also Allocation!A4 and A6)",
        "warning: plan.xlsx Allocation!A3: contributor 'R' is not on the Contributors sheet of "
        "the workbook: its 2 units change (also Allocation!A5)",
    ]


def test_a_sheet_whose_keys_a_scenario_drops_is_not_said_another_workbook_s(
    tmp_path: Path,
) -> None:
    """Five Baseline rows of B, and the scenario b_gone drops B: every row lacks a key in that
    reading, but the sheet is the workbook's own: one warning for B, none of another workbook
    (the review's case)."""
    rows = [row(c="B", s=s) for s in ("S1", "S2", "S1", "S2", "S1")]
    data = api.read(dropping_case(tmp_path, rows), "b_gone")
    assert not any("another workbook" in w.message for w in data.warnings)
    assert sum("contributor 'B'" in w.message for w in data.warnings) == 1


def test_a_key_a_scenario_drops_stays_in_the_baseline_sheet(tmp_path: Path) -> None:
    """Baseline sheet: row 2 B INF S2 2, row 3 A INF S1 2. Base reads it without a warning.
    b_gone drops B: row 2 is kept with a warning at its contributor cell A2 (not an error, as
    with --baseline FILE), naming the scenario once (its label); s2_gone drops S2: the warning
    is at the site cell C2 and is the row's only one. Solved under b_gone, S1 and S2 need 2
    each and only A (2 units) is left: A stays at S1 (0 changes) and B's 2 units at S2 are the
    only changes, 2. `validate` accepts the workbook (exit 0)."""
    path = dropping_case(tmp_path, [row(c="B", s="S2", units=2), row(units=2)])
    assert not [w for w in api.read(path).warnings if w.where.startswith("Baseline")]
    b_gone = api.read(path, "b_gone")
    assert b_gone.baseline is not None
    assert b_gone.baseline.rows["contributor"].tolist() == ["A", "B"]
    assert [str(w) for w in b_gone.warnings if w.where.startswith("Baseline")] == [
        "warning: Baseline!A2: scenario 'b_gone': contributor 'B' is not on the Contributors "
        "sheet in this scenario (it drops it): its 2 units change"
    ]
    s2_gone = api.read(path, "s2_gone")
    assert [str(w) for w in s2_gone.warnings if w.where.startswith("Baseline")] == [
        "warning: Baseline!C2: scenario 's2_gone': site 'S2' is not on the Sites sheet in this "
        "scenario (it drops it): its 2 units change"
    ]
    result = api.solve(path, scenario="b_gone")
    assert result.summary["objective.changes"] == 2
    assert result.tables.allocation[["contributor", "site", "units"]].values.tolist() == [
        ["A", "S1", 2]
    ]
    run = CliRunner().invoke(main, ["validate", str(path)])
    assert run.exit_code == 0, run.output


def test_a_key_on_no_sheet_stays_an_error_in_every_scenario(tmp_path: Path) -> None:
    """Baseline row 2 names Z, on the Contributors sheet of no reading: an error at A2 in base
    and in b_gone alike (only a key the scenario drops is let through)."""
    path = dropping_case(tmp_path, [row(c="Z")])
    for scenario in ("base", "b_gone"):
        with pytest.raises(InputError) as info:
            api.read(path, scenario)
        assert [str(e) for e in info.value.errors] == [
            "Baseline!A2: contributor 'Z' is not on the Contributors sheet"
        ], scenario


def test_a_key_a_scenario_drops_is_said_dropped_by_the_scenario(tmp_path: Path) -> None:
    """Re-planning scenario `b_gone` (which drops contributor B) against the base plan: B is
    on the workbook's Contributors sheet, so the warning names the scenario rather than
    calling B missing from the workbook; B's 2 units change."""
    first = simple_case(
        tmp_path / "first.xlsx",
        scenarios=[{"scenario": "b_gone", "sheet": "Contributors", "key": "B", "column": "drop"}],
    )
    out = solved_output(tmp_path, first, "plan.xlsx")
    result = api.solve(first, scenario="b_gone", baseline=out)
    warned = [str(w) for w in result.data.warnings]
    assert any(
        w.startswith(
            "warning: plan.xlsx Allocation!A3: contributor 'B' is not on the Contributors sheet "
            "in scenario 'b_gone' (it drops it, or the workbook lacks it): its 2 units change"
        )
        for w in warned
    ), warned
