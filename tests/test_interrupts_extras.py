"""Ctrl-C and SIGTERM during what follows the search for the plan: caveat pricing (while a rule
is re-solved, between re-solves, before the first), the search for alternatives, the gaps'
reasons and an infeasible plan's conflict; and a stop during the solve that skips them. Real
signals, sent at a point the run itself reaches (tests/inject.py); the helpers are
tests/test_interrupts.py's (split from tests/test_interrupts.py)."""

from __future__ import annotations

import signal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from solver.cli import main

from .conftest import EXAMPLE, ROOT
from .test_interrupts import finish, run_injected, sheet_names, start_injected, summary
from .workbooks import simple_case

TIMED_EXAMPLE = ROOT / "inputs" / "coalition_timed.xlsx"


def test_ctrl_c_while_pricing_writes_unpriced_rules_as_interrupted(tmp_path: Path) -> None:
    """The example's third rule is being re-solved when Ctrl-C arrives: C1 and C2 keep their
    prices (1 priority-1 unit each), C3 and every later rule say `not priced: interrupted`,
    never `costs nothing` (C8 costs 3 units); the plan is written; exit 130."""
    out = tmp_path / "o.xlsx"
    done = run_injected("pricing", 3, "INT", "solve", EXAMPLE, "-o", out, "--price-caveats")
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert "costs nothing" not in done.stdout
    assert "not priced: interrupted (20 of 22 rules): caveat C" in done.stdout
    # the warning says what the Ctrl-C stops: the pricing, not the search for the plan
    assert "ending the caveat prices (the plan is kept" in done.stderr, done.stderr
    assert "best plan found so far" not in done.stderr
    assert "written:" in done.stdout
    prices = pd.read_excel(out, sheet_name="CaveatPrices").set_index("rule")
    assert prices.loc["caveat C1", "costs.shortfall.p1"] == 1
    assert prices.loc["caveat C2", "costs.shortfall.p1"] == 1
    not_priced = prices[prices["status"] == "not priced: interrupted"]
    assert len(not_priced) == 20 and "caveat C8" in not_priced.index
    assert not_priced["costs.shortfall.p1"].isna().all()
    assert (not_priced["summary"] == not_priced.index + ": not priced: interrupted").all()
    s = summary(out)
    assert s["status"] == "optimal"  # the plan itself was solved in full
    assert s["caveat_prices"].startswith("interrupted: 2 of 22 rules priced")
    assert len(pd.read_excel(out, sheet_name="Allocation")) > 0


def test_sigterm_while_pricing_is_the_same_with_exit_143(tmp_path: Path) -> None:
    out = tmp_path / "o.xlsx"
    proc = start_injected("pricing", 1, "solve", EXAMPLE, "-o", out, "--price-caveats")
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = finish(proc)
    assert proc.returncode == 143, stderr
    assert "stopped by SIGTERM" in stderr and "Traceback" not in stderr
    prices = pd.read_excel(out, sheet_name="CaveatPrices")
    assert (prices["status"] == "not priced: interrupted").all()
    assert "costs nothing" not in stdout and "nothing to price" not in stdout


def test_interrupt_between_re_solves_keeps_the_prices_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A KeyboardInterrupt outside HiGHS (in forcegen's own code between two re-solves)."""
    from solver.explain import pricing_inplace

    src = simple_case(
        tmp_path / "c.xlsx",
        caveats=[
            {"id": "CAPB", "contributor": "B", "caveat": "max_units", "value": 1},
            {"id": "MAXA", "contributor": "A", "caveat": "max_units", "value": 5},
        ],
    )
    reprice = pricing_inplace.InPlacePricer.reprice
    calls = []

    def interrupted_second(self, lift, start):
        calls.append(lift.rule)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return reprice(self, lift, start)

    monkeypatch.setattr(pricing_inplace.InPlacePricer, "reprice", interrupted_second)
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--price-caveats"])
    assert result.exit_code == 130, result.output
    prices = pd.read_excel(out, sheet_name="CaveatPrices").set_index("rule")
    assert prices.loc["caveat CAPB", "costs.shortfall.p1"] == 1
    assert prices.loc["caveat MAXA", "status"] == "not priced: interrupted"
    assert "caveat MAXA: not priced: interrupted" in prices["summary"].tolist()


def test_ctrl_c_while_searching_alternatives_says_so(tmp_path: Path) -> None:
    """Ctrl-C during the search for the second of three alternatives: one is kept, the
    Summary and console say interrupted, exit 130 (not 'found before the time limit', 0)."""
    out = tmp_path / "o.xlsx"
    done = run_injected("alternatives", 2, "INT", "solve", EXAMPLE, "-o", out, "--alternatives", 3)
    assert done.returncode == 130, done.stderr
    assert "interrupted: 1 alternative plan found before the interrupt (asked for 3)" in (
        done.stdout
    )
    assert "time limit" not in done.stdout
    s = summary(out)
    assert s["alternatives.status"] == "interrupted"
    assert s["alternatives.found"] == 1
    with pd.ExcelFile(out) as book:
        sheets = book.sheet_names
    assert "Allocation.2" in sheets and "Allocation.3" not in sheets


def test_interrupt_before_the_first_re_solve_still_writes_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the pricing model is built (before any rule): the plan is written, the
    Summary says no rule was priced, exit 130."""
    from solver.explain import pricing_inplace

    def interrupted(self, data, options):
        raise KeyboardInterrupt

    monkeypatch.setattr(pricing_inplace.InPlacePricer, "__init__", interrupted)
    src = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--price-caveats"])
    assert result.exit_code == 130, result.output
    assert "no rule priced" in result.output
    s = summary(out)
    assert s["status"] == "optimal" and s["caveat_prices"] == "interrupted: no rule priced"


def test_ctrl_c_before_alternatives_writes_the_plan(tmp_path: Path) -> None:
    """Ctrl-C during the solve with --alternatives: no alternative is searched, the plan is
    written (it was an internal error, KeyError, and nothing written)."""
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    done = run_injected("solve", 1, "INT", "solve", case, "-o", out, "--alternatives", 2)
    assert done.returncode == 130, done.stderr
    assert "alternatives not searched: the solve ended interrupted" in done.stdout
    assert summary(out)["status"] == "interrupted"


def test_infeasible_with_alternatives_exits_3(tmp_path: Path) -> None:
    src = simple_case(
        tmp_path / "c.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 9, "hard": "yes"}],
    )
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out), "--alternatives", "2"])
    assert result.exit_code == 3, result.output
    assert "alternatives not searched: the solve ended infeasible" in result.output


def test_ctrl_c_during_solve_skips_pricing_and_says_so(tmp_path: Path) -> None:
    case = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    done = run_injected("solve", 1, "INT", "solve", case, "-o", out, "--price-caveats")
    assert done.returncode == 130, done.stderr
    assert "caveat prices skipped" in done.stderr
    s = summary(out)
    assert s["status"] == "interrupted" and s["caveat_prices"] == "interrupted: no rule priced"


def test_ctrl_c_during_the_gaps_explanation_skips_it_and_keeps_the_plan(tmp_path: Path) -> None:
    """The Gaps explanation (seconds at scale) is what a planner may stop: the plan is written
    without it, the Summary says why, exit 130."""
    out = tmp_path / "o.xlsx"
    done = run_injected("gaps", 1, "INT", "solve", EXAMPLE, "-o", out)
    assert done.returncode == 130, done.stderr
    s = summary(out)
    assert s["status"] == "optimal"
    assert s["explanation"] == "not given: interrupted"
    assert "Gaps" not in sheet_names(out)
    # the console does not send the planner to a sheet that is not there
    assert "Gaps sheet" not in done.stdout.replace("no Gaps sheet:", "")
    assert "no Gaps sheet: Ctrl-C came while the gaps' reasons were worked out" in done.stdout


def test_ctrl_c_during_a_timed_plans_gap_reasons_is_said_wherever_they_would_be(
    tmp_path: Path,
) -> None:
    """rotation.xlsx's plan leaves Rzeszow AD_BTY short (p3). Ctrl-C while its reasons are
    worked out: the plan is whole and keeps its status, but a trial's Sustainability sheet had
    a blank reason, the Dashboard said nothing, and the briefing showed `-` as the reason with
    no word why. Each now says the reasons were not worked out, and why."""
    out, page = tmp_path / "o.xlsx", tmp_path / "o.html"
    case = ROOT / "inputs" / "reference" / "rotation.xlsx"
    done = run_injected("gaps", 1, "INT", "solve", case, "-o", out, "--work-limit", "5")
    assert done.returncode == 130, done.stderr
    assert summary(out)["status"] == "optimal"
    sus = pd.read_excel(out, sheet_name="Sustainability").set_index(["site", "capability"])
    assert sus.loc[("Rzeszow", "AD_BTY"), "reason"] == "not worked out: interrupted"
    dashboard = pd.read_excel(out, sheet_name="Dashboard", header=None)
    said = "none in this output: Ctrl-C came while the gaps' reasons were worked out"
    assert said in [str(v) for v in dashboard.to_numpy().ravel()]
    report = CliRunner().invoke(main, ["report", str(out), "--input", str(case), "-o", str(page)])
    assert report.exit_code == 0, report.output
    html = page.read_text()
    assert "no gap reasons in this plan: Ctrl-C came while the gaps&#39; reasons were" in html
    assert "not worked out: interrupted" in html


def test_ctrl_c_while_a_timed_conflict_is_worked_out_says_no_gap_reasons(tmp_path: Path) -> None:
    """An infeasible timed workbook (S1's hard INF needs 2, A pledges 1): its Sustainability
    sheet has every line short and no reasons, none being worked out for an infeasible plan.
    Ctrl-C while its conflict is worked out said `not worked out` of S2's reason (a review):
    only a plan's gap reasons are."""
    from .time_cases import months, timed_case

    case = timed_case(
        tmp_path / "inf.xlsx",
        periods=months(3),
        capabilities=[
            {"capability": c, "category": "ground", "personnel_per_unit": 100}
            for c in ("INF", "ARM")
        ],
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "priority": 1, "hard": "yes"},
            {"site": "S2", "capability": "ARM", "units": 1, "priority": 2},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "B", "capability": "ARM", "units": 1},
        ],
    )
    out = tmp_path / "o.xlsx"
    done = run_injected("conflict", 1, "INT", "solve", case, "-o", out, "--work-limit", "5")
    assert done.returncode == 130, done.stderr
    assert summary(out)["explanation"] == "not given: interrupted"
    sus = pd.read_excel(out, sheet_name="Sustainability")
    assert not sus["reason"].astype(str).str.contains("not worked out").any()


def test_sigterm_while_the_conflict_is_worked_out_is_said(tmp_path: Path) -> None:
    """The bundled infeasible example: a SIGTERM while its conflict is worked out leaves the
    Infeasibility sheet out; the Summary, the console and the Dashboard say so (the Dashboard
    said 'the Infeasibility sheet says why')."""
    out = tmp_path / "o.xlsx"
    infeasible = ROOT / "inputs" / "coalition_infeasible.xlsx"
    done = run_injected("conflict", 1, "TERM", "solve", infeasible, "-o", out)
    assert done.returncode == 143, done.stderr
    s = summary(out)
    assert s["status"] == "infeasible"
    assert s["explanation"] == "not given: terminated (SIGTERM)"
    assert "Infeasibility" not in sheet_names(out)
    said = "no Infeasibility sheet: SIGTERM came while the conflict was worked out"
    assert said in done.stdout
    dashboard = pd.read_excel(out, sheet_name="Dashboard", header=None)
    cells = [str(v) for v in dashboard.to_numpy().ravel()]
    assert "none: no allocation exists (why not given: terminated (SIGTERM))" in cells
    assert not any("the Infeasibility sheet says why" in c for c in cells)


@pytest.mark.parametrize("timed", [False, True])
def test_sigterm_during_the_gaps_explanation_is_named(tmp_path: Path, timed: bool) -> None:
    """A SIGTERM there: exit 143, the Summary and the console name it, not Ctrl-C. In time the
    Sustainability sheet is written, with the reasons found before the stop only. (The timed
    example under a work limit of 2: a plan, and lines short.)"""
    out = tmp_path / "o.xlsx"
    args = [TIMED_EXAMPLE, "--work-limit", "2"] if timed else [EXAMPLE]
    done = run_injected("gaps", 1, "TERM", "solve", *args, "-o", out)
    assert done.returncode == 143, done.stderr
    assert summary(out)["explanation"] == "not given: terminated (SIGTERM)"
    assert "Gaps" not in sheet_names(out)
    missing = "no Gaps sheet, some reasons blank in Sustainability" if timed else "no Gaps sheet"
    assert f"{missing}: SIGTERM came while the gaps' reasons were worked out" in done.stdout
    assert "with reasons in the Gaps sheet" not in done.stdout


def test_ctrl_c_while_reading_says_no_plan_existed_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the workbook is read (before any plan): exit 130, and the line says that no
    plan existed yet, not only `nothing was written` (a trial read that as a fault)."""
    from solver import api

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "read", interrupted)
    src = simple_case(tmp_path / "c.xlsx")
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert result.exit_code == 130, result.output
    assert (
        "stopped by Ctrl-C (SIGINT) before any plan was found (reading the workbook, building "
        "the model or the first plan): nothing was written"
    ) in result.output
    assert not out.exists()
