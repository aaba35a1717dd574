"""Every module of forcegen imports on its own: an import cycle is a real bug (a command module or
a public function that works only after `solver.cli` happened to be imported first)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    import solver
    names = sorted(m.name for m in pkgutil.walk_packages(solver.__path__, "solver."))
    failed = []
    for name in names:
        for loaded in [m for m in sys.modules if m == "solver" or m.startswith("solver.")]:
            del sys.modules[loaded]
        try:
            importlib.import_module(name)
        except Exception as exc:
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
    print(len(names))
    print("\\n".join(failed))
    """
)


def test_every_module_imports_on_its_own() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    count, *failed = done.stdout.strip().splitlines()
    assert int(count) > 50
    assert [line for line in failed if line] == []
