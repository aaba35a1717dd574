"""Why baseline units cannot stay against the workbook, in words that claim a change only where
one is known: shared by the Changes sheet's `why` (results/change_reasons.py) and the locked
rows of the infeasibility explanation (explain/locked.py).

A pledge below the baseline's units was cut since the baseline was made, and a contributor, a
site or a line the baseline has and the workbook lacks was dropped since, only when the
baseline is a plan as a solve wrote it (`Baseline.as_solved`: it fitted the workbook then).
Otherwise (a `Baseline` sheet, a plan edited by hand) it may never have fitted it, and the words
say what the baseline has (a lock: `locks`) and what the workbook has:

    as solved                                   otherwise
    `ISL no longer pledges INF_BN`              `ISL does not pledge INF_BN`
    `FRA's pledge of INF_BN is now 1`           `the baseline has 2 units of FRA's INF_BN, more
                                                than its pledge of 1`
    `GRC is no longer a contributor`            `the baseline has GRC's INF_BN at Kyiv, but GRC
                                                is not a contributor`
    `Nowhere is no longer a site`               `the baseline has FRA's INF_BN at Nowhere, but
                                                Nowhere is not a site`
    `Kyiv no longer requires MP_PLT`            `the baseline has FRA's MP_PLT at Kyiv, but Kyiv
                                                does not require MP_PLT` (in a period, both:
                                                `then`)

With the baseline's units at home in dwell (`dwell_above_pledge`) no change is claimed: the
pledge, or its rotation (tour_months, dwell_months), may be what changed; nor of a locked tour
longer than its pledge's tours (`tour_too_long`): the limit, the periods or the row may have.
"""

from __future__ import annotations

from .wording import count, joined


def no_pledge(c: str, k: str, as_solved: bool) -> str:
    """c has no pledge row of k (a row of 0 units is a pledge: `above_pledge`)."""
    return f"{c} no longer pledges {k}" if as_solved else f"{c} does not pledge {k}"


def above_pledge(c: str, k: str, pledged: int, held: int, as_solved: bool, locked: bool) -> str:
    """The baseline has (or, `locked`, locks) `held` units of c's k, more than its `pledged`."""
    if as_solved:
        return f"{c}'s pledge of {k} is now {pledged}"
    return f"{_the_baseline(locked)} {count(held, 'unit')} of {c}'s {k}, more than its pledge of {pledged}"


def not_a_contributor(c: str, k: str, s: str, as_solved: bool, locked: bool) -> str:
    """The baseline has (or locks) c's k at s, and c is not on the Contributors sheet."""
    if as_solved:
        return f"{c} is no longer a contributor"
    return f"{_the_baseline(locked)} {c}'s {k} at {s}, but {c} is not a contributor"


def not_a_site(c: str, k: str, s: str, as_solved: bool, locked: bool) -> str:
    """The baseline has (or locks) c's k at s, and s is not on the Sites sheet."""
    if as_solved:
        return f"{s} is no longer a site"
    return f"{_the_baseline(locked)} {c}'s {k} at {s}, but {s} is not a site"


def not_required(c: str, k: str, s: str, as_solved: bool, locked: bool, then: bool = False) -> str:
    """The baseline has (or locks) c's k at s, and s requires no k (`then`: in the period of a
    timed Changes row, which its `period` names; a line may require k in other periods, and
    the words stay the same over a run of them, as the row's `run` needs)."""
    when = " then" if then else ""
    if as_solved:
        return f"{s} no longer requires {k}{when}"
    return f"{_the_baseline(locked)} {c}'s {k} at {s}, but {s} does not require {k}{when}"


def dwell_above_pledge(c: str, k: str, pledged: int, held: int, home: int) -> str:
    """In time: `held` units of c's k deployed and `home` in dwell then, together more than the
    pledge."""
    return (
        f"the baseline has {count(held, 'unit')} of {c}'s {k} deployed and {home} in dwell "
        f"then, more than its pledge of {pledged}"
    )


def _the_baseline(locked: bool) -> str:
    """What a row's words say of it: what a lock holds (`locks`), or what the baseline has."""
    return "the baseline locks" if locked else "the baseline has"


def tour_too_long(c: str, k: str, months: int, limit: int, tour: str = "") -> str:
    """A locked tour longer than its pledge's `tour_months` (`tour`: its periods, where the
    option has several locked tours): no tour of the plan may be (time.md rule 2), and a lock
    keeps it as one tour. Said alike of a file's tours and a sheet's: the limit, the periods'
    months or the row may be what changed."""
    what = f"{tour} is a tour" if tour else "a tour"
    return (
        f"{what} of {count(months, 'month')}, longer than the {count(limit, 'month')} {c}'s "
        f"tours of {k} may last"
    )


CANNOT_HOLD = "cannot hold and the solve is infeasible"  # `validate` repeats it in its verdict


def locked_cannot_hold(rows: int) -> str:
    """A locked row on an option the plan cannot have is kept as it stands, which no plan can:
    the solve against this baseline is infeasible (a trial read `its 1 unit changes`, then the
    solve was). The workbook is not at fault: a baseline file's rows are said the same way."""
    row, it = ("the row is locked", "it") if rows == 1 else (f"the {rows} rows are locked", "they")
    return (
        f"{row}, so {it} {CANNOT_HOLD} (its Infeasibility sheet "
        f"names the conflict): unlock or remove {'it' if rows == 1 else 'them'}"
    )


def doomed_verdict(doomed: list[str], every: bool = False) -> str:
    """`; but against this baseline the solve of scenario 'x' is infeasible (...)` where a
    locked row cannot hold (a re-plan trial read `valid` and ran the solve); the workbook
    itself is valid (exit 0). `doomed`: the cases whose locks cannot hold, `base` among them;
    `every`: base's are known to hold in the scenarios that keep its rows, unnamed (its
    warnings are said once, for base)."""
    if not doomed:
        return ""
    scenarios = [f"'{n}'" for n in dict.fromkeys(doomed) if n != "base"]
    parts = ["the base case"] if "base" in doomed else []
    if scenarios:
        parts.append(f"{'scenario' if len(scenarios) == 1 else 'scenarios'} {joined(scenarios)}")
    names = " and ".join(parts)
    also = " (and of every scenario that keeps those rows)" if every and "base" in doomed else ""
    return (
        f"; but against this baseline the solve of {names}{also} is infeasible (a locked row; "
        "see the warnings above)"
    )


def cannot_hold_in(message: str) -> bool:
    """A warning that a locked row cannot hold (the verdict's `doomed`)."""
    return CANNOT_HOLD in message
