"""Caveat kinds, one module each, registered here in one place.

To add a kind, follow README's "Adding a caveat kind": its module (formula and symbol table in the
docstring, model, gap-text and generator hooks), an entry in `_KINDS` below, a rule in
`solver/verify/caveat_rules.py`, its test file and golden file in `tests/caveats/`.
`tests/caveats/test_registry.py` fails while a registered kind lacks any of these.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..data import Data, is_blank
from ..io.schema import CAVEAT_FILTERS
from .base import CaveatKind, SolutionView, ValueRule
from .exclude import Exclude
from .max_personnel import MaxPersonnel
from .max_sites import MaxSites
from .max_units import MaxUnits
from .min_contingent import MinContingent
from .min_units import MinUnits
from .no_weakening import NoWeakening
from .not_with import NotWith
from .only import Only
from .requires import Requires

# Order matters for `forbid`: exclusions first, then rules that react to what is left.
_KINDS: tuple[type[CaveatKind], ...] = (
    NoWeakening,
    Exclude,
    Only,
    MinContingent,
    Requires,
    MaxUnits,
    MaxPersonnel,
    MinUnits,
    MaxSites,
    NotWith,
)

KINDS: dict[str, CaveatKind] = {k.kind: k() for k in _KINDS}


def active_caveats(data: Data) -> dict[str, pd.DataFrame]:
    """Caveats by kind. A caveat of an unavailable contributor has no effect: it deploys nothing."""
    live = data.live_caveats()
    if not len(live):
        return dict.fromkeys(KINDS, live)
    # one split, rows in the sheet's order within each kind (a mask per kind cost ten)
    by_kind = {str(k): rows for k, rows in live.groupby("caveat", sort=False)}
    empty = live.iloc[:0]
    return {name: by_kind.get(name, empty) for name in KINDS}


def caveat_text(row: Mapping[str, Any]) -> str:
    """`A max_units site=S1 2`: a Caveats row's contributor, kind, filters, other and value, as
    the sheet gives them (blank cells left out)."""
    parts = [f"{f}={row[f]}" for f in CAVEAT_FILTERS if not is_blank(row.get(f))]
    if not is_blank(row.get("other")):
        parts.append(str(row["other"]))
    if not is_blank(row.get("value")):
        parts.append(f"{float(row['value']):g}")
    return " ".join([str(row["contributor"]), str(row["caveat"]), *parts])


def caveat_groups(caveats: pd.DataFrame) -> dict[str, list[str]]:
    """Each caveat id -> the ids of the restriction it is part of (`acting_together`: a
    contributor's `only` rows; every other caveat alone), in the sheet's order."""
    out: dict[str, list[str]] = {}
    for kind, rows in caveats.groupby("caveat", sort=False):
        for group in KINDS[str(kind)].acting_together(rows) if str(kind) in KINDS else []:
            for cid in group:
                out[cid] = group
    return out


__all__ = [
    "KINDS",
    "CaveatKind",
    "SolutionView",
    "ValueRule",
    "active_caveats",
    "caveat_groups",
    "caveat_text",
]
