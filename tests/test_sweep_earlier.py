"""A sweep's `earlier/` (solver/sweep/earlier.py): an earlier run's outputs set aside all or
none before solving again and kept until this run replaces them, a better one kept over a
stopped run's worse plan, one replaced by a run that went to its limit said, nothing left
behind by a stop between the moves and their removal."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from solver.errors import UsageError
from solver.sweep import run_sweep

from .sweep_case import SCENARIOS, dead_pid, small_case, stopped_at_more, summary


def test_an_earlier_runs_plans_are_set_aside_and_kept_until_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sweep into a folder that holds an earlier run's outputs: they move to `earlier/`
    before it solves, so that a scenario this run does not finish (here `more`, stopped)
    leaves no earlier plan that looks like this run's in the folder; but that plan is kept in
    `earlier/` (before, it was deleted: a re-run stopped early lost both runs' answers), and
    base's, which this run replaced, is not. A run that writes every scenario leaves no
    `earlier/`. A plan edited by hand there is refused, exit 2."""
    from solver.sweep import backends

    src = small_case(tmp_path / "case.xlsx", SCENARIOS[0])  # more
    out = tmp_path / "out"
    run_sweep(src, out_dir=out, workers=1)
    first_more = (out / "more.xlsx").read_bytes()
    first_comparison = (out / "comparison.xlsx").read_bytes()

    with monkeypatch.context() as patch:
        patch.setattr(backends, "run_task", stopped_at_more)
        report = run_sweep(src, out_dir=out, workers=1)
    assert [r.status for r in report.results] == ["optimal", "not_run"]
    assert not (out / "more.xlsx").exists()
    # the first run's comparison stays beside its plan: this one's covers base alone (a fault
    # trial: a stopped re-run's comparison replaced a whole run's)
    assert sorted(p.name for p in (out / "earlier").iterdir()) == ["comparison.xlsx", "more.xlsx"]
    assert (out / "earlier" / "more.xlsx").read_bytes() == first_more
    assert (out / "earlier" / "comparison.xlsx").read_bytes() == first_comparison
    assert any(n.startswith(f"kept {out / 'earlier' / 'comparison.xlsx'}") for n in report.notes)
    assert any("moved 2 plan(s) of an earlier run" in n for n in report.notes)
    assert any(
        "earlier plans of 1 scenario(s) this run did not write (more.xlsx)" in n
        for n in report.notes
    )

    # stopped again: this run's base.xlsx is set aside, the first run's more.xlsx stays
    with monkeypatch.context() as patch:
        patch.setattr(backends, "run_task", stopped_at_more)
        run_sweep(src, out_dir=out, workers=1)
    assert (out / "earlier" / "more.xlsx").read_bytes() == first_more
    assert not (out / "earlier" / "base.xlsx").exists()
    # the last whole run's comparison stays, not the stopped run's that was in the folder
    assert (out / "earlier" / "comparison.xlsx").read_bytes() == first_comparison

    report = run_sweep(src, out_dir=out, workers=1)  # every scenario written
    assert [r.status for r in report.results] == ["optimal", "optimal"]
    assert not (out / "earlier").exists()
    assert not any("kept in" in n for n in report.notes)

    clean = (out / "base.xlsx").read_bytes()
    book = load_workbook(out / "base.xlsx")
    book["Allocation"]["D2"] = 1  # a planner's edit
    book.save(out / "base.xlsx")
    with pytest.raises(UsageError, match="edited by hand"):
        run_sweep(src, out_dir=out, workers=1)
    # the edited plan in earlier/, where this run would set base.xlsx aside over it: refused
    (out / "earlier").mkdir()
    (out / "base.xlsx").rename(out / "earlier" / "base.xlsx")
    (out / "base.xlsx").write_bytes(clean)
    with pytest.raises(UsageError, match=r"earlier.base\.xlsx.*edited by hand"):
        run_sweep(src, out_dir=out, workers=1)
    shutil.rmtree(out / "earlier")
    # a sweep refused for another reason (here: no Dask scheduler there) removes nothing
    book["Allocation"]["D2"] = None
    (out / "base.xlsx").unlink()
    kept = sorted(p.name for p in out.iterdir())
    with pytest.raises(UsageError):
        run_sweep(src, out_dir=out, scheduler="tcp://127.0.0.1:1")
    assert sorted(p.name for p in out.iterdir()) == kept and kept


def test_an_earlier_better_plan_is_kept_over_a_stopped_runs_worse_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-run whose `more` is stopped with a worse plan (its cost 1,000 above the first
    run's, as a Ctrl-C a second in leaves it) and whose base ends with no plan: both are
    written, as `sweep` writes what a stopped scenario found, but the first run's plans stay
    in `earlier/`, each said with why (the better stage and its two values; no plan). A
    plan of another question (a changed workbook) is not kept over this run's."""
    from solver.sweep import backends
    from solver.sweep.task import run_task

    src = small_case(tmp_path / "case.xlsx", SCENARIOS[0])  # more
    out = tmp_path / "out"
    run_sweep(src, out_dir=out, workers=1)
    names = ("base.xlsx", "comparison.xlsx", "more.xlsx")
    first = {name: (out / name).read_bytes() for name in names}

    def stopped_worse(task):  # type: ignore[no-untyped-def]
        result = run_task(task)
        if task.scenario == "more":
            result.status = result.summary["status"] = "interrupted"
            result.summary["objective.cost"] += 1000
        else:
            result.status = result.summary["status"] = "no_solution"
            result.summary.update({k: None for k in result.summary if k.startswith("objective.")})
        return result

    with monkeypatch.context() as patch:
        patch.setattr(backends, "run_task", stopped_worse)
        report = run_sweep(src, out_dir=out, workers=1)
    kept = {p.name: p.read_bytes() for p in (out / "earlier").iterdir()}
    assert kept == first
    said = [n for n in report.notes if n.startswith("kept ") and "comparison" not in n]
    assert len(said) == 2
    assert (
        "more.xlsx: a better plan of the same workbook and scenario (solved optimal; cost"
        in (said[1])
    )
    assert "in this interrupted run's plan" in said[1]
    assert "base.xlsx: this run ended no_solution without a plan" in said[0]

    # stopped so again, its outputs saying so (the summaries changed above were the
    # sweep's, not the files'): its worse plans are not set aside over the better ones, but
    # removed
    for name, status in (("base.xlsx", "no_solution"), ("more.xlsx", "interrupted")):
        book = load_workbook(out / name)
        for row in book["Summary"].iter_rows():
            key = row[0].value
            if key == "status":
                row[1].value = status
            elif key == "objective.cost" or (
                status == "no_solution" and str(key)[:10] == "objective."
            ):
                row[1].value = None if status == "no_solution" else row[1].value + 1000
        book.save(out / name)
    with monkeypatch.context() as patch:
        patch.setattr(backends, "run_task", stopped_worse)
        report = run_sweep(src, out_dir=out, workers=1)
    assert {p.name: p.read_bytes() for p in (out / "earlier").iterdir()} == first
    assert any(n.startswith("removed base.xlsx, more.xlsx: ") for n in report.notes)
    assert not any(n.startswith("moved ") for n in report.notes)

    # the same re-run of a changed workbook: the plans set aside answered another question
    small_case(src, SCENARIOS[0])
    book = load_workbook(src)
    book["Settings"].append(["mip_gap", 0.0001])
    book.save(src)
    with monkeypatch.context() as patch:
        patch.setattr(backends, "run_task", stopped_worse)
        report = run_sweep(src, out_dir=out, workers=1)
    assert [p.name for p in (out / "earlier").iterdir()] == ["comparison.xlsx"]  # stopped


def test_earlier_outputs_are_set_aside_all_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An earlier run's base.xlsx, more.xlsx and comparison.xlsx, the second one not removable
    (immutable, or locked by another program; here its rename fails): the sweep is refused and
    the folder is as it was. Before, base.xlsx was gone already, the comparison naming it."""
    src = small_case(tmp_path / "case.xlsx", SCENARIOS[0])  # more
    out = tmp_path / "out"
    run_sweep(src, out_dir=out, workers=1)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {"base.xlsx", "more.xlsx", "comparison.xlsx"} <= set(before)
    rename = Path.rename

    def immutable_more(self: Path, target: Any) -> Path:
        if self.name == "more.xlsx":
            raise PermissionError(1, "Operation not permitted")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", immutable_more)
    with pytest.raises(UsageError, match=r"cannot move .*more\.xlsx.*nothing was moved"):
        run_sweep(src, out_dir=out, workers=1)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before and not (out / "earlier").exists()

    # a Ctrl-C while they are moved aside: put back too, and the Ctrl-C goes on
    from solver.sweep.earlier import set_aside

    def interrupted_at_more(self: Path, target: Any) -> Path:
        if self.name == "more.xlsx":
            raise KeyboardInterrupt
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", interrupted_at_more)
    with pytest.raises(KeyboardInterrupt):
        set_aside([out / "base.xlsx", out / "more.xlsx"], out / "comparison.xlsx")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_setting_aside_over_an_older_plan_is_undone_whole(tmp_path: Path) -> None:
    """`earlier/more.xlsx` from a run before the last, the last run's base.xlsx, more.xlsx and
    comparison.xlsx, and the comparison cannot be removed (the last move): every move is
    undone, the older plan back in `earlier/` too. When the moves succeed, the newer
    more.xlsx replaces the older one there and the comparison joins them."""
    from solver.sweep.earlier import set_aside

    out, earlier = tmp_path / "out", tmp_path / "out" / "earlier"
    earlier.mkdir(parents=True)
    (earlier / "more.xlsx").write_bytes(b"older more")
    files = {"base.xlsx": b"base", "more.xlsx": b"more", "comparison.xlsx": b"comparison"}
    for name, content in files.items():
        (out / name).write_bytes(content)

    def everything() -> dict[str, bytes]:
        return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    before = everything()
    rename = Path.rename

    def comparison_locked(self: Path, target: Any) -> Path:
        if self.name == "comparison.xlsx":
            raise PermissionError(13, "Permission denied")
        return rename(self, target)

    plans = [out / "base.xlsx", out / "more.xlsx"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "rename", comparison_locked)
        with pytest.raises(UsageError, match=r"cannot move .*comparison\.xlsx.*nothing was moved"):
            set_aside(plans, out / "comparison.xlsx")
    assert everything() == before

    def older_locked(self: Path, target: Any) -> Path:  # the older plan in earlier/
        if self.parent.name == "earlier" and self.name == "more.xlsx":
            raise PermissionError(13, "Permission denied")
        return rename(self, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "rename", older_locked)
        with pytest.raises(UsageError, match=r"cannot move \S*earlier/more\.xlsx, .*nothing was"):
            set_aside(plans, out / "comparison.xlsx")
    assert everything() == before

    notes = set_aside(plans, out / "comparison.xlsx")
    assert everything() == {
        "earlier/base.xlsx": b"base",
        "earlier/more.xlsx": b"more",
        "earlier/comparison.xlsx": b"comparison",
    }
    assert "moved 2 plan(s) of an earlier run" in notes[0]


def test_a_plan_kept_in_earlier_is_never_lost_to_an_edit_or_a_baseline(tmp_path: Path) -> None:
    """A stopped run left base's only plan in `earlier/` (none in the folder). A planner
    edits it there: the next run, which would remove it once it writes base, is refused
    (before, only a plan with a namesake in the folder was checked, and this one went). A run
    given it as `--baseline` is refused too, naming what to do (it was removed as the run
    wrote base)."""
    src = small_case(tmp_path / "case.xlsx", SCENARIOS[0])  # more
    out = tmp_path / "out"
    run_sweep(src, out_dir=out, workers=1)
    (out / "earlier").mkdir()
    kept = out / "earlier" / "base.xlsx"
    (out / "base.xlsx").rename(kept)

    with pytest.raises(UsageError, match=r"the earlier plan this sweep keeps in .*copy it out"):
        run_sweep(src, out_dir=out, workers=1, baseline=kept)
    book = load_workbook(kept)
    book["Allocation"]["D2"] = 1  # a planner's edit
    book.save(kept)
    edited = kept.read_bytes()
    with pytest.raises(UsageError, match=r"earlier.base\.xlsx.*edited by hand"):
        run_sweep(src, out_dir=out, workers=1)
    assert kept.read_bytes() == edited


def test_a_stop_between_the_moves_and_their_removal_leaves_nothing_for_good(
    tmp_path: Path,
) -> None:
    """A Ctrl-C as the older plan displaced in `earlier/` is about to be removed leaves it
    under its temporary name; the next setting aside removes
    it (and a live other process's such file stays), so `earlier/` empties as its plans are
    replaced. Before, they stayed for good and `earlier/` with them."""
    from solver.sweep.earlier import set_aside, settle

    out, earlier = tmp_path / "out", tmp_path / "out" / "earlier"
    earlier.mkdir(parents=True)
    (earlier / "more.xlsx").write_bytes(b"older more")
    for name in ("more.xlsx", "comparison.xlsx"):
        (out / name).write_bytes(name.encode())
    unlink = Path.unlink

    def stopped(self: Path, missing_ok: bool = False) -> None:
        if self.name.endswith("-removed"):
            raise KeyboardInterrupt
        unlink(self, missing_ok)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "unlink", stopped)
        with pytest.raises(KeyboardInterrupt):
            set_aside([out / "more.xlsx"], out / "comparison.xlsx")
    assert any(p.name.endswith("-removed") for p in earlier.iterdir())
    import os

    live = earlier / f".~tmp-base.xlsx-{os.getppid()}-removed"  # another sweep's, running
    killed = out / f".~tmp-base.xlsx-{dead_pid()}-removed"  # a sweep killed there
    for path in (live, killed):
        path.write_bytes(b"")
    # the next run (here in the same process, as through the API; or another: `killed`)
    assert set_aside([out / "more.xlsx"], out / "comparison.xlsx") == []
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == [
        live.name,
        "comparison.xlsx",  # the earlier comparison, kept in earlier/ until a run ends
        "more.xlsx",
    ]
    live.unlink()
    # one left as this run ends (a stop as the last moves were tidied, through the API): gone
    (earlier / f".~tmp-more.xlsx-{dead_pid()}-removed").write_bytes(b"")
    (out / "more.xlsx").write_bytes(b"this run's more")
    settle(out, {out / "more.xlsx": {"status": "optimal"}}, "comparison.xlsx")
    assert not earlier.exists()


def _feasible_dearer(path: Path) -> None:
    """Make the plan at `path` a time-limited run's worse one: status feasible, cost 1,000
    above (its Summary only: its Allocation, whose digest marks an edit, is untouched)."""
    book = load_workbook(path)
    for row in book["Summary"].iter_rows():
        if row[0].value == "status":
            row[1].value = "feasible"
        elif row[0].value == "objective.cost":
            row[1].value += 1000
    book.save(path)


def test_a_run_that_replaces_a_better_plan_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-run whose `more` ends at its limit (`feasible`) with a plan 1,000 dearer than the
    first run's: replaced as asked (as `solve` replaces an output's), but the notes say which
    plan was better, by which stage and values. An equal plan is replaced without a word. A
    run killed before it could say so leaves the worse plan in the folder: the next run, which
    sets it aside over the better one, says it."""
    from solver.sweep import backends
    from solver.sweep.task import run_task

    src = small_case(tmp_path / "case.xlsx", SCENARIOS[0])  # more
    out = tmp_path / "out"
    run_sweep(src, out_dir=out, workers=1)

    def dearer(task):  # type: ignore[no-untyped-def]
        result = run_task(task)
        if task.scenario == "more":
            result.status = result.summary["status"] = "feasible"
            result.summary["objective.cost"] += 1000
            written = tmp_path / "dearer.xlsx"
            written.write_bytes(result.output)
            _feasible_dearer(written)
            result.output = written.read_bytes()
        return result

    with monkeypatch.context() as patch:
        patch.setattr(backends, "run_task", dearer)
        report = run_sweep(src, out_dir=out, workers=1)
    assert not (out / "earlier").exists()
    said = [n for n in report.notes if n.startswith("removed ") and "better plan" in n]
    assert len(said) == 1
    assert (
        "more.xlsx, a better plan of the same workbook and scenario (solved optimal; cost"
        in (said[0])
    )
    assert "in this feasible run's plan" in said[0] and "replaced as asked" in said[0]
    assert summary(out / "more.xlsx")["status"] == "feasible"

    # killed after writing it: the better plan set aside, this run's worse one in the folder
    run_sweep(src, out_dir=out, workers=1)
    (out / "earlier").mkdir()
    shutil.copy(out / "more.xlsx", out / "earlier" / "more.xlsx")
    _feasible_dearer(out / "more.xlsx")
    report = run_sweep(src, out_dir=out, workers=1)
    said = [n for n in report.notes if "better plan" in n]
    assert len(said) == 1 and said[0].startswith(f"removed {out / 'earlier' / 'more.xlsx'}, a ")
    assert "in this feasible run's plan" in said[0]
    assert not (out / "earlier").exists()
