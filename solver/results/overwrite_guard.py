"""The output guard: a command never replaces a file it reads, nor one forcegen did not write,
nor a plan holding a planner's work (an edited plan, a lock), nor one it cannot read well
enough to tell; each refusal says what the file is and leaves it as it is."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import UsageError
from ..io.filecheck import BRIEFING_SCAN_BYTES, is_briefing
from ..io.open_book import DAMAGE, PART_UNREADABLE, core_damaged, workbook_at
from ..io.zipguard import PROPERTIES_PARTS, unreadable_part
from .safe_write import through_links
from .writer import OUTPUT_CREATOR

# what a workbook or other office document starts with: a zip (xlsx, xlsm, docx, ods) or OLE2 (xls)
_DOCUMENT_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
# what forcegen writes: an existing file of any other kind (a script, a note) is never replaced
_WRITTEN_SUFFIXES = frozenset({".xlsx", ".html", ".htm", ".xml", ".json"})
_ALIASES = {".html": (".htm",)}
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".ods")
_INPUT_SHEETS = ("Requirements", "Pledges")  # every input workbook has them, no output does
_CREATOR = re.compile(r"<dc:creator>([^<]*)</dc:creator>")
_SHEET_NAME = re.compile(r"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")
_PART_LIMIT = 4 << 20  # a part larger than this is not read by the guard
_CORE = "docProps/core.xml"  # the document properties, which hold the Author
_DAMAGED_CORE = f"its document properties ({_CORE}) are damaged"
_NO_CORE = f"has no document properties ({_CORE})"
# what reading an existing file may raise: the file itself unreadable, its zip or XML damaged, a
# part the zip cannot give (encrypted, compressed by a method zipfile does not read)
_CANNOT_READ = (OSError, *DAMAGE, *PART_UNREADABLE)
# the sheets by which the guards tell a plan and its edits (`_is_plan`, hand_edit.hand_edit)
_JUDGED_SHEETS = ("Summary", "Allocation", "Tours")


def refuse_overwriting_inputs(
    output: Path,
    inputs: Sequence[Path],
    replaceable: Sequence[str] = (OUTPUT_CREATOR,),
    kind: tuple[str, str] | None = None,
    keeps_plans: bool = False,
) -> None:
    """The guard every command that writes calls before it reads or solves anything.

    Refused: an output that is one of the command's `inputs` (same path, or the same file
    through a link), and an existing workbook or office document that forcegen did not write
    (whose Author is not in `replaceable`, or that has an input sheet): an input workbook, a
    reference case or someone's work is never replaced by an HTML page, XML or a plan. So is
    one of which forcegen cannot read the Author or, the Author forcegen's, the plan (damaged,
    or a part the zip cannot give): the refusal says what it could not read.
    `kind` = (suffix, what): the output must carry that suffix (`.html`, "an HTML page"), so a
    plan is never replaced by a page or a page by a workbook under the other's name.
    `keeps_plans`: the command writes no plan and has no --force (a comparison, verify's
    findings), so an existing plan (an output of solve or sweep: Summary with Allocation or
    Tours, hand-edited or not) is refused too; `generate` and `template` replace one only when
    told to with --force."""
    out = Path(output)
    if out.is_symlink():  # the write goes where it points (safe_write.through_links): judge that
        target = through_links(out)
        if target.suffix.lower() != out.suffix.lower():
            raise UsageError(
                f"output {out.name} is a link to {target}, a file of another kind: choose "
                "another output path"
            )
        out = target
    if out.exists() and not (out.is_file() or out.is_dir()):  # opening a pipe waits for ever
        raise UsageError(f"output {out} is not a file (a pipe, socket or device): give a file name")
    for n, src in enumerate(inputs):
        src = Path(src)
        same = out.resolve() == src.resolve()
        if not same and out.exists() and src.exists():
            same = os.path.samefile(out, src)
        if same:
            workbook = src.suffix.lower() in _WORKBOOK_SUFFIXES
            what = "the workbook this command reads" if workbook and n == 0 else "an input"
            if n > 0:  # e.g. the --baseline file: say which input it is
                what += f" of this command ({src.name}, read with {Path(inputs[0]).name})"
            raise UsageError(f"output {out.name} is {what}; choose another output path")
    if out.is_file() and _is_document(out):
        _refuse_unless_replaceable(out, replaceable)
    if keeps_plans and out.is_file() and _is_plan(out):
        raise UsageError(
            f"{out} is a plan (an output of forcegen solve or sweep) and this command does not "
            "write one: choose another output path, or move the plan away first"
        )
    if out.is_file() and out.suffix.lower() not in _WRITTEN_SUFFIXES:
        raise UsageError(
            f"{out} exists and is not a kind of file forcegen writes "
            f"({', '.join(sorted(_WRITTEN_SUFFIXES))}): choose another output path"
        )
    if kind is not None and out.is_dir():  # `.` or a folder: its name is blank or no file's
        raise UsageError(
            f"output {out} is a folder: this command writes {kind[1]}; name the file in it "
            f"(NAME{kind[0]})"
        )
    if kind is not None and out.suffix.lower() not in (kind[0], *_ALIASES.get(kind[0], ())):
        raise UsageError(
            f"output {out.name} must end in {kind[0]}: this command writes {kind[1]} "
            f"(name it NAME{kind[0]})"
        )


def refuse_replacing_a_foreign_page(output: Path) -> None:
    """An existing HTML page that is no briefing of `forcegen report` (a planner's own page,
    a saved web page) is left as it is: `report -o` replaced any `.html` (a README trial), as
    `check --junit` refuses an XML file that is no JUnit report of its own."""
    out = through_links(Path(output))
    if not out.is_file():
        return
    try:
        with open(out, "rb") as page:
            head = page.read(BRIEFING_SCAN_BYTES)
    except OSError as exc:
        raise UsageError(
            f"{out}: cannot read the existing page to tell what it is ({exc})"
        ) from None
    if not is_briefing(head):
        raise UsageError(
            f"{out} exists and is not a briefing written by forcegen report: choose another "
            "output path (-o), or move it away first"
        )


def refuse_replacing_an_edited_plan(
    output: Path, doing: str = "solving into it", other: str = "another output path (-o)"
) -> None:
    """A plan edited by hand after solving (its Allocation, or Tours, no longer gives the
    digest its Summary recorded), or given locks (a `lock` column), is a planner's work:
    `doing` (solving into it: `solve -o` and `api.write` alike; writing a template or a
    generated workbook over it, even with --force) would lose it; the error says why it is
    refused and to choose `other`."""
    from .hand_edit import hand_edit

    why = hand_edit(output) if output.is_file() else ""
    if why:
        raise UsageError(
            f"{output} {why}: {doing} would lose that work; choose {other}, or move it away first"
        )


def _refuse_unless_replaceable(out: Path, replaceable: Sequence[str]) -> None:
    """Refuse the existing document `out` unless its Author is in `replaceable` and it can be
    read: one that cannot may hold a planner's work (an edited plan) that forcegen cannot see."""
    if _author(out) not in replaceable:
        raise UsageError(_not_replaced(out))
    unread = _unreadable(out)
    if unread:
        raise UsageError(_left_as_it_is(out, unread, "whether it holds a planner's work"))


def _not_replaced(out: Path) -> str:
    """Why the existing document `out`, whose Author is not one that may be replaced, is left
    as it is: its document properties, where the Author is, are damaged or, a workbook's,
    missing (`_core_unread`), unless it is an input workbook; else it is not a forcegen
    output."""
    unread = _core_unread(out)
    if unread and not _is_input_workbook(out):
        return _left_as_it_is(out, unread, "it is its own output")
    return (
        f"{out} exists and is not a forcegen output (an input workbook, or someone's work): "
        "choose another output path, or move that file away first"
    )


def _left_as_it_is(out: Path, unread: str, untold: str) -> str:
    """The refusal of the existing file `out`, of which `unread` (what forcegen could not read)
    keeps forcegen from telling `untold`."""
    return (
        f"{out} exists and {unread}, so forcegen cannot tell {untold}: it is left as it is; "
        "choose another output path (-o), or remove that file first"
    )


def _unreadable(out: Path) -> str:
    """What of the existing workbook `out` forcegen cannot read, in words ("" when nothing): a
    part the zip cannot give (but a properties part, which the readers ignore), or the workbook
    as the one opener reads it, with the sheets a plan and its edits are told by."""
    try:
        with zipfile.ZipFile(out) as z:
            parts = [
                (info.filename, why)
                for info in z.infolist()
                if info.filename not in PROPERTIES_PARTS and (why := unreadable_part(info))
            ]
    except _CANNOT_READ:
        return "is damaged (not a complete zip)"
    if parts:
        return f"its part {parts[0][0]} is {parts[0][1]}"
    try:
        with workbook_at(out, keep_links=False) as book:
            for title in _JUDGED_SHEETS:
                if title in book.sheetnames:
                    for _ in book[title].iter_rows(values_only=True):
                        pass
    except _CANNOT_READ:
        return "cannot be read as a workbook (the file is damaged)"
    return ""


def _is_plan(path: Path) -> bool:
    from ..io.filecheck import is_plan, sheet_names

    return is_plan(sheet_names(path) or set())


def _is_document(path: Path) -> bool:
    if path.suffix.lower() in _WORKBOOK_SUFFIXES:
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(4) in _DOCUMENT_MAGIC
    except OSError:
        return True  # unreadable: do not assume it may be replaced


def _author(path: Path) -> str | None:
    """The workbook's Author (dc:creator), None when unreadable; a workbook that says forcegen
    wrote it as an output but has input sheets (Requirements, Pledges) is an input: None. One
    whose workbook part cannot be read is not said to be an input (`_unreadable` judges it)."""
    try:
        with zipfile.ZipFile(path) as z:
            core = _small_part(z, _CORE)
    except _CANNOT_READ:
        return None
    creator = _CREATOR.search(core)
    if creator is None:
        return None
    author = creator.group(1).strip()
    return None if author == OUTPUT_CREATOR and _is_input_workbook(path) else author


def _has_input_sheets(book: str) -> bool:
    """Whether the workbook part `book` (xl/workbook.xml) lists an input sheet."""
    return bool(set(_SHEET_NAME.findall(book)).intersection(_INPUT_SHEETS))


def _is_input_workbook(path: Path) -> bool:
    """Whether the workbook at `path` has an input sheet (Requirements, Pledges)."""
    try:
        with zipfile.ZipFile(path) as z:
            return _has_input_sheets(_small_part(z, "xl/workbook.xml"))
    except _CANNOT_READ:
        return False


def _core_unread(path: Path) -> str:
    """Why the Author of the document at `path` cannot be read from its docProps/core.xml, in
    words ("" when it can, or the file is no zip): the part is damaged as the opener judges it
    (io/open_book.py `core_damaged`; its bytes damaged in the zip too), or a workbook has none
    (zipped again by a program that left it out)."""
    try:
        z = zipfile.ZipFile(path)
    except _CANNOT_READ:
        return ""
    with z:
        try:
            info = z.getinfo(_CORE)
        except KeyError:
            return _NO_CORE if "xl/workbook.xml" in z.namelist() else ""
        if info.file_size > _PART_LIMIT:
            return ""
        try:
            xml = z.read(info)
        except _CANNOT_READ:
            return _DAMAGED_CORE
    return _DAMAGED_CORE if core_damaged(xml) else ""


def _small_part(z: zipfile.ZipFile, name: str, limit: int = _PART_LIMIT) -> str:
    if z.getinfo(name).file_size > limit:
        raise ValueError(f"{name} too large")
    return z.read(name).decode("utf-8", errors="replace")


def file_state(path: Path) -> tuple[int, ...] | None:
    """What tells a file written again: its inode, size and modification time (None: none)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def written_meanwhile(output: Path) -> str:
    """Another run wrote `output` while this one solved (two planners' jobs with one default
    output: a trial saw both say `written:` and one plan lost): it is replaced as asked, but
    said."""
    return (
        f"warning: {output} was written by another run while this one solved; it is replaced "
        "as asked, and that run's plan is in no file now: give each run its own -o to keep both"
    )
