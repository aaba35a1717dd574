"""Every problem of a row at once: a row dropped for one bad cell still has its other cells
checked in the same run (the brief: "all errors at once"; docs/workbook.md: a dropped row
"still has ... its period cells checked"). A planner trial fixed one error and met the next
on the second run: a `to` behind a bad `from`, the window of a row repeating a key, a
caveat's own value behind an unknown contributor."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.errors import InputError

from .time_input_case import problems, read, timed


def _cells(found: list[str]) -> list[str]:
    return sorted(e.split(":")[0] for e in found)


def test_a_bad_from_hides_no_bad_to(tmp_path: Path) -> None:
    """A line's and a pledge's `from` 'zzz' and `to` 'yyy', neither a period: both cells are
    errors (only `from` was said, the row dropped before its `to` was read)."""
    window = {"from": "zzz", "to": "yyy"}
    found = problems(
        timed(
            tmp_path,
            requirements=[{"site": "S1", "capability": "INF", "units": 2, **window}],
            pledges=[{"contributor": "A", "capability": "INF", "units": 2, **window}],
        )
    )
    assert found == [
        "Requirements!H2: from 'zzz' is not on the Periods sheet",
        "Requirements!I2: to 'yyy' is not on the Periods sheet",
        "Pledges!F2: from 'zzz' is not on the Periods sheet",
        "Pledges!G2: to 'yyy' is not on the Periods sheet",
    ]


def test_a_row_repeating_a_key_has_its_window_checked(tmp_path: Path) -> None:
    """A second A/INF pledge with `from` 'zzz' and `to` 'yyy': the duplicate and both window
    cells (only the duplicate was said)."""
    pledges = [
        {"contributor": "A", "capability": "INF", "units": 2, "from": None, "to": None},
        {"contributor": "A", "capability": "INF", "units": 1, "from": "zzz", "to": "yyy"},
    ]
    found = problems(timed(tmp_path, pledges=pledges))
    assert _cells(found) == ["Pledges!A3", "Pledges!F3", "Pledges!G3"], found
    assert found[0].startswith("Pledges!A3: duplicate contributor/capability 'A/INF'")


def test_a_caveat_row_dropped_for_its_keys_has_its_value_checked(tmp_path: Path) -> None:
    """Four caveats, each dropped for a key (an unknown contributor, an unknown capability, a
    `from` no period has, an id given twice), each with a bad cell of its own: 8 errors (4
    were said: the kind's own checks ran on the rows kept only)."""
    caveats = [
        {"id": "K1", "contributor": "QQQ", "caveat": "max_units", "capability": None},
        {"id": "K2", "contributor": "A", "caveat": "requires", "capability": "XX"},
        {"id": "K3", "contributor": "A", "caveat": "min_units", "value": -1, "from": "zzz"},
        {"id": "K3", "contributor": "B", "caveat": "max_personnel"},
    ]
    found = problems(timed(tmp_path, caveats=caveats))
    assert found == [
        "Caveats!B2: contributor 'QQQ' is not on the Contributors sheet",
        "Caveats!J2: caveat max_units needs a value (a number >= 0)",
        "Caveats!D3: capability 'XX' is not on the Capabilities sheet",
        "Caveats!I3: caveat requires needs the other contributor in 'other'",
        "Caveats!J4: value for min_units must be a number >= 0, got -1",
        "Caveats!L4: from 'zzz' is not on the Periods sheet",
        "Caveats!A5: duplicate id 'K3' (first at row 4); merge or delete one of the rows",
        "Caveats!J5: caveat max_personnel needs a value (a number >= 0)",
    ]


def test_a_row_dropped_twice_over_still_has_its_own_cells_checked(tmp_path: Path) -> None:
    """A review: a caveat of an unknown contributor with a `from` no period has and no value
    (the window check dropped it again, and its value went unsaid); a caveat repeating an id
    with an unknown contributor (a duplicate's keys went unchecked)."""
    lost = [{"id": "K1", "contributor": "QQ", "caveat": "min_units", "from": "zz"}]
    assert problems(timed(tmp_path, caveats=lost)) == [
        "Caveats!B2: contributor 'QQ' is not on the Contributors sheet",
        "Caveats!J2: caveat min_units needs a value (a number >= 0)",
        "Caveats!L2: from 'zz' is not on the Periods sheet",
    ]
    twice = [
        {"id": "K1", "contributor": "A", "caveat": "max_units", "value": 1},
        {"id": "K1", "contributor": "QQ", "caveat": "max_units"},
    ]
    assert problems(timed(tmp_path, caveats=twice)) == [
        "Caveats!A3: duplicate id 'K1' (first at row 2); merge or delete one of the rows",
        "Caveats!B3: contributor 'QQ' is not on the Contributors sheet",
        "Caveats!J3: caveat max_units needs a value (a number >= 0)",
    ]


def test_a_yes_no_value_in_a_text_cell_is_said_as_excel_shows_it(tmp_path: Path) -> None:
    """A contributor key typed TRUE (Excel made a yes/no value of it) is refused as other
    columns refuse one, `got TRUE (a yes/no value)` (it said `got True`); a caveat's free-text
    `note` of TRUE is that text."""
    from solver import api

    from .workbooks import simple_case

    path = simple_case(
        tmp_path / "b.xlsx",
        caveats=[{"id": "K1", "contributor": "A", "caveat": "max_units", "value": 1, "note": True}],
    )
    assert api.read(path).caveats["note"].tolist() == ["TRUE"]
    pledges = [{"contributor": True, "capability": "INF", "units": 2}]
    found = problems(simple_case(tmp_path / "k.xlsx", pledges=pledges))
    assert "Pledges!A2: contributor must be text, got TRUE (a yes/no value); type the text" in found


def test_a_caveat_row_dropped_for_its_window_is_checked_against_the_other_sheets(
    tmp_path: Path,
) -> None:
    """A `no_weakening` of A (no site filter: it protects the sites whose country is A, and no
    site has it) with a `from` no period has: the error for its window and the warning that it
    protects nothing, as a row with a good window gets (the cross-checks ran on the rows kept
    only: a session's note). A row dropped for an unknown contributor gets no such warning:
    its contributor cell's error says what is wrong there."""
    lost = [
        {"id": "K1", "contributor": "A", "caveat": "no_weakening", "from": "zz"},
        {"id": "K2", "contributor": "QQ", "caveat": "no_weakening"},
    ]
    with pytest.raises(InputError) as info:
        read(timed(tmp_path, caveats=lost))
    assert [str(e) for e in info.value.errors] == [
        "Caveats!L2: from 'zz' is not on the Periods sheet",
        "Caveats!B3: contributor 'QQ' is not on the Contributors sheet",
    ]
    assert [str(w) for w in info.value.warnings if "protects" in str(w)] == [
        "warning: Caveats!B2: caveat K1 (A no_weakening) has no site filter, so it protects the "
        "sites whose country is A, and no site has that country: it has no effect (give it a "
        "site, zone or country, or check the Sites' country codes)"
    ]
