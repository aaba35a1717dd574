"""Why baseline units cannot stay against a pledge, in words that claim a change only where one
is known: shared by the Changes sheet's `why` (results/change_reasons.py) and the locked rows of
the infeasibility explanation (explain/locked.py).

A pledge below the baseline's units was cut since the baseline was made only when the baseline
is a plan as a solve wrote it (`Baseline.as_solved`: every pledge held it then). Otherwise (a
`Baseline` sheet, a plan edited by hand) it may never have held it, and the words say what is:

    as solved                                   otherwise
    `ISL no longer pledges INF_BN`              `ISL does not pledge INF_BN`
    `FRA's pledge of INF_BN is now 1`           `the baseline has 2 units of FRA's INF_BN, more
                                                than its pledge of 1` (a lock: `locks`)

With the baseline's units at home in dwell (`dwell_above_pledge`) no change is claimed: the
pledge, or its rotation (tour_months, dwell_months), may be what changed.
"""

from __future__ import annotations

from .wording import count


def no_pledge(c: str, k: str, as_solved: bool) -> str:
    """c has no pledge row of k (a row of 0 units is a pledge: `above_pledge`)."""
    return f"{c} no longer pledges {k}" if as_solved else f"{c} does not pledge {k}"


def above_pledge(c: str, k: str, pledged: int, held: int, as_solved: bool, locked: bool) -> str:
    """The baseline has (or, `locked`, locks) `held` units of c's k, more than its `pledged`."""
    if as_solved:
        return f"{c}'s pledge of {k} is now {pledged}"
    verb = "locks" if locked else "has"
    return (
        f"the baseline {verb} {count(held, 'unit')} of {c}'s {k}, more than its pledge of {pledged}"
    )


def dwell_above_pledge(c: str, k: str, pledged: int, held: int, home: int) -> str:
    """In time: `held` units of c's k deployed and `home` in dwell then, together more than the
    pledge."""
    return (
        f"the baseline has {count(held, 'unit')} of {c}'s {k} deployed and {home} in dwell "
        f"then, more than its pledge of {pledged}"
    )
