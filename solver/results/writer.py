"""Writing output workbooks: readable formatting, safe text, atomic and byte-for-byte deterministic."""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import UsageError

FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SHORT_FILL = PatternFill("solid", fgColor="F8CBAD")
HARD_FONT = Font(bold=True)
MAX_CELL_TEXT = 32_767


@dataclass
class OutSheet:
    """One sheet to write: a table, and which rows to highlight."""

    title: str
    frame: pd.DataFrame
    highlight: np.ndarray | None = None  # rows (0-based) to fill as a gap
    bold: np.ndarray | None = None  # rows to set in bold (e.g. hard requirements)
    widths: dict[str, int] = field(default_factory=dict)
    decorate: Callable[[Worksheet], None] | None = None  # charts, conditional formats: last


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


def build_workbook(sheets: Sequence[OutSheet]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec.title[:31])
        frame = spec.frame
        headers = [str(c) for c in frame.columns]
        for j, header in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=j, value=safe_text(header))
            cell.data_type = "s"  # a header from input data (a capability code) stays text
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
            cell.alignment = Alignment(horizontal="center", vertical="center")
        widths = [len(h) for h in headers]
        fill = set(np.flatnonzero(spec.highlight).tolist()) if spec.highlight is not None else set()
        bold = set(np.flatnonzero(spec.bold).tolist()) if spec.bold is not None else set()
        # cells are addressed one by one: openpyxl's ws[row] rescans the whole sheet each time
        for i, values in enumerate(frame.itertuples(index=False, name=None)):
            styled_fill, styled_bold = i in fill, i in bold
            for j, raw in enumerate(values, start=1):
                value = _cell_value(raw)
                cell = ws.cell(row=i + 2, column=j, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                if value is not None:
                    widths[j - 1] = max(widths[j - 1], len(_display(value)))
                if styled_fill:
                    cell.fill = SHORT_FILL
                if styled_bold:
                    cell.font = HARD_FONT
        for j, width in enumerate(widths, start=1):
            name = headers[j - 1]
            ws.column_dimensions[get_column_letter(j)].width = spec.widths.get(
                name, min(max(width + 2, 8), 60)
            )
        ws.freeze_panes = "A2"
        if len(frame) and headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(frame) + 1}"
        if spec.decorate is not None:
            spec.decorate(ws)
    wb.properties.creator = "forcegen"
    wb.properties.created = FIXED_TIME
    return wb


def _display(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise with fixed timestamps so that equal content gives equal bytes."""
    raw = io.BytesIO()
    wb.save(raw)
    return deterministic_zip(raw.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)")


def deterministic_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
                content = _CREATED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def refuse_overwriting_inputs(output: Path, inputs: Sequence[Path]) -> None:
    out = Path(output)
    for src in inputs:
        src = Path(src)
        same = out.resolve() == src.resolve()
        if not same and out.exists() and src.exists():
            same = os.path.samefile(out, src)
        if same:
            raise UsageError(f"output {out.name} is the input workbook; choose another output path")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, then rename over the target."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".~tmp-{path.name}-", dir=folder)
    except OSError as exc:
        raise UsageError(f"cannot write to folder {folder}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        hint = (
            " (is it open in Excel? close it and retry)" if isinstance(exc, PermissionError) else ""
        )
        raise UsageError(f"cannot write {path.name}: {exc.strerror or exc}{hint}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
