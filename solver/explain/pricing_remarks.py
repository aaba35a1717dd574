"""The Caveats sheet's remark where a caveat's `binding` and its price (CaveatPrices,
explain/pricing.py) seem to disagree."""

from __future__ import annotations

import pandas as pd


def remark_disagreements(
    caveats: pd.DataFrame, prices: pd.DataFrame, base_status: str = "optimal"
) -> pd.DataFrame:
    """The Caveats sheet with a remark where `binding` and the caveat's price seem to disagree:
    `binding` says whether the caveat holds back a unit that could fill a gap in this plan (each
    kind's binding rule), the price what lifting it gains at any stage, cost and presence
    included. So a caveat may cost without binding (`no`, priced: GRC's maritime-only pledge
    sends a farther unit) or bind without costing (`yes`, costs nothing: another plan as good
    does without it); the remark says which, and points to the price. A rule priced for a group
    (`caveat C9+C10`, lifted together) speaks for each of its caveats; against a base not proven
    optimal the remark says so. Idempotent: a remark already there is not added again."""
    if not len(caveats) or not len(prices) or "rule" not in prices:
        return caveats
    priced: dict[str, dict] = {}
    for row in prices.to_dict("records"):
        if str(row.get("status")) != "optimal" or not str(row.get("rule")).startswith("caveat "):
            continue
        for cid in str(row["rule"]).removeprefix("caveat ").split("+"):
            priced[cid] = row
    stages = [c for c in prices.columns if str(c).startswith("costs.")]
    unproven = "" if base_status == "optimal" else " (against a base not proven optimal)"
    remarks = []
    for cid, binding, remark in zip(
        caveats["id"], caveats["binding"], caveats["remark"], strict=True
    ):
        row = priced.get(str(cid))
        said = "" if row is None else _disagreement(str(binding), row, stages)
        said += unproven if said else ""
        kept = str(remark or "")
        remarks.append(kept if said in kept else "; ".join(filter(None, [kept, said])))
    return caveats.assign(remark=remarks)


def _disagreement(binding: str, row: dict, stages: list[str]) -> str:
    """A gain at some stage counts as a price (a stage made worse by the lift is the search's,
    as `_summary` reads it). A caveat `binding` no whose lift gains at a shortfall stage keeps
    no unit of this plan out (its kind's binding rule), yet rules out a plan with less
    shortfall: said so, not "not binding on the shortfall" beside a shortfall price."""
    gained = [s for s in stages if float(row.get(s) or 0.0) > 1e-9]
    gains = bool(gained)
    if binding == "no" and any(s.startswith("costs.shortfall.") for s in gained):
        return (
            f"binding no by its rule (no unit of this plan is held back by it), yet priced: "
            f"{row.get('summary')} (CaveatPrices): it rules out a plan with less shortfall"
        )
    if binding == "no" and gains:
        return f"not binding on the shortfall, yet priced: {row.get('summary')} (CaveatPrices)"
    if binding == "yes" and not gains:
        return "binding in this plan, yet a plan as good does without it (CaveatPrices)"
    return ""
