"""`api.solve` given a `Data` an analyst edited with pandas (solver/io/data_check.py), and the
API's guards that the CLI has (a trial in Python: a sorted table gave `infeasible`, a filtered
one a traceback, a negative pledge a false conflict; `api.write` replaced a plan edited by hand).

The hand-worked case (`case`): S1 and S2 need 2 INF each (priority 1); A pledges 2 INF at cost
1 a unit, B 3 at cost 5. Every line can be filled: A's 2 and 2 of B's 3, so shortfall 0, cost
2 x 1 + 2 x 5 = 12, presence 2 (each nation at one site). Without B's pledge, one line is short
2: shortfall 2, cost 2, presence 1.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver import api
from solver.errors import InputError, UsageError

from .idle_warnings import without_idle
from .time_cases import months, timed_case
from .workbooks import simple_case

PLEDGES = [
    {"contributor": "A", "capability": "INF", "units": 2, "cost_per_unit": 1},
    {"contributor": "B", "capability": "INF", "units": 3, "cost_per_unit": 5},
]


def case(tmp_path: Path) -> Path:
    return simple_case(tmp_path / "case.xlsx", pledges=PLEDGES)


def stages(result: api.Result) -> list[float]:
    return [round(float(s.value), 6) for s in result.outcome.stages]


def test_data_as_read_is_solved_as_it_is(tmp_path: Path, monkeypatch) -> None:
    """Not checked again (that would cost a write and a read per solve): `revalidated` is not
    called for a Data as read, nor for a copy of it."""
    import solver.io.data_check as data_check

    data = api.read(case(tmp_path))
    assert not data_check.edited(data) and not data_check.edited(copy.deepcopy(data))

    def refuse(_: object) -> None:
        raise AssertionError("a Data as read was checked again")

    monkeypatch.setattr(data_check, "revalidated", refuse)
    assert stages(api.solve(data)) == [0, 12, 2]
    assert stages(api.solve(copy.deepcopy(data))) == [0, 12, 2]


def test_a_sorted_or_filtered_table_is_read_again(tmp_path: Path) -> None:
    """Sorting pledges (B first) and requirements (S2 first) changes nothing; dropping B's
    pledge row is the case without B (shortfall 2, cost 2, presence 1)."""
    data = api.read(case(tmp_path))
    edited = copy.deepcopy(data)
    edited.pledges = edited.pledges.sort_values("units", ascending=False)
    edited.requirements = edited.requirements.sort_values("site", ascending=False)
    assert stages(api.solve(edited)) == [0, 12, 2]
    without_b = copy.deepcopy(data)
    without_b.pledges = without_b.pledges[without_b.pledges["contributor"] != "B"]
    assert stages(api.solve(without_b)) == [2, 2, 1]


def test_a_row_added_in_python_is_read_as_a_pledge(tmp_path: Path) -> None:
    """The case without B's pledge (shortfall 2), and B's row added back in Python, by `.loc`
    enlargement or by `pd.concat` without the table's private columns: the whole case again
    (shortfall 0, cost 12, presence 2). pandas 3 hands out the row numbers' array read-only,
    and every added row failed with `assignment destination is read-only` (an API trial)."""
    import pandas as pd

    data = api.read(case(tmp_path))
    without_b = copy.deepcopy(data)
    without_b.pledges = without_b.pledges[without_b.pledges["contributor"] != "B"]
    assert stages(api.solve(without_b)) == [2, 2, 1]
    by_loc = copy.deepcopy(without_b)
    by_loc.pledges.loc[len(data.pledges) + 10] = PLEDGES[1]
    assert stages(api.solve(by_loc)) == [0, 12, 2]
    by_concat = copy.deepcopy(without_b)
    by_concat.pledges = pd.concat([by_concat.pledges, pd.DataFrame([PLEDGES[1]])])
    assert stages(api.solve(by_concat)) == [0, 12, 2]


def test_a_timed_table_sorted_is_read_again(tmp_path: Path) -> None:
    """The case in time (two months, B ready from P2): P1 has A's 2 only, one line short 2
    units for 1 month; the sorted tables give the same stages as the workbook."""
    pledges = [{**PLEDGES[0]}, {**PLEDGES[1], "from": "P2"}]
    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(2),
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 2, "priority": 1},
        ],
        pledges=pledges,
    )
    data = api.read(path)
    expected = stages(api.solve(data))
    assert expected[0] == 2
    edited = copy.deepcopy(data)
    edited.pledges = edited.pledges.sort_values("units", ascending=False)
    assert stages(api.solve(edited)) == expected


def test_bad_edits_are_input_errors_naming_table_rows(tmp_path: Path) -> None:
    """A negative pledge, a blank requirement and a pledge of an unknown nation: every problem
    at once, each at its table's row (from 0) and column, table by table and row by row."""
    data = copy.deepcopy(api.read(case(tmp_path)))
    data.pledges.loc[data.pledges.index[1], "units"] = -1
    data.requirements.loc[data.requirements.index[0], "units"] = float("nan")
    data.pledges.loc[data.pledges.index[0], "contributor"] = "XXX"
    with pytest.raises(InputError) as caught:
        api.solve(data)
    note = "the Data given was edited after reading and is checked as a workbook of its tables"
    assert caught.value.note.startswith(note) and str(caught.value).startswith(note)
    assert [str(e) for e in caught.value.errors] == [
        "requirements row 0 (units): units is required; fill in the cell",
        "pledges row 0 (contributor): contributor 'XXX' is not on the Contributors sheet",
        "pledges row 1 (units): units must be a whole number >= 0, got -1",
    ]


def test_a_scenario_or_formulation_the_solve_cannot_honour_is_refused(tmp_path: Path) -> None:
    data = api.read(case(tmp_path))
    with pytest.raises(UsageError, match="a scenario is applied when reading"):
        api.solve(data, scenario="other")
    with pytest.raises(UsageError, match="unknown formulation 'foo'"):
        api.solve(data, formulation="foo")


def test_every_wrong_argument_is_said_at_once_before_reading(tmp_path: Path) -> None:
    """A backend, a formulation, a `within` and a time limit all wrong: one error names the
    four, and nothing is read (the workbook does not exist): the backend was refused only
    after reading and building, the formulation alone, `within` after reading."""
    missing = tmp_path / "absent.xlsx"
    with pytest.raises(UsageError) as caught:
        api.solve(missing, backend="cplex", formulation="foo", within=5, time_limit="10")
    assert str(caught.value) == "; ".join(
        [
            "time_limit must be a number, got '10' (str)",
            "unknown backend 'cplex' (choose highs or pyomo)",
            "unknown formulation 'foo' (choose textbook or aggregated)",
            "within must be a share between 0 and 1 (5% is 0.05), got 5",
        ]
    )


def test_write_keeps_a_plan_edited_by_hand_and_writes_xlsx_only(tmp_path: Path) -> None:
    """As `solve -o` refuses: a plan whose Allocation was edited after solving is a planner's
    work, and a name other than .xlsx is no output workbook."""
    result = api.solve(case(tmp_path))
    out = api.write(result, tmp_path / "out.xlsx")
    book = load_workbook(out)
    book["Allocation"]["D2"] = 1
    book.save(out)
    before = out.read_bytes()
    with pytest.raises(UsageError, match="edited by hand"):
        api.write(result, out)
    assert out.read_bytes() == before
    with pytest.raises(UsageError, match=r"must end in \.xlsx"):
        api.write(result, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_start_keys_that_name_no_option_are_warned(tmp_path: Path) -> None:
    """A start naming a capability nobody pledged (XX) and a site without the line (S9): the
    solve goes on from the rest, and says which keys it could not use."""
    start = {("A", "INF", "S1"): 2, ("A", "XX", "S1"): 1, ("B", "INF", "S9"): 1}
    result = api.solve(case(tmp_path), start=start)
    assert stages(result) == [0, 12, 2]
    assert [str(w) for w in result.data.warnings if w.where == "start"] == [
        "warning: start: 2 key(s) of the start name no allocation option of the model "
        "(A/XX/S1, B/INF/S9): their units are not in the start"
    ]


def test_a_window_edited_by_name_is_taken_and_its_positions_derived_again(tmp_path: Path) -> None:
    """Three months; B ready from P2. Setting B's `from` to P3 with pandas, as the README says
    (from_t left as read: derived), is the edit and not refused: B's from_t becomes 2, and B
    has units present in P3 at most."""
    pledges = [{**PLEDGES[0]}, {**PLEDGES[1], "from": "P2"}]
    data = api.read(timed_case(tmp_path / "t.xlsx", periods=months(3), pledges=pledges))
    later = copy.deepcopy(data)
    row = int((later.pledges["contributor"] == "B").to_numpy().nonzero()[0][0])
    later.pledges.loc[later.pledges.index[row], "from"] = "P3"
    result = api.solve(later)
    assert result.status == "optimal"
    b = result.data.pledges[result.data.pledges["contributor"] == "B"].iloc[0]
    assert (b["from"], int(b["from_t"])) == ("P3", 2)
    present = result.tables.allocation
    assert set(present[present["contributor"] == "B"]["period"]) <= {"P3"}


def test_a_window_edited_by_name_after_sorting_and_resetting_the_index_is_taken(
    tmp_path: Path,
) -> None:
    """As above, with the pledges sorted (B first) and their index reset before the edit: the
    row is found as validated by its other cells, so B's `from` made P3 is taken (from_t 2),
    and its `from_t` made 0 alone is still refused."""
    pledges = [{**PLEDGES[0]}, {**PLEDGES[1], "from": "P2"}]
    data = api.read(timed_case(tmp_path / "t.xlsx", periods=months(3), pledges=pledges))
    data.pledges = data.pledges.sort_values("contributor", ascending=False).reset_index(drop=True)
    assert data.pledges.loc[0, "contributor"] == "B"
    later = copy.deepcopy(data)
    later.pledges.loc[0, "from"] = "P3"
    result = api.solve(later)
    b = result.data.pledges[result.data.pledges["contributor"] == "B"].iloc[0]
    assert (b["from"], int(b["from_t"])) == ("P3", 2)
    shifted = copy.deepcopy(data)
    shifted.pledges.loc[0, "from_t"] = 0
    with pytest.raises(InputError, match=r"pledges row 0: from/to \(P2, blank\) and from_t/to_t"):
        api.solve(shifted)


def test_timed_windows_are_edited_by_name_and_months_move_the_starts(tmp_path: Path) -> None:
    """Three months from 2027-01 (P1 starts 2027-01-01); B ready from P2. Editing from_t alone
    (derived) is refused, naming the row; P1 made 2 months long moves P2 and P3's starts
    (2027-03-01, 2027-04-01) without a warning, as the same edit on the sheet does; the output
    no longer claims the workbook's SHA-256, and a note says the input was edited."""
    pledges = [{**PLEDGES[0]}, {**PLEDGES[1], "from": "P2"}]
    periods = [{**p, "start": "2027-01-01"} if i == 0 else p for i, p in enumerate(months(3))]
    data = api.read(timed_case(tmp_path / "t.xlsx", periods=periods, pledges=pledges))
    shifted = copy.deepcopy(data)
    row = int((shifted.pledges["contributor"] == "B").to_numpy().nonzero()[0][0])
    shifted.pledges.loc[shifted.pledges.index[row], "from_t"] = 0
    with pytest.raises(InputError) as caught:
        api.solve(shifted)
    assert [str(e) for e in caught.value.errors] == [
        f"pledges row {row}: from/to (P2, blank) and from_t/to_t (0, 2) disagree: edit from and "
        "to (period names); from_t and to_t are derived"
    ]
    longer = copy.deepcopy(data)
    longer.periods.loc[longer.periods.index[0], "months"] = 2
    result = api.solve(longer)
    assert without_idle(str(w) for w in result.data.warnings) == []
    starts = [str(d)[:10] for d in result.data.periods["start"]]
    assert starts == ["2027-01-01", "2027-03-01", "2027-04-01"]
    assert result.summary.get("input_sha256") in ("", None)
    assert any("edited in Python" in str(v) for k, v in result.summary.items() if "note" in k)


def test_a_start_edited_off_the_calendar_is_an_error_naming_the_row(tmp_path: Path) -> None:
    """Three months from 2027-01; P1's start edited to 9999-11-01 puts P3 in year 10000: an
    error at `periods row 0 (start)`, as the sheet's cell would be (before, writing the tables
    back stopped on `ValueError: year 10000 is out of range` as it compared P3's start with
    P1's + 2 months)."""
    periods = [{**p, "start": "2027-01-01"} if i == 0 else p for i, p in enumerate(months(3))]
    data = api.read(timed_case(tmp_path / "t.xlsx", periods=periods))
    data.periods.loc[data.periods.index[0], "start"] = dt.date(9999, 11, 1)
    with pytest.raises(InputError) as caught:
        api.solve(data)
    assert [str(e) for e in caught.value.errors] == [
        "periods row 0 (start): start 9999-11-01 cannot be read: period 'P3' would start after "
        "9999-12-31, the last day a date can have (each period starts the day after the one "
        "above it ends, by the months); check the date, and the months"
    ]


def test_an_edited_data_keeps_the_workbook_s_row_order(tmp_path: Path) -> None:
    """The Pledges sheet lists B before A; read, the table is in key order (A, B). Edited and
    checked again, the tables are written in the sheet's row order, so B still comes first
    where the order decides a tie (the Asks' order, a line's main reason among equal pledges:
    an API trial's edited Data gave other ones than the identical workbook scenario), and each
    problem still names its table row: A's units (row 0) and B's contributor (row 1), in that
    order."""
    path = simple_case(tmp_path / "ba.xlsx", pledges=[dict(PLEDGES[1]), dict(PLEDGES[0])])
    data = api.read(path)
    assert list(data.pledges["contributor"]) == ["A", "B"]
    edited = copy.deepcopy(data)
    edited.pledges.loc[edited.pledges.index[0], "cost_per_unit"] = 2
    checked = api.solve(edited).data.pledges.set_index("contributor")["_row"]
    assert checked["B"] < checked["A"]
    bad = copy.deepcopy(data)
    bad.pledges.loc[bad.pledges.index[0], "units"] = -1
    bad.pledges.loc[bad.pledges.index[1], "contributor"] = "XXX"
    with pytest.raises(InputError) as caught:
        api.solve(bad)
    assert [str(e) for e in caught.value.errors] == [
        "pledges row 0 (units): units must be a whole number >= 0, got -1",
        "pledges row 1 (contributor): contributor 'XXX' is not on the Contributors sheet",
    ]


def test_an_edited_data_keeps_a_period_its_scenario_added_last(tmp_path: Path) -> None:
    """Scenario `ext` adds P5 (2 months) after P1..P4. Read with it, a pledge edited, the Data
    is checked again with the periods in time order: P5 still last, offsets 0..4 (a review:
    written in the order of the sheet's rows, the added row, row 0, came first and the solve
    ran over P5, P1..P4)."""
    path = timed_case(
        tmp_path / "ext.xlsx",
        periods=months(4),
        pledges=[{"contributor": "A", "capability": "INF", "units": 1}],
        scenarios=[
            {"scenario": "ext", "sheet": "Periods", "key": "P5", "column": "months", "value": 2}
        ],
    )
    edited = copy.deepcopy(api.read(path, "ext"))
    edited.pledges.loc[edited.pledges.index[0], "units"] = 2
    periods = api.solve(edited).data.periods
    assert periods is not None
    assert list(periods["period"]) == ["P1", "P2", "P3", "P4", "P5"]
    assert list(periods["offset"]) == [0, 1, 2, 3, 4]
