"""Synthetic, contract-valid and feasible workbooks in the shape of the real problem.

`generate_workbook(path, contributors, sites, capabilities, seed, density)` writes a workbook with
every caveat kind, deterministic for a seed. Feasibility is guaranteed by a *witness*: a sparse
allocation built first that meets every hard rule (hard requirements, `no_weakening` home sites,
`min_units`); every other caveat and limit is then drawn only where the witness satisfies it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl import Workbook

from .io.schema import INPUT_SHEETS
from .results.writer import atomic_write, workbook_bytes

CATEGORIES = ("ground", "air", "maritime", "enabler")
UNIT_SIZE = {"ground": (150, 600), "air": (60, 200), "maritime": (100, 300), "enabler": (30, 150)}
UKR_ZONES = ("rear", "central", "forward")
RESTRICTING = (
    "exclude",
    "only",
    "requires",
    "max_units",
    "max_personnel",
    "min_contingent",
    "max_sites",
    "not_with",
)
KINDS = ("no_weakening", "min_units", *RESTRICTING)

Filter = dict[str, str]


@dataclass
class Case:
    """The generated tables (rows as dicts keyed by contract column) and the witness allocation."""

    contributors: list[dict[str, Any]] = field(default_factory=list)
    capabilities: list[dict[str, Any]] = field(default_factory=list)
    sites: list[dict[str, Any]] = field(default_factory=list)
    requirements: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    pledges: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    caveats: list[dict[str, Any]] = field(default_factory=list)
    witness: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (c, k, s) -> units


def generate_workbook(
    path: str | Path,
    contributors: int,
    sites: int,
    capabilities: int,
    seed: int,
    density: float = 0.3,
) -> dict[str, int]:
    """Write a synthetic workbook to `path`; returns the row count of each sheet."""
    case = generate_case(contributors, sites, capabilities, seed, density)
    return write_case(case, Path(path))


def generate_case(
    contributors: int, sites: int, capabilities: int, seed: int, density: float = 0.3
) -> Case:
    """The tables of a synthetic workbook (pure: same arguments, same case)."""
    if contributors < 4 or sites < 2 or capabilities < 1:
        raise ValueError("need at least 4 contributors, 2 sites and 1 capability")
    if not 0 < density <= 1:
        raise ValueError(f"density must be in (0, 1], got {density}")
    rng = np.random.default_rng(seed)
    case = Case()
    frontline = _contributors(case, rng, contributors, sites)
    _capabilities(case, rng, capabilities)
    _sites(case, rng, sites, frontline)
    _requirements(case, rng, density)
    _pledges(case, rng, density)
    w = Witness(case, rng)
    _no_weakening(case, w, frontline)
    _hard_lines(case, w, rng)
    _min_units(case, w, rng)
    _restricting(case, w, rng)
    _site_and_line_limits(case, w, rng)
    case.witness = dict(w.alloc)
    return case


# ---- base tables --------------------------------------------------------------------------------
def _contributors(case: Case, rng: np.random.Generator, n: int, n_sites: int) -> list[str]:
    """Contributors; returns the frontline ones (those with home sites), in order."""
    width = max(3, len(str(n)))
    codes = [f"N{i + 1:0{width}d}" for i in range(n)]
    n_front = min(max(1, round(0.1 * n)), max(1, round(0.1 * n_sites)))
    order = rng.permutation(n)
    frontline = sorted(codes[i] for i in order[:n_front])
    n_off = min(n // 4, max(1 if n >= 6 else 0, round(0.03 * n)))
    unavailable = {codes[i] for i in order[n_front : n_front + n_off]}
    for code in codes:
        overseas = rng.random() < 0.05
        lat = rng.uniform(35, 50) if overseas else rng.uniform(36, 64)
        lon = rng.uniform(-120, -70) if overseas else rng.uniform(-10, 30)
        case.contributors.append(
            {
                "contributor": code,
                "name": f"Nation {code[1:]}",
                "lat": round(lat, 3),
                "lon": round(lon, 3),
                "gdp": round(float(rng.lognormal(5.5, 1.2)), 1),
                "status": "unavailable" if code in unavailable else "available",
            }
        )
    return frontline


def _capabilities(case: Case, rng: np.random.Generator, k: int) -> None:
    for j in range(k):
        category = CATEGORIES[j % len(CATEGORIES)]
        lo, hi = UNIT_SIZE[category]
        case.capabilities.append(
            {
                "capability": f"CAP{j + 1:02d}",
                "description": f"synthetic {category} unit {j + 1}",
                "category": category,
                "personnel_per_unit": int(rng.integers(lo // 10, hi // 10 + 1)) * 10,
            }
        )


def _sites(case: Case, rng: np.random.Generator, n: int, frontline: list[str]) -> None:
    """Home sites of the frontline contributors, Ukrainian sites by zone and logistics hubs."""
    n_home = max(len(frontline), round(0.1 * n)) if n >= len(frontline) + 1 else 0
    n_hub = round(0.05 * n) if n >= 10 else 0
    homes = {c["contributor"]: c for c in case.contributors}
    for i in range(n_home):
        owner = homes[frontline[i % len(frontline)]]
        case.sites.append(
            {
                "site": f"{owner['contributor']}-H{i // len(frontline) + 1}",
                "country": owner["contributor"],
                "zone": "home",
                "lat": round(owner["lat"] + rng.uniform(-1, 1), 3),
                "lon": round(owner["lon"] + rng.uniform(-1, 1), 3),
            }
        )
    for i in range(n_hub):
        case.sites.append(
            {
                "site": f"HUB-{i + 1}",
                "country": "HUB",
                "zone": "rear",
                "lat": round(rng.uniform(49, 53), 3),
                "lon": round(rng.uniform(19, 23), 3),
            }
        )
    for i in range(n - n_home - n_hub):
        zone = UKR_ZONES[int(rng.choice(3, p=[0.35, 0.4, 0.25]))]
        case.sites.append(
            {
                "site": f"UKR-{i + 1:04d}",
                "country": "UKR",
                "zone": zone,
                "lat": round(rng.uniform(46, 52), 3),
                "lon": round(rng.uniform(23, 38), 3),
            }
        )


def _requirements(case: Case, rng: np.random.Generator, density: float) -> None:
    caps = [c["capability"] for c in case.capabilities]
    for site in case.sites:
        home = site["zone"] == "home"
        chosen = np.flatnonzero(rng.random(len(caps)) < (density * 0.5 if home else density))
        if not len(chosen):
            chosen = np.array([rng.integers(len(caps))])
        for j in chosen:
            units = int(rng.integers(1, 3)) if home else int(min(6, 1 + rng.poisson(1.3)))
            case.requirements[(site["site"], caps[j])] = {
                "units": units,
                "priority": 1 if home else int(rng.choice([1, 2, 3], p=[0.5, 0.3, 0.2])),
                "weight": float(rng.choice([1, 1, 1, 2, 0.5])),
                "hard": False,
                "single_source": False,
            }


def _pledges(case: Case, rng: np.random.Generator, density: float) -> None:
    """Pledges roughly 0.6-1.2 times the demand of each capability, so that shortfalls exist."""
    codes = [c["contributor"] for c in case.contributors]
    demand: dict[str, int] = {}
    for (_, k), r in case.requirements.items():
        demand[k] = demand.get(k, 0) + r["units"]
    pledged = rng.random((len(codes), len(case.capabilities))) < density
    for i in range(len(codes)):
        if not pledged[i].any():
            pledged[i, rng.integers(len(case.capabilities))] = True
    for j, cap in enumerate(case.capabilities):
        k = cap["capability"]
        if demand.get(k) and not pledged[:, j].any():
            pledged[rng.integers(len(codes)), j] = True
        who = np.flatnonzero(pledged[:, j])
        if not len(who):
            continue
        share = rng.exponential(1.0, len(who))
        total = demand.get(k, len(who)) * rng.uniform(0.6, 1.2)
        for i, s in zip(who, share / share.sum(), strict=True):
            own = rng.random() < 0.15
            given = rng.random() < 0.2
            ppu = int(round(cap["personnel_per_unit"] * rng.uniform(0.7, 1.3), -1)) if own else None
            size = ppu or cap["personnel_per_unit"]
            case.pledges[(codes[i], k)] = {
                "units": max(1, round(total * s)),
                "personnel_per_unit": ppu,
                "cost_per_unit": round(size * float(rng.uniform(500, 3000))) if given else None,
            }


# ---- the witness ------------------------------------------------------------------------------
class Witness:
    """A sparse allocation meeting every hard rule; caveats are drawn so that it stays valid."""

    def __init__(self, case: Case, rng: np.random.Generator) -> None:
        self.rng = rng
        self.available = [c["contributor"] for c in case.contributors if c["status"] == "available"]
        self.rem = {key: p["units"] for key, p in case.pledges.items() if key[0] in self.available}
        self.line = {key: r["units"] for key, r in case.requirements.items()}
        self.alloc: dict[tuple[str, str, str], int] = {}
        self.by_c: dict[str, dict[tuple[str, str], int]] = {}  # c -> {(k, s): units}
        self.category = {c["capability"]: c["category"] for c in case.capabilities}
        self.site = {s["site"]: s for s in case.sites}
        default = {c["capability"]: c["personnel_per_unit"] for c in case.capabilities}
        self.size = {
            key: p["personnel_per_unit"] or default[key[1]] for key, p in case.pledges.items()
        }
        self.pledgers: dict[str, list[str]] = {}
        for c, k in self.rem:
            self.pledgers.setdefault(k, []).append(c)

    def fill(self, lines: list[tuple[str, str]]) -> bool:
        """Meet these requirement lines in full, or change nothing and return False."""
        saved = (
            dict(self.rem),
            dict(self.line),
            dict(self.alloc),
            {c: dict(a) for c, a in self.by_c.items()},
        )
        for s, k in lines:
            if not self._fill_line(s, k):
                self.rem, self.line, self.alloc, self.by_c = saved
                return False
        return True

    def _fill_line(self, s: str, k: str) -> bool:
        need = self.line[(s, k)]
        who = [c for c in self.pledgers.get(k, []) if self.rem[(c, k)] > 0]
        if sum(self.rem[(c, k)] for c in who) < need:
            return False
        tie = self.rng.random(len(who))
        for _, _, c in sorted(zip([-self.rem[(c, k)] for c in who], tie, who, strict=True)):
            if need == 0:
                break
            self.add(c, k, s, min(need, self.rem[(c, k)]))
            need = self.line[(s, k)]
        return True

    def add(self, c: str, k: str, s: str, units: int) -> None:
        self.rem[(c, k)] -= units
        self.line[(s, k)] -= units
        self.alloc[(c, k, s)] = self.alloc.get((c, k, s), 0) + units
        mine = self.by_c.setdefault(c, {})
        mine[(k, s)] = mine.get((k, s), 0) + units

    def matching(self, c: str, f: Filter) -> list[tuple[str, str, int]]:
        """(capability, site, units) of c's witness allocations that the filter selects."""
        out = []
        for (k, s), units in self.by_c.get(c, {}).items():
            attrs = self.attrs(k, s)
            if all(attrs[col] == v for col, v in f.items()):
                out.append((k, s, units))
        return out

    def common(self, c: str) -> Filter:
        """A one-column filter that every witness allocation of c matches ({} if none)."""
        attrs = [self.attrs(k, s) for k, s in self.by_c.get(c, {})]
        for column in ("zone", "category", "country", "capability", "site"):
            values = sorted({a[column] for a in attrs})
            if len(values) == 1:
                return {column: values[0]}
        return {}

    def attrs(self, k: str, s: str) -> dict[str, str]:
        site = self.site[s]
        return {
            "capability": k,
            "category": self.category[k],
            "site": s,
            "zone": site["zone"],
            "country": site["country"],
        }

    def sites_of(self, c: str) -> set[str]:
        return {s for _, s in self.by_c.get(c, {})}

    def deploys(self, c: str) -> bool:
        return bool(self.by_c.get(c))


# ---- hard rules (met by the witness) --------------------------------------------------------------
def _no_weakening(case: Case, w: Witness, frontline: list[str]) -> None:
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


def _hard_lines(case: Case, w: Witness, rng: np.random.Generator) -> None:
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


def _min_units(case: Case, w: Witness, rng: np.random.Generator) -> None:
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
def _restricting(case: Case, w: Witness, rng: np.random.Generator) -> None:
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


def _site_and_line_limits(case: Case, w: Witness, rng: np.random.Generator) -> None:
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


# ---- writing ------------------------------------------------------------------------------------
def case_rows(case: Case) -> dict[str, list[dict[str, Any]]]:
    """The sheets' rows, keyed by sheet name."""
    yes = {True: "yes", False: "no"}
    unavailable = [c["contributor"] for c in case.contributors if c["status"] == "unavailable"]
    return {
        "Contributors": case.contributors,
        "Capabilities": case.capabilities,
        "Sites": case.sites,
        "Requirements": [
            {
                "site": s,
                "capability": k,
                **r,
                "hard": yes[r["hard"]],
                "single_source": yes[r["single_source"]],
            }
            for (s, k), r in case.requirements.items()
        ],
        "Pledges": [{"contributor": c, "capability": k, **p} for (c, k), p in case.pledges.items()],
        "Caveats": case.caveats,
        "Settings": [
            {"setting": "time_limit", "value": 60},
            {"setting": "mip_gap", "value": 1e-4},
            {"setting": "threads", "value": 1},
            {"setting": "seed", "value": 0},
        ],
        "Scenarios": [
            {
                "scenario": "all_available",
                "sheet": "Contributors",
                "key": c,
                "column": "status",
                "value": "available",
            }
            for c in unavailable
        ],
    }


def write_case(case: Case, path: Path) -> dict[str, int]:
    """Write the workbook atomically, byte-identical for the same case (openpyxl write-only mode:
    streams rows, fast on big cases)."""
    wb = Workbook(write_only=True)
    counts = {}
    for spec, (name, rows) in zip(INPUT_SHEETS, case_rows(case).items(), strict=True):
        assert spec.name == name
        if name == "Scenarios" and not rows:
            continue
        ws = wb.create_sheet(name)
        columns = [col.name for col in spec.columns]
        ws.append(columns)
        for row in rows:
            ws.append([row.get(col) for col in columns])
        counts[name] = len(rows)
    atomic_write(path, workbook_bytes(wb))
    return counts
