"""A caveat row that repeats another in every column of its rule (all but its `id` and
`note`): it adds nothing, so it is most likely a row pasted twice, or one meant to be edited
and left as it was (a trial's C24, a copy of C1, was listed as binding with it). Read as it is,
with a warning at its `id` cell naming the row it repeats."""

from __future__ import annotations

import pandas as pd

from ..data import is_blank
from ..errors import Issues
from .schema import CAVEATS

# the columns that make a caveat's rule: every column of the sheet but `id` and `note`
RULE_COLUMNS = tuple(c.name for c in CAVEATS.columns if c.name not in ("id", "note"))


def warn_repeated_caveats(caveats: pd.DataFrame, issues: Issues) -> None:
    """A warning at each caveat row whose rule an earlier row has (`RULE_COLUMNS`, blanks
    equal): `caveat C24 repeats caveat C1 (Caveats!A2) in every column but its id and note:
    it adds nothing; delete it, or change it to the rule meant`."""
    columns = [c for c in RULE_COLUMNS if c in caveats.columns]
    if len(caveats) < 2 or "id" not in caveats.columns:
        return
    first: dict[tuple[object, ...], tuple[str, str]] = {}
    for _, row in caveats.iterrows():
        rule = tuple(None if is_blank(row[c]) else _same(row[c]) for c in columns)
        at = str(row.get("_at_id") or row.get("_where") or "Caveats")
        if rule in first:
            earlier, where = first[rule]
            issues.warn(
                at,
                f"caveat {row['id']} repeats caveat {earlier} ({where}) in every column but its "
                "id and note: it adds nothing; delete it, or change it to the rule meant",
            )
        else:
            first[rule] = (str(row["id"]), at)


def _same(value: object) -> object:
    """A value as compared: a whole number typed 2 or 2.0 alike."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
