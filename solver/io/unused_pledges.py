"""Pledges no plan can use: legal, but what a planner who typed them expects to count does not
(a planner trial's workbook pledged SOF_TM that no line required, and no word said so).

    a pledge p of capability k (units > 0, its contributor available) is unused when no line
    requires k in any period: no option of p exists, whatever the caveats.

One warning per capability at its first pledge's `capability` cell, naming the pledges;
`validate` and every solve say it (io/validate.py). A contributor who pledges nothing, or a
site that requires nothing, is io/idle_entries.py's.
"""

from __future__ import annotations

from ..data import Data, requiring
from ..errors import Issues
from ..wording import count, shortened

LISTED = 6  # pledges named, then `and N more`


def warn_unused(data: Data, issues: Issues) -> None:
    """The module's warning, per capability no line requires (none where every pledge can
    serve a line)."""
    pledges = data.pledges[
        (data.pledges["units"] > 0) & data.pledges["contributor"].isin(data.available)
    ]
    required = set(data.requirements.loc[requiring(data), "capability"])
    for capability, rows in pledges[~pledges["capability"].isin(required)].groupby(
        "capability", sort=False
    ):
        named = [
            f"{c} {count(u, 'unit')}"
            for c, u in zip(rows["contributor"], rows["units"], strict=True)
        ]
        issues.warn(
            str(rows["_at_capability"].iloc[0]) if "_at_capability" in rows else "Pledges",
            f"no line requires {capability}, so its {count(len(rows), 'pledge')} "
            f"({shortened(named, LISTED)}) can never be deployed: add a requirement line of "
            f"{capability}, or check the pledge's capability",
        )
