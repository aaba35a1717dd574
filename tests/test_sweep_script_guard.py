"""A script that calls `run_sweep` without `if __name__ == "__main__":` (a trial's first try):
each worker process imports the script and started a sweep of its own, and every scenario was
reported killed "out of memory?". Now each such import is refused with a message that says what
to do, and the scenarios' reason says a worker may not have started."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .workbooks import simple_case

SCRIPT = """
from pathlib import Path
from solver.sweep.run import run_sweep

report = run_sweep(
    Path("case.xlsx"), out_dir=Path("out"), withdraw_each=True, workers=2,
    options={"work_limit": 2},
)
print("statuses:", sorted({r.status for r in report.results}))
"""


def test_an_unguarded_script_is_told_to_guard_its_sweep(tmp_path: Path) -> None:
    simple_case(tmp_path / "case.xlsx")
    (tmp_path / "s.py").write_text(SCRIPT)
    done = subprocess.run(
        [sys.executable, "s.py"], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert 'call run_sweep under `if __name__ == "__main__":`' in done.stderr
    assert "another sweep is writing" not in done.stderr


def test_only_the_scripts_own_top_level_is_refused() -> None:
    """In a worker, the script is imported as `__mp_main__`: its top level calling run_sweep is
    refused, but a function of it that a job runs later (a guarded script's) is not."""
    from solver.sweep.run import _importing_main_in_a_worker

    script = {"__name__": "__mp_main__", "check": _importing_main_in_a_worker}
    exec("at_top = check()\ndef job():\n    return check()\n", script)
    assert script["at_top"] is True
    assert script["job"]() is False


def test_a_script_read_from_standard_input_is_told_to_save_itself(tmp_path: Path) -> None:
    """`python - < script.py` calling run_sweep: its workers cannot import a script of no file,
    and every scenario was reported killed "out of memory?" (an API trial); now refused at once,
    saying what to do, before any worker starts."""
    simple_case(tmp_path / "case.xlsx")
    root = Path(__file__).resolve().parents[1]  # this checkout's solver, not another's
    script = f"import sys; sys.path.insert(0, {str(root)!r})\n" + SCRIPT
    done = subprocess.run(
        [sys.executable, "-"],
        input=script,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode != 0
    assert "a script read from standard input (`python - < script.py`) cannot be imported" in (
        done.stderr
    ), done.stderr
    assert not (tmp_path / "out").exists()
