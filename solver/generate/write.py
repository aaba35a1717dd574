"""Writing a generated case: its sheets' rows, and the workbook, byte-identical for the same case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from ..io.schema import SHEETS_BY_NAME
from ..io.schema_time import TIME_COLUMNS
from ..results.room import DISK_FULL, detached
from ..results.safe_write import atomic_write
from ..results.writer import temp_folder_full, workbook_bytes
from .case import Case

GENERATED_CREATOR = "forcegen generate"


def case_rows(case: Case) -> dict[str, list[dict[str, Any]]]:
    """The sheets' rows, keyed by sheet name; a timed case also has Periods and Profile."""
    rows = _snapshot_rows(case)
    if not case.periods:
        return rows
    return {"Periods": case.periods, **rows, "Profile": case.profile}


def _snapshot_rows(case: Case) -> dict[str, list[dict[str, Any]]]:
    yes = {True: "yes", False: "no"}
    unavailable = [c["contributor"] for c in case.contributors if c["status"] == "unavailable"]
    return {
        "Contributors": case.contributors,
        "Capabilities": case.capabilities,
        "Sites": case.sites,
        "Requirements": [
            {
                "site": s,
                "capability": k,
                **r,
                "hard": yes[r["hard"]],
                "single_source": yes[r["single_source"]],
            }
            for (s, k), r in case.requirements.items()
        ],
        "Pledges": [{"contributor": c, "capability": k, **p} for (c, k), p in case.pledges.items()],
        "Caveats": case.caveats,
        "Settings": [
            {"setting": "time_limit", "value": 60},
            {"setting": "mip_gap", "value": 1e-4},
            {"setting": "threads", "value": 1},
            {"setting": "seed", "value": 0},
        ],
        "Scenarios": [
            {
                "scenario": "all_available",
                "sheet": "Contributors",
                "key": c,
                "column": "status",
                "value": "available",
            }
            for c in unavailable
        ],
    }


def write_case(case: Case, path: Path) -> dict[str, int]:
    """Write the workbook atomically, byte-identical for the same case (openpyxl write-only mode:
    streams rows, fast on big cases)."""
    wb = Workbook(write_only=True)
    wb.properties.creator = GENERATED_CREATOR  # `generate --force` may replace it, nothing else
    counts = {}
    try:
        for name, rows in case_rows(case).items():  # a snapshot: no time columns
            if name in ("Scenarios", "Profile") and not rows:
                continue
            ws = wb.create_sheet(name)
            untimed = () if case.periods else TIME_COLUMNS.get(name, ())
            columns = [c.name for c in SHEETS_BY_NAME[name].columns if c.name not in untimed]
            ws.append(columns)
            for row in rows:
                ws.append([row.get(col) for col in columns])
            counts[name] = len(rows)
    except OSError as exc:  # write-only mode streams each sheet to a temporary file
        if exc.errno not in DISK_FULL:
            raise
        full: OSError | None = detached(exc)
    else:
        full = None
    if full is not None:  # the sheets' writers let go of first, so that they are collected quietly
        wb = ws = None
        raise temp_folder_full(full)
    atomic_write(path, workbook_bytes(wb))
    return counts
