"""Witness-driven placement: hard lines the witness meets, restrictions it satisfies, site and line
limits. Each caveat kind draws its own caveats (its `draw` or `place` hook)."""

from __future__ import annotations

import numpy as np

from ..caveats import KINDS as REGISTRY
from .case import Case
from .draws import RESTRICTING, DrawWorld
from .witness import Witness


# ---- hard rules (met by the witness) --------------------------------------------------------------
def mark_hard_lines(case: Case, w: Witness, rng: np.random.Generator) -> None:
    """About 2% of the lines made hard: small priority-1 lines the witness can fill in full."""
    soft = [
        key
        for key, r in case.requirements.items()
        if r["priority"] == 1 and r["units"] <= 3 and w.site[key[0]]["zone"] != "home"
    ]
    count = max(1, round(0.02 * len(case.requirements)))
    for i in rng.permutation(len(soft))[: 3 * count]:
        if count and w.line[soft[i]] == case.requirements[soft[i]]["units"] and w.fill([soft[i]]):
            case.requirements[soft[i]]["hard"] = True
            count -= 1


# ---- restrictions (drawn where the witness satisfies them) ---------------------------------------
def add_restricting(world: DrawWorld, rng: np.random.Generator) -> None:
    """About 0.9 restricting caveats per contributor, then at least one of every kind."""
    codes = world.codes
    case = world.case
    for i in rng.permutation(len(codes)):
        for kind in rng.choice(
            RESTRICTING, size=int(rng.choice([0, 1, 2], p=[0.4, 0.3, 0.3])), replace=False
        ):
            _try_kind(world, rng, str(kind), codes[i])
    for kind in RESTRICTING:
        if any(cv["caveat"] == kind for cv in case.caveats):
            continue
        for i in rng.permutation(len(codes)):
            if _try_kind(world, rng, kind, codes[i], tries=20):
                break
        else:
            raise ValueError(f"could not place a '{kind}' caveat; try more contributors or sites")


def _try_kind(
    world: DrawWorld, rng: np.random.Generator, kind: str, c: str, tries: int = 6
) -> bool:
    """Place one `kind` caveat for contributor c, trying up to `tries` draws."""
    for _ in range(tries):
        drawn = REGISTRY[kind].draw(rng, world, c)
        if drawn is not None:
            f, extra = drawn
            world.add(c, kind, f, **extra)
            return True
    return False


def add_site_and_line_limits(case: Case, w: Witness, rng: np.random.Generator) -> None:
    """max_contributors on ~10% of sites and single_source on ~10% of lines, witness permitting."""
    present: dict[str, set[str]] = {}
    per_line: dict[tuple[str, str], int] = {}
    for c, k, s in w.alloc:
        present.setdefault(s, set()).add(c)
        per_line[(s, k)] = per_line.get((s, k), 0) + 1
    n_limit = max(1, round(0.1 * len(case.sites)))
    for i in rng.permutation(len(case.sites))[:n_limit]:
        site = case.sites[i]
        site["max_contributors"] = max(len(present.get(site["site"], ())), int(rng.integers(2, 5)))
    lines = [key for key in case.requirements if per_line.get(key, 0) <= 1]
    for i in rng.permutation(len(lines))[: max(1, round(0.1 * len(case.requirements)))]:
        case.requirements[lines[i]]["single_source"] = True
