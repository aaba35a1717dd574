"""`forcegen compare` on timed outputs (contract `time.md`, Output): per period, which lines gain
or lose coverage when, the tours added, removed or changed, unit-months short per priority.
Outputs are built by tests/time_outputs.py (no timed solver).

The hand-worked case: four monthly periods 2027-01..2027-04; lines Kyiv INF_BN 1 (p1), Kyiv
AD_BTY 1 (p1), Lviv AD_BTY 2 (p2), each active throughout.
    base     FRA INF_BN Kyiv 01..04 x1; ITA AD_BTY Kyiv 01..02 x1; ITA AD_BTY Lviv 03..04 x2
    ita_out  FRA INF_BN Kyiv 01..04 x1; ITA AD_BTY Kyiv 01..01 x1; GBR AD_BTY Lviv 03..04 x1
Covered units per period (01 02 03 04):
    Kyiv AD_BTY  base 1 1 0 0, ita_out 1 0 0 0  -> -1 unit in 2027-02
    Lviv AD_BTY  base 0 0 2 2, ita_out 0 0 1 1  -> -1 unit in 2027-03..2027-04
    Kyiv INF_BN  1 1 1 1 in both                -> no change
Unit-months short: base p1 = 2 (Kyiv AD_BTY in 03, 04), p2 = 2 + 2 = 4 (Lviv in 01, 02);
ita_out p1 = 3 (02, 03, 04), p2 = 2 + 2 + 1 + 1 = 6. Weight 1 and one-month periods: the
Summary's objective.shortfall.p<N> are the same numbers.
Tours: FRA's is in both (unchanged); ITA's Kyiv tour 01..02 x1 and 01..01 x1 overlap: changed;
ITA's Lviv tour only in base: removed; GBR's only in ita_out: added.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from solver.cli import main
from solver.compare import compare_timed_files
from solver.compare.timed_cover import runs as _runs
from solver.compare.timed_tables import _tour_rows

from .time_outputs import line, timed_output, tour

MONTHS = ["2027-01", "2027-02", "2027-03", "2027-04"]
LINES = [line("Kyiv", "INF_BN", 1), line("Kyiv", "AD_BTY", 1), line("Lviv", "AD_BTY", 2, 2)]


BASE_TOURS = [
    tour("FRA", "INF_BN", "Kyiv", "2027-01", "2027-04", 1),
    tour("ITA", "AD_BTY", "Kyiv", "2027-01", "2027-02", 1),
    tour("ITA", "AD_BTY", "Lviv", "2027-03", "2027-04", 2),
]


def outputs(folder: Path, ita_summary: dict | None = None) -> tuple[Path, Path]:
    """Base and ita_out of the module's docstring (`ita_summary`: more of ita_out's Summary)."""
    base = timed_output(folder / "base.xlsx", periods=MONTHS, tours=BASE_TOURS, lines=LINES)
    ita_out = timed_output(
        folder / "ita_out.xlsx",
        periods=MONTHS,
        tours=[
            tour("FRA", "INF_BN", "Kyiv", "2027-01", "2027-04", 1),
            tour("ITA", "AD_BTY", "Kyiv", "2027-01", "2027-01", 1),
            tour("GBR", "AD_BTY", "Lviv", "2027-03", "2027-04", 1),
        ],
        lines=LINES,
        summary={"scenario": "ita_out", **(ita_summary or {})},
    )
    return base, ita_out


def compare(*args: str | Path):
    return CliRunner().invoke(main, ["compare", *(str(a) for a in args)])


def test_a_timed_allocation_of_a_key_in_several_periods_is_no_repeated_row(
    tmp_path: Path,
) -> None:
    """A timed plan's Allocation has a row per key and period (FRA's battalion at Kyiv in
    four): read as an output, no row is said to appear again (a snapshot's repeat is)."""
    from solver.compare.views import read_output

    base, _ = outputs(tmp_path)
    view = read_output(base)
    assert not [n for n in view.notes if "appears again" in n]
    alloc = view.allocation.set_index(["contributor", "site"])
    assert alloc.at[("FRA", "Kyiv"), "units"] == 4  # its four periods' rows, added up


def test_the_lines_that_gain_or_lose_coverage_when(tmp_path: Path) -> None:
    cmp = compare_timed_files(list(outputs(tmp_path)))
    assert cmp.periods == MONTHS
    assert cmp.coverage.values.tolist() == [
        # scenario, site, capability, priority (base's, ita_out's), from, to, periods, change
        # of units covered and of units short, covered (base, now), required (base, now)
        ["ita_out", "Kyiv", "AD_BTY", 1, 1, "2027-02", "2027-02", 1, -1, 1, 1, 0, 1, 1],
        ["ita_out", "Lviv", "AD_BTY", 2, 2, "2027-03", "2027-04", 2, -1, 1, 2, 1, 2, 2],
    ]


def reordered(folder: Path) -> tuple[Path, Path, Path]:
    """Base; `lviv_first`, ita_out's tours with Lviv AD_BTY made priority 1 (as a what-if may
    make a line more urgent); `no_lviv`, base's Kyiv tours and no Lviv line at all."""
    base, _ = outputs(folder)
    lviv_first = timed_output(
        folder / "lviv_first.xlsx",
        periods=MONTHS,
        tours=[
            tour("FRA", "INF_BN", "Kyiv", "2027-01", "2027-04", 1),
            tour("ITA", "AD_BTY", "Kyiv", "2027-01", "2027-01", 1),
            tour("GBR", "AD_BTY", "Lviv", "2027-03", "2027-04", 1),
        ],
        lines=[*LINES[:2], line("Lviv", "AD_BTY", 2, 1)],
        summary={"scenario": "lviv_first"},
    )
    no_lviv = timed_output(
        folder / "no_lviv.xlsx",
        periods=MONTHS,
        tours=BASE_TOURS[:2],
        lines=LINES[:2],
        summary={"scenario": "no_lviv"},
    )
    return base, lviv_first, no_lviv


def test_a_line_whose_priority_differs_gives_each_outputs(tmp_path: Path) -> None:
    """Covered as ita_out against base (the module's docstring): Kyiv AD_BTY -1 in 2027-02,
    Lviv AD_BTY -1 in 2027-03..2027-04; lviv_first makes Lviv priority 1. no_lviv has no Lviv
    line: Lviv's 2 and 2 covered in 03..04 become 0 (-2), and in 01..02, where base covered
    none of its 2, the units short fall by 2 (the line is gone). Each row gives base's priority and
    the scenario's (it gave base's only: lviv_first's Lviv row read p2 while its 6 unit-months
    short count at p1: p1 3 + 6 = 9, p2 0). The console and the briefing say both where they
    differ, `none` (blank) for no_lviv's; Kyiv's rows keep one priority."""
    base, lviv_first, no_lviv = reordered(tmp_path)
    cmp = compare_timed_files([base, lviv_first, no_lviv])
    assert cmp.coverage.values.tolist() == [
        ["lviv_first", "Kyiv", "AD_BTY", 1, 1, "2027-02", "2027-02", 1, -1, 1, 1, 0, 1, 1],
        ["lviv_first", "Lviv", "AD_BTY", 2, 1, "2027-03", "2027-04", 2, -1, 1, 2, 1, 2, 2],
        ["no_lviv", "Lviv", "AD_BTY", 2, None, "2027-01", "2027-02", 2, 0, -2, 0, 0, 2, 0],
        ["no_lviv", "Lviv", "AD_BTY", 2, None, "2027-03", "2027-04", 2, -2, 0, 2, 0, 2, 0],
    ]
    assert cmp.priorities.values.tolist()[:2] == [
        ["lviv_first", 1, 2, 9, 7],
        ["lviv_first", 2, 4, 0, -4],
    ]
    result = compare(base, lviv_first, no_lviv)
    assert result.exit_code == 0, result.output
    assert "lviv_first: Kyiv/AD_BTY (p1): -1 unit in 2027-02" in result.output
    assert (
        "lviv_first: Lviv/AD_BTY (priority base 2, lviv_first 1): -1 unit in 2027-03..2027-04"
        in result.output
    )
    assert (
        "no_lviv: Lviv/AD_BTY (priority base 2, no_lviv none): -2 units in 2027-03..2027-04"
        in result.output
    )
    assert (
        "no_lviv: Lviv/AD_BTY (priority base 2, no_lviv none): the same units, no longer a "
        "line, short by 2 fewer in 2027-01..2027-02" in " ".join(result.output.split())
    )

    from solver.outputs.load import load_output
    from solver.report.compare_time import timed_changes

    lines, _ = timed_changes([load_output(p) for p in (base, lviv_first, no_lviv)])
    assert lines is not None
    assert lines.columns == [
        *("output", "site", "capability", "priority: base.xlsx (base)", "priority: output"),
        *("from", "to", "periods", "Δ units"),
    ]
    assert [[c.text for c in r.cells][1:5] for r in lines.rows] == [
        ["Kyiv", "AD_BTY", "1", "1"],
        ["Lviv", "AD_BTY", "2", "1"],
        ["Lviv", "AD_BTY", "2", "–"],
        ["Lviv", "AD_BTY", "2", "–"],
    ]
    alike, _ = timed_changes([load_output(p) for p in outputs(tmp_path)])
    assert alike is not None and alike.columns[3:5] == ["priority", "from"]


def test_the_tours_added_removed_or_changed(tmp_path: Path) -> None:
    cmp = compare_timed_files(list(outputs(tmp_path)))
    assert cmp.tours.values.tolist() == [
        ["ita_out", "GBR", "AD_BTY", "Lviv", "added", None, None, None, "2027-03", "2027-04", 1],
        [
            "ita_out",
            *("ITA", "AD_BTY", "Kyiv", "changed"),
            *("2027-01", "2027-02", 1, "2027-01", "2027-01", 1),
        ],
        ["ita_out", "ITA", "AD_BTY", "Lviv", "removed", "2027-03", "2027-04", 2, None, None, None],
    ]


def test_unit_months_short_per_priority_before_and_after(tmp_path: Path) -> None:
    cmp = compare_timed_files(list(outputs(tmp_path)))
    assert cmp.priorities.values.tolist() == [["ita_out", 1, 2, 3, 1], ["ita_out", 2, 4, 6, 2]]
    ov = cmp.overview.set_index("scenario")
    assert ov.loc["ita_out", ["objective.shortfall.p1", "objective.shortfall.p2"]].tolist() == [
        3,
        6,
    ]
    assert ov.loc["ita_out", ["Δ unit_months_short.p1", "Δ unit_months_short.p2"]].tolist() == [
        1,
        2,
    ]
    assert ov.loc["base", ["periods", "horizon_months"]].tolist() == [4, 4]
    # required 4 + 4 + 8 = 16 unit-months; covered 4 + 2 + 4 = 10 (base), 4 + 1 + 2 = 7
    assert ov["coverage_pct"].tolist() == [62.5, 43.75]
    assert ov.at["ita_out", "Δ coverage_pct"] == -18.75


def test_runs_of_periods_split_where_the_change_changes() -> None:
    """Base 2, 2, -, 1 against 1, 0, -, 0 (positions 0, 1, 3): -1 in 0, -2 in 1, -1 in 3 (a
    period between them unchanged breaks the run)."""
    assert _runs([(0, 2, 1), (1, 2, 0), (3, 1, 0)]) == [
        (0, 0, (-1, 0), [2, 1]),
        (1, 1, (-2, 0), [2, 0]),
        (3, 3, (-1, 0), [1, 0]),
    ]
    assert _runs([(0, 2, 1), (1, 3, 2)]) == [(0, 1, (-1, 0), ["2..3", "1..2"])]
    # with each output's requirement: held through the run, or its range
    assert _runs([(0, 3, 1, 3, 1), (1, 4, 2, 4, 2)]) == [
        (0, 1, (-2, 0), ["3..4", "1..2", "3..4", "1..2"])
    ]
    # the same change of units covered, another of units short (1 of 1 covered, then 1 of 2):
    # two runs, the second a loss the first is not
    assert _runs([(0, 3, 1, 3, 1), (1, 3, 1, 3, 2)]) == [
        (0, 0, (-2, 0), [3, 1, 3, 1]),
        (1, 1, (-2, 1), [3, 1, 3, 2]),
    ]


def test_a_tour_moved_to_periods_it_did_not_cover_is_removed_and_added() -> None:
    """ITA's tour 0..1 moved to 2..3 does not overlap: not one tour changed, but two moves."""
    names = ["P1", "P2", "P3", "P4"]
    rows = _tour_rows("s", [("ITA", "K", "S", 0, 1, 1)], [("ITA", "K", "S", 2, 3, 1)], names)
    assert [(r["change"], r["base_from"], r["from"]) for r in rows] == [
        ("removed", "P1", None),
        ("added", None, "P3"),
    ]


def test_a_tour_split_over_two_rows_is_unchanged_and_one_of_0_units_removed() -> None:
    """An edit trial: FRA's tour x2 split by hand into two rows x1 of the same periods was
    listed `changed` x2 -> x1 and `added` x1 (and blamed on the search); a tour set to 0 units
    was `changed` x1 -> x0, not removed."""
    from types import SimpleNamespace

    from solver.compare.timed_tables import _tours

    def tours(*rows: tuple[str, str, str, str, str, int]) -> list[tuple]:
        names = ["contributor", "capability", "site", "from", "to", "units"]
        view = SimpleNamespace(tours={n: [r[i] for r in rows] for i, n in enumerate(names)})
        return _tours(view, {"P1": 0, "P2": 1, "P3": 2})  # type: ignore[arg-type]

    base = tours(("FRA", "INF", "S", "P1", "P2", 2), ("SWE", "INF", "S", "P3", "P3", 1))
    edited = tours(
        ("FRA", "INF", "S", "P1", "P2", 1),
        ("SWE", "INF", "S", "P3", "P3", 0),
        ("FRA", "INF", "S", "P1", "P2", 1),
    )
    rows = _tour_rows("s", base, edited, ["P1", "P2", "P3"])
    assert [(r["contributor"], r["change"]) for r in rows] == [("SWE", "removed")]


def test_a_scenario_that_lowers_a_requirement_is_no_loss_where_it_covers_it(
    tmp_path: Path,
) -> None:
    """Base: Lviv requires 2 AD_BTY, ITA's 2 there in 2027-03..2027-04. `cut`: Lviv requires
    1, ITA's 1 there. Covered units fall by 1 (2 -> 1), but the scenario covers its line in
    full: the row says each requirement (2 -> 1), the console says `covered in full`, and the
    briefing does not mark it as a shortfall (an analyst trial saw such lines listed as lost
    coverage, pink). Kyiv's AD_BTY, short in `cut` (1 required, 0 there in 2027-02), stays a
    loss. In 2027-01..2027-02 Lviv has no unit in either: the same units, short by 2 in base
    and by 1 in `cut` (`short by 1 fewer`, no loss either)."""
    lines = [line("Kyiv", "INF_BN", 1), line("Kyiv", "AD_BTY", 1), line("Lviv", "AD_BTY", 1, 2)]
    base, _ = outputs(tmp_path)
    cut = timed_output(
        tmp_path / "cut.xlsx",
        periods=MONTHS,
        tours=[
            tour("FRA", "INF_BN", "Kyiv", "2027-01", "2027-04", 1),
            tour("ITA", "AD_BTY", "Kyiv", "2027-01", "2027-01", 1),
            tour("ITA", "AD_BTY", "Lviv", "2027-03", "2027-04", 1),
        ],
        lines=lines,
        summary={"scenario": "cut"},
    )
    cmp = compare_timed_files([base, cut])
    assert cmp.coverage.values.tolist() == [
        ["cut", "Kyiv", "AD_BTY", 1, 1, "2027-02", "2027-02", 1, -1, 1, 1, 0, 1, 1],
        ["cut", "Lviv", "AD_BTY", 2, 2, "2027-01", "2027-02", 2, 0, -1, 0, 0, 2, 1],
        ["cut", "Lviv", "AD_BTY", 2, 2, "2027-03", "2027-04", 2, -1, 0, 2, 1, 2, 1],
    ]
    said = " ".join(compare(base, cut).output.split())
    assert "cut: Kyiv/AD_BTY (p1): -1 unit in 2027-02" in said
    assert (
        "cut: Lviv/AD_BTY (p2, required base 2, cut 1: covered in full): -1 unit in "
        "2027-03..2027-04" in said
    )

    from solver.outputs.load import load_output
    from solver.report.compare_time import timed_changes

    table, _ = timed_changes([load_output(p) for p in (base, cut)])
    assert table is not None
    assert table.columns[-1] == "required: base.xlsx (base) -> output"
    assert [
        ([c.text for c in r.cells][1], [c.text for c in r.cells][-1], r.short) for r in table.rows
    ] == [
        ("Kyiv", "1", True),
        ("Lviv", "2 -> 1, short by 1 fewer", False),
        ("Lviv", "2 -> 1, covered in full", False),
    ]


def test_a_line_the_scenario_drops_is_never_covered_in_full() -> None:
    """A run of a line the scenario lacks reads 0 covered of 0 required (its Coverage has no
    row): not `covered in full` (a review saw `1 -> 0, covered in full` in the briefing);
    the same figures of a line it has are."""
    import pandas as pd

    from solver.compare.timed_cover import full_cover

    dropped = pd.Series({"covered": 0, "required": 0, "scenario_priority": None})
    kept = pd.Series({"covered": 1, "required": 1, "scenario_priority": 2})
    assert not full_cover(dropped) and full_cover(kept)
