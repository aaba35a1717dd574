"""Compare in time: the lines whose units short change with the units covered the same (a
requirement raised and not met, a line only the scenario has, a line it drops that base left
short). The world is test_compare_time's (its module docstring)."""

from __future__ import annotations

from pathlib import Path

from solver.compare import compare_timed_files

from .test_compare_time import BASE_TOURS, LINES, MONTHS, compare, outputs
from .time_outputs import line, timed_output


def test_a_requirement_raised_and_not_met_is_a_loss_with_the_same_units(tmp_path: Path) -> None:
    """`surge` requires 2 INF_BN at Kyiv (base 1) and keeps base's tours: FRA's one battalion
    covers 1 unit in every period in both, so the units covered do not change, but surge is
    short of 1 more unit there in 2027-01..2027-04 (an audit found no row for such a line:
    it listed only changes of units covered). Its row: Δunits 0, Δshort +1, a loss on the
    console (`the same units, short by 1 more`), in the sheet and in the briefing."""
    from solver.outputs.load import load_output
    from solver.report.compare_time import timed_changes

    base, _ = outputs(tmp_path)
    surge = timed_output(
        tmp_path / "surge.xlsx",
        periods=MONTHS,
        tours=BASE_TOURS,
        lines=[line("Kyiv", "INF_BN", 2), *LINES[1:]],
        summary={"scenario": "surge"},
    )
    cmp = compare_timed_files([base, surge])
    assert cmp.coverage.values.tolist() == [
        ["surge", "Kyiv", "INF_BN", 1, 1, "2027-01", "2027-04", 4, 0, 1, 1, 1, 1, 2],
    ]
    said = " ".join(compare(base, surge).output.split())
    assert (
        "surge: Kyiv/INF_BN (p1, required base 1, surge 2): the same units, short by 1 more in "
        "2027-01..2027-04" in said
    )
    table, _ = timed_changes([load_output(p) for p in (base, surge)])
    assert table is not None
    assert [([c.text for c in r.cells][-1], r.short) for r in table.rows] == [
        ("1 -> 2, short by 1 more", True)
    ]
    written = tmp_path / "cmp.xlsx"
    assert compare(base, surge, "-o", written).exit_code == 0
    import openpyxl

    sheet = openpyxl.load_workbook(written)["Coverage changes"]
    fills = {c.fill.fgColor.rgb for c in sheet[2]}
    assert fills != {c.fill.fgColor.rgb for c in sheet[1]} and fills != {"00000000"}


def test_a_line_only_the_scenario_has_left_short_is_a_loss(tmp_path: Path) -> None:
    """`grow` adds Odesa/INF_BN (2 units, priority 1) and covers none of it: a line newly
    short in every period, with no unit covered in either output (a review: such a line had
    no row; one covered in part read `+1 unit` in green)."""
    base, _ = outputs(tmp_path)
    grow = timed_output(
        tmp_path / "grow.xlsx",
        periods=MONTHS,
        tours=BASE_TOURS,
        lines=[*LINES, line("Odesa", "INF_BN", 2)],
        summary={"scenario": "grow"},
    )
    cmp = compare_timed_files([base, grow])
    assert cmp.coverage.values.tolist() == [
        ["grow", "Odesa", "INF_BN", None, 1, "2027-01", "2027-04", 4, 0, 2, 0, 0, 0, 2],
    ]
    said = " ".join(compare(base, grow).output.split())
    assert (
        "grow: Odesa/INF_BN (priority base none, grow 1): the same units, short by 2 more in "
        "2027-01..2027-04"
    ) in said


def test_a_line_the_scenario_drops_is_listed_though_base_covered_none_of_it(
    tmp_path: Path,
) -> None:
    """Base has Odesa/INF_BN (2 units, priority 1) and covers none of it; `shrink` drops the
    line. The units covered do not change, but 2 fewer are short in every period, as the stage
    values say (a trial: `coverage that changes against base: none` beside p1 -2; a line base
    covered in part was listed, by its units). Its row: Δunits 0, Δshort -2."""
    odesa = line("Odesa", "INF_BN", 2)
    base = timed_output(
        tmp_path / "base.xlsx", periods=MONTHS, tours=BASE_TOURS, lines=[*LINES, odesa]
    )
    shrink = timed_output(
        tmp_path / "shrink.xlsx",
        periods=MONTHS,
        tours=BASE_TOURS,
        lines=LINES,
        summary={"scenario": "shrink"},
    )
    cmp = compare_timed_files([base, shrink])
    assert cmp.coverage.values.tolist() == [
        ["shrink", "Odesa", "INF_BN", 1, None, "2027-01", "2027-04", 4, 0, -2, 0, 0, 2, 0],
    ]
    said = " ".join(compare(base, shrink).output.split())
    assert (
        "shrink: Odesa/INF_BN (priority base 1, shrink none): the same units, no longer a "
        "line, short by 2 fewer in 2027-01..2027-04"
    ) in said
