"""`compare` of timed outputs whose periods are not the same (a scenario that adds a period, or
makes one longer): the lines are compared period by period by name, so the console says where
the names or the months differ (a trial read `+1 unit in 2027-07` as better coverage where
base had no 2027-07)."""

from __future__ import annotations

from pathlib import Path

import click

from solver.compare import compare_timed_files

from .time_outputs import line, timed_output, tour

MONTHS = ["2027-01", "2027-02", "2027-03", "2027-04"]
LINES = [line("Kyiv", "INF_BN", 1)]
TOURS = [tour("FRA", "INF_BN", "Kyiv", "2027-01", "2027-04", 1)]


def test_periods_one_output_lacks_and_months_that_differ_are_noted(tmp_path: Path) -> None:
    """base: 2027-01..2027-04 of a month each (4 months). `longer` adds 2027-05; `stretch` has
    base's names with 2027-03 two months long (5 months); `same` is base again. Notes: longer's
    2027-05 is only in longer (its coverage there is compared with nothing); stretch covers 5
    months against 4; nothing of same."""
    base = timed_output(tmp_path / "base.xlsx", periods=MONTHS, tours=TOURS, lines=LINES)
    longer = timed_output(
        tmp_path / "longer.xlsx",
        periods=[*MONTHS, "2027-05"],
        tours=[tour("FRA", "INF_BN", "Kyiv", "2027-01", "2027-05", 1)],
        lines=LINES,
        summary={"scenario": "longer"},
    )
    stretch = timed_output(
        tmp_path / "stretch.xlsx",
        periods=[("2027-01", 1), ("2027-02", 1), ("2027-03", 2), ("2027-04", 1)],
        tours=TOURS,
        lines=LINES,
        summary={"scenario": "stretch"},
    )
    same = timed_output(
        tmp_path / "same.xlsx",
        periods=MONTHS,
        tours=TOURS,
        lines=LINES,
        summary={"scenario": "same"},
    )
    cmp = compare_timed_files([base, longer, stretch, same], None)
    assert [n for n in cmp.notes if "periods" in n] == [
        "longer's periods are not base's (2027-05 only in longer): coverage is compared in the "
        "periods both have, tours and stages over each one's own",
        "stretch's periods have base's names but cover 5 months against 4: a period of the same "
        "name may be longer or shorter, and its units are compared as if it were not",
    ]
    # longer's unit in 2027-05, a month base's plan does not have, is no change of coverage
    # (an analyst trial read a shorter horizon's months as `-1 unit` of a priority-1 line)
    longer_rows = cmp.coverage[cmp.coverage["scenario"] == "longer"]
    assert "2027-05" not in set(longer_rows["from"]) | set(longer_rows["to"])


def test_a_burden_sheet_with_a_note_beside_it_is_no_error(tmp_path: Path) -> None:
    """The Burden sheet serves only the periods note: a planner's note beside its table (a
    value under no header, an error of the sheet's reader) must not make the comparison exit
    2 (a review: it did once Burden was read for its periods)."""
    from openpyxl import load_workbook

    base = timed_output(tmp_path / "base.xlsx", periods=MONTHS, tours=TOURS, lines=LINES)
    other = timed_output(
        tmp_path / "o.xlsx", periods=MONTHS, tours=TOURS, lines=LINES, summary={"scenario": "o"}
    )
    book = load_workbook(other)
    book["Burden"]["K2"] = "checked with J3 staff"
    book.save(other)
    notes = compare_timed_files([base, other], None).notes
    assert not [n for n in notes if "Burden" in n or "periods" in n]


def test_the_briefing_and_compare_leave_months_one_plan_lacks_and_say_no_shared_period(
    tmp_path: Path,
) -> None:
    """base covers Kyiv over 2027-01..2027-06, `short` over its own 2027-01..2027-04: the
    briefing of both listed `-1 unit` in 2027-05..2027-06, which compare leaves out (a
    review). `quarters` shares no period with base: compare said coverage changed nowhere
    (`none`) beside its coverage falling; it says now that it is not compared."""
    import re

    from click.testing import CliRunner

    from solver.cli import main
    from solver.compare.timed_output import coverage_lines

    six = ["2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06"]
    kyiv = [line("Kyiv", "INF_BN", 1)]
    base = timed_output(
        tmp_path / "base.xlsx",
        periods=six,
        tours=[tour("FRA", "INF_BN", "Kyiv", "2027-01", "2027-06", 1)],
        lines=kyiv,
    )
    short = timed_output(
        tmp_path / "short.xlsx",
        periods=six[:4],
        tours=[tour("FRA", "INF_BN", "Kyiv", "2027-01", "2027-04", 1)],
        lines=kyiv,
        summary={"scenario": "short"},
    )
    page = tmp_path / "page.html"
    done = CliRunner().invoke(main, ["report", str(base), str(short), "-o", str(page)])
    assert done.exit_code == 0, done.output
    shown = " ".join(re.sub(r"<[^>]+>", " ", page.read_text()).split())
    assert "Kyiv INF_BN 1 2027-01" not in shown  # the table of coverage changes: none
    assert "Kyiv INF_BN 1 2027-05 2027-06" not in shown
    quarters = timed_output(
        tmp_path / "quarters.xlsx",
        periods=[("2027-Q1", 3), ("2027-Q2", 3)],
        tours=[tour("FRA", "INF_BN", "Kyiv", "2027-Q1", "2027-Q1", 1)],
        lines=kyiv,
        summary={"scenario": "quarters"},
    )
    cmp = compare_timed_files([base, quarters], None)
    said = [click.unstyle(s) for s in coverage_lines(cmp, 15)]
    assert "  quarters: not compared: it shares no period with base" in said
    assert [n for n in cmp.notes if "shares no period" in n] == [
        "quarters shares no period with base: their coverage is not compared (a line's change "
        "per period), tours and stages over each one's own"
    ]
