"""A re-plan edited by hand, compared (and briefed) beside its baseline: the table's `changes`
and the re-plan's headline count the same units, the asks recomputed against the baseline
(solver/compare/replan.py `take_changes`, report/replan.py `with_replan_changes`)."""

from __future__ import annotations

import re
from pathlib import Path

from .replan_cli_case import cli, solved_with_re_plan
from .verify_case import set_allocation


def _changes_cell(output: str, name: str) -> str:
    """The `changes` cell of the row `name` in compare's console table (its first lines)."""
    header, *rows = output.splitlines()
    end = header.index("changes") + len("changes")  # right-aligned under its header
    row = next(r for r in rows if r.split()[:1] == [name])
    return row[:end].split()[-1]


def test_an_edited_re_plan_s_changes_are_its_asks_in_the_table_too(tmp_path: Path) -> None:
    """Base A 2 at S1, B 2 at S2; the re-plan (B pledges 1) keeps A and B 1 at S2: 1 unit
    changes. Edited by hand to A 2 at S1 and nothing of B: against the base, B withdraws 2, so
    2 units change. The headline said `2 units change` under a table whose `changes` was `-`
    (the stage was left unknown: the input holds no baseline); both say 2 now."""
    _, new_in, base, new = solved_with_re_plan(tmp_path)
    solved = cli("compare", base, new)
    assert solved.exit_code == 0, solved.output
    assert _changes_cell(solved.output, "new-out") == "1"
    set_allocation(new, [("A", "INF", "S1", 2, 200)])
    compared = cli("compare", base, new, "--input", new_in)
    assert compared.exit_code == 0, compared.output
    assert "new-out: edited after solving (solved as optimal)" in compared.output
    assert "is a re-plan of base-out (solved with --baseline base-out.xlsx): 2 units change" in (
        compared.output
    )
    assert _changes_cell(compared.output, "new-out") == "2"
    assert _changes_cell(compared.output, "base-out") == "-"


def test_the_briefing_of_an_edited_re_plan_says_its_changes_once(tmp_path: Path) -> None:
    """The same edited re-plan in `report base new`: its figures' `objective.changes` is the 2
    its re-plan headline says, not a blank."""
    _, new_in, base, new = solved_with_re_plan(tmp_path)
    set_allocation(new, [("A", "INF", "S1", 2, 200)])
    page = tmp_path / "page.html"
    reported = cli("report", base, new, "--input", new_in, "-o", page)
    assert reported.exit_code == 0, reported.output
    html = page.read_text(encoding="utf-8")
    assert (
        "is a re-plan of base-out.xlsx (solved with --baseline base-out.xlsx): 2 units change"
        in (html)
    )
    row = re.search(r"<td>objective\.changes</td>(.*?)</tr>", html, re.S)
    assert row is not None
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row[1])]
    assert cells == ["–", "2"]


def test_a_re_plan_compared_with_a_copy_of_its_baseline_names_the_file_it_was_solved_with(
    tmp_path: Path,
) -> None:
    """The re-plan was solved with --baseline base-out.xlsx; compared beside base-copy.xlsx,
    a byte copy (the same plan, so a re-plan of it): the headline named base-copy.xlsx as the
    --baseline given (a briefing trial); it names the file its Summary records, and whose plan
    the copy holds. Beside the file itself, as before."""
    import shutil

    _, _, base, new = solved_with_re_plan(tmp_path)
    copy = tmp_path / "base-copy.xlsx"
    shutil.copy(base, copy)
    compared = cli("compare", copy, new)
    assert compared.exit_code == 0, compared.output
    assert (
        "new-out is a re-plan of base-copy (solved with --baseline base-out.xlsx, whose plan "
        "base-copy.xlsx holds): 1 unit change, 1 nation asked"
    ) in " ".join(compared.output.split())
    same = cli("compare", base, new)
    assert "(solved with --baseline base-out.xlsx): 1 unit change," in " ".join(same.output.split())
