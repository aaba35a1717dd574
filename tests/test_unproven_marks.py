"""A figure of a plan that a stage not proven decides says so wherever it is shown: the
Dashboard, the briefing's cards and the console's figure lines (an analyst trial read an
unproven 95.2% coverage, and a cost that a longer run halved, as final). One rule,
`wording.unproven_note`; each place asks it for the stage that decides its figure."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.results.dashboard import headline_rows
from solver.wording import unproven_note

from .sweep_case import small_case

PROVEN_BUT_COST = {
    "status": "feasible",
    "stage.shortfall.p1.status": "optimal",
    "stage.shortfall.p2.status": "skipped",
    "stage.cost.status": "feasible",
    "stage.cost.gap": 0.05,
    "stage.presence.status": "not_solved",
}


def test_the_note_names_the_first_open_stage_that_decides_the_figure() -> None:
    assert unproven_note(PROVEN_BUT_COST, "shortfall") == ""
    assert unproven_note(PROVEN_BUT_COST, "shortfall.p1") == ""
    assert unproven_note(PROVEN_BUT_COST, "cost") == " (not proven: cost, gap 5%)"
    assert unproven_note(PROVEN_BUT_COST, "presence") == " (not proven: cost, gap 5%)"
    presence_only = {**PROVEN_BUT_COST, "stage.cost.status": "optimal"}
    assert unproven_note(presence_only, "presence") == " (not proven: presence not optimised)"
    open_p2 = {**PROVEN_BUT_COST, "stage.shortfall.p2.status": "feasible"}
    assert unproven_note(open_p2, "shortfall") == " (not proven: shortfall.p2)"
    assert unproven_note(open_p2, "shortfall.p1") == ""
    assert unproven_note({"status": "feasible"}, "cost") == " (not proven)"  # no stage keys
    # a later stage proven after an open one proves nothing of it: the first open one is said
    p1_open = {
        **PROVEN_BUT_COST,
        "stage.shortfall.p1.status": "feasible",
        "stage.cost.status": "optimal",
    }
    p1_open["stage.shortfall.p1.gap"] = 0.05
    assert unproven_note(p1_open, "cost") == " (not proven: shortfall.p1, gap 5%)"
    assert unproven_note(p1_open, "shortfall.p2") == " (not proven: shortfall.p1, gap 5%)"
    nan = float("nan")
    assert unproven_note({**PROVEN_BUT_COST, "stage.cost.gap": nan}, "cost") == (
        " (not proven: cost)"
    )  # a blank gap cell, read by pandas as NaN, is no gap
    # a status cell emptied: nothing says the stage is proven
    blank = {**PROVEN_BUT_COST, "stage.shortfall.p1.status": nan}
    assert unproven_note(blank, "shortfall") == " (not proven: shortfall.p1)"
    assert unproven_note({"status": "optimal"}, "cost") == ""


def test_a_wider_gap_after_the_first_open_stage_is_said_too() -> None:
    """p2 open at 2.54%, p3 at 100%, cost at 13.9%: a figure every shortfall stage decides
    (coverage) names p2 and says the gaps go up to 100% at p3 (a scale trial read `p3
    coverage 3.3% (not proven: shortfall.p2, gap 2.54%)` as nearly proven); p2's own figures
    only p2; the cost the widest of p2, p3 and cost, p3's 100%; a later gap no wider than the
    first one's is not said."""
    summary = {
        "status": "feasible",
        "stage.shortfall.p1.status": "optimal",
        "stage.shortfall.p2.status": "feasible",
        "stage.shortfall.p2.gap": 0.0254,
        "stage.shortfall.p3.status": "feasible",
        "stage.shortfall.p3.gap": 1.0,
        "stage.cost.status": "feasible",
        "stage.cost.gap": 0.139,
    }
    wider = " (not proven: shortfall.p2, gap 2.54%; up to 100% at shortfall.p3)"
    assert unproven_note(summary, "shortfall") == wider
    assert unproven_note(summary, "cost") == wider
    assert unproven_note(summary, "shortfall.p2") == " (not proven: shortfall.p2, gap 2.54%)"
    narrow = {**summary, "stage.shortfall.p3.gap": 0.01, "stage.cost.gap": 0.02}
    assert unproven_note(narrow, "cost") == " (not proven: shortfall.p2, gap 2.54%)"


def _unproven_cost(summary: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The Summary rows with the cost stage stopped at a 5% gap (as a limit leaves it)."""
    rows = [(k, "feasible" if k == "stage.cost.status" else v) for k, v in summary]
    return [*rows, ("stage.cost.gap", 0.05)]


def test_the_dashboard_marks_the_cost_and_not_the_coverage(tmp_path: Path) -> None:
    result = api.solve(small_case(tmp_path / "case.xlsx"))
    assert result.status == "optimal"
    proven = dict(headline_rows(result.tables)[0])
    assert "cost (the cost stage)" in proven  # a proven plan: no mark
    result.tables.summary = _unproven_cost(result.tables.summary)
    marked = dict(headline_rows(result.tables)[0])
    assert (
        marked["cost (the cost stage) (not proven: cost, gap 5%)"]
        == proven["cost (the cost stage)"]
    )
    assert "coverage, all priorities" in marked and "units unmet" in marked


def test_the_briefing_card_marks_the_cost(tmp_path: Path) -> None:
    case = small_case(tmp_path / "case.xlsx")
    out = api.write(api.solve(case), tmp_path / "out.xlsx", [case])
    wb = load_workbook(out)
    ws = wb["Summary"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "stage.cost.status":
            row[1].value = "feasible"
    ws.append(["stage.cost.gap", 0.05])
    wb.save(out)
    page = tmp_path / "out.html"
    result = CliRunner().invoke(main, ["report", str(out), "-o", str(page), "--input", str(case)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "(not proven: cost, gap 5%)" in html
    assert "coverage, all priorities (not proven" not in html


def test_the_timed_dashboard_marks_the_first_gap_by_its_priority(tmp_path: Path) -> None:
    """The hand-built timed case of tests/time_tables_case.py: its first gap is priority 1's
    (S1 INF short from P2). With priority 2's stage open, the coverage is marked and the first
    gap is not (priority 1 is proven); with priority 1's open, both are. Hard lines short are
    never marked (a solved plan meets them)."""
    from solver.results.time_dashboard import timed_headline

    from .time_tables_case import case, make

    tables = make(case(tmp_path))
    rows = [(k, v) for k, v in tables.summary if not k.startswith("stage.")]

    def labels(statuses: dict[str, str]) -> list[str]:
        tables.summary = [*rows, *((f"stage.{s}.status", v) for s, v in statuses.items())]
        return [k for k, _ in timed_headline(tables)[0]]

    p2_open = labels({"shortfall.p1": "optimal", "shortfall.p2": "feasible"})
    assert "coverage, all priorities (not proven: shortfall.p2)" in p2_open
    assert "first gap" in p2_open and "hard lines short in some period" in p2_open
    p1_open = labels({"shortfall.p1": "feasible", "shortfall.p2": "optimal"})
    assert "first gap (not proven: shortfall.p1)" in p1_open
