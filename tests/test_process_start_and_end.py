"""The process around a command (solver/entry.py), from a fault trial. Out of memory while
forcegen's libraries load (`ulimit -v`): one line and exit 1, never a traceback or a hang; the
loader's own words for it, `failed to map segment from shared object` (an ImportError), are out
of memory too (solver/memory_failure.py). A stop after the command ended keeps its exit code."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from solver.memory_failure import is_out_of_memory

MAPPED = "/x/_core.cpython-311-x86_64-linux-gnu.so: failed to map segment from shared object"


def test_a_library_the_loader_could_not_map_is_out_of_memory() -> None:
    assert is_out_of_memory(MemoryError())
    assert is_out_of_memory(ImportError(MAPPED))
    assert not is_out_of_memory(ImportError("No module named 'dask'"))
    assert not is_out_of_memory(ValueError(MAPPED))
    # a loader limit that more memory does not lift (a review)
    tls = "libgomp.so.1: cannot allocate memory in static TLS block"
    assert not is_out_of_memory(ImportError(tls))


@pytest.mark.parametrize("failure", [MemoryError(), ImportError(MAPPED)], ids=["memory", "map"])
def test_out_of_memory_while_starting_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], failure: BaseException
) -> None:
    from solver import entry

    class Importing(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            raise failure

    monkeypatch.setitem(sys.modules, "solver.cli", Importing("solver.cli"))
    with pytest.raises(SystemExit) as done:
        entry.main()
    assert done.value.code == 1
    assert capsys.readouterr().err == (
        "error: out of memory while starting (loading forcegen's libraries): nothing was done; "
        "run again with more memory\n"
    )


def test_another_import_error_while_starting_is_not_called_out_of_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from solver import entry

    class Importing(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            raise ImportError("No module named 'dask'")

    monkeypatch.setitem(sys.modules, "solver.cli", Importing("solver.cli"))
    with pytest.raises(ImportError):
        entry.main()


def test_a_library_not_mapped_during_a_command_is_out_of_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A compiled library loaded by a command (HiGHS's, scipy's) that cannot be mapped: `out of
    memory`, exit 1, not `internal error: ImportError`."""
    from solver import api
    from solver.cli import main

    from .workbooks import simple_case

    def unmapped(*args: object, **kwargs: object) -> None:
        raise ImportError(MAPPED)

    monkeypatch.setattr(api, "check_workbook", unmapped)
    result = CliRunner().invoke(main, ["validate", str(simple_case(tmp_path / "c.xlsx"))])
    assert result.exit_code == 1
    assert "out of memory: `validate` needs more memory than this process may use" in result.output
    assert "internal error" not in result.output


def test_the_cli_loads_no_blas_until_a_hull_is_computed() -> None:
    """scipy.spatial (hence scipy's BLAS, whose start under a memory limit spun forever, deaf
    to signals) is imported only when a personnel cap's hull rows are computed; and BLAS is
    told to use one thread unless the user said otherwise. A new interpreter, as the
    command's."""
    probe = (
        "import os, sys; import solver.entry, solver.cli; "
        "print(os.environ.get('OPENBLAS_NUM_THREADS'), "
        "[m for m in ('scipy.spatial', 'scipy.linalg') if m in sys.modules])"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    assert done.stdout.split() == ["1", "[]"]


def test_a_stop_after_the_command_ended_keeps_its_exit_code() -> None:
    """A SIGTERM while the process winds down, after the command wrote its output and said so
    (here from an exit handler): the command's own exit code, not 143 with no word (a fault
    trial: a complete plan written, then exit 143). A new interpreter, as the command's."""
    probe = (
        "import atexit, os, signal, sys, time, types\n"
        "import solver.entry as entry\n"
        "cli = types.ModuleType('solver.cli')\n"
        "def main():\n"
        "    atexit.register(lambda: (os.kill(os.getpid(), signal.SIGTERM), time.sleep(5)))\n"
        "    print('written: plan.xlsx')\n"
        "    sys.exit(3)\n"
        "cli.main = main\n"
        "sys.modules['solver.cli'] = cli\n"
        "entry.main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout) == (3, "written: plan.xlsx\n")


def test_a_hull_whose_library_cannot_be_mapped_is_out_of_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """scipy.spatial, loaded when a personnel cap's hull rows are first computed (mid-build):
    a loader out of memory there is a MemoryError, which every caller (sweep, check, pricing)
    takes as out of memory, not an internal error (a review)."""
    import numpy as np

    from solver.model.knapsack_hull import hull_rows

    class Unmapped(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            raise ImportError(MAPPED)

    monkeypatch.setitem(sys.modules, "scipy.spatial", Unmapped("scipy.spatial"))
    with pytest.raises(MemoryError):
        hull_rows(np.array([800.0, 600.0]), np.array([2, 2]), 1500.0)


def test_no_room_for_the_hull_library_is_out_of_memory_not_a_hang() -> None:
    """Under an address-space limit that leaves less than SCIPY_ROOM free, a hull's rows raise
    MemoryError before scipy.spatial is loaded: its OpenBLAS retried a buffer it had no room
    for, forever, deaf to signals (a fault trial: `ulimit -v 260000` hung `solve` of the
    bundled example). A new interpreter, limited to its size now and 64 MB more."""
    probe = (
        "import resource, sys\n"
        "import numpy as np\n"
        "from solver.model.knapsack_hull import hull_rows\n"
        "size = next(int(l.split()[1]) for l in open('/proc/self/status')"
        " if l.startswith('VmSize')) * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (size + (64 << 20), resource.RLIM_INFINITY))\n"
        "try:\n"
        "    hull_rows(np.array([800.0, 600.0]), np.array([2, 2]), 1500.0)\n"
        "except MemoryError:\n"
        "    print('out of memory', 'scipy.spatial' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300
    )
    assert done.stdout.split() == ["out", "of", "memory", "False"], done.stderr
