"""The content digest a re-plan records (`baseline_sha256`, results/digest.py) against lines
written out by hand from its definition (docs/workbook.md): each sheet in order, each non-empty
row as the JSON list [title, *values], trailing empty cells dropped, numbers to 15 significant
digits (whole ones as integers), an empty text as no value, the Summary's timing rows left out.
The other digest tests compare two digests the same function made; this one does not."""

from __future__ import annotations

import hashlib
from pathlib import Path

from openpyxl import Workbook

from solver.results.digest import baseline_sha256


def test_the_digest_is_its_definition_worked_by_hand(tmp_path: Path) -> None:
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    for row in (
        ("key", "value"),
        ("solve_seconds", 1.23),  # timings: left out
        ("seconds.read", 0.5),
        ("baseline_file_sha256", "ab12"),
        ("status", "optimal"),
        ("cost", 4.0),  # whole: 4
        ("share", 0.1 + 0.2),  # 0.30000000000000004 to 15 digits: 0.3
        ("note", "Kyiv — 1 INF"),  # kept as text, not escaped
    ):
        summary.append(row)
    allocation = book.create_sheet("Allocation")
    allocation.append(("contributor", "units", None))
    allocation.append(("A", 2))
    allocation.append(())  # an empty row: no line
    allocation.append(("B", ""))  # an empty text: no value, then dropped as trailing
    path = tmp_path / "plan.xlsx"
    book.save(path)
    lines = (
        '["Summary", "key", "value"]\n'
        '["Summary", "status", "optimal"]\n'
        '["Summary", "cost", 4]\n'
        '["Summary", "share", 0.3]\n'
        '["Summary", "note", "Kyiv — 1 INF"]\n'
        '["Allocation", "contributor", "units"]\n'
        '["Allocation", "A", 2]\n'
        '["Allocation", "B"]\n'
    )
    expected = hashlib.sha256(lines.encode("utf-8")).hexdigest()
    assert baseline_sha256(path.read_bytes()) == expected


def test_a_workbook_without_a_summary_is_digested_as_its_bytes(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(("contributor", "units"))
    path = tmp_path / "plain.xlsx"
    book.save(path)
    content = path.read_bytes()
    assert baseline_sha256(content) == hashlib.sha256(content).hexdigest()
