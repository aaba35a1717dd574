"""Synthetic, contract-valid and feasible workbooks in the shape of the real problem.

`generate_workbook(path, contributors, sites, capabilities, seed, density, time)` writes a
workbook with every caveat kind, deterministic for a seed. Feasibility is guaranteed by a
*witness*: a sparse allocation built first that meets every hard rule (hard requirements,
`no_weakening` home sites, `min_units`); every other caveat and limit is then drawn only where the
witness satisfies it. With `time` (a `TimeOptions`), the finished case is made timed (`timed`):
periods, windows, a Profile and pools that leave the witness present in every period.

The pieces: `case` (the tables and their vocabulary), `tables` (the base tables), `witness`,
`caveats` (witness-driven placement), `draws` (what the caveat kinds' generator hooks see; each
kind draws its own caveats in `solver/caveats/<kind>.py`), `timed` (the time layer) and `write`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..model.candidates import mixes_costs as candidates_mix
from ..model.candidates import usable
from .case import CATEGORIES, UKR_ZONES, UNIT_SIZE, Case, Filter
from .caveats import add_restricting, add_site_and_line_limits, mark_hard_lines
from .draws import (
    AFTER_HARD_LINES,
    BEFORE_HARD_LINES,
    DRAWN_KINDS,
    RESTRICTING,
    Drawn,
    DrawWorld,
)
from .tables import add_capabilities, add_contributors, add_pledges, add_requirements, add_sites
from .timed import TimeOptions, add_time
from .witness import Witness
from .write import case_rows, write_case

__all__ = [
    "CATEGORIES",
    "DRAWN_KINDS",
    "RESTRICTING",
    "UKR_ZONES",
    "UNIT_SIZE",
    "Case",
    "DrawWorld",
    "Drawn",
    "Filter",
    "TimeOptions",
    "Witness",
    "case_rows",
    "generate_case",
    "generate_workbook",
    "mixes_costs",
    "write_case",
]


def generate_workbook(
    path: str | Path,
    contributors: int,
    sites: int,
    capabilities: int,
    seed: int,
    density: float = 0.3,
    time: TimeOptions | None = None,
) -> dict[str, int]:
    """Write a synthetic workbook to `path` (timed with `time`); returns the row count of each
    sheet."""
    case = generate_case(contributors, sites, capabilities, seed, density, time)
    return write_case(case, Path(path))


def mixes_costs(case: Case) -> bool:
    """Some pledges carry a `cost_per_unit` and others fall back to distance-based cost (about
    one in five is drawn with one) among those whose cost can count: exactly where `validate`
    warns about the mix (the same rule, model/candidates.py, on the rows the workbook gets)."""
    rows = {name: pd.DataFrame(r) for name, r in case_rows(case).items()}
    lines = rows["Requirements"]  # a generated Profile raises no line of 0 units (timed.py)
    required = set(lines.loc[lines["units"] > 0, "capability"])
    pledges = usable(rows["Pledges"], rows["Contributors"], required)
    return candidates_mix(pledges)


def generate_case(
    contributors: int,
    sites: int,
    capabilities: int,
    seed: int,
    density: float = 0.3,
    time: TimeOptions | None = None,
) -> Case:
    """The tables of a synthetic workbook (pure: same arguments, same case); timed with `time`,
    whose own random stream leaves the snapshot tables of the seed as they are."""
    if time is not None:
        time.check()
    if contributors < 4 or sites < 2 or capabilities < 1:
        raise ValueError("need at least 4 contributors, 2 sites and 1 capability")
    if not 0 < density <= 1:
        raise ValueError(f"density must be in (0, 1], got {density}")
    rng = np.random.default_rng(seed)
    case = Case()
    frontline = add_contributors(case, rng, contributors, sites)
    add_capabilities(case, rng, capabilities)
    add_sites(case, rng, sites, frontline)
    add_requirements(case, rng, density)
    add_pledges(case, rng, density)
    w = Witness(case, rng)
    world = DrawWorld(case, w, [c["contributor"] for c in case.contributors], frontline)
    for kind in BEFORE_HARD_LINES:
        kind.place(rng, world)
    mark_hard_lines(case, w, rng)
    for kind in AFTER_HARD_LINES:
        kind.place(rng, world)
    add_restricting(world, rng)
    add_site_and_line_limits(case, w, rng)
    case.witness = dict(w.alloc)
    if time is not None:
        add_time(case, time, seed)
    return case
