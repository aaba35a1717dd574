"""Property-based tests, exhaustive enumeration: on the tiniest random workbooks every integer
allocation, filtered by the independent checker (`solver.verify`), gives the same lexicographic
optimum (and the same infeasibility) as forcegen. The strategy, the settings and the stage
arithmetic are tests/test_properties.py's (split from tests/test_properties.py)."""

from __future__ import annotations

import itertools
import math
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, event, given, note, settings
from hypothesis import strategies as st

from solver import api
from solver.data import Data
from solver.verify import verify

from .test_properties import (
    COMMON,
    KINDS,
    MAX_COMBINATIONS,
    SETTINGS,
    Book,
    Key,
    describe,
    same_stages,
    stage_tuple,
    unit_cost,
    workbooks,
)
from .workbooks import write_workbook

pytestmark = pytest.mark.slow  # hundreds of random workbooks solved and checked


def frame(alloc: dict[Key, int]) -> pd.DataFrame:
    rows = [(c, k, s, u) for (c, k, s), u in alloc.items() if u > 0]
    return pd.DataFrame(rows, columns=["contributor", "capability", "site", "units"])


class Enumeration:
    """Every integer allocation of a tiny workbook, with its stage tuple computed here."""

    def __init__(self, data: Data, book: Book) -> None:
        self.data = data
        pledged = {
            (c, k): int(u)
            for c, k, u in zip(
                data.pledges["contributor"],
                data.pledges["capability"],
                data.pledges["units"],
                strict=True,
            )
        }
        rq = data.requirements
        self.required = {
            (s, k): int(u)
            for s, k, u in zip(rq["site"], rq["capability"], rq["units"], strict=True)
        }
        self.pledged = pledged
        self.options: list[Key] = [
            (c, k, s)
            for (c, k), p in sorted(pledged.items())
            for (s, k2), r in sorted(self.required.items())
            if k2 == k and min(p, r) > 0
        ]
        self.bounds = [min(pledged[c, k], self.required[s, k]) for c, k, s in self.options]
        self.size = math.prod(b + 1 for b in self.bounds)
        # the cost of one unit of each option, from the workbook rows
        self.unit_cost = [unit_cost(book, *o) for o in self.options]

    def allocations(self) -> list[dict[Key, int]]:
        """Every allocation within each option's bound whose pledge and requirement totals hold
        (plain arithmetic on the contract's first two rules, to spare the checker)."""
        out = []
        for units in itertools.product(*(range(b + 1) for b in self.bounds)):
            alloc = dict(zip(self.options, units, strict=True))
            per_pledge: dict[tuple[str, str], int] = {}
            per_line: dict[tuple[str, str], int] = {}
            for (c, k, s), u in alloc.items():
                per_pledge[c, k] = per_pledge.get((c, k), 0) + u
                per_line[s, k] = per_line.get((s, k), 0) + u
            if all(u <= self.pledged[key] for key, u in per_pledge.items()) and all(
                u <= self.required[key] for key, u in per_line.items()
            ):
                out.append(alloc)
        return out

    def stages(self, alloc: dict[Key, int]) -> tuple[float, ...]:
        """(shortfall per priority, cost, presence) of an allocation, by plain arithmetic."""
        rq = self.data.requirements
        got: dict[tuple[str, str], int] = {}
        for (_, k, s), u in alloc.items():
            got[s, k] = got.get((s, k), 0) + u
        short = {p: 0.0 for p in self.data.priorities}
        for s, k, units, p, w in zip(
            rq["site"], rq["capability"], rq["units"], rq["priority"], rq["weight"], strict=True
        ):
            short[int(p)] += float(w) * max(0, int(units) - got.get((s, k), 0))
        cost = sum(u * c for u, c in zip(alloc.values(), self.unit_cost, strict=True))
        presence = len({(c, s) for (c, _, s), u in alloc.items() if u > 0})
        return (*short.values(), float(cost), float(presence))


# ---- property 2: exhaustive enumeration of the tiniest workbooks -----------------------------------
@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=8, **COMMON)
@given(draws=st.data())
def test_enumeration_agrees_on_tiniest_workbooks(kind: str, draws: st.DataObject) -> None:
    book = draws.draw(workbooks(tiny=True, kind=kind), label="workbook")
    note(describe(book))
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(Path(folder) / "case.xlsx", settings=SETTINGS, **book)
        data = api.read(path)
        enum = Enumeration(data, book)
        assume(enum.size <= MAX_COMBINATIONS)
        result = api.solve(path, backend="highs", explain=False)
    event(f"status {result.status}")
    candidates = sorted(enum.allocations(), key=enum.stages)
    best = None
    checked_count = 0
    for alloc in candidates:  # lexicographic order: the first the checker accepts is the optimum
        checked_count += 1
        if verify(data, frame(alloc)).ok:
            best = alloc
            break
    event(f"options {len(enum.options)}")
    event(f"combinations <= {10 ** len(str(enum.size))}")
    event(f"checked <= {10 ** len(str(checked_count))}")
    if best is None:
        assert result.status == "infeasible", (
            f"forcegen found {result.stage_values}, yet the checker rejects all "
            f"{len(candidates)} allocations"
        )
        return
    note(f"enumerated optimum: {frame(best).to_dict('records')} stages {enum.stages(best)}")
    assert result.status == "optimal", "forcegen says infeasible; the enumeration found a plan"
    priorities = data.priorities
    # the stage arithmetic here agrees with the checker's
    checked = verify(data, frame(best)).stage_values()
    assert same_stages(stage_tuple(checked, priorities), enum.stages(best))
    got = stage_tuple(result.stage_values, priorities)
    note(f"forcegen: {result.tables.allocation.to_dict('records')} stages {got}")
    assert same_stages(got, enum.stages(best))
