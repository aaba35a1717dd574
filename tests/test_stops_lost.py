"""A stop that lands where Python cannot raise it, or that a library raises again as its own
error, still ends the command as a stop (exit 130, or 143 for SIGTERM, naming what was written
whole), never as success nor as an internal error. A trial sent Ctrl-C at random moments: one
landed in `ZipFile.__del__` (a traceback, `Exception ignored in ...`), and `report` then
exited 0 as if none had come; one landed in highspy's import, which raised `ImportError:
initialization failed`, said as an internal error with exit 1."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from solver.commands_common import guarded, stop_within
from solver.exit_codes import EXIT_INTERRUPTED, EXIT_TERMINATED
from solver.results import safe_write
from solver.signals import Terminated


class _StoppedWhileCollected:
    """An object whose finaliser gets the stop, as a Ctrl-C landing in `ZipFile.__del__`."""

    def __init__(self, stop: type[KeyboardInterrupt]) -> None:
        self.stop = stop

    def __del__(self) -> None:
        raise self.stop


def _writing_then_collecting(target: Path, stop: type[KeyboardInterrupt]) -> click.Command:
    @click.command()
    @guarded
    def report() -> int:
        safe_write.atomic_write(target, b"<html>the whole page</html>")
        gone = _StoppedWhileCollected(stop)
        del gone  # its finaliser raises the stop, which Python can only print and drop
        return 0

    return report


def test_a_stop_a_finaliser_swallowed_ends_the_command_as_stopped(tmp_path: Path) -> None:
    """The page was written whole, then the Ctrl-C landed in a finaliser: exit 130, the page
    named as written before it, and no traceback. SIGTERM (`Terminated`) alike, exit 143."""
    target = tmp_path / "r.html"
    result = CliRunner().invoke(_writing_then_collecting(target, KeyboardInterrupt), [])
    assert result.exit_code == EXIT_INTERRUPTED, result.output
    assert f"stopped by Ctrl-C (SIGINT): 1 file written whole before it ({target})" in (
        result.output
    )
    assert "Exception ignored" not in result.output and "Traceback" not in result.output
    assert target.read_bytes() == b"<html>the whole page</html>"
    result = CliRunner().invoke(_writing_then_collecting(target, Terminated), [])
    assert result.exit_code == EXIT_TERMINATED, result.output
    assert "stopped by SIGTERM: 1 file written whole before it" in result.output


def test_a_command_that_said_its_own_stop_is_not_stopped_twice(tmp_path: Path) -> None:
    """A command that handled the stop itself (as `solve` keeps its plan and returns 130)
    says it once: the swallowed stop is not heeded again."""

    @click.command()
    @guarded
    def solve() -> int:
        gone = _StoppedWhileCollected(KeyboardInterrupt)
        del gone
        click.echo("interrupted: the best plan kept")
        return EXIT_INTERRUPTED

    result = CliRunner().invoke(solve, [])
    assert result.exit_code == EXIT_INTERRUPTED
    assert "stopped by" not in result.output


def test_a_stop_inside_a_library_s_own_error_is_a_stop() -> None:
    """An ImportError raised from a KeyboardInterrupt (pybind11 does so when a module's
    initialisation is interrupted): the command says it stopped, exit 130, not an internal
    error; a plain error stays one."""

    @click.command()
    @guarded(writes=False)
    def imports() -> int:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as stop:
            raise ImportError("initialization failed") from stop

    result = CliRunner().invoke(imports, [])
    assert result.exit_code == EXIT_INTERRUPTED, result.output
    assert "stopped by Ctrl-C (SIGINT): nothing was written" in result.output
    assert "internal error" not in result.output
    assert stop_within(ValueError("no stop")) is None
    chained = RuntimeError("outer")
    chained.__context__ = ImportError("inner")
    chained.__context__.__cause__ = Terminated()
    assert isinstance(stop_within(chained), Terminated)


def test_a_stop_as_the_file_is_renamed_into_place_names_it_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault trial: a Ctrl-C just after the rename, before the file was recorded as
    written, said `nothing was written` of a page replaced (report, compare, template,
    generate, verify -o; check --update said `0 pins written`). Here a real SIGINT arrives
    within the rename, and the rename takes a while (a slow file system), in a process with
    threads beside the main one (numpy's OpenBLAS: a review saw a signal mask hold nothing,
    the signal taken by another thread): it is held until the file is recorded, so the
    command says it wrote it, exit 130; and none is left of the temporary file."""
    import os
    import signal
    import threading
    import time

    import numpy  # noqa: F401  its threads, as in every forcegen process

    sleeper = threading.Thread(target=time.sleep, args=(1.0,), daemon=True)
    sleeper.start()  # at least one thread beside the main one, whatever OpenBLAS starts

    target = tmp_path / "r.html"
    target.write_bytes(b"<html>an earlier page</html>")
    rename = os.replace

    def renamed_then_stopped(source: str, dest: Path) -> None:
        rename(source, dest)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)

    monkeypatch.setattr(safe_write.os, "replace", renamed_then_stopped)

    @click.command()
    @guarded
    def report() -> int:
        safe_write.atomic_write(target, b"<html>the whole page</html>")
        return 0

    result = CliRunner().invoke(report, [])
    assert result.exit_code == EXIT_INTERRUPTED, result.output
    assert f"1 file written whole before it ({target})" in result.output
    assert target.read_bytes() == b"<html>the whole page</html>"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
