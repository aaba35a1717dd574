"""A label merged down the rows it covers (a phase over its periods, a note over a nation's
caveats) is read in each of them, with a warning at the range: the label is for display only
and its meaning is plain. Merged cells anywhere else in a table stay an error: a key or a
number merged over rows has no one reading (a new planner's trial merged `IOC` over three
periods and was refused)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from .time_input_case import problems, read, timed
from .validation_case import errors_of

WARNED = (
    "warning: Periods!D2:D4: merged cells: a label, read as 'IOC' in each of their rows "
    "(unmerge them and fill every cell to silence this warning)"
)


def merged(path: Path, sheet: str, ref: str, value: object) -> Path:
    book = load_workbook(path)
    book[sheet][ref.split(":")[0]] = value
    book[sheet].merge_cells(ref)
    book.save(path)
    return path


def test_a_phase_merged_over_three_periods_is_each_ones_phase(tmp_path: Path) -> None:
    """P1..P5 (FIVE); `IOC` merged over Periods!D2:D4: P1..P3 are IOC, P4 and P5 have none."""
    path = timed(tmp_path)
    header = [c.value for c in load_workbook(path)["Periods"][1]]
    assert header.index("phase") == 3  # column D
    data = read(merged(path, "Periods", "D2:D4", "IOC"))
    assert data.periods is not None
    assert data.periods["phase"].tolist() == ["IOC", "IOC", "IOC", None, None]
    assert WARNED in [str(w) for w in data.warnings]


def test_a_number_or_a_key_merged_over_rows_is_still_refused(tmp_path: Path) -> None:
    """Periods!B2:B3 (months) merged, or a pledge's units over two rows: no one reading; the
    cells below read as blanks, so the error stands."""
    path = merged(timed(tmp_path), "Periods", "B2:B3", 2)
    refused = (
        "Periods!B2:B3: merged cells; unmerge them and fill every cell (merged cells read as "
        "blanks)"
    )
    assert refused in problems(path)
    (tmp_path / "units").mkdir()
    found = errors_of(merged(timed(tmp_path / "units"), "Pledges", "C2:C3", 2))
    assert any(e.startswith("Pledges!C2:C3: merged cells; unmerge them") for e in found), found
