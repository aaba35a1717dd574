"""What a planner may want to look at in a baseline, read against the workbook (warnings,
never errors: whether a locked row can hold is the model's question): options the new plan
cannot keep, locked tours longer than their pledge's tours, units above a pledge, tours that
break a pledge's rotation (io/baseline_rotation.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..baseline import Baseline
from ..baseline_words import locked_cannot_hold
from ..data import Data, required_units
from ..wording import cells_text, count
from .baseline_long_tours import tours_too_long
from .baseline_rotation import rotation_broken
from .periods import span, spans

KEYS = ("contributor", "capability", "site")


def known_keys(data: Data) -> dict[str, set[str]]:
    """The workbook's contributors, capabilities and sites, by key column."""
    return {
        "contributor": set(data.contributors["contributor"]),
        "capability": set(data.capabilities["capability"]),
        "site": set(data.sites["site"]),
    }


def odd_rows(baseline: Baseline, data: Data) -> list[tuple[str, str]]:
    """(where, message) for baseline rows a planner may want to look at: an option the new plan
    cannot keep (no such pledge, no requirement line there, a contributor not available, in
    time periods outside the pledge's from..to or where the line requires none: one
    message per reason and lock, at its first row, naming the others: a locked row there makes
    the solve infeasible), a row repeating an earlier row's option and periods (added up),
    units above the pledge in some period (a locked row then cannot hold), and tours that with
    the units they leave in dwell exceed the pledge (`rotation_broken`), and locked rows a
    caveat's cap rules out (`locks_over_caps`)."""
    known = known_keys(data)
    names = list(data.periods["period"]) if data.periods is not None else []
    required = _required_by_line(data)
    out, not_kept = _options_not_kept(baseline, data, known, required, names)
    locked = {cell for cell, lock in not_kept.items() if lock}
    out += _repeated_rows(baseline, data)
    out += _locked_above_lines(baseline, required, names, locked, known)
    out += tours_too_long(baseline, data, set(not_kept))
    out += rotation_broken(baseline, data)
    out += _above_pledges(baseline, data, names)
    from ..results.baseline_lock_caps import locks_over_caps  # results reads io: not at import

    return out + locks_over_caps(baseline, data)


def _options_not_kept(
    baseline: Baseline,
    data: Data,
    known: dict[str, set[str]],
    required: dict[tuple[str, str], np.ndarray],
    names: list[str],
) -> tuple[list[tuple[str, str]], dict[str, bool]]:
    """The options the new plan cannot keep (odd_rows), one warning per reason and lock, and
    the cells of their rows, each with whether it is locked."""
    pledged = data.pledges.set_index(["contributor", "capability"])["units"]
    lines = set(zip(data.requirements["site"], data.requirements["capability"], strict=True))
    con = data.contributors.set_index("contributor")["status"]
    timed = data.periods is not None
    windows = ("from_t", "to_t") if timed else ()  # a snapshot has none
    window = data.pledges.set_index(["contributor", "capability"])[list(windows)]
    # (reason, locked) -> its rows' cells, their units
    cannot: dict[tuple[str, bool], tuple[list[str], int]] = {}
    kept_out: dict[tuple[str, str, str, int], list[str]] | None = None  # built when first asked
    for row in baseline.rows.itertuples(index=False):
        c, k, s = row.contributor, row.capability, row.site
        if any(key not in known[name] for name, key in zip(KEYS, (c, k, s), strict=True)):
            continue  # already said: not on its sheet (`baseline_keys.warn_unknown_keys`)
        if (c, k) not in pledged.index:
            reason = f"{c} has no pledge of {k}"
        elif (s, k) not in lines:
            reason = f"{s} has no requirement for {k}"
        elif con.get(c) not in (None, "available"):
            reason = f"{c} is {con.get(c)}"
        elif timed and not _inside(window.loc[(c, k)], row.first_t, row.last_t):
            first, last = (int(v) for v in window.loc[(c, k)])
            reason = f"{c}'s pledge of {k} is only in {span(names, first, last)}"
        elif not required[(s, k)][row.first_t : row.last_t + 1].all():
            reason = _required_only(s, k, required[(s, k)], names)
        else:
            kept_out = kept_out if kept_out is not None else _kept_out(data)
            reason = _kept_out_by(data, kept_out, row, names)
            if not reason:
                continue
        key = (reason, bool(row.lock))
        cells, units = cannot.get(key, ([], 0))
        cannot[key] = ([*cells, str(row.where)], units + int(row.units))
    out: list[tuple[str, str]] = []
    in_file = f"{baseline.file} " if baseline.file else ""
    for (reason, locked), (cells, units) in cannot.items():  # one warning per reason
        others = [c.removeprefix(in_file) for c in cells[1:]]  # the first names the file
        also = f" (also {cells_text(others)})" if others else ""
        if locked:
            what = locked_cannot_hold(len(cells))
        else:
            what = _all_change(units) if not timed else _all_tours_change(len(cells))
        out.append((cells[0], f"{reason}: {what}{also}"))
    flagged = {c: locked for (_, locked), (cells, _) in cannot.items() for c in cells}
    return out, flagged


def _kept_out(data: Data) -> dict[tuple[str, str, str, int], list[str]]:
    """The options (c,k,s,t) the caveats remove, each kind's `forbid` deciding
    (model/forbidden.py): a lock on one cannot hold (a trial: `validate --baseline` said
    `valid` of POL locked at Kyiv against its `exclude` of Ukraine; the solve was infeasible)."""
    from ..model.forbidden import options_kept_out  # the model's index sets, built on demand

    return options_kept_out(data)


def _kept_out_by(
    data: Data, kept_out: dict[tuple[str, str, str, int], list[str]], row: Any, names: list[str]
) -> str:
    """`caveat C3 (POL exclude category=ground country=UKR) keeps POL's INF_BN out of Kyiv`
    (in time: `... in 2027-01..2027-06`, the row's periods it keeps out), or '' when no caveat
    keeps the row's option out in any of its periods."""
    from ..caveats import caveat_text

    c, k, s = row.contributor, row.capability, row.site
    hit = [t for t in range(row.first_t, row.last_t + 1) if (c, k, s, t) in kept_out]
    if not hit:
        return ""
    ids = sorted({cid for t in hit for cid in kept_out[(c, k, s, t)]})
    by_id = data.caveats.set_index("id")
    said = " and ".join(f"{cid} ({caveat_text(by_id.loc[cid])})" for cid in ids)
    noun, verb = ("caveat", "keeps") if len(ids) == 1 else ("caveats", "keep")
    when = f" in {spans(names, hit)}" if names else ""
    return f"{noun} {said} {verb} {c}'s {k} out of {s}{when}"


def _above_pledges(baseline: Baseline, data: Data, names: list[str]) -> list[tuple[str, str]]:
    """Units of a pledge above what it pledges in some period (odd_rows): one warning per run
    of periods with the same units, at the pledge's first row, saying whether its locked rows
    alone exceed it (then no plan keeps them)."""
    presence = baseline.presence()
    if not len(presence):
        return []
    pledged = data.pledges.set_index(["contributor", "capability"])["units"]
    per_pledge = presence.groupby(["contributor", "capability", "t"], sort=True)["units"].sum()
    above: dict[tuple[str, str], list[tuple[int, int]]] = {}  # (c, k) -> (t, units), in order
    for (c, k, t), units in per_pledge.items():
        if (c, k) in pledged.index and units > pledged[(c, k)]:
            above.setdefault((c, k), []).append((int(t), int(units)))
    locked = baseline.presence(locked_only=True)
    locked_units = locked.groupby(["contributor", "capability", "t"], sort=True)["units"].sum()
    out = []
    for (c, k), found in above.items():
        first = baseline.rows[
            (baseline.rows["contributor"] == c) & (baseline.rows["capability"] == k)
        ]["where"].iloc[0]
        for a, b, units in _same_units_runs(found):
            when = f" in {span(names, a, b)}" if names else ""
            held = max(int(locked_units.get((c, k, t), 0)) for t in range(a, b + 1))
            if held > pledged[(c, k)]:  # the locks alone: no plan keeps them
                then = (
                    f"its locked rows alone hold {held}, so they cannot hold and the solve is "
                    "infeasible (its Infeasibility sheet names the conflict): unlock or lower them"
                )
            else:
                then = "some must change (a locked row that cannot hold makes the solve infeasible)"
            out.append(
                (
                    first,
                    f"the baseline has {count(units, 'unit')} of {c}'s {k}{when}, above its pledge of "
                    f"{int(pledged[(c, k)])}: {then}",
                )
            )
    return out


def _locked_above_lines(
    baseline: Baseline,
    required: dict[tuple[str, str], np.ndarray],
    names: list[str],
    flagged: set[str],
    known: dict[str, set[str]],
) -> list[tuple[str, str]]:
    """Locked rows holding more units of a line than it requires in some period where it
    requires some (where it requires none, the row's own warning says so): no plan keeps
    them, since a line takes at most what it requires (a review: 2 locked where a Profile asks
    1 gave an infeasible solve without a word). Rows already said to be unable to hold
    (`flagged`: no such pledge, outside a window) or naming a key the workbook lacks (`known`)
    are not counted: they are the cause there.
    One warning per line, at its first locked row, naming the periods (in time) and the
    period of the largest excess with its two figures."""
    held: dict[tuple[str, str, int], int] = {}
    first: dict[tuple[str, str], str] = {}
    for row in baseline.rows[baseline.rows["lock"]].itertuples(index=False):
        keys = zip(KEYS, (row.contributor, row.capability, row.site), strict=True)
        if any(key not in known[name] for name, key in keys):
            continue  # said already, and no plan can hold it (`baseline_keys`: a review)
        if str(row.where) in flagged or (row.site, row.capability) not in required:
            continue
        first.setdefault((row.site, row.capability), str(row.where))
        for t in range(int(row.first_t), int(row.last_t) + 1):
            key = (row.site, row.capability, t)
            held[key] = held.get(key, 0) + int(row.units)
    above: dict[tuple[str, str], list[tuple[int, int, int]]] = {}  # (t, held, required)
    for (s, k, t), units in sorted(held.items()):
        need = int(required[(s, k)][t])
        if 0 < need < units:
            above.setdefault((s, k), []).append((t, units, need))
    out = []
    for (s, k), found in above.items():
        t, most, need = max(found, key=lambda f: (f[1] - f[2], -f[0]))
        when = f" in {spans(names, [f[0] for f in found])}" if names else ""
        then = f" in {names[t]}" if names and len(found) > 1 else ""
        said = f" ({most} where it requires {need}{then})"
        out.append(
            (
                first[(s, k)],
                f"the baseline's locked rows hold more of {s}'s {k} than it requires{when}"
                f"{said}: a line takes no more than it requires, so they cannot hold and the "
                "solve is infeasible (its Infeasibility sheet names the conflict): unlock or "
                "lower them",
            )
        )
    return out


def _required_by_line(data: Data) -> dict[tuple[str, str], np.ndarray]:
    """(site, capability) -> the units its line requires in each period (`required_units`:
    its window, and the Profile's)."""
    rq = data.requirements
    lines = zip(rq["site"], rq["capability"], strict=True)
    return dict(zip(lines, required_units(data), strict=True))


def _required_only(site: str, capability: str, required: np.ndarray, names: list[str]) -> str:
    """`Dnipro requires MECH_COY only in 2027-04..2028-09`: the periods the line requires
    units (its window, less the periods a Profile sets to 0)."""
    wanted = [int(t) for t in np.flatnonzero(required > 0)]
    if not names:  # a snapshot: one period
        return f"{site} requires no {capability}"
    if not wanted:
        return f"{site} requires no {capability} in any period"
    return f"{site} requires {capability} only in {spans(names, wanted)}"


def _inside(window: Any, first: int, last: int) -> bool:
    """The row's periods first..last lie in the pledge's from..to (its notice to move and
    mandate)."""
    return int(window["from_t"]) <= int(first) and int(last) <= int(window["to_t"])


def _same_units_runs(found: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(t, units) in time order cut into runs of consecutive periods with the same units:
    (first, last, units) each."""
    out: list[tuple[int, int, int]] = []
    for t, units in found:
        if out and out[-1][1] == t - 1 and out[-1][2] == units:
            out[-1] = (out[-1][0], t, units)
        else:
            out.append((t, t, units))
    return out


def _repeated_rows(baseline: Baseline, data: Data) -> list[tuple[str, str]]:
    """A row naming the same option (and, in time, the same periods) and lock as an earlier
    row: its units are added to the earlier row's (the contract's rows of one option add up),
    which a row pasted twice by mistake would double unseen. One warning per repeat, at its
    cell. Two rows of one option, one locked and one not, lock part of its units: no repeat;
    nor two tours that only cutting them to a rolling re-plan's horizon made alike."""
    first: dict[tuple[object, ...], str] = {}
    names = [str(p) for p in data.periods["period"]] if data.periods is not None else []
    known = known_keys(data)
    out = []
    for row in baseline.rows.itertuples(index=False):
        c, k, s = row.contributor, row.capability, row.site
        if any(key not in known[name] for name, key in zip(KEYS, (c, k, s), strict=True)):
            continue  # its units all change: said already (`baseline_keys.warn_unknown_keys`)
        key = (c, k, s, int(row.first_t), int(row.last_t), bool(row.lock))
        where = str(row.where)
        if key not in first:
            first[key] = where
            continue
        if {where, first[key]} & baseline.clipped:  # two tours in the file, cut alike
            continue
        when = f" in {span(names, key[3], key[4])}" if names else ""
        earlier = first[key].removeprefix(f"{baseline.file} " if baseline.file else "")
        out.append(
            (
                where,
                f"{c}/{k}/{s}{when} appears again (first at "
                f"{earlier}): its units are added to that row's",
            )
        )
    return out


def locks_on_nothing(rows: pd.DataFrame, data: Data, file: str = "") -> list[tuple[str, str]]:
    """Baseline `rows` as read (before `Baseline` drops those of 0 units) whose lock keeps
    nothing: a lock holds at least its units (snapshot x[c, k, s] >= units; timed, its tour as
    it stands, and a tour of no units is none), so the plan may still put units where a planner
    typed 0 and `yes` to mean "keep it empty", which a lock cannot say. Said once, at the first
    such row, naming the others (without `file`, the name their cells begin with), with what
    does say it: an `exclude` caveat. Not said of an option the workbook cannot have (a key
    it lacks, no such pledge or line): no plan puts units there."""
    if not len(rows):
        return []
    zero = rows[rows["lock"].astype(bool) & (rows["units"] == 0)]
    known = known_keys(data)
    pledged = set(zip(data.pledges["contributor"], data.pledges["capability"], strict=True))
    lines = set(zip(data.requirements["site"], data.requirements["capability"], strict=True))
    # an option the workbook cannot have: no plan puts units there, so nothing to say
    possible = [
        all(key in known[name] for name, key in zip(KEYS, (c, k, s), strict=True))
        and (c, k) in pledged
        and (s, k) in lines
        for c, k, s in zip(zero["contributor"], zero["capability"], zero["site"], strict=True)
    ]
    zero = zero[np.asarray(possible, dtype=bool)]
    if not len(zero):
        return []
    names = [str(p) for p in data.periods["period"]] if data.periods is not None else []
    first = zero.iloc[0]  # a Series: its `where` is a method, so read by name
    c, k, s = first["contributor"], first["capability"], first["site"]
    when = f" in {span(names, int(first['first_t']), int(first['last_t']))}" if names else ""
    prefix = f"{file} " if file else ""
    others = [str(w).removeprefix(prefix) for w in zero["where"].iloc[1:]]
    also = f" (also {cells_text(others)})" if others else ""
    return [
        (
            str(first["where"]),
            f"locked row {c}/{k}/{s}{when} has 0 units: a lock keeps at least its units, so "
            f"this one keeps nothing and the plan may put units there; to keep {c}'s {k} away "
            f"from {s}, give it an exclude caveat{also}",
        )
    ]


def _all_change(units: int) -> str:
    return "its 1 unit changes" if units == 1 else f"all {units} units change"


def _all_tours_change(tours: int) -> str:
    """In time a row is a tour: its units over its periods (a unit on two rotations is two)."""
    return "its tour changes" if tours == 1 else f"all {tours} tours change"
