"""Every registered caveat kind is complete: the places a kind lives in all know it.

A kind needs: its module's docstring with the inequality (or index-set rule) it adds and a table
of its symbols; a model hook (`forbid`, `harden` or `add`); a `gap_text` hook (Gaps sheet), its words pinned in test_gap_texts.py unless it
only returns None, and `gap_text_for_other` when it names an `other`; a `binds` hook (the
Caveats sheet's `binding`); a generator hook (`draw`, or `place` for a
witness rule) with a `draw_order`; a rule of its own in `verify`, snapshot and timed (an
independent implementation, so each is looked up in verify's own tables, by name), with a
hand-worked timed test in tests/test_verify_time_caveats.py; a test file in tests/caveats/ that
uses it; and golden files of its rows (snapshot, timed and built to explain), compared by tests.
And every kind written under solver/caveats/ is registered (a developer trial: an unregistered
module passed every registry test).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from solver.caveats import KINDS, CaveatKind
from solver.verify.caveat_rules import CAVEAT_RULES
from solver.verify.time_caveats import TIMED_CAVEAT_RULES

from .golden import golden_path
from .test_explain_rows import CAVEATS as EXPLAIN_CASES
from .test_time_kinds import TIMED_CASES

HERE = Path(__file__).resolve().parent
VERIFY_KINDS = {rule.__name__ for rule in CAVEAT_RULES}  # verify: one function per kind, by name
TIMED_VERIFY_KINDS = {rule.__name__ for rule in TIMED_CAVEAT_RULES}
TIMED_VERIFY_TESTS = HERE.parent / "test_verify_time_caveats.py"
# a symbol-table line: indented symbol, two or more spaces, its meaning
SYMBOL_LINE = re.compile(r"^ {4}\S+(?: \S+)?\s{2,}\S", re.MULTILINE)
FORMULA = re.compile(r"(<=|>=|:=)")


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


def compares_golden(path: Path, kind: str) -> bool:
    """True if a test of the file calls `assert_golden(..., kind, ...)`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Name)
        and n.func.id == "assert_golden"
        and any(isinstance(a, ast.Constant) and a.value == kind for a in n.args)
        for n in ast.walk(tree)
    )


def overrides(kind: CaveatKind, hook: str) -> bool:
    return getattr(type(kind), hook) is not getattr(CaveatKind, hook)


def says_only_none(kind: CaveatKind, hook: str) -> bool:
    """The hook's body is a docstring and `return None` (the kind keeps no unit out itself)."""
    import inspect
    import textwrap

    source = textwrap.dedent(inspect.getsource(getattr(type(kind), hook)))
    body = ast.parse(source).body[0].body  # type: ignore[attr-defined]
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return (
        len(body) == 1
        and isinstance(body[0], ast.Return)
        and (body[0].value is None or getattr(body[0].value, "value", 0) is None)
    )


def gap_text_pinned(name: str) -> bool:
    """A test of test_gap_texts.py named for the kind (`test_<kind>_gap_text...`) that builds a
    caveat of the kind (names it in a string) and compares a reason with `==`."""
    tree = ast.parse((HERE / "test_gap_texts.py").read_text(encoding="utf-8"))
    for test in tree.body:
        if not (
            isinstance(test, ast.FunctionDef) and test.name.startswith(f"test_{name}_gap_text")
        ):
            continue
        nodes = list(ast.walk(test))
        names_it = any(isinstance(n, ast.Constant) and n.value == name for n in nodes)
        compares = any(
            isinstance(n, ast.Compare) and any(isinstance(op, ast.Eq) for op in n.ops)
            for n in nodes
        )
        if names_it and compares:
            return True
    return False


def missing_parts(kind: CaveatKind) -> list[str]:
    """What a caveat kind lacks, in words (empty when it is complete)."""
    name = kind.kind
    out = []
    doc = sys.modules[type(kind).__module__].__doc__ or ""
    if not FORMULA.search(doc):
        out.append("a module docstring with its inequality or index-set rule")
    if len(SYMBOL_LINE.findall(doc)) < 3:
        out.append("a symbol table in its module docstring")
    if not overrides(kind, "gap_text"):
        out.append("a gap_text hook")
    elif not says_only_none(kind, "gap_text") and not gap_text_pinned(name):
        out.append(f"its Gaps text pinned by test_{name}_gap_text in test_gap_texts.py")
    if kind.waits_for_other and not kind.needs_other:
        out.append("needs_other (it waits for its `other`, so it reads one)")
    if kind.needs_other and not overrides(kind, "gap_text_for_other"):
        out.append("a gap_text_for_other hook (it names an `other`: say what it keeps from it)")
    if not isinstance(getattr(kind, "in_time", None), str) or not kind.in_time:
        out.append("its reading in time, in_time (each period of its from..to)")
    if not any(overrides(kind, hook) for hook in ("forbid", "harden", "add")):
        out.append("a model hook: forbid, harden or add (a kind without one changes no plan)")
    if not overrides(kind, "binds"):
        out.append("a binds hook (the Caveats sheet's binding column)")
    if not overrides(kind, "place" if kind.witness_rule else "draw"):
        out.append("a generator hook (place)" if kind.witness_rule else "a generator hook (draw)")
    if not isinstance(getattr(kind, "draw_order", None), int):
        out.append("a draw_order")
    if name not in VERIFY_KINDS:
        out.append("a verify rule in solver/verify/caveat_rules.py")
    if name not in TIMED_VERIFY_KINDS:
        out.append("a timed verify rule in solver/verify/time_caveats.py (TIMED_CAVEAT_RULES)")
    if f"test_{name}" not in _test_names(TIMED_VERIFY_TESTS):
        out.append(f"a hand-worked test_{name} in tests/test_verify_time_caveats.py")
    if name not in TIMED_CASES or not golden_path(f"{name}.timed").is_file():
        out.append(f"a timed world in test_time_kinds.TIMED_CASES and golden/{name}.timed.lp")
    if name not in EXPLAIN_CASES or not golden_path(f"{name}.explain").is_file():
        out.append(f"a world in test_explain_rows.CAVEATS and golden/{name}.explain.lp")
    test_file = HERE / f"test_{name}.py"
    if not test_file.is_file() or not kind_mentioned(test_file, name):
        out.append(f"a test file {test_file.name} whose tests use it")
    if not golden_path(name).is_file() or not (
        test_file.is_file() and compares_golden(test_file, name)
    ):
        out.append(f"a golden file golden/{name}.lp compared by a test of {test_file.name}")
    return out


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_kind_written_is_registered() -> None:
    """Each class of solver/caveats/ that names a `kind` of its own is in KINDS."""
    import importlib

    folder = Path(importlib.import_module("solver.caveats").__file__ or "").parent
    written = set()
    for path in folder.glob("*.py"):
        module = importlib.import_module(f"solver.caveats.{path.stem}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, CaveatKind)
                and value.__module__ == module.__name__
                and "kind" in vars(value)
            ):
                written.add(value.kind)
    assert written == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_is_complete(kind: str) -> None:
    missing = missing_parts(KINDS[kind])
    assert not missing, f"caveat kind '{kind}' lacks: " + "; ".join(missing)


def test_an_incomplete_kind_is_caught() -> None:
    """The check above is not vacuous: a bare kind lacks every part."""

    class Bare(CaveatKind):
        kind = "bare"
        needs_other = True

    assert len(missing_parts(Bare())) == 16


def test_a_kind_explaining_gaps_without_its_text_pinned_is_caught() -> None:
    """A gap_text that can say something needs its words pinned in test_gap_texts.py; one that
    only returns None does not."""

    class Talks(CaveatKind):
        kind = "talks"

        def gap_text(self, gaps, row, pos):  # type: ignore[no-untyped-def]
            return "something"

    class Silent(CaveatKind):
        kind = "silent"

        def gap_text(self, gaps, row, pos):  # type: ignore[no-untyped-def]
            """Keeps nothing out."""
            return None

    assert "its Gaps text pinned by test_talks_gap_text in test_gap_texts.py" in missing_parts(
        Talks()
    )
    assert not any("Gaps text" in part for part in missing_parts(Silent()))


def test_a_kind_waiting_for_an_other_it_does_not_read_is_caught() -> None:
    class Waits(CaveatKind):
        kind = "waits"
        waits_for_other = True

    assert "needs_other (it waits for its `other`, so it reads one)" in missing_parts(Waits())


def test_draw_orders_are_distinct() -> None:
    """A seed's workbook depends on the order of draws: no two kinds may share a place."""
    orders = [k.draw_order for k in KINDS.values()]
    assert len(set(orders)) == len(orders)


def test_registry_is_not_empty() -> None:
    """The checks above are vacuous without kinds."""
    assert len(KINDS) >= 10


def test_the_caveats_sheets_description_of_other_names_the_kinds_that_read_it() -> None:
    """The template's description of `other` (io/schema.py, which the registry imports, so it
    cannot ask the registry) names exactly the kinds whose `needs_other` is set: a kind added
    with an `other` fails here until the description says so."""
    import re

    from solver.caveats import KINDS
    from solver.io.schema import SHEETS_BY_NAME

    other = next(c for c in SHEETS_BY_NAME["Caveats"].columns if c.name == "other")
    named = set(re.findall(r"`([a-z_]+)`", other.description))
    assert named == {name for name, kind in KINDS.items() if kind.needs_other}


def test_a_kind_that_acts_beyond_its_own_units_says_what_it_does_there() -> None:
    """A kind that binds beyond a nation's own units (`acts_beyond_own_units`: no_weakening)
    says what it does there (`beyond_own_units`), which a withdrawal better than base names
    (compare/robustness_where.py), and only such a kind does."""
    from solver.caveats import KINDS
    from solver.compare.robustness_where import BETTER_THAN_BASE

    for name, kind in KINDS.items():
        assert bool(kind.beyond_own_units) == kind.acts_beyond_own_units, name
        if kind.acts_beyond_own_units:
            assert f"its {name} {kind.beyond_own_units}" in BETTER_THAN_BASE
    assert "its no_weakening made lines hard" in BETTER_THAN_BASE


class _AskedFor:
    """A plan (or schedule) with no caveats that records which kinds a verify rule asks for;
    everything else it is asked returns None (a rule with no caveat rows reads nothing else)."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def caveats(self, kind: str) -> list:
        self.asked.append(kind)
        return []

    def __getattr__(self, name: str) -> object:
        return lambda *args, **kwargs: None


@pytest.mark.parametrize(
    "rule", [*CAVEAT_RULES, *TIMED_CAVEAT_RULES], ids=lambda r: f"{r.__module__}.{r.__name__}"
)
def test_each_verify_rule_reads_the_caveats_of_its_own_kind(rule) -> None:
    """A verify rule named for a kind asks for that kind's rows and no other: one whose string
    is misspelt (`plan.caveats("max_unit")`) finds no rows and checks nothing, which the rule
    tables' names cannot show (a developer trial)."""
    plan = _AskedFor()
    assert rule(plan) == []
    assert set(plan.asked) == {rule.__name__}


def test_the_baseline_breach_table_lists_the_kinds_that_have_one() -> None:
    """results/change_caps.py's docstring tables when each kind's `baseline_breach` reads a
    baseline as breaking it: its rows must be exactly the kinds that override the hook (a kind
    given one, or losing it, without the table following would mislead whoever reads it)."""
    from solver.results import change_caps

    doc = change_caps.__doc__ or ""
    listed = set(re.findall(r"^ {4}(\w+) {2,}", doc, re.MULTILINE))
    breaching = {
        name
        for name, kind in KINDS.items()
        if type(kind).baseline_breach is not CaveatKind.baseline_breach
        and getattr(kind, "sense", "max") != "min"  # a total's min never stops a unit staying
    }
    assert listed == breaching
