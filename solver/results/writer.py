"""Writing output workbooks: readable formatting, safe text, atomic and byte-for-byte deterministic."""

from __future__ import annotations

import gc
import io
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import UsageError
from .room import DISK_FULL, detached, no_room
from .sheet_body import Body, body_xml, sheet_files, splice

FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SHORT_FILL = PatternFill("solid", fgColor="F8CBAD")
HARD_FONT = Font(bold=True)
MAX_CELL_TEXT = 32_767
OUTPUT_CREATOR = "forcegen"  # the Author (dc:creator) of every workbook build_workbook writes


@dataclass
class OutSheet:
    """One sheet to write: a table, and which rows to highlight."""

    title: str
    frame: pd.DataFrame
    highlight: np.ndarray | None = None  # rows (0-based) to fill as a gap
    bold: np.ndarray | None = None  # rows to set in bold (e.g. hard requirements)
    widths: dict[str, int] = field(default_factory=dict)
    decorate: Callable[[Worksheet], None] | None = None  # charts, conditional formats: last
    # True when `decorate` edits body cells (formats, tables below): the body is then made of
    # openpyxl cells; otherwise it is written straight as XML (sheet_body.py), ~10x faster
    cells: bool = False
    # the top-left cell not frozen: the header row, and on a grid (Matrix) its first column too
    # (a scale trial's 30 capability columns scrolled the site names away)
    freeze: str = "A2"


class OutWorkbook(Workbook):
    """An openpyxl workbook plus the sheet bodies to splice in when it is saved."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: dict[str, Body] = {}


def safe_text(value: str) -> str:
    """Text as it can live in a cell: no XML-illegal characters, within Excel's length limit."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value if len(value) <= MAX_CELL_TEXT else value[: MAX_CELL_TEXT - 1] + "…"


def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, str):
        return safe_text(value)
    return value


def build_workbook(sheets: Sequence[OutSheet]) -> OutWorkbook:
    wb = OutWorkbook()
    wb.remove(wb.active)
    styles = _style_ids(wb)
    for spec in sheets:
        ws = wb.create_sheet(spec.title[:31])
        frame = spec.frame
        headers = [str(c) for c in frame.columns]
        for j, header in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=j, value=safe_text(header))
            cell.data_type = "s"  # a header from input data (a capability code) stays text
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
            cell.alignment = Alignment(horizontal="center", vertical="center")
        fill = _row_mask(spec.highlight, len(frame))
        bold = _row_mask(spec.bold, len(frame))
        columns = [[_cell_value(v) for v in frame.iloc[:, j].tolist()] for j in range(len(headers))]
        if spec.cells:
            _write_cells(ws, columns, fill, bold)
        elif len(frame) and headers:
            row_styles = np.select(
                [fill & bold, fill, bold],
                [styles[True, True], styles[True, False], styles[False, True]],
                0,
            )
            wb.bodies[ws.title] = body_xml(columns, row_styles)
        for j, name in enumerate(headers, start=1):
            shown = [len(_display(v)) for v in columns[j - 1] if v is not None]
            width = max([len(name), *shown])
            ws.column_dimensions[get_column_letter(j)].width = spec.widths.get(
                name, min(max(width + 2, 8), 60)
            )
        ws.freeze_panes = spec.freeze
        print_setup(ws)
        if len(frame) and headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(frame) + 1}"
        if spec.decorate is not None:
            spec.decorate(ws)
    wb.properties.creator = OUTPUT_CREATOR
    wb.properties.created = FIXED_TIME
    return wb


def print_setup(ws: Worksheet, title_rows: str | None = "1:1") -> None:
    """Printed, a sheet is landscape and one page wide (as many pages long as it takes), repeats
    its header row on every page and says in the footer which sheet and page it is. The settings
    live outside `<sheetData>` (and the print titles in workbook.xml), so the spliced body
    (sheet_body.py) leaves them alone."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # 0: as many pages as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.left.text = "&A"  # the sheet's name
    ws.oddFooter.right.text = "Page &P of &N"


def _row_mask(rows: np.ndarray | None, n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool) if rows is None else np.asarray(rows, dtype=bool)


def _style_ids(wb: Workbook) -> dict[tuple[bool, bool], int]:
    """Style ids (fill, bold) for body rows, registered through a probe sheet removed after."""
    probe = wb.create_sheet("~styles")
    ids = {}
    for j, (fill, bold) in enumerate(((True, False), (False, True), (True, True)), start=1):
        cell = probe.cell(row=1, column=j)
        if fill:
            cell.fill = SHORT_FILL
        if bold:
            cell.font = HARD_FONT
        ids[fill, bold] = cell.style_id
    wb.remove(probe)
    return ids


def _write_cells(
    ws: Worksheet, columns: list[list[Any]], fill: np.ndarray, bold: np.ndarray
) -> None:
    """The body as openpyxl cells, for sheets whose decoration edits them."""
    # cells are addressed one by one: openpyxl's ws[row] rescans the whole sheet each time
    for j, column in enumerate(columns, start=1):
        for i, value in enumerate(column):
            cell = ws.cell(row=i + 2, column=j, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if fill[i]:
                cell.fill = SHORT_FILL
            if bold[i]:
                cell.font = HARD_FONT


def _display(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise with fixed timestamps so that equal content gives equal bytes. openpyxl
    writes each sheet to a temporary file first: a full temporary folder is said as such."""
    raw = io.BytesIO()
    full: OSError | None = None
    try:
        wb.save(raw)
    except OSError as exc:
        if exc.errno not in DISK_FULL:
            raise
        full = detached(exc)
    if full is not None:
        raise temp_folder_full(full)
    return deterministic_zip(raw.getvalue(), getattr(wb, "bodies", {}))


def temp_folder_full(exc: OSError) -> UsageError:
    """What to raise when openpyxl's temporary sheet files hit a full disk or a file size
    limit (`exc`), after collecting the writers it left open."""
    _close_quietly()
    reason, remedy = no_room(exc, temporary=True)
    return UsageError(
        f"cannot write the workbook: {reason} in the temporary folder "
        f"{tempfile.gettempdir()} (openpyxl writes each sheet there first); {remedy}"
    )


def _close_quietly() -> None:
    """Collect what a failed save left open (openpyxl's sheet writers, whose closing fails on
    the same full disk) without Python's "Exception ignored in ..." lines."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)")


def deterministic_zip(data: bytes, bodies: dict[str, Body] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    body_of = {}
    if bodies:
        files = sheet_files(src)
        body_of = {files[title]: body for title, body in bodies.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename in body_of:
                content = splice(content, body_of[info.filename])
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
                content = _CREATED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()
