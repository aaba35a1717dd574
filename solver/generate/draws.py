"""Caveat draws for each restricting kind: a filter and values that the witness satisfies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .case import Case, Filter
from .witness import Witness


def _filter(case: Case, w: Witness, rng: np.random.Generator, c: str) -> Filter:
    """A random filter of the shapes planners write: a category, a zone, a country, a site..."""
    roll = rng.random()
    cats = sorted({cap["category"] for cap in case.capabilities})
    if roll < 0.3:
        return {"category": cats[rng.integers(len(cats))], "country": "UKR"}
    if roll < 0.5:
        return {"zone": "forward"}
    if roll < 0.65:
        return {"category": cats[rng.integers(len(cats))]}
    if roll < 0.8:
        own = [k for (who, k) in case.pledges if who == c]
        return {"capability": own[rng.integers(len(own))]}
    return {"site": case.sites[rng.integers(len(case.sites))]["site"]}


def _known(case: Case, f: Filter) -> bool:
    """Only filter values that exist (the reader rejects a category or zone that nothing has)."""
    return all(f[col] in {s[col] for s in case.sites} for col in ("zone", "country") if col in f)


Drawn = tuple[Filter, dict[str, Any]] | None


def _draw_exclude(
    case: Case, w: Witness, rng: np.random.Generator, c: str, codes: list[str]
) -> Drawn:
    f = _filter(case, w, rng, c)
    if not _known(case, f) or w.matching(c, f):
        free = [s["site"] for s in case.sites if s["site"] not in w.sites_of(c)]
        if not free:
            return None
        f = {"site": free[rng.integers(len(free))]}
    return f, {"note": "national restriction"}


def _draw_only(case: Case, w: Witness, rng: np.random.Generator, c: str, codes: list[str]) -> Drawn:
    f = _filter(case, w, rng, c)
    mine = w.matching(c, {})
    if not _known(case, f) or len(w.matching(c, f)) != len(mine):
        f = w.common(c)
        if not f:
            return None
    return f, {"note": "mandate limited to"}


def _draw_requires(
    case: Case, w: Witness, rng: np.random.Generator, c: str, codes: list[str]
) -> Drawn:
    pool = [o for o in w.available if o != c and (w.deploys(o) or not w.deploys(c))]
    if not pool:
        return None
    return {}, {"other": pool[rng.integers(len(pool))], "note": "needs a backstop"}


def _draw_max_units(
    case: Case, w: Witness, rng: np.random.Generator, c: str, codes: list[str]
) -> Drawn:
    f = _filter(case, w, rng, c) if rng.random() < 0.4 else {}
    if not _known(case, f):
        return None
    pledged = sum(p["units"] for (who, _), p in case.pledges.items() if who == c)
    floor = sum(u for _, _, u in w.matching(c, f))
    value = max(floor, 1, int(pledged * rng.uniform(0.3, 0.8)))
    return f, {"value": value, "note": "force cap"}


def _draw_max_personnel(
    case: Case, w: Witness, rng: np.random.Generator, c: str, codes: list[str]
) -> Drawn:
    f = _filter(case, w, rng, c) if rng.random() < 0.3 else {}
    if not _known(case, f):
        return None
    total = sum(p["units"] * w.size[key] for key, p in case.pledges.items() if key[0] == c)
    floor = sum(u * w.size[(c, k)] for k, _, u in w.matching(c, f))
    cap = int(round(total * rng.uniform(0.3, 0.8), -1))
    return f, {"value": max(floor, cap), "note": "parliamentary mandate"}


def _draw_min_contingent(
    case: Case, w: Witness, rng: np.random.Generator, c: str, codes: list[str]
) -> Drawn:
    f = _filter(case, w, rng, c) if rng.random() < 0.5 else {}
    value = int(rng.integers(2, 4))
    if not _known(case, f) or any(u < value for _, _, u in w.matching(c, f)):
        return None
    return f, {"value": value, "note": "minimum viable contingent"}


def _draw_max_sites(
    case: Case, w: Witness, rng: np.random.Generator, c: str, codes: list[str]
) -> Drawn:
    f = _filter(case, w, rng, c) if rng.random() < 0.3 else {}
    if not _known(case, f):
        return None
    used = len({s for _, s, _ in w.matching(c, f)})
    return f, {"value": max(used, int(rng.integers(1, 5))), "note": "span of command"}


def _draw_not_with(
    case: Case, w: Witness, rng: np.random.Generator, c: str, codes: list[str]
) -> Drawn:
    other = codes[rng.integers(len(codes))]
    f = _filter(case, w, rng, c) if rng.random() < 0.3 else {}
    if other == c or not _known(case, f):
        return None
    if {s for _, s, _ in w.matching(c, f)} & w.sites_of(other):
        return None
    return f, {"other": other, "note": "not under the same roof"}


DRAW: dict[str, Callable[..., Drawn]] = {
    "exclude": _draw_exclude,
    "only": _draw_only,
    "requires": _draw_requires,
    "max_units": _draw_max_units,
    "max_personnel": _draw_max_personnel,
    "min_contingent": _draw_min_contingent,
    "max_sites": _draw_max_sites,
    "not_with": _draw_not_with,
}
