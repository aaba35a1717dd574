"""--price-caveats: each caveat lifted in turn, each hard requirement softened, sorted by impact."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from solver import api
from solver.cli import main

from .workbooks import simple_case


def priced(path: Path) -> pd.DataFrame:
    return api.price_caveats(api.solve(path)).set_index("rule")


def test_prices_sorted_by_impact(tmp_path: Path) -> None:
    """S1 and S2 need 2 INF each. A (2 units, cost 1) is kept out of S2 by XA, which costs
    nothing (A fills S1); B (2 units) may only deploy 1 (CAPB): that costs 1 p1 unit. MAXA has
    no effect. Lifting CAPB fills the gap: CAPB costs 1 unit of shortfall.p1."""
    path = simple_case(
        tmp_path / "p.xlsx",
        caveats=[
            {"id": "XA", "contributor": "A", "caveat": "exclude", "site": "S2"},
            {"id": "CAPB", "contributor": "B", "caveat": "max_units", "value": 1},
            {"id": "MAXA", "contributor": "A", "caveat": "max_units", "value": 5},
        ],
    )
    table = priced(path)
    assert table.index[0] == "caveat CAPB"
    assert table.loc["caveat CAPB", "costs.shortfall.p1"] == 1
    assert table.loc["caveat CAPB", "summary"].startswith(
        "caveat CAPB costs 1 weighted priority-1 unit (lifted: S2 INF +1)"
    )
    assert table.loc["caveat MAXA", "summary"] == "caveat MAXA costs nothing in this plan"
    assert table.loc["caveat XA", "costs.shortfall.p1"] == 0


def test_a_price_says_the_lower_priority_shortfall_it_gives_back(tmp_path: Path) -> None:
    """A prices trial: S1 (priority 1) and S2 (priority 3, hard) need 1 INF each; A's one
    unit must fill S2, so S1 is short 1. Softening S2 moves it to S1: priority 1 gains 1,
    priority 3 is short 1 more, which the summary said only in its `lifted` list."""
    path = simple_case(
        tmp_path / "p.xlsx",
        requirements=[
            {"site": "S1", "capability": "INF", "units": 1, "priority": 1},
            {"site": "S2", "capability": "INF", "units": 1, "priority": 3, "hard": "yes"},
        ],
        pledges=[{"contributor": "A", "capability": "INF", "units": 1, "cost_per_unit": 1}],
    )
    table = priced(path)
    assert table.loc["hard S2/INF", "summary"] == (
        "hard S2/INF costs 1 weighted priority-1 unit; lifting it leaves 1 more weighted "
        "priority-3 unit short (lifted: S1 INF +1, S2 INF -1)"
    )


def test_only_rows_of_one_contributor_lifted_together(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "p.xlsx",
        caveats=[
            {"id": "O1", "contributor": "A", "caveat": "only", "site": "S1"},
            {"id": "O2", "contributor": "A", "caveat": "only", "zone": "nowhere-near"},
        ],
        sites=[
            {"site": "S1", "zone": "front"},
            {"site": "S2", "zone": "nowhere-near"},
        ],
    )
    table = priced(path)
    assert "caveat O1+O2" in table.index
    assert "caveat O1" not in table.index


def test_hard_requirement_softened_and_infeasible_base(tmp_path: Path) -> None:
    """S1 needs 5 (hard): impossible with 4 pledged; softening it makes a plan possible."""
    path = simple_case(
        tmp_path / "p.xlsx",
        requirements=[{"site": "S1", "capability": "INF", "units": 5, "hard": "yes"}],
    )
    table = priced(path)
    assert table.loc["hard S1/INF", "status"] == "optimal"
    assert table.loc["hard S1/INF", "summary"] == "lifting hard S1/INF makes a plan possible"
    assert table.index[0] == "hard S1/INF"


def test_cli_price_caveats_sheet(tmp_path: Path) -> None:
    path = simple_case(
        tmp_path / "p.xlsx",
        caveats=[{"id": "CAPB", "contributor": "B", "caveat": "max_units", "value": 1}],
    )
    out = tmp_path / "o.xlsx"
    result = CliRunner().invoke(main, ["solve", str(path), "-o", str(out), "--price-caveats"])
    assert result.exit_code == 0, result.output
    assert "caveat CAPB costs 1 weighted priority-1 unit (lifted" in result.output
    sheet = pd.read_excel(out, sheet_name="CaveatPrices")
    assert list(sheet["rule"]) == ["caveat CAPB"]
    # not a terminal (a log, CI): one plain line per rule, no carriage returns joining them
    assert "\r" not in result.output
    assert "\npricing 1/1: re-solving without caveat CAPB\n" in result.output


@pytest.mark.parametrize("case", ["chain", "backfill", "tight"])
def test_in_place_pricing_equals_rebuilding(case: str) -> None:
    """Relaxing rows of one loaded model gives what a fresh build without the rule gives
    (a `requires` chain, no_weakening backfill, single-source and min-contingent cases)."""
    from .conftest import ROOT

    base = api.solve(ROOT / "inputs" / "reference" / f"{case}.xlsx", backend="highs", mip_gap=0)
    in_place = api.price_caveats(base).set_index("rule").sort_index()
    rebuilt = api.price_caveats(base, in_place=False).set_index("rule").sort_index()
    cols = [c for c in in_place.columns if c.startswith("costs.")] + ["status"]
    pd.testing.assert_frame_equal(in_place[cols], rebuilt[cols], rtol=1e-6)


def test_a_price_in_cost_names_the_cost_unit(tmp_path: Path) -> None:
    """A pledges 3 INF at cost 1 a unit, B 2 at cost 5; S1 and S2 need 2 each. XA caps A at 2:
    A 2 and B 2 fill the 4 units at 2 + 10 = 12. Without XA, A 3 and B 1 fill them at 3 + 5 = 8:
    XA costs 4 in cost, no shortfall. The text names the unit the Summary records (every pledge
    has a cost_per_unit: per-unit cost), not 'person-km or cost_per_unit'."""
    path = simple_case(
        tmp_path / "p.xlsx",
        pledges=[
            {"contributor": "A", "capability": "INF", "units": 3, "cost_per_unit": 1},
            {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 5},
        ],
        caveats=[{"id": "XA", "contributor": "A", "caveat": "max_units", "value": 2}],
    )
    table = priced(path)
    # without XA, A sends 3 (cost 3) and B 1 (cost 5): 8 against 2 + 10 = 12
    assert table.loc["caveat XA", "costs.cost"] == 4
    assert table.loc["caveat XA", "summary"] == "caveat XA costs 4 in cost (per-unit cost)"


def test_a_rule_whose_lifted_plan_keeps_it_and_beats_base_is_not_priced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The world of test_prices_sorted_by_impact, with a base cut short by a limit (here its
    plan is replaced by one that deploys nothing: 4 units short at priority 1, 'feasible').
    Lifting MAXA (A may deploy 5 of its 2 units: it never binds) finds the optimum, which keeps
    MAXA and beats base: that gain is the search's, not MAXA's, so MAXA gets no price and says
    why. Lifting CAPB finds a plan that breaks CAPB (B deploys 2): it is priced, against the
    base as it is, and the Summary says the base is not proven optimal; MAXA's re-solve beat
    base by 3 keeping every rule (1 short, CAPB's true price), so CAPB's line says up to 3 of
    its 4 may be base's own slack (an analyst trial: ten caveats each priced at 8, base 8
    from its best)."""
    from solver.solve.highs import LexicographicSolver
    from solver.solve.outcome import SolveOutcome, StageResult

    path = simple_case(
        tmp_path / "p.xlsx",
        caveats=[
            {"id": "CAPB", "contributor": "B", "caveat": "max_units", "value": 1},
            {"id": "MAXA", "contributor": "A", "caveat": "max_units", "value": 5},
        ],
    )
    real = LexicographicSolver.solve

    def nothing_deployed(self, start=None, *, spent=0.0, plans=(), stopped=False):  # type: ignore[no-untyped-def]
        x = self.mm.col_lower.copy()
        stages = [StageResult(st.name, "feasible", 0.0) for st in self.mm.stages]
        return SolveOutcome("feasible", x, stages, 0.0)

    monkeypatch.setattr(LexicographicSolver, "solve", nothing_deployed)
    base = api.solve(path)
    monkeypatch.setattr(LexicographicSolver, "solve", real)
    assert base.status == "feasible" and base.stage_values["objective.shortfall.p1"] == 4
    table = api.price_caveats(base).set_index("rule")
    maxa = table.loc["caveat MAXA"]
    assert maxa["status"] == "not priced: base not optimal"
    assert pd.isna(maxa["costs.shortfall.p1"])
    assert "keeps it too and is better than base's (shortfall.p1 by 3)" in maxa["summary"]
    capb = table.loc["caveat CAPB"]
    assert capb["status"] == "optimal" and capb["costs.shortfall.p1"] == 4
    # MAXA's re-solve kept every rule (CAPB too) and was 3 better: CAPB's price is 1
    assert capb["summary"].endswith(
        "base's shortfall.p1 is at least 3 from its best (the plan found while pricing caveat "
        "MAXA keeps every rule and is that much better): up to that of this price may be "
        "base's own slack, not the rule's"
    )
    note = dict(base.tables.summary)["caveat_prices"]
    assert note.startswith("1 rule priced; 1 rule not priced: a plan found without it keeps")
    assert note.endswith(
        "against a base not proven optimal: a price may be the search's, not "
        "the rule's (raise the time or work limit)"
    )


def test_better_than_base_means_beyond_bases_own_gap() -> None:
    """Base 'optimal' is optimal within the MIP gap (1e-4 by default): a re-solve 0.005%
    cheaper at cost is no sign that base was not optimal; 0.05% cheaper is. The first stage
    that differs decides (priority 1 worse, cost better: not better)."""
    from solver.explain.pricing_floor import beaten_by

    stages = ["objective.shortfall.p1", "objective.cost"]
    base = {"objective.shortfall.p1": 2.0, "objective.cost": 1_000_000.0}
    assert beaten_by({**base, "objective.cost": 999_950.0}, base, stages, 1e-4) is None
    assert beaten_by({**base, "objective.cost": 999_500.0}, base, stages, 1e-4) == ("cost", 500)
    worse_first = {"objective.shortfall.p1": 3.0, "objective.cost": 1.0}
    assert beaten_by(worse_first, base, stages, 1e-4) is None


def test_a_price_on_a_stage_base_did_not_prove_says_so() -> None:
    """The analyst trial: under a small work limit base's cost stage stopped at a 100% gap,
    and seven caveats were priced at 9.7M-16.4M each in cost, every one the same reshuffle the
    re-solves' search found; only the Summary said the base was not proven. The price's own
    line now says that its stage was not proven in base (with the gap), and only then: a price
    on priority 1, proven, stands as it is."""
    from types import SimpleNamespace

    from solver.explain.pricing import _unproven_stage
    from solver.solve.outcome import StageResult

    stages = ["objective.shortfall.p1", "objective.cost", "objective.presence"]
    proven_p1 = StageResult("shortfall.p1", "optimal", 10.0, 0.0)
    open_cost = StageResult("cost", "feasible", 9.26e7, 1.0, stopped="work limit")
    base = SimpleNamespace(
        status="feasible",
        outcome=SimpleNamespace(stages=[proven_p1, open_cost, StageResult("presence", "feasible")]),
    )
    in_cost = {"costs.shortfall.p1": 0.0, "costs.cost": 1.2e7, "costs.presence": -1.0}
    assert _unproven_stage(base, in_cost, stages) == (  # type: ignore[arg-type]
        "; base's cost is not proven optimal (gap 100%): this may be the search's, not the rule's"
    )
    in_p1 = {**in_cost, "costs.shortfall.p1": 2.0}
    assert _unproven_stage(base, in_p1, stages) == ""  # type: ignore[arg-type]
    nothing = dict.fromkeys(in_cost, 0.0)
    assert _unproven_stage(base, nothing, stages) == ""  # type: ignore[arg-type]
    open_cost.status = "optimal"
    assert _unproven_stage(base, in_cost, stages) == ""  # type: ignore[arg-type]


def test_a_rule_priced_at_nothing_by_unproven_searches_says_so() -> None:
    """The analyst trial: every base stage at a 100% gap and the re-solves stopped `feasible`,
    and `C3 costs nothing in this plan` was said flatly (the snapshot priced it at 218,455).
    Nothing priced by a re-solve cut short now says which search was not proven; a proven
    re-solve's zero stands, whatever base proved."""
    from types import SimpleNamespace

    from solver.explain.pricing import _nothing_not_proven
    from solver.solve.outcome import StageResult

    stages = ["objective.shortfall.p1", "objective.cost", "objective.presence"]
    base_stages = [
        StageResult("shortfall.p1", "optimal", 10.0, 0.0),
        StageResult("cost", "feasible", 9.26e7, 1.0, stopped="work limit"),
        StageResult("presence", "feasible", 80.0, 1.0),
    ]
    base = SimpleNamespace(status="feasible", outcome=SimpleNamespace(stages=base_stages))
    nothing = {**dict.fromkeys(("costs.shortfall.p1", "costs.cost", "costs.presence"), 0.0)}
    row = {**nothing, "status": "feasible"}
    assert _nothing_not_proven(base, row, stages) == (  # type: ignore[arg-type]
        "; not proven: base's cost and presence not proven optimal and the re-solve cut short "
        "(feasible): a longer search may find it a price"
    )
    # a proven re-solve of the lifted (larger) model that gains nothing proves the zero (a review)
    assert _nothing_not_proven(base, {**row, "status": "optimal"}, stages) == ""  # type: ignore[arg-type]
    priced = {**row, "costs.cost": 1.2e7}
    assert _nothing_not_proven(base, priced, stages) == ""  # type: ignore[arg-type]
    for stage in base_stages:
        stage.status = "optimal"
    assert _nothing_not_proven(base, {**row, "status": "optimal"}, stages) == ""  # type: ignore[arg-type]


def test_the_caveats_sheet_remarks_where_binding_and_the_price_seem_to_disagree() -> None:
    """`binding` is about the shortfall in this plan, the price about every stage: C5 does not
    bind yet costs 606,590 (a farther unit), C16 binds yet costs nothing (another plan as good
    does without it), C1 binds and costs a priority-1 unit (they agree: no remark); C9's price
    was interrupted (nothing said); an existing remark is kept."""
    import pandas as pd

    from solver.explain.pricing import NOT_PRICED
    from solver.explain.pricing_remarks import remark_disagreements

    caveats = pd.DataFrame(
        {
            "id": ["C5", "C16", "C1", "C9"],
            "binding": ["no", "yes", "yes", "no"],
            "remark": ["", "", "", "contributor unavailable: no effect"],
        }
    )
    prices = pd.DataFrame(
        {
            "rule": ["caveat C5", "caveat C16", "caveat C1", "caveat C9"],
            "status": ["optimal", "optimal", "optimal", NOT_PRICED],
            "costs.shortfall.p1": [0.0, 0.0, 1.0, None],
            "costs.cost": [606590.0, 0.0, 0.0, None],
            "summary": ["caveat C5 costs 606,590 in cost", "", "caveat C1 costs 1", ""],
        }
    )
    remarked = remark_disagreements(caveats, prices)
    remarks = remarked["remark"].tolist()
    assert remarks == [
        "not binding on the shortfall, yet priced: caveat C5 costs 606,590 in cost (CaveatPrices)",
        "binding in this plan, yet a plan as good does without it (CaveatPrices)",
        "",
        "contributor unavailable: no effect",
    ]
    # said once, however often the prices are taken
    assert remark_disagreements(remarked, prices)["remark"].tolist() == remarks


def test_a_price_remark_reads_groups_gains_only_and_an_unproven_base() -> None:
    """C9 and C10 are priced together (`caveat C9+C10`, 250 in cost): each gets the remark. C7's
    lift made the cost worse by 3.5 (the search's, not a gain): binding `no` with no gain is
    no disagreement. Against a base not proven optimal the remark says so."""
    import pandas as pd

    from solver.explain.pricing_remarks import remark_disagreements

    caveats = pd.DataFrame(
        {"id": ["C9", "C10", "C7"], "binding": ["no", "no", "no"], "remark": ["", "", ""]}
    )
    prices = pd.DataFrame(
        {
            "rule": ["caveat C9+C10", "caveat C7"],
            "status": ["optimal", "optimal"],
            "costs.cost": [250.0, -3.5],
            "summary": ["caveat C9+C10 costs 250 in cost", "caveat C7 costs nothing in this plan"],
        }
    )
    said = (
        "not binding on the shortfall, yet priced: caveat C9+C10 costs 250 in cost (CaveatPrices)"
    )
    assert remark_disagreements(caveats, prices)["remark"].tolist() == [said, said, ""]
    unproven = remark_disagreements(caveats, prices, "feasible")["remark"].tolist()
    assert unproven[0] == said + " (against a base not proven optimal)"


def test_a_caveat_binding_no_yet_priced_at_a_shortfall_stage_says_so() -> None:
    """K1 (`max_units` 1) holds back no unit of the plan (its contributor deploys none), yet
    lifting it fills a priority-1 unit (another plan: the contributor takes a single-source
    line whole). The remark said "not binding on the shortfall" beside that shortfall price."""
    import pandas as pd

    from solver.explain.pricing_remarks import remark_disagreements

    caveats = pd.DataFrame({"id": ["K1"], "binding": ["no"], "remark": [""]})
    prices = pd.DataFrame(
        {
            "rule": ["caveat K1"],
            "status": ["optimal"],
            "costs.shortfall.p1": [1.0],
            "costs.cost": [-2.0],
            "summary": ["caveat K1 costs 1 weighted priority-1 unit"],
        }
    )
    assert remark_disagreements(caveats, prices)["remark"].tolist() == [
        "binding no by its rule (no unit of this plan is held back by it), yet priced: caveat K1 "
        "costs 1 weighted priority-1 unit (CaveatPrices): it rules out a plan with less shortfall"
    ]


SWAPPED = {
    "caveats": [{"id": "XA", "contributor": "A", "caveat": "exclude", "site": "S1"}],
    "baseline": [
        {"contributor": "A", "capability": "INF", "site": "S1", "units": 2},
        {"contributor": "B", "capability": "INF", "site": "S2", "units": 2},
    ],
}


def test_a_caveat_that_costs_changes_against_the_baseline_says_so(tmp_path: Path) -> None:
    """Baseline (SWAPPED): A's 2 INF at S1, B's 2 at S2. XA now keeps A out of S1: A and B swap
    sites, shortfall 0 either way, so XA costs the changes: A -2 at S1, +2 at S2, B likewise =
    8 units changed, where lifting it keeps the baseline (0). A trial read `costs 8 more
    contingent presences`."""
    table = priced(simple_case(tmp_path / "p.xlsx", **SWAPPED))
    assert table.loc["caveat XA", "costs.changes"] == 8
    assert table.loc["caveat XA", "summary"] == (
        "caveat XA costs 8 more units changed against the baseline"
    )


def test_a_timed_price_of_changes_is_counted_whole(tmp_path: Path) -> None:
    """The same world over P1 (3 months) and P2 (2): XA swaps A and B for the whole horizon,
    2 units each way over 5 months: 8 x 5 = 40 unit-months changed, 0 with XA lifted. The
    kept units are continuous and the stage held within 0.5, so read off the model they gave
    39.5 (a review)."""
    periods = [{"period": "P1", "months": 3}, {"period": "P2", "months": 2}]
    table = priced(simple_case(tmp_path / "p.xlsx", periods=periods, **SWAPPED))
    assert table.loc["caveat XA", "costs.changes"] == 40
    assert table.loc["caveat XA", "summary"] == (
        "caveat XA costs 40 more unit-months changed against the baseline"
    )
