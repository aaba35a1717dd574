"""What a plan found while pricing says of base (solver/explain/pricing_floor.py), worked by
hand: rule R1's re-solve kept every rule and beat base by 8 at shortfall.p3; R2 is priced at 8
there (all of it may be base's slack), R3 at 10 (up to 8 of it), R4 at 8 in cost (another
stage: nothing said), R5's re-solve beat base by 5 at shortfall.p3 (the larger, 8, is said)."""

from __future__ import annotations

from solver.explain.pricing_floor import floor_remarks, improvable_row


def test_prices_at_a_stage_base_is_known_to_be_short_of_its_best() -> None:
    columns = ["costs.shortfall.p3", "costs.cost"]
    rows = [
        improvable_row("caveat R1", "", columns, ("shortfall.p3", 8.0)),
        {"rule": "caveat R2", "costs.shortfall.p3": 8.0, "costs.cost": 0.0, "summary": "R2"},
        {"rule": "caveat R3", "costs.shortfall.p3": 10.0, "costs.cost": 0.0, "summary": "R3"},
        {"rule": "caveat R4", "costs.shortfall.p3": 0.0, "costs.cost": 8.0, "summary": "R4"},
        improvable_row("caveat R5", "", columns, ("shortfall.p3", 5.0)),
    ]

    def priced_stage(row: dict) -> str | None:
        if "_beaten" in row:
            return None
        return "shortfall.p3" if row["costs.shortfall.p3"] else "cost"

    floor_remarks(rows, priced_stage)
    said = "; base's shortfall.p3 is at least 8 from its best (the plan found while pricing "
    said += "caveat R1 keeps every rule and is that much better): "
    assert (
        rows[1]["summary"] == f"R2{said}all of this price may be base's own slack, not the rule's"
    )
    assert rows[2]["summary"] == (
        f"R3{said}up to that of this price may be base's own slack, not the rule's"
    )
    assert rows[3]["summary"] == "R4"
    assert "(shortfall.p3 by 5)" in rows[4]["summary"]
