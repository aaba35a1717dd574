"""Settings that are shares (`mip_gap`, `alternatives_within`) typed as percentages, and
`--mip-gap` as a share (split from tests/test_validation.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main

from .validation_case import errors_of
from .workbooks import simple_case


def test_a_share_setting_typed_as_a_percentage_is_read_as_its_fraction(tmp_path: Path) -> None:
    """`1%` typed as text in mip_gap's cell is 0.01, and `5 %` in alternatives_within's is
    0.05, as `--mip-gap` and `--within` read them (a trial was refused `1%`); the solve then
    runs at that gap. `150%` is out of range and said as typed, at its cell."""
    path = simple_case(tmp_path / "pct.xlsx")
    wb = load_workbook(path)
    wb["Settings"].append(["mip_gap", "1%"])
    wb["Settings"].append(["alternatives_within", "5 %"])
    wb.save(path)
    result = api.solve(path)
    assert result.options.mip_gap == pytest.approx(0.01)
    assert dict(result.tables.summary)["option.mip_gap"] == pytest.approx(0.01)
    assert not [w for w in api.read(path).warnings if "%" in w.message]
    wb["Settings"]["B2"] = "150%"
    wb.save(path)
    assert "Settings!B2: mip_gap must be from 0% to 100%, got '150%'" in errors_of(path)


def test_mip_gap_on_the_command_line_is_a_share(tmp_path: Path) -> None:
    """`--mip-gap 1%` is 0.01, as `--within 5%` is 0.05; `--mip-gap 3` (300%) is refused."""
    path = simple_case(tmp_path / "cli.xlsx")
    out = tmp_path / "out.xlsx"
    runner = CliRunner()
    result = runner.invoke(main, ["solve", str(path), "-o", str(out), "--mip-gap", "1%"])
    assert result.exit_code == 0, result.output
    summary = pd.read_excel(out, sheet_name="Summary")
    assert dict(zip(summary["key"], summary["value"], strict=True))["option.mip_gap"] == 0.01
    refused = runner.invoke(main, ["solve", str(path), "--mip-gap", "3"])
    assert refused.exit_code == 2
    assert "'3' is not between 0% and 100%" in refused.output


def test_a_large_gap_typed_as_a_percentage_is_warned_of_without_the_advice_for_a_bare_1(
    tmp_path: Path,
) -> None:
    """mip_gap `15%` lets a plan 17.6% above its bound be said optimal: warned as typed, but
    not told that `1% is 0.01` (a review: advice meant for a bare 1 typed as 1%)."""
    path = simple_case(tmp_path / "big.xlsx")
    wb = load_workbook(path)
    wb["Settings"].append(["mip_gap", "15%"])
    wb.save(path)
    said = [str(w) for w in api.read(path).warnings if "mip_gap" in w.message]
    assert said == [
        "warning: Settings!B2: mip_gap 15% lets each stage stop where its bound is 15% below the "
        "plan's value, so a plan up to 17.6% above its bound is said optimal (unless --mip-gap "
        "gives another)"
    ]
