"""The house's sizes (README "How we want the code"): every module of the solver at most
MODULE_LINES lines, every function's body at most FUNCTION_LINES (its docstring not counted).
Measured here so that a module is split when it outgrows them, not squeezed to fit."""

from __future__ import annotations

import ast
from pathlib import Path

SOLVER = Path(__file__).resolve().parent.parent / "solver"
MODULE_LINES = 400
FUNCTION_LINES = 80


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The lines of a function after its signature and docstring."""
    first = node.body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    starts = first.end_lineno + 1 if docstring and len(node.body) > 1 else first.lineno
    assert node.end_lineno is not None and first.end_lineno is not None
    return node.end_lineno - starts + 1


def _over() -> tuple[list[str], list[str]]:
    modules, functions = [], []
    for path in sorted(SOLVER.rglob("*.py")):
        text = path.read_text()
        where = path.relative_to(SOLVER.parent)
        if len(text.splitlines()) > MODULE_LINES:
            modules.append(f"{where}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if function and _body_lines(node) > FUNCTION_LINES:
                functions.append(f"{where}:{node.lineno} {node.name}: {_body_lines(node)}")
    return modules, functions


def test_modules_and_functions_within_their_sizes() -> None:
    modules, functions = _over()
    assert not modules, f"modules over {MODULE_LINES} lines: {modules}"
    assert not functions, f"function bodies over {FUNCTION_LINES} lines: {functions}"


def test_the_measure_counts_a_body_without_its_docstring() -> None:
    text = 'def f():\n    """Doc\n    string."""\n    a = 1\n    return a\n'
    node = ast.parse(text).body[0]
    assert isinstance(node, ast.FunctionDef)
    assert _body_lines(node) == 2
