"""Why a baseline row cannot stay, said alike for a locked row (Infeasibility) and an unlocked
one (Changes): a pledge of 0 or gone, a line below the units, a contributor or site gone
(`replanning.md`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from solver import api
from solver.errors import InputError

from .baseline_infeasible_case import locked
from .baseline_input_case import dropping_case
from .workbooks import simple_case


def _why_unlocked_and_locked(tmp_path: Path, pledges: list[dict]) -> tuple[str, str]:
    """A's 1 INF at S1 in the baseline of simple_case with `pledges`: the Changes sheet's `why`
    of the row unlocked, and the Infeasibility sheet's text of the row locked."""
    unlocked = api.solve(
        simple_case(tmp_path / "u.xlsx", pledges=pledges, baseline=[locked(1, lock="no")])
    )
    changes = unlocked.tables.extra["Changes"]
    (why,) = changes[changes["contributor"] == "A"]["why"].tolist()
    stuck = api.solve(simple_case(tmp_path / "l.xlsx", pledges=pledges, baseline=[locked(1)]))
    assert stuck.status == "infeasible" and stuck.conflict is not None
    (text,) = [t for _, t in stuck.conflict.rules if t.startswith("locked:")]
    return why, text


def test_a_pledge_of_zero_on_both_sheets(tmp_path: Path) -> None:
    """A's pledge row of INF is still there with 0 units (B pledges 2): A's baseline unit at S1
    cannot stay above it. Changes (unlocked) and Infeasibility (locked) say the same; "does not
    pledge" would be false, the pledge row exists. A Baseline sheet may never have fitted the
    pledge, so neither says it changed ("is now 0": test_replan_wording.py)."""
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 0, "cost_per_unit": 1},
        {"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1},
    ]
    why, text = _why_unlocked_and_locked(tmp_path, pledges)
    assert why == "the baseline has 1 unit of A's INF, more than its pledge of 0"
    assert text == (
        "locked: A 1 INF at S1 — the baseline locks 1 unit of A's INF, more than its pledge of 0 "
        "(Baseline!A2)"
    )


def test_a_pledge_row_gone_on_both_sheets(tmp_path: Path) -> None:
    """A has no pledge row of INF at all (B pledges 2): both sheets say A does not pledge it
    (not "no longer": a Baseline sheet's row may never have had a pledge)."""
    pledges = [{"contributor": "B", "capability": "INF", "units": 2, "cost_per_unit": 1}]
    why, text = _why_unlocked_and_locked(tmp_path, pledges)
    assert why == "A does not pledge INF"
    assert text == "locked: A 1 INF at S1 — A does not pledge INF (Baseline!A2)"


def test_a_line_below_the_locked_units_now_requires_on_both_sheets(tmp_path: Path) -> None:
    """S1 requires only 1 INF; the baseline held A's 2 there. Unlocked, the Changes sheet says
    why one goes; locked, the Infeasibility sheet says the same of the 2 that cannot stay."""
    requirements = [
        {"site": "S1", "capability": "INF", "units": 1},
        {"site": "S2", "capability": "INF", "units": 2},
    ]
    unlocked = api.solve(
        simple_case(tmp_path / "u.xlsx", requirements=requirements, baseline=[locked(2, lock="no")])
    )
    changes = unlocked.tables.extra["Changes"]
    assert changes[changes["site"] == "S1"]["why"].tolist() == ["S1 requires only 1 INF"]
    stuck = api.solve(
        simple_case(tmp_path / "l.xlsx", requirements=requirements, baseline=[locked(2)])
    )
    assert stuck.status == "infeasible" and stuck.conflict is not None
    assert [t for _, t in stuck.conflict.rules if t.startswith("locked:")] == [
        "locked: A 2 INF at S1 — S1 requires only 1 INF (Baseline!A2)"
    ]


def test_a_contributor_gone_is_no_longer_a_contributor_on_both_sheets(tmp_path: Path) -> None:
    """simple_case's plan (A S1 2, B S2 2) is the baseline of a workbook without B (A pledges
    4): B's 2 units at S2 cannot stay. Unlocked, the Changes sheet says why. With B's row
    locked in the file, a lock that can never hold: an error at its cell (it was an infeasible
    solve); under a scenario dropping B (b_gone) the workbook has B, and the Infeasibility
    sheet says what the Changes sheet says."""
    plan = tmp_path / "plan.xlsx"
    api.write(api.solve(simple_case(tmp_path / "first.xlsx")), plan)
    without_b = simple_case(
        tmp_path / "new.xlsx",
        contributors=[{"contributor": "A", "lat": 0, "lon": 0}],
        pledges=[{"contributor": "A", "capability": "INF", "units": 4, "cost_per_unit": 1}],
    )
    changes = api.solve(without_b, baseline=plan).tables.extra["Changes"]
    assert changes[changes["contributor"] == "B"]["why"].tolist() == [
        "B is no longer a contributor"
    ]
    wb = load_workbook(plan)
    wb["Allocation"]["F1"], wb["Allocation"]["F3"] = "lock", "yes"  # row 3: B INF S2 2
    wb.save(plan)
    with pytest.raises(InputError) as info:
        api.solve(without_b, baseline=plan)
    assert [e.where for e in info.value.errors] == ["plan.xlsx Allocation!A3"]
    assert "the row is locked" in info.value.errors[0].message
    stuck = api.solve(api.read(dropping_case(tmp_path, []), "b_gone"), baseline=plan)
    assert stuck.status == "infeasible" and stuck.conflict is not None
    assert [t for _, t in stuck.conflict.rules if t.startswith("locked:")] == [
        "locked: B 2 INF at S2 — B is no longer a contributor (plan.xlsx Allocation!A3)"
    ]


def test_a_site_typed_by_hand_is_not_a_site_on_both_sheets(tmp_path: Path) -> None:
    """simple_case's plan (A S1 2, B S2 2) with A's row moved by hand to S3, a site the
    workbook does not have (a baseline file's unknown site is a warning): unlocked, the Changes
    sheet says A's 2 at S3 cannot stay because S3 is not a site. It said `S3 no longer requires
    INF` (a trial), as if the site were there and its line gone; then `S3 is no longer a
    site`, as if the workbook had dropped it (the plan is edited: S3 was never a site).
    Locked, the row is an error at its site cell (a lock that can never hold)."""
    case = simple_case(tmp_path / "case.xlsx")
    plan = tmp_path / "plan.xlsx"
    api.write(api.solve(case), plan)
    wb = load_workbook(plan)
    assert [c.value for c in wb["Allocation"][2]][:4] == ["A", "INF", "S1", 2]
    wb["Allocation"]["C2"] = "S3"
    wb.save(plan)
    changes = api.solve(case, baseline=plan).tables.extra["Changes"]
    assert changes[changes["site"] == "S3"]["why"].tolist() == [
        "the baseline has A's INF at S3, but S3 is not a site"
    ]
    wb["Allocation"]["F1"], wb["Allocation"]["F2"] = "lock", "yes"
    wb.save(plan)
    with pytest.raises(InputError) as info:
        api.solve(case, baseline=plan)
    assert [str(e) for e in info.value.errors] == [
        "plan.xlsx Allocation!C2: site 'S3' is not on the Sites sheet of the workbook, and the "
        "row is locked: a lock can only keep units of a site the workbook has; correct the "
        "site, or unlock the row (its units are then withdrawn)"
    ]
