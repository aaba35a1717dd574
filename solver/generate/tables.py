"""The base tables of a synthetic case: contributors, capabilities, sites, requirements, pledges."""

from __future__ import annotations

import numpy as np

from .case import CATEGORIES, UKR_ZONES, UNIT_SIZE, Case


def add_contributors(case: Case, rng: np.random.Generator, n: int, n_sites: int) -> list[str]:
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


def add_capabilities(case: Case, rng: np.random.Generator, k: int) -> None:
    """Capabilities cycling through the categories, each with a unit size drawn for its category."""
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


def add_sites(case: Case, rng: np.random.Generator, n: int, frontline: list[str]) -> None:
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


def add_requirements(case: Case, rng: np.random.Generator, density: float) -> None:
    """About `density` of the (site, capability) pairs required (at least one per site)."""
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


def add_pledges(case: Case, rng: np.random.Generator, density: float) -> None:
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
        for i, s in zip(who.tolist(), share / share.sum(), strict=True):
            own = rng.random() < 0.15
            given = rng.random() < 0.2
            ppu = int(round(cap["personnel_per_unit"] * rng.uniform(0.7, 1.3), -1)) if own else None
            size = ppu or cap["personnel_per_unit"]
            case.pledges[(codes[i], k)] = {
                "units": max(1, round(total * s)),
                "personnel_per_unit": ppu,
                "cost_per_unit": round(size * float(rng.uniform(500, 3000))) if given else None,
            }
