"""Entries that can never take part in a plan: legal, but a planner who listed them expects them
to (two planner trials listed a nation and a site that no plan could use, and no word said so).

    a contributor c (status available) is idle when no Pledges row names it;
    a site s is idle when no Requirements row names it.

Warnings, each at its own cell:

- an idle contributor named by no caveat's `other`: at its `contributor` cell, `can never
  deploy`. One named as the `other` of a caveat is listed on purpose, and not warned about
  there: of a `not_with`, to keep others away from it (such a caveat simply never binds);
- of a caveat r of an available contributor c that pledges, whose kind waits for its
  `other` (`waits_for_other`: `requires`, "only if `other` deploys at least one unit", which an
  idle `other` never does): at r's `other` cell, since r then keeps c from deploying anything r
  matches. Of an unavailable or idle c, nothing more: c deploys nothing anyway (a review saw
  two warnings of one such caveat).
- an idle site: at its `site` cell, `nothing can be sent there`.

`validate` and every solve say them (io/validate.py), per scenario as read: a scenario that
drops a nation's last pledge gets them too.
"""

from __future__ import annotations

from ..caveats import KINDS
from ..data import Data
from ..errors import Issues


def warn_idle(data: Data, issues: Issues) -> None:
    """The module's warnings (none where every contributor pledges and every site is required)."""
    pledging = set(data.pledges["contributor"])
    available = data.contributors["status"] == "available"
    idle = data.contributors[available & ~data.contributors["contributor"].isin(pledging)]
    waiting = [name for name, kind in KINDS.items() if kind.waits_for_other]
    waits = data.caveats[data.caveats["caveat"].isin(waiting)]
    named_other = set(data.caveats["other"].dropna())
    for row in idle.to_dict("records"):
        if row["contributor"] not in named_other:
            issues.warn(
                _at(row, "contributor", "Contributors"),
                f"{row['contributor']} pledges nothing (no Pledges row names it), so it can "
                f"never deploy: add its pledges on the Pledges sheet, or drop it",
            )
    deploying = set(data.available) & pledging  # one of any other c says nothing more
    binding = waits["other"].isin(set(idle["contributor"])) & waits["contributor"].isin(deploying)
    for row in waits[binding].to_dict("records"):
        issues.warn(
            _at(row, "other", "Caveats"),
            f"caveat {row['id']} ({row['contributor']} {row['caveat']} {row['other']}): "
            f"{row['other']} pledges nothing (no Pledges row names it), so it never deploys "
            f"and {row['contributor']} can never deploy what the caveat matches: add "
            f"{row['other']}'s pledges, or remove the caveat",
        )
    required = set(data.requirements["site"])
    for row in data.sites[~data.sites["site"].isin(required)].to_dict("records"):
        issues.warn(
            _at(row, "site", "Sites"),
            f"site {row['site']} has no requirement line (no Requirements row names it), so "
            f"nothing can be sent there: add its lines on the Requirements sheet, or drop it",
        )


def _at(row: dict, column: str, sheet: str) -> str:
    """The row's cell of `column`; a row a scenario added may have none: its sheet."""
    at = row.get(f"_at_{column}")
    return str(at) if isinstance(at, str) and at else sheet
