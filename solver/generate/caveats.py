"""Witness-driven caveat placement: hard rules the witness meets, then restrictions it satisfies."""

from __future__ import annotations

import numpy as np

from .case import RESTRICTING, Case, Filter
from .draws import DRAW
from .witness import Witness


# ---- hard rules (met by the witness) --------------------------------------------------------------
def add_no_weakening(case: Case, w: Witness, frontline: list[str]) -> None:
    """`no_weakening` for each frontline contributor whose home lines the others can cover."""
    for c in frontline:
        lines = [key for key in case.requirements if w.site[key[0]]["country"] == c]
        if lines and w.fill(lines):
            _caveat(case, c, "no_weakening", {}, note="home front: requirements there are hard")
    if not any(cv["caveat"] == "no_weakening" for cv in case.caveats):
        for s, k in case.requirements:  # fallback: one line, named by filters
            if w.fill([(s, k)]):
                _caveat(case, frontline[0], "no_weakening", {"site": s, "capability": k})
                break


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


def add_min_units(case: Case, w: Witness, rng: np.random.Generator) -> None:
    """Firm commitments, each reachable: the witness sends the units first."""
    count = max(1, round(0.05 * len(case.contributors)))
    open_lines = [key for key in case.requirements]
    for i in rng.permutation(len(w.available)):
        c = w.available[i]
        options = [(k, s) for s, k in open_lines if w.line[(s, k)] > 0 and w.rem.get((c, k), 0) > 0]
        f: Filter = {}
        if options:
            k, s = options[rng.integers(len(options))]
            w.add(c, k, s, int(min(w.rem[(c, k)], w.line[(s, k)], rng.integers(1, 4))))
            f = {"capability": k} if rng.random() < 0.5 else {}
        value = sum(u for _, _, u in w.matching(c, f))
        if not value:
            continue
        _caveat(case, c, "min_units", f, value=value, note="firm commitment")
        count -= 1
        if not count:
            break


# ---- restrictions (drawn where the witness satisfies them) ---------------------------------------
def add_restricting(case: Case, w: Witness, rng: np.random.Generator) -> None:
    """About 0.9 restricting caveats per contributor, then at least one of every kind."""
    codes = [c["contributor"] for c in case.contributors]
    has_only: set[str] = set()
    for i in rng.permutation(len(codes)):
        for kind in rng.choice(
            RESTRICTING, size=int(rng.choice([0, 1, 2], p=[0.4, 0.3, 0.3])), replace=False
        ):
            _try_kind(case, w, rng, str(kind), codes[i], codes, has_only)
    for kind in RESTRICTING:
        if any(cv["caveat"] == kind for cv in case.caveats):
            continue
        for i in rng.permutation(len(codes)):
            if _try_kind(case, w, rng, kind, codes[i], codes, has_only, tries=20):
                break
        else:
            raise ValueError(f"could not place a '{kind}' caveat; try more contributors or sites")


def _try_kind(
    case: Case,
    w: Witness,
    rng: np.random.Generator,
    kind: str,
    c: str,
    codes: list[str],
    has_only: set[str],
    tries: int = 6,
) -> bool:
    """Place one `kind` caveat for contributor c, trying up to `tries` draws."""
    if kind == "only" and c in has_only:
        return False
    for _ in range(tries):
        drawn = DRAW[kind](case, w, rng, c, codes)
        if drawn is not None:
            f, extra = drawn
            _caveat(case, c, kind, f, **extra)
            if kind == "only":
                has_only.add(c)
            return True
    return False


def _caveat(
    case: Case,
    c: str,
    kind: str,
    f: Filter,
    *,
    other: str | None = None,
    value: int | None = None,
    note: str = "",
) -> None:
    """Append a caveat row with the next id."""
    case.caveats.append(
        {
            "id": f"C{len(case.caveats) + 1:04d}",
            "contributor": c,
            "caveat": kind,
            **f,
            "other": other,
            "value": value,
            "note": note,
        }
    )


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
