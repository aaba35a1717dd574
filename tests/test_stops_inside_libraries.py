"""Stops that land inside a library, from a differential trial of the Pyomo route: each is the
stop it was, said once, with the exit code the command promises.

- A Ctrl-C that escaped code CPython ran from a string (`exec`: dataclasses and named tuples a
  lazy import builds) was marked unhandled, and the process then ended by SIGINT (return code
  -2 to a supervisor) after printing its stop and exiting 130 (solver/entry.py).
- Pyomo turns a stop inside its enums' `__getattr__` (a bare `except:`) into an AttributeError:
  a sweep's scenario said `internal error: AttributeError: NATIVE` (exit 1) where it was stopped
  (solver/sweep/task.py).
- Pyomo logs a component whose construction a stop cut short as an error before raising the stop
  again: the console showed `Constructing component 'present_t' ... failed: KeyboardInterrupt`
  beside forcegen's own message (solver/model/pyomo_render.py); a real fault is still logged.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

HANDLED_IN_A_STRING = """
import sys
import solver.cli

def command():
    try:
        exec("raise KeyboardInterrupt", {})
    except KeyboardInterrupt:
        sys.stderr.write("stopped\\n")
        sys.exit(130)

solver.cli.main = command
from solver.entry import main
main()
"""


def test_a_stop_handled_after_it_escaped_code_run_from_a_string_exits_130(tmp_path: Path) -> None:
    """Run with `-m`, as `python -m solver` runs (CPython checks the mark only on that path)."""
    (tmp_path / "handled_in_a_string.py").write_text(HANDLED_IN_A_STRING)
    done = subprocess.run(
        [sys.executable, "-m", "handled_in_a_string"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])},
    )
    assert done.stderr == "stopped\n"
    assert done.returncode == 130  # not -2: killed by SIGINT


def test_a_sweep_scenario_stopped_inside_a_library_is_stopped_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from solver.sweep import task as task_module
    from solver.sweep.task import Task, run_task

    def pyomo_enum_lookup(*args: object) -> None:
        try:
            raise KeyboardInterrupt
        except:  # noqa: E722 - Pyomo's ExtendedEnumType.__getattr__, as it is
            raise AttributeError("NATIVE") from None

    def solve_interrupted_in_it(*args: object) -> None:
        try:
            pyomo_enum_lookup()
        except AttributeError as exc:
            exc.__context__ = KeyboardInterrupt()  # `from None` hides it; Python keeps it
            raise

    monkeypatch.setattr(task_module, "_solve", solve_interrupted_in_it)
    with pytest.raises(KeyboardInterrupt):
        run_task(Task("base", False, "case.xlsx", b"", scratch=str(tmp_path)))
    # an error with no stop behind it is still this scenario's error, the others go on
    monkeypatch.setattr(task_module, "_solve", lambda *args: {}["no such key"])
    result = run_task(Task("base", False, "case.xlsx", b"", scratch=str(tmp_path)))
    assert result.status == "error" and result.exit_code == 1
    assert result.errors == ["internal error: KeyError: 'no such key'"]


def test_pyomo_says_nothing_of_a_construction_a_stop_cut_short(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import pyomo.environ as pyo

    import solver.model.pyomo_render  # noqa: F401 - installs the filter

    def stopped(model: pyo.ConcreteModel) -> object:
        raise KeyboardInterrupt

    def broken(model: pyo.ConcreteModel) -> object:
        raise ValueError("a real fault")

    with pytest.raises(KeyboardInterrupt):
        pyo.ConcreteModel().rule_present_upper = pyo.Constraint(rule=stopped)
    assert "rule_present_upper" not in caplog.text
    with pytest.raises(ValueError):
        pyo.ConcreteModel().rule_flow = pyo.Constraint(rule=broken)
    assert "Constructing component 'rule_flow' from data=None failed" in caplog.text

    # Pyomo's other words are kept while a stop is handled, and so is a real fault raised then
    # (two reviews: an API user's own Ctrl-C handler lost Pyomo's warnings, then its errors)
    model = pyo.ConcreteModel()
    model.v = pyo.Var()
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt:
        model.v = pyo.Var()  # Pyomo warns of a component replaced
        with pytest.raises(ValueError):
            model.arrive_free = pyo.Constraint(rule=broken)
    assert "Implicitly replacing the Component attribute v" in caplog.text
    assert "Constructing component 'arrive_free' from data=None failed" in caplog.text
