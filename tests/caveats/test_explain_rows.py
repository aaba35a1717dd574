"""The forbidding kinds' rows in a model built to explain (infeasibility, gaps): the options
they remove keep their columns, pinned to 0 by one row per caveat (`caveat.<id>.forbid`), so
that a conflict can name the caveat. Pinned as text like every kind's rows (golden.py).

World (helpers.py): S1 needs 2 INF, S2 1 INF; A pledges 2 INF, B 1 INF.
    exclude X1 (A site=S1):     caveat.X1.forbid: x(A,INF,S1) <= 0
    only O1, O2 (A site=S2, site=S3): the same options outside S2 and S3, once per row (they
                                act together: one rule of a conflict, rules.caveat_groups)
    requires R1 (A needs D):    D pledges nothing, so A's options are forbidden:
                                caveat.R1.forbid: x(A,INF,S1) + x(A,INF,S2) <= 0
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
}


@pytest.mark.parametrize("kind", sorted(CAVEATS))
def test_forbidding_rows_built_to_explain(tmp_path: Path, kind: str) -> None:
    assert_golden(
        tmp_path,
        kind,
        f"{kind}.explain",
        explain=True,
        requirements=REQUIREMENTS,
        pledges=PLEDGES,
        caveats=CAVEATS[kind],
    )
