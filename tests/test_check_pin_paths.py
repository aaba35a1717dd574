"""Where `forcegen check` keeps a case's pin (`check.cases.pin_path`): below a project's
outputs/ for a workbook below its inputs/, else next to the workbook, however the path is
typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.check.cases import pin_path


def test_pin_path_mirrors_inputs_to_outputs(tmp_path: Path) -> None:
    """Below a project's inputs/ (the folder holding it holds outputs/, or .git or
    pyproject.toml), the same place below outputs/; as typed where typed through inputs."""
    (tmp_path / "outputs").mkdir()
    assert pin_path(tmp_path / "inputs" / "reference" / "x.xlsx") == (
        tmp_path / "outputs" / "reference" / "x.json"
    )
    assert pin_path(tmp_path / "ref" / "x.xlsx") == tmp_path / "ref" / "x.json"
    assert pin_path(tmp_path / "x.xlsx", tmp_path / "pins") == tmp_path / "pins" / "x.json"
    assert pin_path(Path("inputs/reference/./x.xlsx")) == Path("outputs/reference/x.json")


def test_a_folder_named_inputs_above_the_current_one_is_not_the_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout at .../inputs/repo (a runner's workspace, a CI trial's): its pins are next to
    its workbooks, however the path is typed (relative, absolute, through `inputs`) and even
    where .../outputs exists, for it marks a project (.git); without a mark, so where the
    folder holding that `inputs` neither holds outputs/ nor marks a project (two reviews: the
    place depended on how the path was typed)."""
    checkout = tmp_path / "inputs" / "repo"
    (checkout / "reference").mkdir(parents=True)
    monkeypatch.chdir(checkout)
    typed = [
        Path("reference/x.xlsx"),
        checkout / "reference" / "x.xlsx",
        Path("../../inputs/repo/reference/x.xlsx"),
    ]
    for workbook in typed:  # no mark, no outputs/ beside that inputs
        assert pin_path(workbook) == workbook.with_suffix(".json"), workbook
    (tmp_path / "outputs").mkdir()
    (checkout / ".git").mkdir()
    for workbook in typed:  # outputs/ there, but a project below that inputs
        assert pin_path(workbook) == workbook.with_suffix(".json"), workbook


def test_a_case_named_from_inside_inputs_keeps_its_pin_below_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This repository's layout, checked from inside inputs/reference (`check chain.xlsx`): the
    pin is still outputs/reference/chain.json (a review: it moved next to the workbook)."""
    project = tmp_path / "proj"
    (project / "inputs" / "reference").mkdir(parents=True)
    (project / "outputs" / "reference").mkdir(parents=True)
    (project / "pyproject.toml").write_text("")
    monkeypatch.chdir(project / "inputs" / "reference")
    assert pin_path(Path("chain.xlsx")) == project / "outputs" / "reference" / "chain.json"
    monkeypatch.chdir(project / "inputs")
    assert pin_path(Path("reference/x.xlsx")) == project / "outputs" / "reference" / "x.json"
