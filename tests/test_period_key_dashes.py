"""A period key typed with a dash that is not a hyphen (`2027–02`, an en dash pasted from a
document) names the period `2027-02`, with a warning at its cell, on the Periods sheet and in
every window that names a period (docs/workbook.md, "keys and text")."""

from __future__ import annotations

from pathlib import Path

from .time_input_case import read, timed, warnings

MONTHS = [{"period": f"2027-0{m}"} for m in range(1, 6)]


def test_an_en_dash_in_a_window_names_the_period_with_a_warning(tmp_path: Path) -> None:
    """A's pledge runs from 2027–02 (en dash) to 2027−04 (minus sign): read as 2027-02..2027-04
    (the pledge's window is periods 1..3, counted from 0), each cell warned of."""
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 2, "from": "2027\u201302"},
        {"contributor": "B", "capability": "INF", "units": 2, "to": "2027\u221204"},
    ]
    path = timed(tmp_path, periods=MONTHS, pledges=pledges)
    data = read(path)
    pledge = data.pledges.set_index("contributor")
    assert pledge.loc["A", "from"] == "2027-02"
    assert pledge.loc["B", "to"] == "2027-04"
    said = warnings(path)
    assert (
        "warning: Pledges!F2: from '2027\u201302' has a dash that is not a hyphen (U+2013 EN "
        "DASH); read as '2027-02' (retype it to silence this warning)"
    ) in said, said
    assert any(w.startswith("warning: Pledges!G3: to '2027\u221204' has a dash") for w in said)


def test_a_periods_sheet_typed_with_en_dashes_reads_as_hyphens(tmp_path: Path) -> None:
    """The Periods sheet itself typed `2027–01`..: its keys read `2027-01`.., so a window typed
    with hyphens names them."""
    periods = [{"period": f"2027\u20130{m}"} for m in range(1, 6)]
    pledges = [{"contributor": "A", "capability": "INF", "units": 2, "from": "2027-03"}]
    data = read(timed(tmp_path, periods=periods, pledges=pledges))
    assert list(data.periods["period"]) == [f"2027-0{m}" for m in range(1, 6)]
