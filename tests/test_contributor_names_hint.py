"""A contributor typed by its nation's name, or near it, where the sheets name it by its code:
the did-you-mean looks at the Contributors sheet's `name` too (`io/refs.suggest_contributor`),
in the workbook's own sheets, a plan `verify` reads and a re-plan's baseline file (a planner
trial: `Austrlia` typed over AUS in a baseline asked AUS to add the unit it held, and the
warning gave no hint).

World: AUS (Australia), AUT (Austria) and DEU (Germany) pledge 1 INF each at cost 1; S1
requires 3.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from solver import api
from solver.cli import main
from solver.errors import InputError

from .workbooks import simple_case

NATIONS = {"AUS": "Australia", "AUT": "Austria", "DEU": "Germany"}


def nations_case(path: Path, pledged_by: list[str] | None = None) -> Path:
    return simple_case(
        path,
        contributors=[
            {"contributor": code, "name": name, "lat": 0, "lon": 0}
            for code, name in NATIONS.items()
        ],
        sites=[{"site": "S1", "country": "X", "zone": "front", "lat": 0, "lon": 0}],
        requirements=[{"site": "S1", "capability": "INF", "units": 3}],
        pledges=[
            {"contributor": c, "capability": "INF", "units": 1, "cost_per_unit": 1}
            for c in (pledged_by or list(NATIONS))
        ],
    )


def test_a_pledge_by_a_nation_s_name_is_pointed_at_its_code(tmp_path: Path) -> None:
    """Pledges rows 2-4: `Germany` (DEU's name, exactly), `Austrlia` (as near Australia as
    Austria: both said), `Xyz` (near nothing: no hint)."""
    path = nations_case(tmp_path / "case.xlsx", ["Germany", "Austrlia", "Xyz"])
    with pytest.raises(InputError) as info:
        api.read(path)
    assert [str(e) for e in info.value.errors] == [
        "Pledges!A2: contributor 'Germany' is not on the Contributors sheet (did you mean 'DEU'? "
        "'Germany' is its name; the sheets name it by its code)",
        "Pledges!A3: contributor 'Austrlia' is not on the Contributors sheet (did you mean "
        "'AUS' (Australia) or 'AUT' (Austria)?)",
        "Pledges!A4: contributor 'Xyz' is not on the Contributors sheet",
    ]


def _plan_with(tmp_path: Path, typed: str) -> tuple[Path, Path]:
    """The case and its solved plan, the Allocation row of AUS retyped `typed`."""
    case = nations_case(tmp_path / "case.xlsx")
    plan = tmp_path / "plan.xlsx"
    api.write(api.solve(case), plan)
    book = load_workbook(plan)
    sheet = book["Allocation"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "AUS")
    sheet.cell(row, 1).value = typed
    book.save(plan)
    return case, plan


def test_a_baseline_row_retyped_near_a_nation_s_name_says_which(tmp_path: Path) -> None:
    """`Australia` typed over AUS in the plan taken as the baseline: still a key gone (its unit
    changes, as the contract's reading of a baseline keeps it), now with the nation named."""
    case, plan = _plan_with(tmp_path, "Australia")
    data = api.read(case)
    api.read_baseline(plan, data)
    assert [str(w) for w in data.warnings if w.where.startswith("plan.xlsx")] == [
        "warning: plan.xlsx Allocation!A2: contributor 'Australia' is not on the Contributors "
        "sheet of the workbook (did you mean 'AUS'? 'Australia' is its name; the sheets name it "
        "by its code): its 1 unit changes"
    ]


def test_verify_of_a_plan_with_a_nation_s_name_points_at_its_code(tmp_path: Path) -> None:
    case, plan = _plan_with(tmp_path, "Australa")
    result = CliRunner().invoke(main, ["verify", str(case), str(plan)])
    assert result.exit_code == 2
    assert (
        "error: Allocation!A2: contributor 'Australa' is not on the Contributors sheet of the "
        "input (did you mean 'AUS' (Australia)?)"
    ) in result.output


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Denmark", "DNK"),  # by spelling nearer MAR (ratio 0.6) than its own code
        ("Ireland", "IRL"),  # not IRN
        ("Finlnd", "FIN"),  # a misspelt name: not NLD
        ("Moroco", "MAR"),
        ("DNKK", "DNK"),  # a code's typo stays a code's
    ],
)
def test_a_name_is_not_taken_for_a_code_it_happens_to_spell_like(typed: str, meant: str) -> None:
    """A review: the codes' hint came first, and a nation's name is about as near some other
    3-letter code by spelling (`Denmark` -> MAR, `Finland` -> NLD): a word longer than the
    codes looks at the names first."""
    import pandas as pd

    from solver.io.refs import suggest_contributor

    names = {
        "DNK": "Denmark",
        "MAR": "Morocco",
        "IRL": "Ireland",
        "IRN": "Iran",
        "FIN": "Finland",
        "NLD": "Netherlands",
    }
    contributors = pd.DataFrame({"contributor": list(names), "name": list(names.values())})
    said = suggest_contributor(typed, list(names), contributors)
    assert said.startswith(f" (did you mean '{meant}'"), said
    assert said.count("did you mean") == 1 and said.count("'") in (2, 4), said
