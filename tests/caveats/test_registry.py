"""Every registered caveat kind has its own test file that exercises it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from solver.caveats import KINDS

HERE = Path(__file__).resolve().parent


def kind_mentioned(path: Path, kind: str) -> bool:
    """True if a test function of the file names the kind in a string (e.g. `"caveat": kind`),
    or calls a module-level helper that does."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    helpers = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("test")
        and any(isinstance(n, ast.Constant) and n.value == kind for n in ast.walk(node))
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            for n in ast.walk(node):
                if isinstance(n, ast.Constant) and n.value == kind:
                    return True
                if isinstance(n, ast.Name) and n.id in helpers:
                    return True
    return False


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_has_a_test_file(kind: str) -> None:
    """tests/caveats/test_<kind>.py exists and one of its tests uses the kind."""
    path = HERE / f"test_{kind}.py"
    assert path.is_file(), f"caveat kind '{kind}' has no test file {path.name}"
    assert kind_mentioned(path, kind), f"no test in {path.name} uses the kind '{kind}'"


def test_registry_is_not_empty() -> None:
    """The check above is vacuous without kinds."""
    assert len(KINDS) >= 10
