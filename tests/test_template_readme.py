"""The template's README sheet says what each sheet is for, whether it is required, and what
happens to a column of the planner's own (solver/io/template.py); before, it listed the
columns only, so the Caveats sheet's copy rule was nowhere in the workbook. Each caveat kind
is given with its reading in a timed workbook (`time.md`), per period of its from..to."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from solver.cli import main


def test_the_readme_sheet_describes_every_sheet_before_its_columns(tmp_path: Path) -> None:
    out = tmp_path / "new.xlsx"
    assert CliRunner().invoke(main, ["template", str(out)]).exit_code == 0
    readme = load_workbook(out)["README"]
    # columns A..E (F holds the caveat kinds' reading in time)
    rows = [tuple(r)[:5] for r in readme.iter_rows(values_only=True)]
    start = rows.index(("sheet", "required", None, None, "meaning"))
    table = {r[0]: r for r in rows[start + 1 : start + 12]}
    assert list(table) == [
        "Contributors",
        "Capabilities",
        "Sites",
        "Requirements",
        "Pledges",
        "Caveats",
        "Settings",
        "Scenarios",
        "Periods",
        "Profile",
        "Baseline",
    ]
    assert table["Pledges"][:2] == ("Pledges", "yes")
    assert table["Caveats"][1] == "no"
    assert "copied to the output's Caveats sheet" in table["Caveats"][4]
    own = rows[start + 12][4]
    assert own.startswith("Columns of your own: a header beginning _ is private")
    assert rows.index(("sheet", "column", "type", "default", "meaning")) > start + 12
    assert readme.cell(start + 1, 1).font.b


def test_the_readme_sheet_reads_each_caveat_kind_in_time(tmp_path: Path) -> None:
    """Beside each kind's meaning, its per-period reading (time.md's table): a planner with a
    timed workbook read `max_units` as a total over the horizon, where it caps the units
    present at the same time."""
    out = tmp_path / "new.xlsx"
    assert CliRunner().invoke(main, ["template", str(out)]).exit_code == 0
    readme = load_workbook(out)["README"]
    rows = [tuple(r) for r in readme.iter_rows(values_only=True)]
    head = (
        "caveat kind",
        "reads",
        None,
        None,
        "meaning",
        "in time (each period of the caveat's from..to)",
    )
    start = rows.index(head)
    from solver.caveats import KINDS

    # every registered kind, and no other row in its place (a developer trial: an 11th kind
    # was cut off by a hard-coded 10 rows)
    listed = rows[start + 1 : start + 1 + len(KINDS) + 1]
    kinds = {r[0]: r for r in listed[: len(KINDS)]}
    assert set(kinds) == set(KINDS) and len(KINDS) >= 10
    assert len(listed) == len(KINDS) or listed[-1][0] not in KINDS
    assert kinds["max_units"][4] == "the matching units of c total at most `value`"
    assert kinds["max_units"][5] == (
        "per period: the matching units present at the same time total at most `value` (a "
        "mandate caps the simultaneous force)"
    )
    assert kinds["max_sites"][5] == (
        "per period: c's matching units are at no more than `value` sites at the same time"
    )
    assert kinds["requires"][5] == (
        "in each period, c has matching units present only if `other` has at least one unit "
        "present somewhere"
    )
    assert all(row[5] for row in kinds.values())
    assert readme.cell(start + 1, 6).font.b
