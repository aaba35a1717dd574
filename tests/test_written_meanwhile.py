"""An output another run writes while `solve` runs (two planners' jobs with one default output,
an operator's trial): both said `written:` and one plan was lost without a word. It is still
replaced as asked, but said; and one edited by hand meanwhile is refused before any word of
replacing it (the trial read `it is replaced as asked`, then `not written`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main

from .workbooks import simple_case


def meanwhile(monkeypatch: pytest.MonkeyPatch, act: Any) -> None:
    """`act()` runs as the solve ends, before its plan is written: another run's doing."""
    real = api.solve

    def solve(*args: Any, **kwargs: Any) -> api.Result:
        result = real(*args, **kwargs)
        act()
        return result

    monkeypatch.setattr(api, "solve", solve)


def test_an_output_another_run_writes_meanwhile_is_said_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, out = simple_case(tmp_path / "c.xlsx"), tmp_path / "o.xlsx"
    other = api.solve(case)
    meanwhile(monkeypatch, lambda: api.write(other, out, [case]))
    run = CliRunner().invoke(main, ["solve", str(case), "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert (
        f"warning: {out} was written by another run while this one solved; it is replaced as "
        "asked, and that run's plan is in no file now: give each run its own -o to keep both"
    ) in run.output
    assert f"written: {out}" in run.output
    # the same output there before the run, untouched meanwhile: nothing said
    monkeypatch.undo()
    again = CliRunner().invoke(main, ["solve", str(case), "-o", str(out)])
    assert again.exit_code == 0 and "another run" not in again.output


def test_a_plan_edited_by_hand_meanwhile_is_refused_without_a_word_of_replacing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, out = simple_case(tmp_path / "c.xlsx"), tmp_path / "o.xlsx"
    api.write(api.solve(case), out, [case])

    def edit() -> None:  # a unit added by hand, and its Summary's cost made lower (better)
        book = load_workbook(out)
        sheet = book["Allocation"]
        sheet["D2"] = int(sheet["D2"].value) + 1
        for key, value in book["Summary"].iter_rows(min_row=2, max_col=2):
            if key.value == "objective.cost":
                value.value = 0.5
        book.save(out)

    meanwhile(monkeypatch, edit)
    run = CliRunner().invoke(main, ["solve", str(case), "-o", str(out)])
    assert run.exit_code == 2, run.output
    assert "edited by hand" in run.output and f"not written: {out}" in run.output
    assert "replaced as asked" not in run.output
