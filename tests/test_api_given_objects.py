"""What an analyst hands to `api.solve` is checked and copied (an API trial):

- a `Result` keeps the input it was solved from: editing the `Data` in place for the next
  what-if no longer reaches it (price_caveats priced the edited input against the first plan,
  every rule's price wrong, nothing raised);
- a `Baseline` edited with pandas is checked as a baseline file's rows are, every problem at
  once naming the row (as `.iloc` counts it) and column (units of -3 raised an internal error
  from the model; a contributor `ZZZ` solved without a word)."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api
from solver.errors import InputError, UsageError

from .baseline_input_case import solved_output
from .workbooks import simple_case


def test_a_result_keeps_the_data_it_was_solved_from(tmp_path: Path) -> None:
    data = api.read(simple_case(tmp_path / "case.xlsx"))
    before = data.pledges.copy()
    result = api.solve(data)
    data.pledges.loc[0, "units"] = 0  # the next what-if, edited in place
    assert result.data is not data
    assert result.data.pledges.equals(before)
    assert not result.data.pledges.equals(data.pledges)


def test_an_edited_baseline_is_checked_as_a_file_s_rows(tmp_path: Path) -> None:
    workbook = simple_case(tmp_path / "case.xlsx")
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    data = api.read(workbook)
    baseline = api.read_baseline(plan, data)
    assert len(baseline.rows) >= 2
    baseline.rows.loc[0, "units"] = -3
    baseline.rows["lock"] = baseline.rows["lock"].astype(object)
    baseline.rows.loc[1, "lock"] = "yes"
    with pytest.raises(InputError) as caught:
        api.solve(data, baseline=baseline)
    assert [(e.where, e.message) for e in caught.value.errors] == [
        ("baseline.rows row 0 (units)", "units must be a whole number >= 0, got -3"),
        ("baseline.rows row 1 (lock)", "lock must be True or False, got 'yes'"),
    ]


def test_a_baseline_naming_a_nation_the_workbook_lacks_is_warned_about(tmp_path: Path) -> None:
    workbook = simple_case(tmp_path / "case.xlsx")
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    data = api.read(workbook)
    baseline = api.read_baseline(plan, data)
    baseline.rows.loc[0, "contributor"] = "ZZZ"
    result = api.solve(data, baseline=baseline)
    said = [w for w in result.data.warnings if w.where == "baseline.rows row 0 (contributor)"]
    assert len(said) == 1
    assert said[0].message.startswith("contributor 'ZZZ' is not on the Contributors sheet")
    assert baseline.rows.loc[0, "contributor"] == "ZZZ"  # the caller's own rows: untouched


def _scored(result: api.Result, status: str, short: float) -> api.Result:
    """`result` as a run `status` whose plan is `short` units short at priority 1."""
    result.outcome.status = status
    result.tables.summary = [
        (k, short if k == "objective.shortfall.p1" else v) for k, v in result.tables.summary
    ]
    return result


def test_write_keeps_a_better_plan_as_solve_does(tmp_path: Path) -> None:
    """out.xlsx holds the optimal plan (0 short at p1). An interrupted run's plan 2 short is
    not written over it: UsageError says the earlier plan is kept, the file unchanged (an API
    trial's Ctrl-C'd plan replaced a longer run's without a word); with replace_better it is.
    A finished run's worse plan replaces it as asked, with a UserWarning."""
    workbook = simple_case(tmp_path / "case.xlsx")
    out = tmp_path / "out.xlsx"
    api.write(api.solve(workbook), out)
    before = out.read_bytes()
    with pytest.raises(UsageError, match="holds a better plan of this workbook") as caught:
        api.write(_scored(api.solve(workbook), "interrupted", 2.0), out)
    assert "it is kept" in str(caught.value) and "replace_better=True" in str(caught.value)
    assert out.read_bytes() == before
    with pytest.warns(UserWarning, match="held a better plan of this workbook"):
        api.write(_scored(api.solve(workbook), "optimal", 2.0), out)
    assert out.read_bytes() != before
    api.write(api.solve(workbook), out)  # the better plan back
    api.write(_scored(api.solve(workbook), "interrupted", 2.0), out, replace_better=True)
    assert out.read_bytes() != before


def test_a_ctrl_c_while_the_plan_is_tabulated_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C that lands once HiGHS has returned, while the plan is tabulated: the API holds
    it (an API trial's KeyboardInterrupt came out of pandas and the plan was lost); the plan
    and its status are kept, and `stopped` says the stop came, so a loop ends on it. SIGTERM
    is left as the caller has it (a review: a pool's terminate hung on a worker that took it)."""
    import os
    import signal

    import solver.api

    real = solver.api.tabulate
    term = signal.getsignal(signal.SIGTERM)
    seen = []

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(signal.getsignal(signal.SIGTERM))  # the caller's, untouched (a review)
        os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(solver.api, "tabulate", interrupted)
    try:
        result = api.solve(simple_case(tmp_path / "case.xlsx"))
    except KeyboardInterrupt:
        pytest.fail("the Ctrl-C was raised, and the plan lost")
    assert result.status == "optimal" and result.stopped
    assert seen == [term]
    monkeypatch.setattr(solver.api, "tabulate", real)
    again = api.solve(simple_case(tmp_path / "case.xlsx"))
    assert not again.stopped
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored


def test_caveats_priced_twice_say_so_once_and_a_cut_pricing_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """price_caveats run twice leaves one `caveat_prices` row in the Summary (it wrote two);
    one cut short by a Ctrl-C makes `stopped` True (it left the status `optimal` and nothing
    to stop a loop on), until the caveats are priced again in full."""
    from solver.explain.pricing_inplace import InPlacePricer

    caveats = [{"id": "K1", "contributor": "A", "caveat": "exclude", "site": "S1"}]
    result = api.solve(simple_case(tmp_path / "case.xlsx", caveats=caveats))
    api.price_caveats(result)
    api.price_caveats(result)
    assert [k for k, _ in result.tables.summary].count("caveat_prices") == 1
    assert not result.stopped

    def stopped(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    kept = InPlacePricer.reprice
    monkeypatch.setattr(InPlacePricer, "reprice", stopped)
    api.price_caveats(result)
    assert result.status == "optimal" and result.stopped
    # priced again in full: the stop was the earlier pricing's, not the Result's (an API trial)
    monkeypatch.setattr(InPlacePricer, "reprice", kept)
    api.price_caveats(result)
    assert not result.stopped


def test_verify_says_a_plan_was_solved_from_an_edited_data(tmp_path: Path) -> None:
    """A what-if solved from a Data edited in Python (A pledges more) and written: verify of
    it against the workbook as it stands says so (an API trial read its violations as
    forcegen's mistakes: the output's Summary noted the edit, verify said nothing)."""
    from solver.verify import verify_file

    workbook = simple_case(tmp_path / "case.xlsx")
    data = api.read(workbook)
    data.pledges.loc[0, "units"] = int(data.pledges.loc[0, "units"]) + 3
    out = api.write(api.solve(data), tmp_path / "whatif.xlsx")
    said = [w.message for w in verify_file(workbook, out).warnings]
    assert any(
        m.startswith("the allocation was solved from case.xlsx as edited in Python") for m in said
    ), said
    plain = api.write(api.solve(workbook), tmp_path / "plain.xlsx")
    assert not any("edited in Python" in w.message for w in verify_file(workbook, plain).warnings)


def test_a_data_relabelled_as_another_scenario_is_refused(tmp_path: Path) -> None:
    """Base's Data labelled `italy_out` since reading: refused (an API trial's output then said
    `scenario italy_out` of a plan with Italy's units, the workbook's own SHA-256 beside it,
    and verify refused it); read with the scenario, it solves."""
    workbook = simple_case(tmp_path / "case.xlsx")
    data = api.read(workbook)
    data.scenario = "italy_out"
    with pytest.raises(UsageError, match="read as scenario 'base' and labelled 'italy_out'"):
        api.solve(data)


def test_an_edited_data_s_warning_names_every_listed_cell_by_table_row() -> None:
    """A warning of an edited Data's re-check lists cells as `cells_text` does (the sheet
    named once): each is said by its table row and column, not the first only (an API trial
    read `pledges row 0 (cost_per_unit), E13 and 2 more`, E13 a cell of a temporary workbook)."""
    from solver.errors import Issue
    from solver.io.data_written import at_table

    written = {"Pledges": ["contributor", "capability", "units", "personnel_per_unit", "cost"]}
    said = at_table(
        Issue("Pledges", "cost is given for Pledges!E2, E13 and E20 but blank for Sites!B4, B5"),
        written,
    )
    assert said.message == (
        "cost is given for pledges row 0 (cost), pledges row 11 (cost) and pledges row 18 "
        "(cost) but blank for Sites!B4, B5"
    )


def test_wrong_arguments_and_a_result_s_one_line(tmp_path: Path) -> None:
    """A start that is no dict, a baseline that is no path, an output that is a folder: each a
    UsageError saying what was wanted (an API trial met an AttributeError, a TypeError from
    pathlib, and `output  must end in .xlsx`); a Result echoed in a notebook is one line (the
    dataclass's repr printed every table, 3.5 MB)."""
    workbook = simple_case(tmp_path / "case.xlsx")
    with pytest.raises(UsageError) as wrong:
        api.solve(workbook, start=[1, 2], baseline=123)  # type: ignore[arg-type]
    assert "start must be a dict" in str(wrong.value)
    assert "baseline must be an output's path or a Baseline, got int" in str(wrong.value)
    result = api.solve(workbook)
    with pytest.raises(UsageError, match="is a folder"):
        api.write(result, tmp_path)
    shown = repr(result)
    assert shown.startswith("<Result optimal of case.xlsx scenario 'base': shortfall.p1=")
    assert "\n" not in shown and len(shown) < 300


def test_a_baseline_edited_inside_the_data_is_checked_and_copied(tmp_path: Path) -> None:
    """The baseline reached through `data.baseline` (after `with_baseline`), its rows edited
    with pandas: checked as one given to solve is (a review met the model's internal error),
    and the Result's own copy (a review found the caller's object shared with an edited
    Data's Result)."""
    workbook = simple_case(tmp_path / "case.xlsx")
    plan = solved_output(tmp_path, workbook, "plan.xlsx")
    data = api.with_baseline(api.read(workbook), plan)
    assert data.baseline is not None
    data.baseline.rows.loc[0, "units"] = -3
    with pytest.raises(InputError, match=r"baseline.rows row 0 \(units\): units must be"):
        api.solve(data)
    data.baseline.rows.loc[0, "units"] = 1
    data.pledges.loc[0, "units"] = int(data.pledges.loc[0, "units"]) + 1  # an edited Data
    result = api.solve(data)
    assert result.data.baseline is not None and result.data.baseline is not data.baseline
    data.baseline.rows.loc[0, "units"] = 0
    assert int(result.data.baseline.rows.loc[0, "units"]) == 1


def test_an_input_error_crosses_a_process_boundary_whole() -> None:
    """An InputError pickled and unpickled (a multiprocessing caller's job raising one) keeps
    its issues and note (it was unpickled from its message alone, crashing the pool's result
    thread, which hung: a review)."""
    import pickle

    from solver.errors import Issue

    error = InputError([Issue("Pledges!C3", "units must be a whole number")], note="read so")
    again = pickle.loads(pickle.dumps(error))
    assert (again.errors, again.warnings, again.note) == (error.errors, [], "read so")
    assert str(again) == str(error)
