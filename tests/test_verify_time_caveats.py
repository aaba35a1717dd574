"""`forcegen verify` on a timed plan: every caveat kind in its window, one plan that holds and one
that breaks it, the message derived by hand (the world of tests/verify_time_world.py), and the
ties between the timed rules, the registry of caveat kinds and the model's code.
"""

from __future__ import annotations

import ast
from pathlib import Path

from solver.caveats import KINDS
from solver.verify import verify_file
from solver.verify.time_caveats import TIMED_CAVEAT_RULES

from .verify_time_world import both, caveat, found, plan, pledges, timed


# ---- every caveat kind in its window --------------------------------------------------------------
def test_exclude(tmp_path: Path) -> None:
    """A excludes S1 from P3: A at S1 in P1..P2 then B holds; A at S1 P1..P4 is there in P3..P4."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 2), ("B", "INF", "S1", "P3", "P4", 2)],
        [("A", "INF", "S1", "P1", "P4", 2)],
        caveats=caveat("exclude", site="S1", **{"from": "P3"}),
    )
    assert messages == [
        "caveat K1 (A exclude site=S1 from=P3 to=P4): tour A/INF/S1 P1..P4 sends 2 INF to S1 in P3..P4"
    ]


def test_only(tmp_path: Path) -> None:
    """A goes only to S2 in P2..P3; outside that window the row does not count: S1 in P1 and
    P4, S2 in P2..P3 holds; S1 in P1..P2 is at S1 in P2."""
    messages = both(
        tmp_path,
        [
            ("A", "INF", "S1", "P1", "P1", 2),
            ("A", "INF", "S2", "P2", "P3", 2),
            ("A", "INF", "S1", "P4", "P4", 2),
        ],
        [("A", "INF", "S1", "P1", "P2", 2)],
        caveats=caveat("only", site="S2", **{"from": "P2", "to": "P3"}),
    )
    assert messages == [
        "caveat K1 (A only site=S2 from=P2 to=P3): tour A/INF/S1 P1..P2 sends 2 INF to S1 in "
        "P2, which no `only` row allows"
    ]


def test_only_rows_count_in_their_own_windows(tmp_path: Path) -> None:
    """A only at S1 in P1..P2 (K1) and only at S2 in P3..P4 (K2): S1 then S2 holds; S2 all
    along is at S2 in P1..P2, where only K1 applies (K2's S2 does not count there)."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 2), ("A", "INF", "S2", "P3", "P4", 2)],
        [("A", "INF", "S2", "P1", "P4", 2)],
        caveats=[
            {"id": "K1", "contributor": "A", "caveat": "only", "site": "S1", "to": "P2"},
            {"id": "K2", "contributor": "A", "caveat": "only", "site": "S2", "from": "P3"},
        ],
    )
    assert messages == [
        "caveat K1 (A only site=S1 from=P1 to=P2): tour A/INF/S2 P1..P4 sends 2 INF to S2 in P1..P2, "
        "which no `only` row allows"
    ]


def test_requires(tmp_path: Path) -> None:
    """A requires B from P2: A alone in P1 is outside the window; B arriving in P2 holds, B
    arriving in P3 leaves A alone in P2."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P4", 2), ("B", "INF", "S2", "P2", "P4", 2)],
        [("A", "INF", "S1", "P1", "P4", 2), ("B", "INF", "S2", "P3", "P4", 2)],
        caveats=caveat("requires", other="B", **{"from": "P2"}),
    )
    assert messages == [
        "caveat K1 (A requires other=B from=P2 to=P4) in P2: A has 2 INF at S1, but B has nothing present"
    ]


MAX_PLAN = [("A", "INF", "S1", "P1", "P4", 2), ("A", "INF", "S2", "P2", "P3", 1)]


def test_max_units(tmp_path: Path) -> None:
    """A pledges 4; MAX_PLAN has A's 2 at S1 throughout and 1 at S2 in P2..P3: 3 at the same
    time in P2..P3. A cap of 2 in P1 only holds; over the whole horizon it does not."""
    assert (
        found(
            tmp_path, MAX_PLAN, pledges=pledges(a=4), caveats=caveat("max_units", value=2, to="P1")
        )
        == []
    )
    messages = found(tmp_path, MAX_PLAN, pledges=pledges(a=4), caveats=caveat("max_units", value=2))
    assert messages == [
        "caveat K1 (A max_units value=2) in P2..P3: A has 3 units matching (2 INF at S1, "
        "1 INF at S2), at most 2 allowed"
    ]


def test_max_personnel(tmp_path: Path) -> None:
    """As max_units with 100 people a unit: 300 > 200 in P2..P3; a cap at S1 only holds."""
    assert (
        found(
            tmp_path,
            MAX_PLAN,
            pledges=pledges(a=4),
            caveats=caveat("max_personnel", value=200, site="S1"),
        )
        == []
    )
    messages = found(
        tmp_path, MAX_PLAN, pledges=pledges(a=4), caveats=caveat("max_personnel", value=200)
    )
    assert messages == [
        "caveat K1 (A max_personnel value=200) in P2..P3: A has 300 personnel matching "
        "(2 INF at S1, 1 INF at S2), at most 200 allowed"
    ]


def test_min_units(tmp_path: Path) -> None:
    """A keeps at least 1 unit present from P3: P3..P4 holds; P1..P3 leaves P4 empty."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P3", "P4", 1)],
        [("A", "INF", "S1", "P1", "P3", 1)],
        caveats=caveat("min_units", value=1, **{"from": "P3"}),
    )
    assert messages == [
        "caveat K1 (A min_units value=1 from=P3 to=P4) in P4: A has 0 units matching, at least 1 required"
    ]


def test_min_contingent(tmp_path: Path) -> None:
    """A sends 0 or at least 2 to a site in each period: 2 in P1..P2 then 2 again holds; 2 in
    P1..P2 then 1 in P3..P4 is 1 < 2 in P3..P4."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 2), ("A", "INF", "S1", "P3", "P4", 2)],
        [("A", "INF", "S1", "P1", "P2", 2), ("A", "INF", "S1", "P3", "P4", 1)],
        caveats=caveat("min_contingent", value=2),
    )
    assert messages == [
        "caveat K1 (A min_contingent value=2) in P3..P4: A has 1 INF at S1, fewer than 2"
    ]


def test_max_sites(tmp_path: Path) -> None:
    """A at one site at a time: S1 in P1..P2 then S2 in P3..P4 holds; S2 from P2 overlaps."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 1), ("A", "INF", "S2", "P3", "P4", 1)],
        [("A", "INF", "S1", "P1", "P2", 1), ("A", "INF", "S2", "P2", "P4", 1)],
        caveats=caveat("max_sites", value=1),
    )
    assert messages == [
        "caveat K1 (A max_sites value=1) in P2: A is at 2 sites (S1, S2), at most 1 allowed"
    ]


def test_not_with(tmp_path: Path) -> None:
    """A not with B: B at S1 after A left holds; B from P2 meets A there in P2."""
    messages = both(
        tmp_path,
        [("A", "INF", "S1", "P1", "P2", 1), ("B", "INF", "S1", "P3", "P4", 1)],
        [("A", "INF", "S1", "P1", "P2", 1), ("B", "INF", "S1", "P2", "P4", 1)],
        caveats=caveat("not_with", other="B"),
    )
    assert messages == [
        "caveat K1 (A not_with other=B) in P2: A and B are both at S1 (A 1 INF, B 1 INF)"
    ]


def test_no_weakening(tmp_path: Path) -> None:
    """S1 hard from P3 by A's caveat: short in P1..P2 is allowed, S1 full in P3..P4 holds;
    covering P1..P3 only leaves P4 short 2."""
    messages = both(
        tmp_path,
        [("B", "INF", "S1", "P3", "P4", 2)],
        [("B", "INF", "S1", "P1", "P3", 2)],
        caveats=caveat("no_weakening", site="S1", **{"from": "P3"}),
    )
    assert messages == [
        "caveat K1 (A no_weakening site=S1 from=P3 to=P4) in P4: requirement S1/INF is hard but has "
        "0 units of 2 (short 2)"
    ]


def test_every_caveat_kind_has_a_timed_verify_rule() -> None:
    """verify's timed table has one function per registered kind, by name (an independent
    implementation: looked up in verify's own table), and nothing else; and this module has a
    hand-worked test of each."""
    assert sorted(rule.__name__ for rule in TIMED_CAVEAT_RULES) == sorted(KINDS)
    assert len(KINDS) >= 10
    untested = [kind for kind in KINDS if not callable(globals().get(f"test_{kind}"))]
    assert untested == [], "each kind needs a hand-worked test_<kind> here"


def test_timed_verify_shares_no_code_with_the_model() -> None:
    """Nothing from the model, the caveat modules or the solve's TimedPlan (solver/time_plan)."""
    folder = Path(__file__).resolve().parent.parent / "solver" / "verify"
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                name = ("." * node.level) + (node.module or "")
                assert "time_plan" not in name, (path, name)
                assert not name.lstrip(".").startswith(("model", "caveats")), (path, name)


def test_a_partly_met_no_weakening_line_names_the_tours_it_has(tmp_path: Path) -> None:
    """A's caveat makes S1 hard; B sends 1 of its 2 units there over P1..P4 (Tours row 2): the
    finding names row 2, where the line is to be filled (it named no row: a trial)."""
    report = verify_file(
        timed(tmp_path, caveats=caveat("no_weakening", site="S1")),
        plan(tmp_path, [("B", "INF", "S1", "P1", "P4", 1), ("B", "INF", "S2", "P1", "P4", 1)]),
    )
    (weakened,) = [v for v in report.violations if v.rule == "no_weakening"]
    assert weakened.message.endswith("requirement S1/INF is hard but has 1 unit of 2 (short 1)")
    assert (weakened.rows, weakened.where) == ((2,), "Tours!A2")
