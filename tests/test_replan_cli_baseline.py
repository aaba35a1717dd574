"""A re-plan through the CLI, and whether an output is a re-plan of the base it is compared or
verified with: the baseline recorded by its digest (or an older output's file SHA-256 or cell
digest), a base opened and saved again, a base edited or copied with a lock column (another
baseline), an output solved without --baseline or from another workbook (split from
tests/test_replan_cli.py)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from solver.io.read import file_sha256
from solver.results.digest import output_sha256

from .replan_cli_case import cli, rows, set_summary, solved_with_re_plan
from .test_verify_baseline import distance_world


def test_compare_says_where_an_output_comes_from_when_not_from_the_first(tmp_path) -> None:
    """new-out is solved from another workbook (new.xlsx) against a copy of base-out with a lock
    column (locked.xlsx, another baseline by content): compare base-out new-out is no re-plan
    section, and says both, where before it said neither."""
    import shutil

    base_in, new_in = (
        distance_world(tmp_path / "base.xlsx", 2),
        distance_world(tmp_path / "new.xlsx", 1),
    )
    base, locked, new = (tmp_path / f"{n}.xlsx" for n in ("base-out", "locked", "new-out"))
    assert cli("solve", base_in, "-o", base).exit_code == 0
    shutil.copy(base, locked)
    wb = openpyxl.load_workbook(locked)
    wb["Allocation"].cell(1, wb["Allocation"].max_column + 1, "lock")
    wb.save(locked)
    assert cli("solve", new_in, "-o", new, "--baseline", locked).exit_code == 0
    compared = cli("compare", base, new)
    assert compared.exit_code == 0, compared.output
    assert "re-plan:" not in compared.output
    assert (
        "note: new-out was solved from new.xlsx, base-out from base.xlsx: the comparison is of "
        "two workbooks" in compared.output
    )
    assert (
        "note: new-out was re-planned against locked.xlsx, not against base-out.xlsx: its "
        "changes and asks are against that baseline, and are not shown here" in compared.output
    )


def test_an_output_not_solved_against_the_base_is_no_re_plan(tmp_path) -> None:
    """new solved without --baseline: compare shows no re-plan and no Asks sheet."""
    base_in, new_in = (
        distance_world(tmp_path / "base.xlsx", 2),
        distance_world(tmp_path / "new.xlsx", 1),
    )
    base, new = tmp_path / "base-out.xlsx", tmp_path / "new-out.xlsx"
    assert cli("solve", base_in, "-o", base).exit_code == 0
    assert cli("solve", new_in, "-o", new).exit_code == 0
    table = tmp_path / "cmp.xlsx"
    compared = cli("compare", base, new, "-o", table)
    assert compared.exit_code == 0, compared.output
    assert "re-plan" not in compared.output
    assert "Asks" not in openpyxl.load_workbook(table, read_only=True).sheetnames
    page = tmp_path / "page.html"
    assert cli("report", base, new, "-o", page).exit_code == 0
    assert "Re-plan" not in page.read_text(encoding="utf-8")


def test_a_re_plan_recorded_with_the_base_files_sha256_is_still_one(tmp_path) -> None:
    """The re-plan of `test_snapshot_solve_verify_compare` (B withdraws 1 INF from S2), its
    Summary's baseline_sha256 set to base-out.xlsx's file SHA-256, as outputs written before
    the content digest recorded: compare and report still see a re-plan of base-out, and verify
    --baseline base-out.xlsx does not warn of another baseline. The base with one cell changed
    (A's units at S1, 2 made 1) is another baseline: neither of its digests is recorded,
    compare sees no re-plan and verify warns."""
    _, new_in, base, new = solved_with_re_plan(tmp_path)
    recorded = summary(new)["baseline_sha256"]
    assert recorded == output_sha256(base.read_bytes()) != file_sha256(base)
    set_summary(new, "baseline_sha256", file_sha256(base))

    headline = (
        "re-plan: new-out is a re-plan of base-out (solved with --baseline base-out.xlsx): "
        "1 unit change, 1 nation asked"
    )
    compared = cli("compare", base, new)
    assert compared.exit_code == 0, compared.output
    assert headline in compared.output
    page = tmp_path / "page.html"
    assert cli("report", base, new, "-o", page).exit_code == 0
    assert "Re-plan: new-out.xlsx is a re-plan of base-out.xlsx" in page.read_text(encoding="utf-8")
    checked = cli("verify", new_in, new, "--baseline", base)
    assert checked.exit_code == 0, checked.output
    assert "another baseline" not in checked.output

    wb = openpyxl.load_workbook(base)
    ws = wb["Allocation"]
    units = [c.value for c in ws[1]].index("units") + 1
    assert (ws.cell(2, 1).value, ws.cell(2, units).value) == ("A", 2)
    ws.cell(2, units).value = 1  # one cell changed by hand
    wb.save(base)
    assert output_sha256(base.read_bytes()) != recorded
    assert file_sha256(base) != summary(new)["baseline_sha256"]
    compared = cli("compare", base, new)
    assert compared.exit_code == 0, compared.output
    assert "re-plan:" not in compared.output
    assert (
        "note: new-out was re-planned against another version of base-out.xlsx (or another "
        "file of that name): its changes and asks are against that baseline, and are not shown "
        "here"
    ) in compared.output
    checked = cli("verify", new_in, new, "--baseline", base)
    assert "solved against another baseline than base-out.xlsx" in checked.output


def summary(path: Path) -> dict:
    return {r[0]: r[1] for r in rows(path, "Summary")}


def _digest_as_read(content: bytes) -> str:
    """The content digest as outputs written before `canonical_value` recorded it: each row's
    values as openpyxl reads them, the Summary's timing rows left out (written out here, not
    taken from solver.results.digest)."""
    import hashlib
    import io
    import json

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    digest = hashlib.sha256()
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            timing = (
                sheet.title == "Summary"
                and values
                and str(values[0]).startswith(("solve_seconds", "seconds."))
            )
            if values and not timing:
                line = json.dumps([sheet.title, *values], default=str, ensure_ascii=False)
                digest.update(f"{line}\n".encode())
    book.close()
    return digest.hexdigest()


def test_a_base_opened_and_saved_again_is_still_the_re_plan_s_baseline(tmp_path) -> None:
    """A planner opens base-out.xlsx and saves it without an edit: openpyxl (as other writers)
    writes 4.0 as 4, a cost to 16 digits, and drops empty text cells. The re-plan against it is
    still its re-plan (compare says so, verify --baseline does not warn); before, every such
    save made it 'another version of base-out.xlsx'. A re-plan whose Summary recorded the
    digest as outputs did before (the cells as read) is one too."""
    _, new_in, base, new = solved_with_re_plan(tmp_path)
    written = base.read_bytes()
    openpyxl.load_workbook(base).save(base)  # no edit
    assert base.read_bytes() != written and _digest_as_read(base.read_bytes()) != (
        _digest_as_read(written)
    )  # the save changed what the cells read as
    compared = cli("compare", base, new)
    assert compared.exit_code == 0, compared.output
    assert "re-plan: new-out is a re-plan of base-out" in compared.output
    checked = cli("verify", new_in, new, "--baseline", base)
    assert checked.exit_code == 0 and "another baseline" not in checked.output, checked.output

    base.write_bytes(written)
    set_summary(new, "baseline_sha256", _digest_as_read(written))  # an older re-plan's record
    compared = cli("compare", base, new)
    assert "re-plan: new-out is a re-plan of base-out" in compared.output, compared.output


def test_verify_against_another_baseline_does_not_compare_the_changes(tmp_path) -> None:
    """new-out was re-planned against base-out (changes 1). Verified with --baseline new-out
    itself, its changes recompute to 0: the warning says the baselines differ, so the stored 1
    is not shown beside it and no verdict is drawn from it. A trial read `changes 13 vs 14
    (differs)` and `it is better than the solved allocation` right under that warning."""
    _, new_in, _, new = solved_with_re_plan(tmp_path)
    other = tmp_path / "other-baseline.xlsx"
    other.write_bytes(new.read_bytes())
    check = cli("verify", new_in, new, "--baseline", other)
    assert check.exit_code == 0, check.output
    assert "another baseline than other-baseline.xlsx" in check.output
    (line,) = [t for t in check.output.splitlines() if t.strip().startswith("changes")]
    assert line.split() == ["changes", "0", "-"]
    assert "better" not in check.output and "(differs)" not in check.output
    assert check.output.rstrip().endswith("result: the allocation holds")


def test_compare_says_two_outputs_come_from_two_versions_of_one_workbook(tmp_path) -> None:
    """w.xlsx solved as first.xlsx, then edited (another need) and solved as second.xlsx: the
    same input_file, another input_sha256. A trial's comparison of two such sweep outputs said
    nothing of it, so a requirement's edit read as a withdrawal's effect. Two solves of one
    version say nothing."""
    source = tmp_path / "w.xlsx"
    first, again, second = (tmp_path / f"{n}.xlsx" for n in ("first", "again", "second"))
    assert cli("solve", distance_world(source, 2), "-o", first).exit_code == 0
    assert cli("solve", source, "-o", again).exit_code == 0
    assert cli("solve", distance_world(source, 1), "-o", second).exit_code == 0
    said = (
        "note: second and first were solved from two versions of w.xlsx (their input_sha256 "
        "differ): a difference may be the workbook's edit, not the scenario's"
    )
    compared = cli("compare", first, second)
    assert compared.exit_code == 0, compared.output
    assert said in " ".join(compared.output.split())
    same = cli("compare", first, again)
    assert "two versions" not in same.output
