"""A sweep's earlier comparison after a run that could not write a plan (split from
test_sweep_earlier.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.sweep import run_sweep

from .sweep_case import SCENARIOS, small_case


def test_the_earlier_comparison_stays_after_a_run_that_could_not_write_a_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-run on a full disk for base.xlsx: base's earlier plan stays in `earlier/`, and so
    does the earlier comparison of it (a fault trial: a re-run that wrote no plan replaced the
    whole run's comparison by one of errors, kept in neither folder). The next whole run
    removes both, and a run after that keeps its own comparison as the last whole run's."""
    from .sweep_case import base_unwritable

    src = small_case(tmp_path / "case.xlsx", SCENARIOS[0])
    out, earlier = tmp_path / "out", tmp_path / "out" / "earlier"
    run_sweep(src, out_dir=out, workers=1, stable=False)
    first = (out / "comparison.xlsx").read_bytes()
    with pytest.MonkeyPatch.context() as patch:
        base_unwritable(patch)
        report = run_sweep(src, out_dir=out, workers=1, stable=False)
    assert (earlier / "comparison.xlsx").read_bytes() == first
    assert (earlier / "base.xlsx").is_file()
    assert any(n.startswith(f"kept {earlier / 'comparison.xlsx'}") for n in report.notes)
    run_sweep(src, out_dir=out, workers=1, stable=False)  # a whole run
    assert not earlier.exists()
    assert (out / "comparison.xlsx").is_file()
