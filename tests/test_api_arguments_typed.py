"""Arguments of the API given as a planner types them elsewhere (an API trial): `mip_gap="1%"`
as the command line and the Settings sheet take it; a path starting with `~` as the shell
reads it; a path of the wrong type refused as the other arguments are (`UsageError` naming the
argument), not pathlib's TypeError."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api
from solver.errors import UsageError

from .workbooks import simple_case


def test_a_gap_typed_as_a_percentage_is_that_share(tmp_path: Path) -> None:
    result = api.solve(simple_case(tmp_path / "case.xlsx"), mip_gap="1%")
    assert dict(result.tables.summary)["option.mip_gap"] == 0.01
    with pytest.raises(UsageError, match="mip_gap must be a number, got 'one'"):
        api.solve(simple_case(tmp_path / "case.xlsx"), mip_gap="one")


def test_a_path_from_the_home_folder_is_read_and_written_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    simple_case(tmp_path / "case.xlsx")
    data = api.read("~/case.xlsx")
    written = api.write(api.solve(data), "~/plan.xlsx")
    assert written == tmp_path / "plan.xlsx" and written.is_file()
    assert not (tmp_path / "~").exists()


@pytest.mark.parametrize("path", [None, 123, b"case.xlsx"])
def test_a_path_of_another_type_is_a_usage_error(path: object, tmp_path: Path) -> None:
    with pytest.raises(
        UsageError, match=f"path must be a workbook's path, got {type(path).__name__}"
    ):
        api.read(path)  # type: ignore[arg-type]
    result = api.solve(simple_case(tmp_path / "case.xlsx"))
    with pytest.raises(UsageError, match="output must be a path"):
        api.write(result, path)  # type: ignore[arg-type]
