"""`compare` recomputing an output's stages from its input writes them as the Summary stores
them (12 significant digits, `results.stages.as_stored`): a determinism trial compared the same
outputs with the input found and not, and the Scenarios sheet's cost went from the Summary's
26769619.445 to 26769619.444999997, the same plan."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from solver.cli import main

from .conftest import EXAMPLE


def _base_row(path: Path) -> dict:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["Scenarios"].iter_rows(values_only=True))
    book.close()
    return dict(zip(rows[0], rows[1], strict=True))


def test_stages_recomputed_from_the_input_are_the_summary_s(
    example_briefing: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, out, _ = example_briefing
    monkeypatch.chdir(tmp_path)  # no ./inputs here: without --input the Summary's are read
    found, alone = tmp_path / "found.xlsx", tmp_path / "alone.xlsx"
    for target, extra in ((found, ["--input", str(EXAMPLE)]), (alone, [])):
        said = CliRunner().invoke(main, ["compare", str(out), str(out), "-o", str(target), *extra])
        assert said.exit_code == 0, said.output
    recomputed, stored = _base_row(found), _base_row(alone)
    assert recomputed["stages_from"] == "recomputed" and stored["stages_from"] == "Summary"
    summary = dict(result.summary)
    for stage in ("objective.cost", "objective.shortfall.p1", "objective.presence"):
        assert recomputed[stage] == stored[stage] == summary[stage], stage
    assert repr(recomputed["objective.cost"]) == "26769619.445"
