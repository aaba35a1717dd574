"""A run that found no plan keeps the plan it would have replaced.

`solve -o OUT` with no plan to show for it (no plan within the time limit: exit 4; or Ctrl-C
before the first plan) would write its empty workbook over OUT. When OUT holds a plan solved
from the same workbook (its Summary's `input_sha256` is this input's SHA-256) and scenario,
that plan is still an answer to the question asked, the best one there is: it is kept, and
the run's failure is said on the console instead (README "Exit codes").
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook


def earlier_plan(output: Path, input_sha256: str, scenario: str, baseline_sha256: str = "") -> str:
    """The status of the plan `output` holds when it is a forcegen output of the workbook whose
    SHA-256 is `input_sha256`, solved for `scenario` against the same baseline (its Summary's
    `baseline_sha256`, "" for none), with a plan (status optimal or feasible, or interrupted
    with rows in its Allocation); "" for anything else (no such file, another workbook,
    scenario or baseline, no plan, unreadable)."""
    if not (input_sha256 and output.is_file()):
        return ""
    try:
        book = load_workbook(output, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return ""
    try:
        return _plan_status(book, input_sha256, scenario, baseline_sha256)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return ""
    finally:
        book.close()


def _plan_status(book: Any, input_sha256: str, scenario: str, baseline_sha256: str) -> str:
    if not {"Summary", "Allocation"} <= set(book.sheetnames):
        return ""
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    if summary.get("input_sha256") != input_sha256 or summary.get("scenario") != scenario:
        return ""
    if (summary.get("baseline_sha256") or "") != baseline_sha256:
        return ""
    status = summary.get("status")
    if status == "interrupted":  # stopped before its first plan, or with one
        rows = book["Allocation"].iter_rows(min_row=2, values_only=True)
        return status if any(any(v is not None for v in row) for row in rows) else ""
    return str(status) if status in ("optimal", "feasible") else ""
