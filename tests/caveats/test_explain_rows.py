"""Every kind's rows in a model built to explain (infeasibility, gaps), pinned as text like
every kind's rows (golden.py). The options a kind removes keep their columns, pinned to 0 by
one row per caveat (`caveat.<id>.forbid`), so that a conflict can name the caveat; and every
column's bound is one no rule sets (pledged + required + the largest value + 1), so the rows that
take a column's bound as their big-M (min_contingent, max_sites, not_with) take that one.

World (helpers.py): S1 needs 2 INF, S2 1 INF; A pledges 2 INF, B 1 INF.
    exclude X1 (A site=S1):     caveat.X1.forbid: x(A,INF,S1) <= 0
    only O1, O2 (A site=S2, site=S3): the same options outside S2 and S3, once per row (they
                                act together: one rule of a conflict, rules.caveat_groups)
    requires R1 (A needs D):    D pledges nothing, so A's options are forbidden:
                                caveat.R1.forbid: x(A,INF,S1) + x(A,INF,S2) <= 0
    min_contingent M1 (A 2):    (A,INF,S2) can hold at most 1 (S2 requires 1): forbidden,
                                caveat.M1.forbid: x(A,INF,S2) <= 0; (A,INF,S1) 0 or >= 2
    the other kinds:            their rows as built to solve, with the explain bounds
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .golden import assert_golden
from .helpers import need, pledge

REQUIREMENTS = [need("S1", "INF", 2), need("S2", "INF", 1)]
PLEDGES = [pledge("A", "INF", 2, 1), pledge("B", "INF", 1, 1)]
CAVEATS = {
    "exclude": [{"id": "X1", "contributor": "A", "caveat": "exclude", "site": "S1"}],
    "only": [
        {"id": "O1", "contributor": "A", "caveat": "only", "site": "S2"},
        {"id": "O2", "contributor": "A", "caveat": "only", "site": "S3"},
    ],
    "requires": [{"id": "R1", "contributor": "A", "caveat": "requires", "other": "D"}],
    "min_contingent": [{"id": "M1", "contributor": "A", "caveat": "min_contingent", "value": 2}],
    "max_units": [{"id": "U1", "contributor": "A", "caveat": "max_units", "value": 1}],
    "min_units": [{"id": "N1", "contributor": "A", "caveat": "min_units", "value": 1}],
    "max_personnel": [{"id": "P1", "contributor": "A", "caveat": "max_personnel", "value": 150}],
    "max_sites": [{"id": "S1", "contributor": "A", "caveat": "max_sites", "value": 1}],
    "not_with": [{"id": "W1", "contributor": "A", "caveat": "not_with", "other": "B"}],
    "no_weakening": [{"id": "H1", "contributor": "A", "caveat": "no_weakening", "site": "S1"}],
}


def test_every_kind_is_pinned_built_to_explain() -> None:
    from solver.caveats import KINDS

    assert sorted(CAVEATS) == sorted(KINDS)


@pytest.mark.parametrize("kind", sorted(CAVEATS))
def test_rows_built_to_explain(tmp_path: Path, kind: str) -> None:
    assert_golden(
        tmp_path,
        kind,
        f"{kind}.explain",
        explain=True,
        requirements=REQUIREMENTS,
        pledges=PLEDGES,
        caveats=CAVEATS[kind],
    )
