"""Explanations of infeasibility: the Infeasibility sheet names the right rules, and a line made
hard by a scenario says so (test_explain_gaps.py: the Gaps sheet's reasons)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main

from .conftest import EXAMPLE
from .workbooks import simple_case, write_workbook

INF = [{"capability": "INF", "category": "ground", "personnel_per_unit": 100}]
ONE_SITE = [{"site": "S1", "country": "X"}]


def conflict_ids(result: api.Result) -> set[str]:
    assert result.status == "infeasible"
    assert result.conflict is not None
    return {i for rid, _ in result.conflict.rules for i in rid.split(",")}


def test_exclusion_conflict_names_requirement_pledge_and_caveat(tmp_path: Path) -> None:
    """S1 needs 3 INF (hard); A pledges 2, B pledges 2 but excludes S1: impossible by 1 unit."""
    path = write_workbook(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": "A"}, {"contributor": "B"}],
        capabilities=INF,
        sites=ONE_SITE,
        requirements=[{"site": "S1", "capability": "INF", "units": 3, "hard": "yes"}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
        caveats=[{"id": "NOB", "contributor": "B", "caveat": "exclude", "site": "S1"}],
    )
    result = api.solve(path)
    assert conflict_ids(result) == {"hard:S1/INF", "pledge:A/INF", "caveat:NOB"}
    assert not result.conflict.integrality_only
    assert result.conflict.give_way == [("S1 needs 3 INF in full", 1.0, "unit")]
    texts = " ".join(t for _, t in result.conflict.rules)
    assert "caveat NOB (B exclude site=S1)" in texts and "B 2 (kept out by NOB)" in texts


def test_integrality_only_conflict(tmp_path: Path) -> None:
    """Personnel caps of 150 allow 1.5 units each: 3 with fractions, only 2 whole units."""
    path = write_workbook(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": "A"}, {"contributor": "B"}],
        capabilities=INF,
        sites=ONE_SITE,
        requirements=[{"site": "S1", "capability": "INF", "units": 3, "hard": "yes"}],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 2},
            {"contributor": "B", "capability": "INF", "units": 2},
        ],
        caveats=[
            {"id": "CA", "contributor": "A", "caveat": "max_personnel", "value": 150},
            {"id": "CB", "contributor": "B", "caveat": "max_personnel", "value": 150},
        ],
    )
    result = api.solve(path)
    assert conflict_ids(result) == {"hard:S1/INF", "caveat:CA", "caveat:CB"}
    assert result.conflict.integrality_only


def test_requires_only_conflict(tmp_path: Path) -> None:
    """Only A can fill the hard line, and A requires B, which is unavailable."""
    path = write_workbook(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": "A"}, {"contributor": "B", "status": "unavailable"}],
        capabilities=INF,
        sites=ONE_SITE,
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "hard": "yes"}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        caveats=[{"id": "AB", "contributor": "A", "caveat": "requires", "other": "B"}],
    )
    result = api.solve(path)
    assert conflict_ids(result) == {"hard:S1/INF", "caveat:AB"}


def test_a_contributors_only_rows_are_one_rule_of_a_conflict(tmp_path: Path) -> None:
    """A may go only to S1 or to S2 (two `only` rows, their union) and is committed to 1 unit
    (min_units); only S3 needs INF. Without O2, O1 still keeps A out of S3, and the other way
    round: the conflict is the commitment and the two rows together, one rule named by both
    (it named O2 alone, as if lifting O2 would do)."""
    sites = [{"site": s, "country": "X"} for s in ("S1", "S2", "S3")]
    path = write_workbook(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": "A"}],
        capabilities=INF,
        sites=sites,
        requirements=[{"site": "S3", "capability": "INF", "units": 1}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1}],
        caveats=[
            {"id": "O1", "contributor": "A", "caveat": "only", "site": "S1"},
            {"id": "O2", "contributor": "A", "caveat": "only", "site": "S2"},
            {"id": "M1", "contributor": "A", "caveat": "min_units", "value": 1},
        ],
    )
    result = api.solve(path)
    assert conflict_ids(result) == {"caveat:M1", "caveat:O1"}
    texts = dict(result.conflict.rules)
    assert texts["caveat:O1"] == "caveat O1 (A only site=S1); caveat O2 (A only site=S2)"


def test_a_hard_line_whose_cap_conflicts_names_the_cap_not_the_hardness(tmp_path: Path) -> None:
    """S1 and S2 each need 1 INF, S1's line hard; A pledges 2 INF, may go only to S1 and must
    deploy 2 (min_units): S1 takes at most 1, so A cannot deploy 2. What conflicts is S1's cap
    (a line takes at most its requirement), hard or not: without the hardness A still cannot
    deploy 2. The conflict names the cap, as for the same line not hard, and not the hardness
    (softening the line would change nothing)."""
    path = simple_case(
        tmp_path / "c.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "hard": "yes"},
            {"site": "S2", "capability": "INF", "units": 1},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
        caveats=[
            {"id": "C1", "contributor": "A", "caveat": "only", "site": "S1"},
            {"id": "C2", "contributor": "A", "caveat": "min_units", "value": 2},
        ],
    )
    result = api.solve(path)
    assert conflict_ids(result) == {"requirement_limit:S1/INF", "caveat:C1", "caveat:C2"}
    assert result.conflict is not None
    assert dict(result.conflict.rules)["requirement_limit:S1/INF"] == (
        "S1 needs only 1 INF (no more can be allocated there)"
    )


def test_a_hard_line_nobody_can_fill_is_a_conflict_of_a_model_without_columns(
    tmp_path: Path,
) -> None:
    """S1 needs 1 INF in full; A pledges 0 INF: the explain model has the line's row and no
    column at all, which HiGHS calls "Empty" without deciding it (a trial saw `No conflict
    could be found: HiGHS failed (Empty)`). Its rows' activity is 0, and the line's row asks
    1: the conflict is the line alone, relaxed by 1 unit."""
    path = simple_case(
        tmp_path / "c.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 1, "hard": "yes"}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 0}],
    )
    result = api.solve(path)
    assert result.status == "infeasible"
    assert result.conflict is not None and result.conflict.complete
    assert [text for _, text in result.conflict.rules] == [
        "S1 needs 1 INF in full (hard because of the workbook (hard = yes)); nobody pledges INF"
    ]
    assert result.conflict.give_way == [("S1 needs 1 INF in full", 1.0, "unit")]


def test_a_pledge_is_said_kept_out_only_by_a_caveat_of_the_conflict(tmp_path: Path) -> None:
    """S1 needs 2 INF and 3 AD, both hard. A pledges 1 INF and 1 AD, B 2 AD, C 1 INF; C goes
    nowhere (K1 exclude), B never with C (K2 not_with), B's AD only where C is (K5 requires).
    The conflict found holds with K1 lifted: C's INF at S1 would keep B's AD out (K2), and
    without C, S1/INF is short. So C's INF is held back by the conflict's other rules, not
    `kept out by K1` (a trial lifted K2 as the list suggested, and the workbook stayed
    infeasible through K1, which the text named but the conflict did not hold). The smallest
    change is the plan's, over every rule: C to S2 (K1 by 1) with S1 short 1 INF."""
    path = simple_case(
        tmp_path / "c.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 2, "hard": "yes"},
            {"site": "S1", "capability": "AD", "units": 3, "hard": "yes"},
            {"site": "S2", "capability": "INF", "units": 1},
        ],
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 1},
            {"contributor": "A", "capability": "AD", "units": 1},
            {"contributor": "B", "capability": "AD", "units": 2},
            {"contributor": "C", "capability": "INF", "units": 1},
        ],
        contributors=[{"contributor": c} for c in "ABC"],
        capabilities=[{"capability": "INF"}, {"capability": "AD"}],
        caveats=[
            {"id": "K1", "contributor": "C", "caveat": "exclude"},
            {"id": "K2", "contributor": "B", "caveat": "not_with", "other": "C"},
            {"id": "K5", "contributor": "B", "caveat": "requires", "capability": "AD"}
            | {"other": "C"},
        ],
    )
    result = api.solve(path)
    assert result.conflict is not None
    rules = dict(result.conflict.rules)
    assert "caveat:K1" not in rules and "caveat:K2" in rules
    said = " ".join(rules.values())
    assert "kept out by K1" not in said
    assert rules["hard:S1/INF"].endswith("INF is pledged by A 1, C 1")
    assert "C 1 is held back by the other rules of this conflict" in said


def test_bundled_infeasible_variant_cli(tmp_path: Path) -> None:
    out = tmp_path / "inf.xlsx"
    src = EXAMPLE.parent / "coalition_infeasible.xlsx"
    result = CliRunner().invoke(main, ["solve", str(src), "-o", str(out)])
    assert result.exit_code == 3
    assert "caveat C23 (GBR exclude zone=home)" in result.output
    assert "LVA-East needs 3 INF_BN in full (hard because of caveat C1 (LVA no_weakening))" in (
        result.output
    )
    sheet = pd.read_excel(out, sheet_name="Infeasibility")
    assert {"conflict", "relax"} <= set(sheet["part"])
    assert "single_source:LVA-East/INF_BN" in set(sheet["rule"])


def test_pledge_line_names_the_pledges_it_leaves_out(tmp_path: Path) -> None:
    """ITA pledges 3 MP but excludes X, MKD pledges 1 but is unavailable, POL pledges 1: the
    pledge line must not say MP's pledges are limited to POL 1 (ITA pledges 3)."""
    path = write_workbook(
        tmp_path / "c.xlsx",
        contributors=[
            {"contributor": "ITA"},
            {"contributor": "MKD", "status": "unavailable"},
            {"contributor": "POL"},
        ],
        capabilities=[{"capability": "MP", "category": "ground", "personnel_per_unit": 35}],
        sites=ONE_SITE,
        requirements=[{"site": "S1", "capability": "MP", "units": 2, "hard": "yes"}],
        pledges=[
            {"contributor": "ITA", "capability": "MP", "units": 3},
            {"contributor": "MKD", "capability": "MP", "units": 1},
            {"contributor": "POL", "capability": "MP", "units": 1},
        ],
        caveats=[{"id": "C5", "contributor": "ITA", "caveat": "exclude", "country": "X"}],
    )
    result = api.solve(path)
    assert conflict_ids(result) == {"hard:S1/MP", "pledge:POL/MP", "caveat:C5"}
    texts = dict(result.conflict.rules)
    assert texts["pledge:POL/MP"] == (
        "the MP pledges usable here are limited to: POL 1 "
        "(ITA 3 is kept out by C5; MKD 1 is unavailable)"
    )


def test_bundled_infeasible_variant_names_the_excluded_pledge() -> None:
    """coalition_infeasible.xlsx: GBR pledges 3 INF_BN, kept out of LVA-East by C23; the pledge
    line lists the usable pledges and says so, instead of leaving GBR out silently."""
    result = api.solve(EXAMPLE.parent / "coalition_infeasible.xlsx")
    line = next(t for rid, t in result.conflict.rules if rid.startswith("pledge:"))
    assert line.startswith("the INF_BN pledges usable here are limited to: AUS 1, CAN 2, ")
    assert line.endswith("TUR 1 (GBR 3 is kept out by C23)")


def one_unit_short(tmp_path: Path) -> Path:
    """S1 needs 3 INF (hard); A pledges 2: infeasible by one unit."""
    return write_workbook(
        tmp_path / "c.xlsx",
        contributors=[{"contributor": "A"}],
        capabilities=INF,
        sites=ONE_SITE,
        requirements=[{"site": "S1", "capability": "INF", "units": 3, "hard": "yes"}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 2}],
    )


def test_a_highs_failure_is_never_read_as_feasible(tmp_path: Path, monkeypatch) -> None:
    """HiGHS failing on the explain model (here: every run answers kError) gives no conflict
    and says HiGHS failed, not that the rules can all hold together; the sheet says so too."""
    import highspy

    from solver.explain import deletion, infeasibility
    from solver.explain.conflict import conflict_table

    path = one_unit_short(tmp_path)

    class Failing(highspy.Highs):
        def run(self) -> highspy.HighsStatus:
            return highspy.HighsStatus.kError

    monkeypatch.setattr(deletion, "new_highs", Failing)
    conflict = infeasibility.explain_infeasibility(api.read(path), budget=5.0)
    assert conflict.rules == [] and not conflict.complete
    assert conflict.lines() == [
        "No conflict could be found: HiGHS failed (Not Set) on the explain model."
    ]
    table = conflict_table(conflict)
    assert table["explanation"].tolist() == ["HiGHS failed (Not Set) on the explain model"]


def test_a_check_failing_mid_search_leaves_the_conflict_incomplete(
    tmp_path: Path, monkeypatch
) -> None:
    """The first check proves the workbook infeasible; every later check fails: each rule is
    kept (a failure never drops a rule) and the conflict is marked as possibly not minimal."""
    import highspy

    from solver.explain import deletion, infeasibility, relaxation

    path = one_unit_short(tmp_path)

    class FailingAfterFirst(highspy.Highs):
        runs = 0

        def run(self) -> highspy.HighsStatus:
            FailingAfterFirst.runs += 1
            if FailingAfterFirst.runs == 1:
                return super().run()
            return highspy.HighsStatus.kError

    monkeypatch.setattr(deletion, "new_highs", FailingAfterFirst)
    monkeypatch.setattr(relaxation, "new_highs", FailingAfterFirst)
    conflict = infeasibility.explain_infeasibility(api.read(path), budget=5.0)
    assert conflict.rules and not conflict.complete
    assert "hard:S1/INF" in {i for rid, _ in conflict.rules for i in rid.split(",")}


# the scenario `strict`: S1's INF line hard = yes (its value at Scenarios!E2)
STRICT = dict(scenario="strict", sheet="Requirements", key="S1/INF", column="hard", value="yes")


def test_a_line_made_hard_by_a_scenario_is_said_so(tmp_path: Path) -> None:
    """simple_case (S1 and S2 need 2 INF each; A and B pledge 2 each) with S1 needing 5: the
    scenario `strict` sets S1's line hard = yes (Scenarios!E2), which no plan can fill (4 units
    pledged): infeasible. The line is hard because of the scenario, at its cell, not of the
    workbook (which says hard = no); the Coverage of the plan under the base says nothing."""
    path = simple_case(
        tmp_path / "c.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 5},
            {"site": "S2", "capability": "INF", "units": 2},
        ],
        scenarios=[STRICT],
    )
    result = api.solve(path, scenario="strict")
    assert result.status == "infeasible" and result.conflict is not None
    texts = [text for _, text in result.conflict.rules]
    assert any(
        "hard because of scenario 'strict', hard = yes at Scenarios!E2" in t for t in texts
    ), texts
    assert not any("the workbook (hard = yes)" in t for t in texts)


def test_coverage_names_the_scenario_that_made_a_line_hard(tmp_path: Path) -> None:
    """The same line made hard by the scenario `strict` where 4 units can fill it (S1 needs
    2): Coverage's hard_because is `scenario strict`, not `workbook`."""
    path = simple_case(
        tmp_path / "c.xlsx",
        scenarios=[STRICT],
    )
    coverage = api.solve(path, scenario="strict").tables.coverage
    assert coverage.set_index("site").loc["S1", "hard_because"] == "scenario strict"
    assert pd.isna(coverage.set_index("site").loc["S2", "hard_because"]) or (
        coverage.set_index("site").loc["S2", "hard_because"] in ("", None)
    )


@pytest.mark.parametrize(
    ("title", "cell"), [("SCENARIOS", "SCENARIOS!E2"), (" scenarios ", "' scenarios '!E2")]
)
def test_a_line_made_hard_by_a_scenario_is_said_so_whatever_the_sheets_title(
    tmp_path: Path, title: str, cell: str
) -> None:
    """The Scenarios sheet titled as the contract matches it (case, surrounding spaces): the
    line `strict` makes hard is still the scenario's, in Coverage and in the conflict, at its
    cell as Excel names it. Before, only a cell of a sheet titled exactly `Scenarios` was
    taken for the scenario's: `workbook`, and `the workbook (hard = yes)`."""
    path = simple_case(tmp_path / "c.xlsx", scenarios=[STRICT])
    wb = load_workbook(path)
    wb["Scenarios"].title = "renamed"  # openpyxl makes `SCENARIOS` of `Scenarios` `SCENARIOS1`
    wb["renamed"].title = title
    wb.save(path)
    coverage = api.solve(path, scenario="strict").tables.coverage
    assert coverage.set_index("site").loc["S1", "hard_because"] == "scenario strict"
    wb = load_workbook(path)
    wb["Requirements"]["C2"] = 5  # S1 needs 5 INF, 4 are pledged: infeasible
    wb.save(path)
    result = api.solve(path, scenario="strict")
    assert result.status == "infeasible" and result.conflict is not None
    texts = [text for _, text in result.conflict.rules]
    assert any(f"hard because of scenario 'strict', hard = yes at {cell}" in t for t in texts), (
        texts
    )
