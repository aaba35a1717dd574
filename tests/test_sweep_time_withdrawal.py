"""`forcegen sweep` on a timed workbook: a withdrawal as data (its name and option read both ways,
its pledges and caveats ended or dropped, its name planned) and the withdrawals that cannot be
made, refused before anything is solved, all of them at once. The world is
tests/test_sweep_time.py's (split from tests/test_sweep_time.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver import api
from solver.errors import UsageError
from solver.io.withdrawals import Withdrawal, parse_name, parse_option
from solver.sweep import withdraw
from solver.sweep.scenarios import known_scenario, plan, read_scenario

from . import test_sweep_time
from .test_sweep_time import PLEDGES, sweep
from .time_cases import months, timed_case
from .workbooks import simple_case

world = test_sweep_time.world  # the fixture: test_sweep_time.py's world


def test_a_withdrawal_after_a_period_ends_every_pledge_there(tmp_path: Path) -> None:
    """B pledges INF over P1..P4 and ART from P3; A INF to P1. B leaving after P2: its INF pledge
    ends with P2 (to_t 3 -> 1), its ART pledge (from P3 > P2) is dropped, and so do B's own
    caveats: max_units over P1..P4 ends with P2, min_units from P3 is dropped (kept, it would
    ask B to deploy after it left: infeasible). A's pledge and A's caveat stay as they are."""
    path = timed_case(
        tmp_path / "w.xlsx",
        periods=months(4),
        capabilities=[
            {"capability": "INF", "category": "ground", "personnel_per_unit": 100},
            {"capability": "ART", "category": "ground", "personnel_per_unit": 50},
        ],
        pledges=[
            *[dict(p) for p in PLEDGES],
            {"contributor": "B", "capability": "ART", "units": 1, "from": "P3"},
        ],
        caveats=[
            {"contributor": "B", "caveat": "max_units", "value": 1},
            {"contributor": "B", "caveat": "min_units", "value": 1, "from": "P3"},
            {"contributor": "A", "caveat": "max_units", "value": 2},
        ],
    )
    base = api.read(path)
    data = withdraw(base, "B", "P2")
    pledges = data.pledges.set_index(["contributor", "capability"])
    assert sorted(pledges.index) == [("A", "INF"), ("B", "INF")]
    assert (pledges.at[("B", "INF"), "from_t"], pledges.at[("B", "INF"), "to_t"]) == (0, 1)
    assert pledges.at[("B", "INF"), "to"] == "P2"
    assert (pledges.at[("A", "INF"), "from_t"], pledges.at[("A", "INF"), "to_t"]) == (0, 0)
    windows = {
        (c, k): (f, t)
        for c, k, f, t in data.caveats[["contributor", "caveat", "from_t", "to_t"]].itertuples(
            index=False
        )
    }
    assert windows == {("B", "max_units"): (0, 1), ("A", "max_units"): (0, 3)}
    assert base.caveats.loc[base.caveats["caveat"] == "min_units", "from_t"].tolist() == [2]
    assert list(data.contributors["status"]) == ["available", "available"]
    assert data.scenario == "withdraw_B_after_P2"
    assert data.notes[-1] == (
        "generated scenario withdraw_B_after_P2: B leaves after P2 (1 pledge ended there, "
        "1 pledge not yet begun dropped; 1 caveat of its own ended there; 1 caveat of its own "
        "not yet begun dropped; others' caveats unchanged)"
    )
    assert api.solve(data).status in ("optimal", "feasible")  # B's min_units would not allow it
    # after the last period nothing changes but the name, and the note says so (a trial saw
    # such a withdrawal ranked among the others without a word)
    last = withdraw(base, "B", "P4")
    assert last.pledges["to_t"].tolist() == base.pledges["to_t"].tolist()
    assert (
        "(0 pledges ended there; it changes nothing: none of B's pledges runs past P4"
        in (last.notes[-1])
    )
    # nor does A leaving after P2, whose mandate ends with P1
    assert (
        "it changes nothing: none of A's pledges runs past P2"
        in withdraw(base, "A", "P2").notes[-1]
    )


def test_scenario_names_and_options_are_read_both_ways() -> None:
    assert parse_name("withdraw_ITA_after_2027-12") == Withdrawal("ITA", "2027-12")
    assert parse_name("withdraw_ITA") == Withdrawal("ITA")
    assert parse_name("withdraw_") is None and parse_name("withdraw_ITA_after_") is None
    assert parse_name("more") is None
    assert parse_option("ITA@2027-12").name == "withdraw_ITA_after_2027-12"
    assert parse_option("ITA").name == "withdraw_ITA"
    with pytest.raises(UsageError, match="give CODE or CODE@PERIOD"):
        parse_option("ITA@")


def test_a_generated_name_reads_as_its_withdrawal(world: Path) -> None:
    """read_scenario and known_scenario (compare's audit reads outputs with them) know the
    generated names, and refuse a period the workbook lacks."""
    data = read_scenario(world, "withdraw_B_after_P2")
    assert data.pledges.set_index("contributor").at["B", "to_t"] == 1
    assert known_scenario(world, "withdraw_B_after_P2")
    assert not known_scenario(world, "withdraw_B_after_P9")
    with pytest.raises(UsageError, match=r"not a period of world\.xlsx \(P1\.\.P4\)"):
        read_scenario(world, "withdraw_B_after_P9")


def test_the_plan_names_each_withdrawal_and_refuses_what_cannot_be(
    world: Path, tmp_path: Path
) -> None:
    base = api.read(world)
    planned, _ = plan(world, [], True, base, after="P2", withdrawals=(Withdrawal("B"),))
    assert [(p.name, p.generated) for p in planned] == [
        ("base", False),
        ("withdraw_B", True),
        ("withdraw_A_after_P2", True),
        ("withdraw_B_after_P2", True),
    ]
    with pytest.raises(UsageError, match=r"--after 'p2': .* \(did you mean 'P2'\?\)"):
        plan(world, [], True, base, after="p2")
    with pytest.raises(UsageError, match=r"cannot withdraw 'C': not an available contributor"):
        plan(world, [], False, base, withdrawals=(Withdrawal("C", "P2"),))
    with pytest.raises(UsageError, match="--after goes with --withdraw-each"):
        plan(world, [], False, base, after="P2")
    snapshot = simple_case(tmp_path / "snap.xlsx")
    with pytest.raises(UsageError, match=r"snap\.xlsx is a snapshot workbook \(no Periods"):
        plan(snapshot, [], True, api.read(snapshot), after="M1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--withdraw", "B@p2"],
            "cannot withdraw B after 'p2': not a period of world.xlsx "
            "(P1..P4) (did you mean 'P2'?)",
        ),
        (["--withdraw-each", "--after", "P7"], "--after 'P7': not a period of world.xlsx (P1..P4)"),
        (["--withdraw", "Z@P2"], "cannot withdraw 'Z': not an available contributor"),
        (["--after", "P2"], "--after goes with --withdraw-each"),
        (["--withdraw", "@P2"], "give CODE or CODE@PERIOD"),
        (
            ["-s", "withdraw_B_after_P9"],
            "scenario 'withdraw_B_after_P9': cannot withdraw B after 'P9': not a period",
        ),
    ],
)
def test_a_withdrawal_that_cannot_be_made_stops_before_solving(
    world: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    result = sweep(world, "-o", out, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_every_withdrawal_that_cannot_be_made_is_said_at_once(world: Path, tmp_path: Path) -> None:
    """Three mistakes on one command line (an unknown scenario, an unknown contributor, a
    period the workbook does not have): all three said in one run, each on its own error line,
    exit 2, nothing written (before: the first only, the next after mending it). Malformed
    options are said together first, before the workbook is read."""
    out = tmp_path / "out"
    args = ["-s", "nosuch", "--withdraw", "Z", "--withdraw", "B@P9"]
    result = sweep(world, "-o", out, *args)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert [e.split(":")[1].strip() for e in errors] == [
        "scenario 'nosuch' is not in the Scenarios sheet of world.xlsx (known",
        "cannot withdraw 'Z'",
        "cannot withdraw B after 'P9'",
    ]
    assert "3 problems found; nothing was written." in result.stderr
    assert not out.exists()
    result = sweep(world, "-o", out, "--withdraw", "@P2", "--withdraw", "B@")
    assert result.exit_code == 2
    assert result.stderr.count("give CODE or CODE@PERIOD") == 2, result.stderr
    assert not out.exists()


def test_after_in_a_snapshot_workbook_needs_periods(tmp_path: Path) -> None:
    path = simple_case(tmp_path / "snap.xlsx")
    out = tmp_path / "out"
    for args in (["--withdraw-each", "--after", "M1"], ["--withdraw", "A@M1"]):
        result = sweep(path, "-o", out, *args)
        assert result.exit_code == 2
        assert "snap.xlsx is a snapshot workbook (no Periods sheet)" in result.stderr
        assert not out.exists()


def test_why_a_withdrawal_changes_nothing_is_read_off_its_note() -> None:
    """The note of a withdrawal after a period none of its nation's pledges runs past says why
    it changes nothing; compare's ranking reads that reason back (io/withdrawals.nothing_said,
    beside the note's writing), without the caveats' tail. A note that says no such thing
    gives None."""
    from solver.io.withdrawals import nothing_said

    note = (
        "generated scenario withdraw_ITA_after_2028-12: ITA leaves after 2028-12 (0 pledges "
        "ended there; it changes nothing: none of ITA's pledges runs past 2028-12; 2 caveats "
        "of its own ended there; others' caveats unchanged)"
    )
    assert nothing_said(note) == "none of ITA's pledges runs past 2028-12"
    assert nothing_said("generated scenario withdraw_ITA: ITA withdraws") is None


def test_a_withdrawal_after_a_month_ending_a_longer_period(tmp_path: Path) -> None:
    """Periods 2027-01 (three months: 2027-01..2027-03) and 2027-04 (one). `B@2027-03` names no
    period, but 2027-01 ends that month: B leaves after 2027-01, with a note saying so (an
    uneven-periods trial's `--withdraw GBR@2027-09` was refused); `--after 2027-03` alike.
    `B@2027-02` ends no period: refused as before."""
    path = timed_case(
        tmp_path / "u.xlsx",
        periods=[{"period": "2027-01", "months": 3}, {"period": "2027-04", "months": 1}],
        pledges=[{**p, "to": "2027-01"} if "to" in p else dict(p) for p in PLEDGES],
    )
    base = api.read(path)
    planned, notes = plan(path, [], False, base, withdrawals=(Withdrawal("B", "2027-03"),))
    assert [p.name for p in planned] == ["base", "withdraw_B_after_2027-01"]
    assert notes == [
        "B@2027-03 taken as B@2027-01: the period 2027-01 (2027-01..2027-03) ends that month "
        "(scenario withdraw_B_after_2027-01)"
    ]
    planned, notes = plan(path, [], True, base, after="2027-03")
    assert "withdraw_B_after_2027-01" in [p.name for p in planned]
    assert notes == [
        "--after 2027-03 taken as 2027-01: the period 2027-01 (2027-01..2027-03) ends that month"
    ]
    with pytest.raises(UsageError, match=r"cannot withdraw B after '2027-02': not a period"):
        plan(path, [], False, base, withdrawals=(Withdrawal("B", "2027-02"),))
