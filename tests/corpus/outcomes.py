"""What a case of the hostile-workbook corpus (make_corpus.py) may give and how its output is
looked at: `Refused` and `Solved`, the plans, the output's rows, and the checks that a solved
case's `check` runs (split from tests/corpus/expected.py, which holds each case's outcome)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from .make_corpus import (
    INJECTION,
    LONG_TEXT,
    RTL_CONTRIBUTOR,
    RTL_SITE,
    UNICODE_SITE,
)

Plan = dict[tuple[str, str, str], int]
BASE_PLAN: Plan = {("A", "INF", "S1"): 2, ("B", "INF", "S2"): 1, ("C", "AIR", "S1"): 1}
A_HAS_3: Plan = {("A", "INF", "S1"): 2, ("A", "INF", "S2"): 1, ("C", "AIR", "S1"): 1}


INTERNAL_NAMES = re.compile(r"\w+(Error|Exception)\b|openpyxl|xlrd|zipfile|lxml")


@dataclass(frozen=True)
class Refused:
    """Exit 2 with exactly these error lines (`{path}` stands for the case's path)."""

    errors: tuple[str, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Solved:
    """Exit 0 with exactly these warnings; `plan` is the Allocation sheet, `check` sees the output."""

    warnings: tuple[str, ...] = ()
    plan: Plan | None = field(default_factory=lambda: dict(BASE_PLAN))
    check: Callable[[Path], None] | None = None
    args: tuple[str, ...] = ()


def rows(path: Path, sheet: str) -> list[dict[str, object]]:
    wb = load_workbook(path, read_only=True)
    try:
        values = list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()  # a read-only workbook holds its file open until closed
    return [dict(zip(values[0], r, strict=True)) for r in values[1:]]


def plan_of(path: Path) -> Plan:
    return {
        (str(r["contributor"]), str(r["capability"]), str(r["site"])): int(r["units"])  # type: ignore[call-overload]
        for r in rows(path, "Allocation")
    }


def binding(path: Path) -> dict[str, str]:
    return {str(r["id"]): str(r["binding"]) for r in rows(path, "Caveats")}


def check_na_keys(out: Path) -> None:
    contributors = [r["contributor"] for r in rows(out, "Contributors")]
    assert contributors == ["C", "NA", "None"]


def check_not_binding(out: Path) -> None:
    assert binding(out) == {"C2": "no"}


def check_none_binding(out: Path) -> None:
    assert set(binding(out).values()) == {"no"}


def check_cycle(out: Path) -> None:
    assert binding(out) == {"C2": "no", "C3": "no"}


def check_cycle_blocked(out: Path) -> None:
    deployed = {r["contributor"]: r["deployed_units"] for r in rows(out, "Contributors")}
    assert deployed == {"A": 0, "B": 0, "C": 1}
    assert binding(out)["C2"] == "yes"  # A requires B: holds A's two battalions back


def check_unicode(out: Path) -> None:
    matrix = rows(out, "Matrix")
    assert [r["site"] for r in matrix] == sorted([UNICODE_SITE, RTL_SITE])
    names = {r["contributor"]: r["name"] for r in rows(out, "Contributors")}
    assert names[RTL_CONTRIBUTOR] == "جمهورية مصر العربية"


def check_long_text(out: Path) -> None:
    names = {r["contributor"]: r["name"] for r in rows(out, "Contributors")}
    assert names["A"] == LONG_TEXT  # 32,767 characters: Excel's limit, kept whole
    note = str(rows(out, "Caveats")[0]["note"])
    assert len(note) == 32_767 and note.startswith("yyyy")  # 40,000 cut to Excel's limit


INJECTED = {INJECTION, "+SUM(1,2)", "@AIR", "-S2", "=1+1", "\t-2+3"}


def check_injection(out: Path) -> None:
    """Every output sheet holds injected text, and each such cell is text, never a formula."""
    wb = load_workbook(out)  # full mode: data_type 'f' would mark a formula
    seen: dict[str, set[str]] = {}
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}: {cell.value}"
                if cell.value in INJECTED:
                    assert cell.data_type == "s", f"{ws.title}!{cell.coordinate}"
                    seen.setdefault(ws.title, set()).add(str(cell.value))
    for sheet in ("Summary", "Allocation", "Contributors", "Caveats", "Gaps"):
        assert INJECTION in seen.get(sheet, set()), sheet
    assert {"-S2", "@AIR"} <= seen["Coverage"]
    assert {"-S2", "@AIR"} <= seen["Matrix"]
    assert {"+SUM(1,2)", "\t-2+3"} <= seen["Contributors"]  # free text kept exactly
    assert "=1+1" in seen["Caveats"]
