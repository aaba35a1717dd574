"""`forcegen generate --periods`: valid, deterministic timed workbooks whose witness is a feasible
plan in every period (solver/generate/timed.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from solver import api
from solver.caveats import KINDS
from solver.cli import main
from solver.data import Data, required_units
from solver.generate import TimeOptions, case_rows, generate_case, generate_workbook
from solver.time_plan import TimedPlan

SMALL = {"contributors": 10, "sites": 8, "capabilities": 5, "density": 0.4}
SIZE_FLAGS = ["--contributors", "10", "--sites", "8", "--capabilities", "5", "--density", "0.4"]


def generate(path: Path, *flags: str) -> str:
    result = CliRunner().invoke(main, ["generate", str(path), *SIZE_FLAGS, *flags])
    assert result.exit_code == 0, result.output
    return result.output


def read(path: Path) -> Data:
    return api.read(path, allow_timed=True)


def only_cost_warning(path: Path) -> None:
    """Like the snapshot generator's, a fifth of the pledges give a cost_per_unit: the mixed-cost
    warning is the one warning (no time warning)."""
    (warning,) = api.check(path)
    assert warning.startswith("warning: Pledges: cost_per_unit is given for Pledges!")


def test_periods_6_seed_1_is_a_valid_timed_workbook_same_bytes_each_time(tmp_path: Path) -> None:
    """`generate --periods 6 --seed 1`: 6 monthly periods 2027-01..2027-06 (start 2027-01-01 on
    the first row), phases IOC, FOC x 4, drawdown (n // 8 = 0, at least 1 at each end); some
    pledges are pools (tour 6, dwell 12), some have windows; a second run gives the same bytes."""
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    out = generate(first, "--periods", "6", "--seed", "1")
    assert "rows: Periods 6, Contributors 10" in out
    generate(second, "--periods", "6", "--seed", "1")
    assert first.read_bytes() == second.read_bytes()
    only_cost_warning(first)
    data = read(first)
    assert data.periods is not None
    assert data.periods["period"].tolist() == [f"2027-{m:02d}" for m in range(1, 7)]
    assert pd.Timestamp(data.periods["start"].iloc[0]).date().isoformat() == "2027-01-01"
    assert data.periods["phase"].tolist() == ["IOC", "FOC", "FOC", "FOC", "FOC", "drawdown"]
    pools = data.pledges[data.pledges["tour_months"].notna()]
    assert len(pools) and set(pools["tour_months"]) == {6} and set(pools["dwell_months"]) == {12}
    p = data.pledges
    assert ((p["from_t"] > 0) | (p["to_t"] < 5)).any()


def test_quarters_with_their_own_tours_and_pool_sizes(tmp_path: Path) -> None:
    """--periods 8 --months 3 --tour-months 9 --dwell-months 6 --pool-share 1: periods 2027-Q1
    ..2028-Q4 of 3 months (M = 24); every pledge a pool. A tour covers p = 9 // 3 = 3 periods,
    dwell d = ceil(6 / 3) = 2 periods, so groups = ceil((3 + 2) / 3) = 2: each pool has twice the
    units the snapshot case of the same seed pledges."""
    path = tmp_path / "q.xlsx"
    flags = ["--months", "3", "--tour-months", "9", "--dwell-months", "6", "--pool-share", "1"]
    generate(path, "--periods", "8", "--seed", "4", *flags)
    only_cost_warning(path)
    data = read(path)
    assert data.periods is not None
    assert data.periods["period"].tolist()[:5] == [
        "2027-Q1",
        "2027-Q2",
        "2027-Q3",
        "2027-Q4",
        "2028-Q1",
    ]
    assert data.periods["months"].tolist() == [3] * 8 and data.horizon_months == 24
    assert set(data.pledges["tour_months"]) == {9} and set(data.pledges["dwell_months"]) == {6}
    snapshot = generate_case(seed=4, **SMALL)
    units = data.pledges.set_index(["contributor", "capability"])["units"].to_dict()
    assert units == {key: 2 * p["units"] for key, p in snapshot.pledges.items()}


def test_pool_share_0_means_no_pools(tmp_path: Path) -> None:
    """--pool-share 0: no pledge has a tour limit or dwell; units as in the snapshot case."""
    path = tmp_path / "p0.xlsx"
    generate(path, "--periods", "3", "--seed", "2", "--pool-share", "0")
    data = read(path)
    assert data.pledges["tour_months"].isna().all() and (data.pledges["dwell_months"] == 0).all()
    snapshot = generate_case(seed=2, **SMALL)
    units = data.pledges.set_index(["contributor", "capability"])["units"].to_dict()
    assert units == {key: p["units"] for key, p in snapshot.pledges.items()}


def test_time_leaves_the_snapshot_tables_of_a_seed_alone() -> None:
    """The time layer has its own random stream: the timed case's snapshot cells (every column
    but the time ones, and the pledges' units, which a pool multiplies) equal the snapshot case's,
    caveats and witness included."""
    snap = generate_case(seed=3, **SMALL)
    timed = generate_case(seed=3, **SMALL, time=TimeOptions(12, pool_share=0.5))
    assert timed.witness == snap.witness
    a, b = case_rows(snap), case_rows(timed)
    assert set(b) == {*a, "Periods", "Profile"}
    time_cols = {"from", "to", "tour_months", "dwell_months", "units"}
    for name, rows in a.items():
        trimmed = [{c: v for c, v in row.items() if c not in time_cols} for row in b[name]]
        assert trimmed == [{c: v for c, v in row.items() if c not in time_cols} for row in rows]


@pytest.mark.parametrize(
    ("seed", "time"),
    [
        (1, TimeOptions(6)),
        (3, TimeOptions(24, pool_share=1)),
        (5, TimeOptions(8, months=3, tour_months=3, dwell_months=7)),
        (7, TimeOptions(12, tour_months=4, dwell_months=0, pool_share=0.6)),
    ],
)
def test_the_witness_is_a_plan_in_time_meeting_hard_lines_and_min_units(
    seed: int, time: TimeOptions, tmp_path: Path
) -> None:
    """Read back through the data layer and TimedPlan (not the generator's reasoning): the
    witness tours keep w[c, k, s] present in every period, inside the pledge's window and its
    tour limit; units present + in dwell <= pledged per pledge and period; each hard line's
    required(s, k, t) and each min_units value is met in every period."""
    case = generate_case(seed=seed, **SMALL, time=time)
    path = tmp_path / "w.xlsx"
    generate_workbook(path, seed=seed, **SMALL, time=time)
    data = read(path)
    n = len(case.periods)
    cols = ["contributor", "capability", "site", "first_t", "last_t", "units"]
    plan = TimedPlan(data, pd.DataFrame(case.witness_tours, columns=cols))
    presence = plan.presence().set_index(["contributor", "capability", "site", "t"])["units"]
    assert presence.to_dict() == {
        (*key, t): n_ for key, n_ in case.witness.items() for t in range(n)
    }
    pledges = data.pledges.set_index(["contributor", "capability"])
    tours = plan.tours.join(
        pledges[["from_t", "to_t", "tour_months"]], on=["contributor", "capability"]
    )
    assert (tours["first_t"] >= tours["from_t"]).all() and (tours["last_t"] <= tours["to_t"]).all()
    limit = tours["tour_months"].fillna(np.inf).to_numpy()
    assert (plan.tour_months() <= limit).all()
    busy = presence.groupby(["contributor", "capability", "t"]).sum()
    dwell = plan.dwell().set_index(["contributor", "capability", "t"])["units"]
    total = busy.add(dwell, fill_value=0)
    pledged = pledges["units"].reindex(total.index.droplevel("t")).to_numpy()
    assert (total.to_numpy() <= pledged).all()
    req = data.requirements
    required = required_units(data)
    line = presence.groupby(["site", "capability", "t"]).sum()
    hard = np.flatnonzero(req["hard"].to_numpy())
    assert len(hard)
    for r in hard:
        s, k = req["site"].iloc[r], req["capability"].iloc[r]
        assert all(line.get((s, k, t), 0) == required[r, t] for t in range(n))
    for cv in case.caveats:
        if cv["caveat"] == "min_units":
            mine = [(key, u) for key, u in case.witness.items() if key[0] == cv["contributor"]]
            got = sum(u for (c, k, s), u in mine if cv.get("capability") in (None, k))
            assert got >= cv["value"]


def test_bad_time_options_are_refused(tmp_path: Path) -> None:
    """A tour shorter than its period could never deploy (exit 2, nothing written); time flags
    without --periods are an error, not silently ignored."""
    path = tmp_path / "bad.xlsx"
    runner = CliRunner()
    args = ["generate", str(path), *SIZE_FLAGS]
    result = runner.invoke(main, [*args, "--periods", "4", "--months", "3", "--tour-months", "2"])
    assert (
        result.exit_code == 2
        and "a tour of 2 months is shorter than a period of 3" in result.output
    )
    assert not path.exists()
    result = runner.invoke(main, [*args, "--months", "3", "--pool-share", "0.5"])
    assert result.exit_code == 2
    assert "--months, --pool-share: only with --periods" in result.output
    with pytest.raises(ValueError, match="pool_share"):
        generate_case(seed=0, **SMALL, time=TimeOptions(3, pool_share=1.5))


@pytest.mark.parametrize("seed", range(4))
def test_tiny_timed_cases_solve_with_every_hard_line_met_in_every_period(
    seed: int, tmp_path: Path
) -> None:
    """End to end: a tiny timed case (4 months, half the pledges pools) keeps every caveat kind
    and solves to optimality; in the plan's tours every hard line (here: the home lines that
    the frontline nation's `no_weakening` hardens) has its required units present in each of
    the 4 periods (the witness promised that such a plan exists)."""
    path = tmp_path / "tiny.xlsx"
    time = TimeOptions(4, pool_share=0.5)
    generate_workbook(
        path, contributors=5, sites=3, capabilities=2, seed=seed, density=0.5, time=time
    )
    data = read(path)
    assert set(data.caveats["caveat"]) == set(KINDS)
    result = api.solve(path, time_limit=3600)
    assert result.status == "optimal" and result.plan is not None
    present = result.plan.presence().groupby(["site", "capability", "t"])["units"].sum()
    req, required = data.requirements, required_units(data)
    hard = req["hard"].to_numpy().copy()
    country = req["site"].map(data.sites.set_index("site")["country"])
    for cv in data.caveats[data.caveats["caveat"] == "no_weakening"].itertuples():
        if pd.isna(cv.site):  # the generator's home-front form: every line in c's country
            hard |= (country == cv.contributor).to_numpy()
        else:  # its single-line form
            hard |= ((req["site"] == cv.site) & (req["capability"] == cv.capability)).to_numpy()
    assert hard.any()
    for r in np.flatnonzero(hard):
        s, k = req["site"].iloc[r], req["capability"].iloc[r]
        assert [int(present.get((s, k, t), 0)) for t in range(4)] == required[r].tolist()


def test_a_horizon_past_the_calendar_is_generated_without_a_start(tmp_path: Path) -> None:
    """200 periods of 600 months from 2027-01 would end in year 12027, past 9999-12-31, the
    last day a date can have: the start (display only) is left blank, and the workbook reads
    (before, it was written with 2027-01-01 and refused: the start put P161..P200 off the
    calendar). 6 monthly periods keep theirs."""
    path = tmp_path / "long.xlsx"
    generate(path, "--periods", "200", "--months", "600", "--tour-months", "600")
    periods = read(path).periods
    assert periods is not None and list(periods["start"]) == [None] * 200
    short = tmp_path / "short.xlsx"
    generate(short, "--periods", "6")
    periods = read(short).periods
    assert periods is not None and periods["start"].iloc[0] == date(2027, 1, 1)
