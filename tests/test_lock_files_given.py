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
