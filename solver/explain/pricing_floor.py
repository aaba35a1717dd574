"""What a plan found while pricing says of base: a re-solve without a rule whose plan keeps that
rule and beats base's is a better plan of base's own problem, so base is at least that far
from its best at the first stage where they differ, and a price of that size at that stage may
be base's own slack, not the rule's (an analyst trial: ten caveats of the timed example each
priced at 8 priority-3 unit-months beside three `not priced: base not optimal`, a plan 8
better than base's found while pricing them).

For stage values v (the re-solve's) and b (base's) in the lexicographic order of the stages,
the first stage s with |v_s - b_s| > tol * max(1, |b_s|) decides: the plan is better when
v_s < b_s, by b_s - v_s; tol is base's MIP gap (at least 1e-6), within which base's own proof
allows a difference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# a re-solve's plan that keeps the rule lifted and beats base's: the difference is the search's
BASE_IMPROVABLE = "not priced: base not optimal"


def beaten_by(
    values: Mapping[str, float], base: Mapping[str, float], stages: Sequence[str], tolerance: float
) -> tuple[str, float] | None:
    """(stage, by how much) where `values` beat `base` at the first stage where they differ
    beyond `tolerance` (module docstring), else None; `stages` are `objective.<stage>` keys."""
    for key in stages:
        before, after = base.get(key), values.get(key)
        if before is None or after is None:
            return None
        if abs(float(after) - float(before)) > tolerance * max(1.0, abs(float(before))):
            if float(after) >= float(before):
                return None
            return key.removeprefix("objective."), round(float(before) - float(after), 6)
    return None


def number_text(value: float) -> str:
    """`8`, `63,400,120`, `0.5`: a whole amount with thousands separators, else as it is."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"


def improvable_row(
    rule: str, description: str, columns: list[str], beaten: tuple[str, float]
) -> dict[str, Any]:
    """The row of a rule whose re-solve found base's plan not optimal: no price; `_beaten`
    (dropped from the table) carries the stage and the amount for `floor_remarks`."""
    stage, by = beaten
    return {
        "rule": rule,
        "description": description,
        "status": BASE_IMPROVABLE,
        **dict.fromkeys(columns),
        "changes": "",
        "summary": (
            f"{rule}: no price: the plan found without it keeps it too and is better than base's "
            f"({stage} by {number_text(by)}), so base's plan is not optimal (raise the time or "
            "work limit)"
        ),
        "_beaten": beaten,
    }


def floor_remarks(rows: list[dict[str, Any]], priced_stage: Any) -> None:
    """To each priced row whose price lands on a stage where a plan found while pricing beat
    base's, add how much of it may be base's own slack (in place): all of it where the price
    is no more than that, else up to that; `priced_stage(row)` gives the stage a row's price
    lands on, or None."""
    floors: dict[str, tuple[float, str]] = {}
    for row in rows:
        if "_beaten" in row:
            stage, by = row["_beaten"]
            if by > floors.get(stage, (0.0, ""))[0]:
                floors[stage] = (by, str(row["rule"]))
    for row in rows:
        stage = priced_stage(row)
        if stage not in floors:
            continue
        floor, who = floors[stage]
        share = "all" if float(row[f"costs.{stage}"]) <= floor * (1 + 1e-9) else "up to that"
        row["summary"] += (
            f"; base's {stage} is at least {number_text(floor)} from its best (the plan found "
            f"while pricing {who} keeps every rule and is that much better): {share} of this "
            "price may be base's own slack, not the rule's"
        )
