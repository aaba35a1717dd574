"""The smallest change that gives a plan says its amount in the unit the rule counts: units, a
site, a contributor, people; summed over periods, unit-periods (it said `by 1` whatever the
rule counted).

Each world has one cheapest relaxation (HiGHS's feasibility relaxation weighs every row's
excess alike), derived in its docstring."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from solver import api
from solver.cli import main
from solver.explain.give_way import GiveWay, _unit
from solver.explain.rules import Rule
from solver.model.build import build_model
from solver.report.command import write_report

from .workbooks import simple_case, write_workbook

INF = [{"capability": "INF", "category": "ground", "personnel_per_unit": 100}]
TWO_SITES = [{"site": "S1", "country": "X"}, {"site": "S2", "country": "X"}]


def test_a_max_sites_caveat_gives_way_by_a_site(tmp_path: Path) -> None:
    """A alone pledges 4 INF; S1 and S2 each need 2 in full; A goes to at most 1 site. Either
    A's caveat allows one site more (excess 1: its row sum_s y <= 1 read as <= 2) or a line
    takes 2 units fewer (excess 2): the caveat, by 1 site."""
    path = write_workbook(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": "A"}],
        capabilities=INF,
        sites=TWO_SITES,
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "hard": "yes"},
            {"site": "S2", "capability": "INF", "units": 2, "hard": "yes"},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 4}],
        caveats=[{"id": "CS", "contributor": "A", "caveat": "max_sites", "value": 1}],
    )
    out = tmp_path / "out.xlsx"
    run = CliRunner().invoke(main, ["solve", str(path), "-o", str(out)])
    assert run.exit_code == 3, run.output
    assert "  - caveat CS (A max_sites 1): by 1 site\n" in run.output
    sheet = pd.read_excel(out, sheet_name="Infeasibility")
    relax = sheet[sheet["part"] == "relax"]
    assert relax[["relax_by", "relax_unit"]].values.tolist() == [[1, "site"]]
    assert "caveat CS (A max_sites 1): relax by 1 site" in write_report([out]).read_text("utf-8")


def test_a_site_s_contributor_limit_gives_way_by_a_contributor(tmp_path: Path) -> None:
    """S1 needs 4 INF in full and takes at most 1 contributor; A and B pledge 2 each. One
    contributor more (excess 1) or 2 units fewer (excess 2): by 1 contributor."""
    path = write_workbook(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": "A"}, {"contributor": "B"}],
        capabilities=INF,
        sites=[{"site": "S1", "country": "X", "max_contributors": 1}],
        requirements=[{"site": "S1", "capability": "INF", "units": 4, "hard": "yes"}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
    )
    result = api.solve(path)
    assert result.conflict is not None
    assert [g.unit for g in result.conflict.give_way] == ["contributor"]
    assert result.conflict.lines()[-1].endswith(": by 1 contributor")


def test_each_rule_s_unit(tmp_path: Path) -> None:
    """The nouns by rule, and people for a personnel cap (which the relaxation rarely picks:
    a person is cheaper to relax than a unit only where a unit is one person)."""
    path = simple_case(
        tmp_path / "c.xlsx",
        caveats=[
            {"id": "CP", "contributor": "A", "caveat": "max_personnel", "value": 100},
            {"id": "CW", "contributor": "A", "caveat": "not_with", "other": "B"},
            {"id": "CU", "contributor": "B", "caveat": "max_units", "value": 1},
        ],
    )
    ctx = build_model(api.read(path), explain=True)
    assert _unit(Rule("caveat", ("CP",), ()), ctx, 0) == "person"
    assert _unit(Rule("caveat", ("CW",), ()), ctx, 0) == "site"
    assert _unit(Rule("caveat", ("CU",), ()), ctx, 1) == "unit"
    assert _unit(Rule("caveat", ("CU",), ()), ctx, 3) == "unit-period"
    assert _unit(Rule("single_source", ("S1", "INF"), ()), ctx, 0) == "contributor"
    assert _unit(Rule("hard", ("S1", "INF"), ()), ctx, 0) == "unit"
    assert GiveWay("caveat CP", 50, "person").said() == "caveat CP: by 50 people"
    assert GiveWay("caveat CP", 1, "person").said() == "caveat CP: by 1 person"
    assert GiveWay("a line", 3, "unit-period").said() == "a line: by 3 unit-periods"


def test_an_exclude_in_time_gives_way_in_unit_periods(tmp_path: Path) -> None:
    """In time a caveat's options forbidden are pinned by one row summing them over every
    period (`caveat.K1.forbid`): 1 unit relaxed in each of 2 periods is an excess of 2 on that
    one row, said `by 2 unit-periods` (it said `units`). The excess is put there by hand."""
    import numpy as np

    from solver.explain.give_way import give_way
    from solver.explain.rules import rules_of

    from .time_cases import months, timed_case

    path = timed_case(
        tmp_path / "t.xlsx",
        periods=months(2),
        caveats=[{"id": "K1", "contributor": "A", "caveat": "exclude", "site": "S1"}],
    )
    ctx = build_model(api.read(path), explain=True)
    rules = rules_of(ctx)
    (row,) = [int(r) for b in ctx.lm.row_blocks if b.name == "caveat.K1.forbid" for r in b.rows]
    excess = np.zeros(ctx.lm.n_rows)
    excess[row] = 2.0
    assert give_way(rules, ctx, excess) == [("caveat K1 (A exclude site=S1)", 2.0, "unit-period")]
