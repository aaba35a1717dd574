"""Why baseline units could not stay: the `why` of a decrease on the Changes sheet.

For a decrease at (contributor c, capability k, site s, period t) the reason is the first that
holds of (held(c,k,t) = the baseline's units of c's k over all sites in t, held(s,k,t) = the
baseline's units at line (s,k) over all contributors in t):

    c is not a contributor, or unavailable      `ESP is unavailable` (a withdrawal)
    c has no pledge row of k                    `ESP no longer pledges INF_BN` (a row of 0
                                                units is the pledge rule below: `is now 0`;
                                                in a generated withdrawal of c after P, for
                                                t after P: `ESP leaves after P (withdrawn in
                                                this scenario)`, a pledge not begun by P)
    t outside the pledge's from..to, or         the Gaps sheet's words (`FRA's mandate ends
    months(t) > tour_months                     2027-12`, `... available only from ...`)
    s is not on the Sites sheet                 `Nowhere is no longer a site`
    s requires no k in t                        `Sarajevo no longer requires INF_BN` (in time:
                                                `... then`, the row's period)
    a caveat removed the option (c,k,s,t)       `kept out by caveat C3 (...)`, as in Gaps (also
                                                a `requires` whose `other` is unavailable); led
                                                by the pledge's words where it is now below
                                                held(c,k,t) (a cut that made a min_contingent
                                                bite: a re-plan trial read the caveat alone),
                                                else by the line's where only min_contingents
                                                the pledge meets keep it out and
                                                required(s,k,t) < held(s,k,t)
                                                (`Kyiv requires only 1 INF_BN; with it, ...`)
    pledged(c,k) < held(c,k,t)                  `FRA's pledge of INF_BN is now 1`
    pledged(c,k) < held(c,k,t) + the baseline's `the baseline has 1 unit of FRA's INF_BN
    units in dwell in t (its tours, the new    deployed and 1 in dwell then, more than its
    dwell_months)                               pledge of 1`
    a max_units, max_personnel or max_sites     `caveat C16 (ESP max_units 3) caps what the
    caveat over (k,s,t) below what the          baseline held (4 units)` (change_caps.py)
    baseline held under it; a min_contingent    (`asks at least 2 units where the baseline
    above it at (k,s); a not_with whose two     held 1`; `rules out what the baseline held:
    contributors it held at s together          DEU at Kyiv too`)
    required(s,k,t) < held(s,k,t)               `Sarajevo requires only 1 INF_BN`
    a single-source line or a site's            `S1/INF is single-source: the baseline has A
    max_contributors below the contributors     and B there`, `S1 takes at most 1 contributor:
    the baseline held there (change_lines.py)   the baseline has 2 there (A and B)`
    otherwise                                   blank: the plan chose to move the units

The rules about this one option come first, those about totals (a pledge, a cap or a line too
small for all the baseline held) last: the latter leave the plan a choice of which units go.

The words of a pledge, a contributor, a site or a line claim a change (`no longer`, `is now`)
only for a baseline that is a plan as its solve wrote it; of any other (a `Baseline` sheet, a
plan edited by hand) they say what the baseline has and what the workbook has: `ESP does not
pledge INF_BN`, `the baseline has 2 units of FRA's INF_BN, more than its pledge of 1`, `the
baseline has GRC's INF_BN at Kyiv, but GRC is not a contributor` (`baseline_words.py`).

Everything is read from the new workbook (`Data`) and the model's forbidden options, never from
the solution: a reason says the baseline could not stay whatever the plan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..baseline_words import (
    above_pledge,
    dwell_above_pledge,
    no_pledge,
    not_a_contributor,
    not_a_site,
    not_required,
)
from ..data import Data, required_units
from ..explain.gaps_time import ended_words, pledge_closed_then
from ..explain.rules import describe_caveat
from ..io.withdrawals import parse_name
from ..model.forbidden import Option
from ..time_plan import TimedPlan
from .change_caps import Caps
from .change_lines import LineRules
from .changes import KEY


def change_reasons(
    data: Data, diff: pd.DataFrame, forbidden: dict[Option, list[str]] | None = None
) -> list[str]:
    """The `why` of each DIFF row (`changes.unit_changes`): a reason for a decrease whose
    baseline units could not stay, else '' (module docstring)."""
    assert data.baseline is not None
    reasons = Reasons(data, data.baseline.presence(), forbidden or {})
    out = []
    for c, k, s, t, b, p in diff[[*KEY, "t", "baseline", "planned"]].itertuples(index=False):
        out.append(reasons.why(c, k, s, int(t)) if p < b else "")
    return out


class Reasons:
    """The lookups of the module docstring's rules, indexed once."""

    def __init__(self, data: Data, held: pd.DataFrame, forbidden: dict[Option, list[str]]):
        self.data = data
        self.forbidden = forbidden
        self.as_solved = data.baseline is not None and data.baseline.as_solved
        self.status = dict(
            zip(data.contributors["contributor"], data.contributors["status"], strict=True)
        )
        self.pledge = {
            (c, k): row
            for c, k, row in zip(
                data.pledges["contributor"],
                data.pledges["capability"],
                data.pledges.to_dict("records"),
                strict=True,
            )
        }
        self.sites = set(data.sites["site"])
        rq = data.requirements
        self.line = {
            (s, k): i for i, (s, k) in enumerate(zip(rq["site"], rq["capability"], strict=True))
        }
        self.required = required_units(data)
        self.caps = Caps(data, held)
        self.lines = LineRules(data, held, set(forbidden), self.caps.held)
        self.held_ck = held.groupby(["contributor", "capability", "t"])["units"].sum().to_dict()
        self.dwell_ck = _baseline_dwell(data)
        self.held_sk = held.groupby(["site", "capability", "t"])["units"].sum().to_dict()
        self.names = [] if data.periods is None else [str(n) for n in data.periods["period"]]
        self.months = (
            np.ones(1, dtype=np.int64)
            if data.periods is None
            else data.periods["months"].to_numpy(dtype=np.int64)
        )

    def _withdrawn_then(self, c: str, t: int) -> str:
        """`GBR leaves after 2027-02 (withdrawn in this scenario)` where the scenario is a
        generated withdrawal of c after a period before t: a pledge it drops whole (not begun
        by then) said as the withdrawal, as one it ends is (an analyst trial read `GBR no
        longer pledges INF_BN` as an edit of the workbook); '' otherwise."""
        withdrawn = parse_name(self.data.scenario)
        if withdrawn is None or withdrawn.code != c or withdrawn.after not in self.names:
            return ""
        after = self.names.index(withdrawn.after)
        if t <= after:
            return ""
        return ended_words(c, withdrawn.after, self.data.scenario, int(self.months[after]))

    def why(self, c: str, k: str, s: str, t: int) -> str:
        """Why c's units of k at s in period t could not stay ('' when they could)."""
        if c not in self.status:
            return not_a_contributor(c, k, s, self.as_solved, locked=False)
        if self.status[c] != "available":
            return f"{c} is unavailable"
        pledge = self.pledge.get((c, k))
        if pledge is None:
            return self._withdrawn_then(c, t) or no_pledge(c, k, self.as_solved)
        if self.data.periods is not None:
            closed = pledge_closed_then(pledge, self.names, self.months, t, self.data.scenario)
            if closed is not None:
                return closed
        if s not in self.sites:
            return not_a_site(c, k, s, self.as_solved, locked=False)
        line = self.line.get((s, k))
        required = 0 if line is None else int(self.required[line, t])
        if required == 0:
            timed = self.data.periods is not None
            return not_required(c, k, s, self.as_solved, locked=False, then=timed)
        pledged, held = int(pledge["units"]), self.held_ck.get((c, k, t), 0)
        if (c, k, s, t) in self.forbidden:
            texts = [describe_caveat(self.data, cid) for cid in self.forbidden[(c, k, s, t)]]
            kept_out = "kept out by " + "; ".join(texts)
            if pledged < held:  # a cut that made the caveat bite (min_contingent above it)
                cut = above_pledge(c, k, pledged, held, self.as_solved, locked=False)
                return f"{cut}; with it, {kept_out}"
            if required < self.held_sk.get((s, k, t), 0) and self._line_bites(c, k, s, t, pledged):
                # a line cut below the contingent (a re-plan trial read the caveat alone, in
                # force when the baseline was made)
                return f"{s} requires only {required} {k}; with it, {kept_out}"
            return kept_out
        if pledged < held:
            return above_pledge(c, k, pledged, held, self.as_solved, locked=False)
        home = self.dwell_ck.get((c, k, t), 0)
        if home and pledged < held + home:
            return dwell_above_pledge(c, k, pledged, held, home)
        capped = self.caps.why(c, k, s, t)
        if capped:
            return capped
        if required < self.held_sk.get((s, k, t), 0):
            return f"{s} requires only {required} {k}"
        return self.lines.why(c, k, s, t)

    def _line_bites(self, c: str, k: str, s: str, t: int, pledged: int) -> bool:
        """Every caveat keeping (c, k, s, t) out is a min_contingent the pledge alone meets: the
        line's units decide (of a pledge below the contingent, the pledge does: a review)."""
        caveats = self.data.caveats.set_index("id")
        return all(
            caveats.at[cid, "caveat"] == "min_contingent"
            and pledged >= float(caveats.at[cid, "value"])
            for cid in self.forbidden[(c, k, s, t)]
        )


def _baseline_dwell(data: Data) -> dict[tuple[str, str, int], int]:
    """(c, k, t) -> the baseline's units of c's k at home in dwell in t, after its tours (the
    dwell_months of the new workbook's pledge, `TimedPlan.dwell`): with the units it holds
    then, what the pledge must cover (time.md's rotation rule). Empty in a snapshot."""
    if data.periods is None or data.baseline is None:
        return {}
    dwell = TimedPlan(data, data.baseline.rows).dwell()
    keys = zip(dwell["contributor"], dwell["capability"], dwell["t"], strict=True)
    return {(c, k, int(t)): int(n) for (c, k, t), n in zip(keys, dwell["units"], strict=True)}
