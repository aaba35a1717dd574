"""A lock file given where a workbook is read is named as one: Excel's `~$plan.xlsx`, and
LibreOffice's `.~lock.plan.xlsx#`, which was said to be `plain text or CSV; save it as .xlsx`
(a trial: it holds the user's name and the time, as text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.errors import InputError
from solver.io.filecheck import check_file


@pytest.mark.parametrize(
    ("name", "whose"),
    [("~$plan.xlsx", "Excel's"), (".~lock.plan.xlsx#", "LibreOffice's")],
)
def test_a_lock_file_is_named_as_one(tmp_path: Path, name: str, whose: str) -> None:
    path = tmp_path / name
    path.write_text(",planner,host,07.12.2026 10:00,file:///home/planner/.config/libreoffice/4;")
    with pytest.raises(InputError) as info:
        check_file(path)
    assert [str(e) for e in info.value.errors] == [
        f"{name}: this is {whose} lock file; choose the real workbook"
    ]


@pytest.mark.parametrize("lock", ["~$case.xlsx", "~$se.xlsx", ".~lock.case.xlsx#"])
def test_a_workbook_with_a_lock_file_beside_it_is_read_with_a_warning(
    tmp_path: Path, lock: str
) -> None:
    """Open in Excel (`~$case.xlsx`; `~$se.xlsx` as Office names it for a long name) or in
    LibreOffice (`.~lock.case.xlsx#`): read as last saved, and said so."""
    from solver import api

    from .workbooks import simple_case

    path = simple_case(tmp_path / "case.xlsx")
    assert not [w for w in api.read(path).warnings if "lies beside it" in str(w)]
    (tmp_path / lock).write_text("planner")
    said = [str(w) for w in api.read(path).warnings if "lies beside it" in str(w)]
    assert said == [
        f"warning: case.xlsx: {lock} lies beside it: the workbook may be open in a spreadsheet program, "
        "and forcegen reads it as last saved (save it first for edits made since to count)"
    ]
