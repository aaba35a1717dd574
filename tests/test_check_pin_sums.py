"""A pin that disagrees with itself (solver/check/pin_sums.py) is refused as edited or damaged,
which of its rows was edited alike: invalid input, exit 2, as a pin of another shape is. A CI
trial edited a timed pin's coverage row (allocated 0, shortfall 1) and read `coverage ...
allocated pinned 0, now 1`, a regression of forcegen's; then it failed as edited, but with the
exit code of a regression (5)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from solver.check.pin_sums import check_sums, pin_disagrees
from solver.check.pins import PinError

from .check_case import PINS, _edit_pin, check

DAMAGED = "the pin was edited or damaged (check --update pins the answer again)"


def _gbr_late() -> dict[str, Any]:
    """The reference timed pin's scenario gbr_late (one unit of USA's AD_BTY at Kyiv a month)."""
    pin = json.loads((PINS / "rotation.json").read_text(encoding="utf-8"))
    return pin["scenarios"]["gbr_late"]


def _refused(scenario: dict[str, Any]) -> str:
    """The refusal of a pin holding `scenario` as gbr_late (`check_sums`), after `x.json: `."""
    with pytest.raises(PinError) as info:
        check_sums({"scenarios": {"gbr_late": scenario}}, Path("x.json"))
    text = str(info.value)
    assert text.startswith("x.json: scenario 'gbr_late': "), text
    return text.removeprefix("x.json: scenario 'gbr_late': ")


def test_a_coverage_row_edited_says_the_pin_was_edited() -> None:
    """The trial's edit: Kyiv/AD_BTY/2027-01 allocated 0, shortfall 1 (required 1: the row
    agrees with itself), its allocation row (1 unit) and the stages left as they were."""
    edited = copy.deepcopy(_gbr_late())
    edited["coverage"]["Kyiv/AD_BTY/2027-01"].update(allocated=0, shortfall=1)
    assert _refused(edited) == (
        "the pin does not add up (coverage Kyiv/AD_BTY/2027-01 allocated 0, its allocation "
        f"there 1 unit): {DAMAGED}"
    )


def test_an_allocation_row_deleted_names_its_line_too() -> None:
    """The mirror: the allocation row gone, the coverage row left; said the same way."""
    edited = copy.deepcopy(_gbr_late())
    del edited["allocation"]["USA/AD_BTY/Kyiv/2027-01"]
    assert _refused(edited) == (
        "the pin does not add up (coverage Kyiv/AD_BTY/2027-01 allocated 1, its allocation "
        f"there 0 units): {DAMAGED}"
    )


def test_a_shortfall_edited_alone_is_said() -> None:
    edited = copy.deepcopy(_gbr_late())
    edited["coverage"]["Kyiv/AD_BTY/2027-03"]["shortfall"] = 1
    assert _refused(edited) == (
        "the pin does not add up (coverage Kyiv/AD_BTY/2027-03 shortfall 1 with required 1 and "
        f"allocated 1): {DAMAGED}"
    )


def test_many_rows_that_disagree_are_counted_past_the_first_three() -> None:
    edited = copy.deepcopy(_gbr_late())
    for key in [k for k in edited["allocation"] if k.startswith("USA/AD_BTY/Kyiv/")][:5]:
        del edited["allocation"][key]
    text = _refused(edited)
    assert text.endswith(f"; and 2 more): {DAMAGED}")
    assert text.count("its allocation there 0 units") == 3


@pytest.mark.parametrize("path", sorted(PINS.glob("*.json")), ids=lambda p: p.stem)
def test_every_reference_pin_agrees_with_itself(path: Path) -> None:
    """Snapshot, timed and infeasible pins as forcegen writes them: nothing said."""
    pin = json.loads(path.read_text(encoding="utf-8"))
    assert {name: pin_disagrees(s) for name, s in pin["scenarios"].items()} == {
        name: "" for name in pin["scenarios"]
    }


def test_names_holding_a_slash_are_matched_or_left_unchecked() -> None:
    """A site `Lviv/North`: its allocation row `POL/INF/Lviv/North` is at `Lviv/North/INF`
    (no other split is a coverage row); where two splits are, the sums are not checked."""
    row = {"required": 2, "allocated": 2, "shortfall": 0}
    pin = {"coverage": {"Lviv/North/INF": row}, "allocation": {"POL/INF/Lviv/North": {"units": 2}}}
    assert pin_disagrees(pin) == ""
    pin["allocation"]["POL/INF/Lviv/North"]["units"] = 1
    assert "coverage Lviv/North/INF allocated 2, its allocation there 1 unit" in pin_disagrees(pin)
    both = {"Lviv/North/INF": row, "North/INF/Lviv": {**row, "allocated": 0, "shortfall": 2}}
    assert (
        pin_disagrees({"coverage": both, "allocation": {"POL/INF/Lviv/North": {"units": 9}}}) == ""
    )


def test_a_coverage_row_edited_fails_the_check_so(pinned: Path) -> None:
    """End to end: tight's Odesa/INF_BN pinned as 1 allocated, 1 short, its allocation (GBR's
    2 units) left: exit 2, the pin refused for its own disagreement; --update re-pins it."""
    _edit_pin(
        pinned / "tight.json",
        lambda pin: pin["scenarios"]["base"]["coverage"]["Odesa/INF_BN"].update(
            allocated=1, shortfall=1
        ),
    )
    result = check(pinned / "tight.xlsx")
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "FAIL" not in text and "tight/-" in text, result.output
    assert (
        "tight.json: scenario 'base': the pin does not add up (coverage Odesa/INF_BN allocated "
        f"1, its allocation there 2 units): {DAMAGED}"
    ) in text
    assert check("--update", pinned / "tight.xlsx").exit_code == 0
    assert check(pinned / "tight.xlsx").exit_code == 0
