"""The witness: a sparse allocation, built first, that every generated caveat must leave valid."""

from __future__ import annotations

import numpy as np

from .case import Case, Filter


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
        """Allocate `units` of c's capability k to site s."""
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
        """The filter columns' values of capability k at site s."""
        site = self.site[s]
        return {
            "capability": k,
            "category": self.category[k],
            "site": s,
            "zone": site["zone"],
            "country": site["country"],
        }

    def sites_of(self, c: str) -> set[str]:
        """The sites where c's witness allocations are."""
        return {s for _, s in self.by_c.get(c, {})}

    def deploys(self, c: str) -> bool:
        """Whether c has any witness allocation."""
        return bool(self.by_c.get(c))
