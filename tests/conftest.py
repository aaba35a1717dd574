"""Shared fixtures: solving small workbooks through the public API."""

from __future__ import annotations

import signal
from pathlib import Path

import pandas as pd
import pytest

from solver import api

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "coalition.xlsx"


def pytest_configure(config: pytest.Config) -> None:
    """A suite started with Ctrl-C ignored (a script's background job: `make test &`) hands
    that on to every command a test starts (an ignored signal survives exec), and forcegen keeps
    a Ctrl-C ignored so where it finds it ignored (solver/signals.py): the tests that press
    Ctrl-C on a command would test that instead. Ctrl-C gets its meaning back here, so the
    commands start with it (a handler does not survive exec)."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def allocation_dict(result: api.Result) -> dict[tuple[str, str, str], int]:
    """{(contributor, capability, site): units} of a solved result."""
    alloc: pd.DataFrame = result.tables.allocation
    return {
        (r.contributor, r.capability, r.site): int(r.units) for r in alloc.itertuples(index=False)
    }


@pytest.fixture
def solve_both():
    """Solve with both backends, check they agree, return the Pyomo result."""

    def run(path: Path, **kwargs) -> api.Result:
        a = api.solve(path, backend="pyomo", **kwargs)
        b = api.solve(path, backend="highs", **kwargs)
        assert a.status == b.status
        assert a.stage_values == b.stage_values
        assert allocation_dict(a) == allocation_dict(b)
        return a

    return run


@pytest.fixture(scope="session")
def example_briefing(tmp_path_factory: pytest.TempPathFactory) -> tuple[api.Result, Path, Path]:
    """The bundled example solved once for every report test, its output, and its HTML briefing
    (input found by --input; the output sits in a folder without the input). Tests copy what
    they change."""
    import os
    import tempfile

    os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="forcegen-mpl-"))
    from solver.report.command import write_report

    folder = tmp_path_factory.mktemp("report")
    result = api.solve(EXAMPLE)
    out = api.write(result, folder / "coalition.xlsx", [EXAMPLE])
    html = write_report([out], None, EXAMPLE)
    return result, out, html


@pytest.fixture
def example_layout(
    example_briefing: tuple[api.Result, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """forcegen's default layout in a fresh working folder: the input coalition.xlsx in it, the
    output `forcegen solve coalition.xlsx` writes in outputs/. Returns the working folder."""
    import shutil

    _, out, _ = example_briefing
    shutil.copy(EXAMPLE, tmp_path / "coalition.xlsx")
    (tmp_path / "outputs").mkdir()
    shutil.copy(out, tmp_path / "outputs" / "coalition.xlsx")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def pinned(tmp_path: Path) -> Path:
    """A folder with copies of two small reference cases (check_case.CASES), pinned with
    `forcegen check --update` (tests/test_check*.py, the fault and late-stop tests)."""
    import shutil

    from .check_case import CASES, REFERENCE, check, unhurried

    folder = tmp_path / "reference"
    folder.mkdir()
    for name in CASES:
        unhurried(shutil.copy(REFERENCE / f"{name}.xlsx", folder))
    result = check("--update", folder)
    assert result.exit_code == 0, result.output
    assert result.output.count("NEW ") == len(CASES)
    for name in CASES:
        assert (folder / f"{name}.json").is_file()
    return folder


@pytest.fixture(scope="session")
def compared_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The small sweep case (tests/sweep_case.py) solved for base and b_out (B unavailable),
    plus the input: the compare tests' outputs (tests/test_compare*.py)."""
    from .sweep_case import scen, small_case

    folder = tmp_path_factory.mktemp("compare")
    src = small_case(
        folder / "case.xlsx", scen("b_out", "Contributors", "B", "status", "unavailable")
    )
    paths = {"input": src}
    for name in ("base", "b_out"):
        paths[name] = api.write(api.solve(src, scenario=name), folder / f"{name}.xlsx", [src])
    return paths
