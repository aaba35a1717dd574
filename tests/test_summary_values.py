"""The Summary's stage values are stored to 12 significant digits: a sum's last-bit noise does
not show (a planner trial read `objective.cost` 5972579.690000001), and verify's recomputed
value stays within its rounding (1e-9 relative: solver/verify/report.py)."""

from __future__ import annotations

from solver.results.stages import as_stored
from solver.verify.report import ROUNDING


def test_a_stage_value_keeps_twelve_significant_digits() -> None:
    assert as_stored(5972579.690000001) == 5972579.69
    assert as_stored(107919711.95500001) == 107919711.955
    assert as_stored(0.1 + 0.2) == 0.3
    for value in (5972579.690000001, 1.0000000000004, 123456789012.345):
        assert abs(as_stored(value) - value) <= ROUNDING * max(1.0, abs(value))
