"""What caveat modules see while the model is built: the index sets and a few shared helpers.

The helpers add the presence indicators the caveats and the presence stage share:

    x_o - ub_o u_g <= 0        for each member o of group g   (`indicators`, the textbook link)
    sum_{o in g} x_o - M_g u_g <= 0,  M_g = sum_{o in g} ub_o  (the aggregated link)
    u_g - sum_{o in g} x_o <= 0                                (the lower link: u_g = 1 only if
                                                                g deploys a unit)
    present_t[c,s,t] >= x[c,k,s,t] / ub[c,k,s,t]   for every option of (c, s) in t
                                                               (`_period_presence`, in time)

    u_g, present_t   binaries;  ub_o the option's upper bound (model/candidates.py)
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..data import Data
from ..errors import at_sheet
from .candidates import TableIndex
from .linear import LinearModel, group_sum_rows

X_KEY = ("contributor", "capability", "site")  # the key of an allocation x[c,k,s]


FORMULATIONS = ("textbook", "aggregated")  # how presence links to units (`link_group`)


@dataclass
class BuildContext:
    """Index sets and model under construction, shared by the core rules and every caveat module.

    Phases: (1) caveats may `forbid` candidates and `harden` requirements; (2) x and the presence
    variables are created for the candidates left; (3) caveats `add` their rows.
    """

    data: Data
    cand: pd.DataFrame
    lm: LinearModel = field(default_factory=LinearModel)
    forbidden_by: dict[str, np.ndarray] = field(default_factory=dict)  # caveat id -> cand positions
    hardened_by: dict[str, np.ndarray] = field(default_factory=dict)  # caveat id -> requirement idx
    # caveat id -> (first, last) period it hardens in (timed workbooks; a snapshot: always)
    hard_window: dict[str, tuple[int, int]] = field(default_factory=dict)
    x: pd.DataFrame | None = None  # the candidates kept; column `col` is the model column
    pairs: pd.DataFrame | None = None  # (contributor, site) with a presence column `col`
    # the kept columns w of a re-plan (model/baseline.py): x position `pos` and column `col`
    baseline_kept: pd.DataFrame | None = None
    timings: list[tuple[str, float]] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # caveat id -> remark
    explain: bool = False  # build every rule as switchable rows (see build_model)
    # add cuts (rows every whole plan keeps, held back until a later stage: `from_stage`)
    cuts: bool = True
    # links of a 0/1 indicator to its allocations: "textbook", one row x <= ub * u per allocation
    # (the default: a far tighter relaxation, see docs/performance.md), or "aggregated", one row
    # sum x <= M * u per indicator (fewer rows)
    formulation: str = "textbook"
    _indexes: dict[str, TableIndex] = field(default_factory=dict, repr=False, compare=False)
    _pair_col: dict | None = field(default=None, repr=False, compare=False)
    _pair_table: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    _pair_t_col: dict | None = field(default=None, repr=False, compare=False)
    # the locked tours held apart and their first and last x positions (model/locked_apart.py)
    held: tuple[pd.DataFrame, np.ndarray, np.ndarray] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def timed(self) -> bool:
        return self.data.timed

    @property
    def n_periods(self) -> int:
        return 1 if self.data.periods is None else len(self.data.periods)

    def period_name(self, t: int) -> str:
        assert self.data.periods is not None
        return str(self.data.periods["period"].iloc[t])

    def baseline_source(self) -> str:
        """Where the baseline's rows are, the origin of its blocks (`Baseline lock`, named where
        the construction heuristic says what it could not meet: `Baseline lock A/INF/S1/P2`):
        the workbook's `Baseline` sheet, or a `--baseline` file's Tours (a snapshot's
        Allocation) as `plan.xlsx Tours`; the sheet's name alone would send a planner to a sheet
        a file's locks are not on."""
        assert self.data.baseline is not None
        file = self.data.baseline.file
        if file is None:
            return "Baseline"
        return f"{file} {'Tours' if self.timed else 'Allocation'}"

    def keyed(self, keys: list[tuple], ts: np.ndarray) -> list[tuple]:
        """Row or column keys of per-period blocks: as given in a snapshot, with the period's
        name appended in a timed workbook."""
        if not self.timed:
            return keys
        names = np.array(self.data.period_names, dtype=object)
        return [(*k, names[t]) for k, t in zip(keys, np.asarray(ts).tolist(), strict=True)]

    def xkeys(self, positions: np.ndarray) -> list[tuple]:
        """The key of each x position: (c, k, s), and the period in a timed workbook."""
        assert self.x is not None
        keys = list(zip(*(self.x[c].to_numpy(dtype=object)[positions] for c in X_KEY), strict=True))
        return self.keyed(keys, self.x["t"].to_numpy()[positions])

    # ---- phase 1 -----------------------------------------------------------------------------
    def forbid(self, caveat_id: str, mask: np.ndarray) -> None:
        """Remove candidates (a mask over `cand`) and remember which caveat removed them."""
        new = np.flatnonzero(mask)
        old = self.forbidden_by.get(caveat_id)
        self.forbidden_by[caveat_id] = new if old is None else np.union1d(old, new)

    def forbidden(self, caveat_id: str) -> np.ndarray:
        """The candidate positions `caveat_id` removed (none if it removed nothing)."""
        return self.forbidden_by.get(caveat_id, np.empty(0, dtype=np.int64))

    def forbidden_alone(self, caveat_id: str, together: Collection[str] = ()) -> np.ndarray:
        """The candidate positions `caveat_id` removed that no other caveat removes too (those
        of `together`, rows acting as one with it, aside): the options lifting it alone would
        open. ITA's exclude of Ukraine said binding yes for a battery its `requires` of the
        absent USA kept out of Ukraine as well (a trial)."""
        mine = self.forbidden(caveat_id)
        others = [
            positions
            for cid, positions in self.forbidden_by.items()
            if cid != caveat_id and cid not in together
        ]
        if not len(mine) or not others:
            return mine
        return np.setdiff1d(mine, np.concatenate(others))

    def harden(
        self, caveat_id: str, req_idx: np.ndarray, window: tuple[int, int] | None = None
    ) -> None:
        """Requirements made hard by a caveat, in the periods `window` (first, last; None: all)."""
        self.hardened_by[caveat_id] = np.asarray(req_idx, dtype=np.int64)
        if window is not None:
            self.hard_window[caveat_id] = window

    def kept_mask(self) -> np.ndarray:
        keep = np.ones(len(self.cand), dtype=bool)
        for positions in self.forbidden_by.values():
            keep[positions] = False
        return keep

    def hard_mask(self) -> np.ndarray:
        """hard[l]: line l must be met in full in some period (`hard_matrix`)."""
        return np.asarray(self.hard_matrix().any(axis=1))

    def hard_matrix(self, lifted: Collection[str] = (), softened: Sequence[int] = ()) -> np.ndarray:
        """hard[l, t]: line l must be met in full in period t (the line's `hard` in every period,
        a caveat's lines in the periods of its window); with the caveats `lifted` and the
        `hard` cells of the lines `softened` left out (what a caveat's price re-solves)."""
        workbook = self.data.requirements["hard"].to_numpy(dtype=bool).copy()
        workbook[list(softened)] = False
        hard = np.repeat(workbook[:, None], self.n_periods, axis=1)
        for cid, idx in self.hardened_by.items():
            if cid in lifted:
                continue
            first, last = self.hard_window.get(cid, (0, self.n_periods - 1))
            hard[np.ix_(idx, np.arange(first, last + 1))] = True
        return hard

    def hard_sources(self) -> list[str]:
        """Who set each line's own `hard` cell to yes: `workbook`, or `scenario NAME` when the
        value came from a scenario's override (its cell is on the Scenarios sheet); '' where
        it is no."""
        rq = self.data.requirements
        at = rq["_at_hard"].tolist() if "_at_hard" in rq else [""] * len(rq)
        by_scenario = f"scenario {self.data.scenario}"
        return [
            ("" if not hard else by_scenario if at_sheet(str(a), "Scenarios") else "workbook")
            for hard, a in zip(rq["hard"].to_numpy(dtype=bool), at, strict=True)
        ]

    def hard_because_matrix(self) -> np.ndarray:
        """Why line l is hard in period t (object array lines x periods; '' where it is not):
        `hard_sources` (its `hard` cell) and/or `caveat <id>` for each caveat hardening it
        then."""
        n_lines = len(self.data.requirements)
        out = np.full((n_lines, self.n_periods), "", dtype=object)
        for line, source in enumerate(self.hard_sources()):
            out[line, :] = source
        for cid, idx in sorted(self.hardened_by.items()):
            first, last = self.hard_window.get(cid, (0, self.n_periods - 1))
            for line in idx.tolist():
                for t in range(first, last + 1):
                    out[line, t] = (
                        f"{out[line, t]}, caveat {cid}" if out[line, t] else f"caveat {cid}"
                    )
        return out

    def index_of(self, name: str) -> TableIndex:
        """The filter index of `cand` or `x`, rebuilt if the table was replaced."""
        table = getattr(self, name)
        index = self._indexes.get(name)
        if index is None or index.table is not table:
            index = self._indexes[name] = TableIndex(table)
        return index

    def match_cand(self, caveat: pd.Series) -> np.ndarray:
        """Mask over `cand` of the options a caveat's filters select."""
        return self.index_of("cand").match(caveat)

    # ---- phase 3 helpers ---------------------------------------------------------------------
    def match_x(self, caveat: pd.Series | dict) -> np.ndarray:
        """Positions in `x` of the allocations a caveat applies to."""
        assert self.x is not None
        return np.flatnonzero(self.index_of("x").match(caveat))

    def x_of(self, contributor: str) -> np.ndarray:
        assert self.x is not None
        return np.flatnonzero(self.index_of("x").equals("contributor", contributor))

    def indicators(
        self,
        name: str,
        group: np.ndarray,
        positions: np.ndarray,
        *,
        keys: list[tuple] | None = None,
        upper_link: bool = True,
        lower_link: bool = False,
        origin: str,
        kind: str,
    ) -> np.ndarray:
        """One binary per group of x positions, linked to the group's total units.

        upper link ("textbook", the default): x[c,k,s] - ub[c,k,s] * u <= 0 for each member, one
        row keyed (c, k, s); ("aggregated"): sum x - M * u <= 0 per group, with M the sum of the
        group's bounds (the smallest valid M), keyed like the group;
        lower link: u - sum x <= 0 (u = 1 only if the group really deploys a unit).
        Returns the indicator column of each group, in sorted group order.
        """
        assert self.x is not None
        local, n = group_sum_rows(group)
        if keys is None:
            keys = [(g,) for g in np.unique(group).tolist()]
        ub = self.x["ub"].to_numpy(dtype=float)[positions]
        big_m = np.bincount(local, weights=ub, minlength=n)
        cols = self.lm.add_vars(name, keys, 0, 1, binary=True, origin=origin)
        xcols = self.x["col"].to_numpy()[positions]
        if self.formulation == "textbook":
            # one row per member, x <= ub * u (ub is the smallest valid big-M of each x), named
            # by the member's own key (c, k, s): each x is a member of one group at most
            member_row = np.arange(len(local))
            link_keys = self.xkeys(positions)
            link_cols, big = cols[local], ub
        else:  # one row per group, sum x <= M * u
            member_row, link_keys, link_cols, big = local, keys, cols, big_m
        if upper_link:
            self.lm.add_rows(
                f"{name}.upper",
                link_keys,
                np.concatenate([member_row, np.arange(len(link_keys))]),
                np.concatenate([xcols, link_cols]),
                np.concatenate([np.ones(len(local)), -big]),
                -np.inf,
                0.0,
                origin=origin,
                kind=kind,
                link="forces",
            )
        if lower_link:
            self.lm.add_rows(
                f"{name}.lower",
                keys,
                np.concatenate([np.arange(n), local]),
                np.concatenate([cols, xcols]),
                np.concatenate([np.ones(n), -np.ones(len(local))]),
                -np.inf,
                0.0,
                origin=origin,
                kind=kind,
                link="allows",
            )
        return cols

    def presence_cols(self, contributors: np.ndarray, sites: np.ndarray) -> np.ndarray:
        """Presence column of each (contributor, site); -1 where the pair has no allocation option."""
        assert self.pairs is not None
        if self._pair_table is not self.pairs:  # one lookup for all callers
            self._pair_col = dict(
                zip(
                    zip(self.pairs["contributor"], self.pairs["site"], strict=True),
                    self.pairs["col"].tolist(),
                    strict=True,
                )
            )
            self._pair_table = self.pairs
        lookup = self._pair_col
        assert lookup is not None
        return np.array(
            [lookup.get((c, s), -1) for c, s in zip(contributors, sites, strict=True)],
            dtype=np.int64,
        )

    def period_presence_cols(
        self, contributors: np.ndarray, sites: np.ndarray, ts: np.ndarray
    ) -> np.ndarray:
        """0/1 column of "c has units at s in period t" for each (c, s, t); -1 where the pair
        has no option in t. A snapshot's is the presence column itself; a timed workbook's come
        from block `present_t` (key (c, s, period)), made on first use."""
        if not self.timed:
            return self.presence_cols(contributors, sites)
        if self._pair_t_col is None:
            self._pair_t_col = self._period_presence()
        lookup = self._pair_t_col
        return np.array(
            [
                lookup.get((c, s, int(t)), -1)
                for c, s, t in zip(contributors, sites, np.asarray(ts).tolist(), strict=True)
            ],
            dtype=np.int64,
        )

    def _period_presence(self) -> dict[tuple[str, str, int], int]:
        """present_t[c,s,t] >= x[c,k,s,t] / ub for every option: one binary per (c, s, t)."""
        assert self.x is not None
        x = self.x
        triples = pd.MultiIndex.from_arrays([x["contributor"], x["site"], x["t"]])
        codes, uniques = pd.factorize(triples, sort=True)
        keys = self.keyed([(c, s) for c, s, _ in uniques], np.array([t for *_, t in uniques]))
        cols = self.indicators(
            "present_t",
            codes,
            np.arange(len(x)),
            keys=keys,
            origin="presence of a contributor at a site in a period",
            kind="presence",
        )
        return {(c, s, int(t)): int(col) for (c, s, t), col in zip(uniques, cols, strict=True)}

    @contextmanager
    def timed_part(self, part: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings.append((part, time.perf_counter() - start))
