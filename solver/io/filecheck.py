"""What a file given as a workbook is, before it is read: refuse what is not a readable .xlsx
workbook with a sentence that says what it is (a folder, Excel's lock file, a legacy or
password-protected file, HTML or CSV renamed), and put what openpyxl raises into a planner's words.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from ..errors import InputError, Issue, Issues
from ..memory_failure import is_out_of_memory
from .zipguard import check_zip_container

log = logging.getLogger(__name__)
LFS_POINTER = b"version https://git-lfs.github.com/spec/"
LFS_SAID = (
    "not the workbook but a Git LFS pointer to it (the repository keeps it in Git LFS): run "
    "`git lfs pull`, or in CI check out with LFS files (actions/checkout's `lfs: true`)"
)


# what a briefing page given where a workbook is read is told to give instead (`check_file`)
A_WORKBOOK = "give the Excel workbook (.xlsx) itself, not a page made from it"
_BRIEFING_MARK = b"<h1>Force generation briefing</h1>"  # report/templates/page.html.j2's heading
BRIEFING_SCAN_BYTES = 64 * 1024  # the heading comes after the page's style sheet (~1.5 KB)


def is_briefing(head: bytes) -> bool:
    """Whether a file's first `BRIEFING_SCAN_BYTES` are those of a page `forcegen report`
    wrote: its heading near the top."""
    return _BRIEFING_MARK in head


def check_file(path: Path, takes: str = A_WORKBOOK) -> None:
    """Refuse what is not a readable .xlsx workbook, naming what it is; a briefing page that
    `forcegen report` wrote is named as one, with `takes`: what the command reads instead
    (`--baseline takes the output workbook of an earlier forcegen solve ...`)."""
    name = path.name
    if not path.exists():
        raise InputError([Issue(str(path), "file not found")])
    if path.is_dir():
        raise InputError([Issue(str(path), "is a folder, not a workbook")])
    if name.startswith("~$"):
        raise InputError([Issue(name, "this is Excel's lock file; choose the real workbook")])
    if name.startswith(".~lock.") and name.endswith("#"):  # it was said to be text or CSV
        raise InputError([Issue(name, "this is LibreOffice's lock file; choose the real workbook")])
    if not path.is_file():  # opening a named pipe would wait for a writer, for ever
        raise InputError(
            [Issue(str(path), "is not a file (a pipe, socket or device), not a workbook")]
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(64)  # enough to tell a Git LFS pointer
    except OSError as exc:
        raise InputError([Issue(name, f"cannot be read ({exc.strerror or exc})")]) from None
    if not head:
        raise InputError([Issue(name, "the file is empty; re-save or re-download it")])
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError([Issue(name, _describe_ole(path))])
    if not head.startswith(b"PK"):
        refuse_a_briefing_page(path, takes)
        if head.startswith(LFS_POINTER):  # a checkout without `git lfs pull` (a CI trial)
            raise InputError([Issue(name, LFS_SAID)])
        raise InputError([Issue(name, f"not an Excel workbook ({_sniff(head)}); save it as .xlsx")])
    check_zip_container(path)


def open_elsewhere(path: Path) -> str:
    """What a lock file beside `path` says, '' where there is none: Excel's (`~$NAME`, or
    with the name's first two characters replaced, as Office does for long names) or
    LibreOffice's (`.~lock.NAME#`) means the workbook may be open with edits not yet saved,
    and forcegen reads the file as last saved (a trial: no word of it)."""
    beside = (f"~${path.name}", f"~${path.name[2:]}", f".~lock.{path.name}#")
    for name in beside:
        if (path.parent / name).is_file():
            return (
                f"{name} lies beside it: the workbook may be open in a spreadsheet program, and "
                "forcegen reads it as last saved (save it first for edits made since to count)"
            )
    return ""


def warn_of_the_file(path: Path, issues: Issues, suffixes: tuple[str, ...]) -> None:
    """What the file's name and its folder say: a workbook named otherwise than `suffixes`, or
    one that may be open elsewhere with edits not yet saved (`open_elsewhere`)."""
    if path.suffix.lower() not in suffixes:
        issues.warn(
            path.name,
            "the file is an Excel workbook (.xlsx) whose name "
            + (f"ends in '{path.suffix}'" if path.suffix else "has no suffix")
            + "; it was read by its content (rename it to .xlsx so that Excel opens it too)",
        )
    if said := open_elsewhere(path):
        issues.warn(path.name, said)


def refuse_a_briefing_page(path: Path, takes: str = A_WORKBOOK) -> None:
    """Refuse the file at `path` when it is an HTML briefing page written by `forcegen report`
    (its heading `Force generation briefing` near the top): `report.html: this is a briefing
    page written by forcegen report (HTML), not a workbook; ` and `takes`. "Save it as .xlsx"
    would be wrong advice for it: the workbook it was made from is what to give."""
    try:
        with path.open("rb") as fh:
            head = fh.read(BRIEFING_SCAN_BYTES)
    except OSError:
        return
    if is_briefing(head):
        raise InputError(
            [
                Issue(
                    path.name,
                    "this is a briefing page written by forcegen report (HTML), not a workbook; "
                    + takes,
                )
            ]
        )


_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_OLE_WORKBOOK = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le") + b"\0\0")
OLE_SCAN_BYTES = 256 * 2**20  # how far into a compound file to look for its stream names


def _describe_ole(path: Path) -> str:
    """An OLE compound file: a password-protected .xlsx, a legacy .xls, or something else."""
    found = b""
    with path.open("rb") as fh:
        tail = b""
        for _ in range(OLE_SCAN_BYTES >> 20):
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            window = tail + chunk
            if _OLE_ENCRYPTED in window:
                found = _OLE_ENCRYPTED
                break
            if not found and any(n in window for n in _OLE_WORKBOOK):
                found = _OLE_WORKBOOK[0]
            tail = chunk[-64:]
    if found == _OLE_ENCRYPTED:
        return (
            "the workbook is password-protected (encrypted), so it cannot be read; in Excel "
            "remove the password (File > Info > Protect Workbook > Encrypt with Password, clear "
            "it) and save, or save an unprotected copy"
        )
    if found:
        return (
            "this is a legacy .xls workbook (Excel 97-2003); open it in Excel and use File > "
            "Save As > Excel Workbook (.xlsx)"
        )
    return (
        "this is a legacy .xls workbook or a password-protected file; save an "
        "unprotected copy as .xlsx (Excel Workbook) and use that"
    )


def _sniff(head: bytes) -> str:
    text = head.lstrip().lower()
    if text.startswith((b"<html", b"<!doc", b"<?xml")):
        return "it looks like HTML or XML text"
    if all(32 <= b < 127 or b in (9, 10, 13) for b in head):
        return "it looks like plain text or CSV"
    return "unrecognised content"


CANNOT_OPEN = (
    "the workbook cannot be opened: the file is damaged or was not written by Excel; open it in "
    "Excel and save it again as .xlsx (Excel Workbook)"
)


def describe_open_failure(exc: Exception) -> str:
    """A planner's sentence for what openpyxl or the XML parser raised; the library's own text
    (an exception name, a hint to use xlrd) goes to the log (`--verbose`), never to the planner."""
    if is_out_of_memory(exc):  # no damage of the file: the command says out of memory
        raise MemoryError(f"out of memory while reading the workbook ({exc})") from exc
    text = f"{type(exc).__name__}: {exc}"
    log.info("workbook not readable: %s", text)
    cause = exc.__cause__ or exc.__context__
    if cause is not None and "Entities" in type(cause).__name__:
        return "the file contains XML entity declarations, which are refused for safety"
    if "Entities" in text or "entity" in text.lower():
        return "the file contains XML entity declarations, which are refused for safety"
    if isinstance(exc, zipfile.BadZipFile):
        return "the file is damaged (not a complete .xlsx); re-save or re-download it"
    if isinstance(exc, KeyError):
        return "the file is not a complete Excel workbook (a part is missing); re-save it in Excel"
    return CANNOT_OPEN


def not_a_file(path: Path) -> str:
    """What a path that is no regular file is, as a reader says it: `no such file`, `is a
    folder, not a workbook`, or a pipe, socket or device (a fault trial: a FIFO was `no such
    file` in report, `does not exist` in check)."""
    if path.is_dir():
        return "is a folder, not a workbook"
    if path.exists():  # opening a named pipe would wait for a writer, for ever
        return "is not a file (a pipe, socket or device), not a workbook"
    return "no such file"


INPUT_SHEETS = ("requirements", "pledges")  # every input workbook has them, no output does


def is_plan(sheets: set[str]) -> bool:
    """Sheet names (`sheet_names`) of an output of solve or sweep: a Summary and a plan
    (Allocation, or a timed plan's Tours), and no input sheet."""
    return (
        "summary" in sheets
        and bool(sheets & {"allocation", "tours"})
        and not sheets.intersection(INPUT_SHEETS)
    )


def sheet_names(path: Path) -> set[str] | None:
    """The sheet names of the workbook at `path` as the readers match them (`norm`), or None
    when it cannot be opened (missing, damaged, not a workbook: `check_file` says which). For
    telling kinds of workbook apart (input, snapshot or timed output) before reading one."""
    from .open_book import open_workbook
    from .schema_types import norm

    if not Path(path).is_file():  # a folder, or a named pipe: opening it would wait for ever
        return None
    try:
        with Path(path).open("rb") as handle:
            book = open_workbook(handle, data_only=False)
            titles = {norm(t) for t in book.sheetnames}
            book.close()
    except Exception:  # damaged, not a workbook: judged by the readers
        return None
    return titles
