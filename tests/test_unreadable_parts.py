"""A workbook with a part its zip cannot give at all: encrypted with a zip password (zipfile raises
RuntimeError) or compressed by a method zipfile does not read (NotImplementedError), as no
Excel file is, or a part whose XML or zip data is damaged. Every reader refuses it naming the
part, exit 2 (solver/io/zipguard.py), but for a document properties part, which it ignores with
its warning as any damaged one (solver/io/open_book.py); the output guard never replaces such a
file, and says what it could not read (solver/results/overwrite_guard.py). Before, each of these was an
internal error (a traceback with --debug) in the guard."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from solver.cli import main

from .test_damaged_properties import with_part
from .workbooks import simple_case

# general-purpose flags zipfile reads no part under: encrypted with a zip password, strong
# encryption, compressed patched data
ENCRYPTED, STRONG_ENCRYPTION, PATCHED = 0x01, 0x40, 0x20
UNKNOWN_METHOD = 99  # a compression method no zip reader knows (AE-x encryption's marker)
SHEET = "xl/worksheets/sheet1.xml"
LEFT = "it is left as it is; choose another output path (-o), or remove that file first"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def marked(source: Path, target: Path, part: str, flag: int = 0, method: int | None = None) -> Path:
    """A copy of `source` whose `part` carries the general-purpose `flag` and, when given, the
    compression `method`, in its local header and in the central directory (its bytes as
    they were: zipfile refuses it before reading them)."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        local = z.getinfo(part).header_offset
    end = data.rfind(b"PK\x05\x06")
    central = struct.unpack_from("<I", data, end + 16)[0]
    headers = [local + 6]  # a local header: signature, version, then flags and method
    at = central
    while data[at : at + 4] == b"PK\x01\x02":  # a central one: ..., version, flags, method
        size, extra, comment = struct.unpack_from("<HHH", data, at + 28)
        if data[at + 46 : at + 46 + size].decode() == part:
            headers.append(at + 8)
        at += 46 + size + extra + comment
    for offset in headers:
        struct.pack_into("<H", data, offset, struct.unpack_from("<H", data, offset)[0] | flag)
        if method is not None:
            struct.pack_into("<H", data, offset + 2, method)
    target.write_bytes(bytes(data))
    return target


def inflated_wrongly(source: Path, target: Path, part: str) -> Path:
    """A copy of `source` whose `part`'s deflated bytes are overwritten (zlib.error)."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo(part)
    size, extra = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + size + extra
    data[start : start + info.compress_size] = bytes(info.compress_size)
    target.write_bytes(bytes(data))
    return target


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An input workbook and its plan, solved once."""
    folder = tmp_path_factory.mktemp("unreadable")
    case = simple_case(folder / "case.xlsx")
    plan = folder / "plan.xlsx"
    assert run("solve", case, "-o", plan).exit_code == 0
    return case, plan


def _sheet_of(plan: Path, title: str) -> str:
    """The part holding the sheet `title` of the workbook at `plan` (forcegen writes them in
    order: sheet<n>.xml for the n-th)."""
    with zipfile.ZipFile(plan) as z:
        book = z.read("xl/workbook.xml").decode()
    names = [chunk.split('"', 1)[0] for chunk in book.split('<sheet name="')[1:]]
    return f"xl/worksheets/sheet{names.index(title) + 1}.xml"


@pytest.mark.parametrize(
    ("flag", "method"),
    [(ENCRYPTED, None), (0, UNKNOWN_METHOD), (STRONG_ENCRYPTION, None), (PATCHED, None)],
)
def test_solve_never_replaces_an_output_whose_properties_the_zip_cannot_give(
    files: tuple[Path, Path], tmp_path: Path, flag: int, method: int | None
) -> None:
    """docProps/core.xml (where the Author is) so marked: said damaged, as the readers say it
    (they ignore it), and the file left as it was. Before: internal error: RuntimeError (or
    NotImplementedError)."""
    case, plan = files
    target = marked(plan, tmp_path / "old.xlsx", "docProps/core.xml", flag, method)
    before = target.read_bytes()
    result = run("solve", case, "-o", target)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (
        f"error: {target} exists and its document properties (docProps/core.xml) are damaged, "
        f"so forcegen cannot tell it is its own output: {LEFT}"
    )
    assert target.read_bytes() == before


@pytest.mark.parametrize(
    ("part", "flag", "method", "why"),
    [
        ("xl/workbook.xml", ENCRYPTED, None, "is encrypted with a zip password"),
        (
            "xl/workbook.xml",
            0,
            UNKNOWN_METHOD,
            "is compressed by a method forcegen cannot read (zip method 99)",
        ),
        ("Allocation", ENCRYPTED, None, "is encrypted with a zip password"),
        (
            "Summary",
            0,
            UNKNOWN_METHOD,
            "is compressed by a method forcegen cannot read (zip method 99)",
        ),
    ],
)
def test_solve_never_replaces_an_output_with_a_part_the_zip_cannot_give(
    files: tuple[Path, Path],
    tmp_path: Path,
    part: str,
    flag: int,
    method: int | None,
    why: str,
) -> None:
    """Its Author forcegen's, but its workbook part or a sheet the zip cannot give: forcegen
    cannot tell whether the plan in it was edited, so it is left, the part named."""
    case, plan = files
    part = part if "/" in part else _sheet_of(plan, part)
    target = marked(plan, tmp_path / "old.xlsx", part, flag, method)
    before = target.read_bytes()
    result = run("solve", case, "-o", target)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (
        f"error: {target} exists and its part {part} {why}, so forcegen cannot tell whether it "
        f"holds a planner's work: {LEFT}"
    )
    assert target.read_bytes() == before


@pytest.mark.parametrize("how", ["no XML", "inflated wrongly"])
@pytest.mark.parametrize("part", ["xl/workbook.xml", "Allocation", "Summary"])
def test_solve_never_replaces_an_output_it_cannot_read(
    files: tuple[Path, Path], tmp_path: Path, part: str, how: str
) -> None:
    """Its workbook part or a plan sheet no XML (ParseError) or its deflated bytes damaged
    (zlib.error): left as it is, saying forcegen cannot read it. Before: internal error."""
    case, plan = files
    part = part if "/" in part else _sheet_of(plan, part)
    target = tmp_path / "old.xlsx"
    if how == "no XML":
        with_part(plan, target, part, b"<not xml")
    else:
        inflated_wrongly(plan, target, part)
    before = target.read_bytes()
    result = run("solve", case, "-o", target)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[-1] == (
        f"error: {target} exists and cannot be read as a workbook (the file is damaged), so "
        f"forcegen cannot tell whether it holds a planner's work: {LEFT}"
    )
    assert target.read_bytes() == before


def test_every_reader_refuses_a_part_the_zip_cannot_give(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    """An encrypted sheet of the input (validate, solve, report's --input: no map) or of the
    plan (verify, compare, report, solve --baseline): exit 2 naming the part, nothing written.
    Before: `the workbook cannot be opened` (report: the library's own words)."""
    case, plan = files
    said = (
        "the file cannot be read: its part {part} is encrypted with a zip password, which Excel "
        "never writes (the file was zipped again by another program, or is damaged); save it "
        "again from Excel as .xlsx (Excel Workbook), or re-download it"
    )
    bad_case = marked(case, tmp_path / "bad_case.xlsx", SHEET, ENCRYPTED)
    part = _sheet_of(plan, "Allocation")
    bad_plan = marked(plan, tmp_path / "bad_plan.xlsx", part, ENCRYPTED)
    page = tmp_path / "page.html"
    commands = {
        "validate": (["validate", bad_case], bad_case, SHEET),
        "solve": (["solve", bad_case, "-o", tmp_path / "new.xlsx"], bad_case, SHEET),
        "verify": (["verify", case, bad_plan], bad_plan, part),
        "compare": (["compare", plan, bad_plan], bad_plan, part),
        "report": (["report", bad_plan, "-o", page, "--input", case], bad_plan, part),
        "baseline": (
            ["solve", case, "--baseline", bad_plan, "-o", tmp_path / "re.xlsx"],
            bad_plan,
            part,
        ),
    }
    for name, (args, file, named) in commands.items():
        result = run(*args)
        assert result.exit_code == 2, (name, result.output)
        assert f"error: {file.name}: {said.format(part=named)}" in result.output, name
    assert not page.exists() and not (tmp_path / "new.xlsx").exists()
    assert not (tmp_path / "re.xlsx").exists()


def test_properties_the_zip_cannot_give_are_ignored_by_the_readers(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    """docProps/core.xml encrypted, or compressed by an unknown method: read as if damaged
    (ignored, with the warning that names the part), as its bytes damaged in the zip are.
    Before: `the workbook cannot be opened`, exit 2."""
    case, plan = files
    for flag, method in ((ENCRYPTED, None), (0, UNKNOWN_METHOD)):
        bad_case = marked(case, tmp_path / "case_props.xlsx", "docProps/core.xml", flag, method)
        bad_plan = marked(plan, tmp_path / "plan_props.xlsx", "docProps/core.xml", flag, method)
        for args, file in (
            (["validate", bad_case], bad_case),
            (["verify", case, bad_plan], bad_plan),
        ):
            result = run(*args)
            assert result.exit_code == 0, result.output
            assert (
                f"warning: {file.name}: the workbook's document properties (docProps/core.xml) "
                "are damaged and were ignored: they hold its title, author and dates, none of "
                "its data"
            ) in result.output


def test_report_names_a_damaged_plan_in_the_readers_words(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    """A plan whose Allocation sheet is no XML: report says what verify and compare say, exit 2.
    Before: `cannot be read as a workbook (unclosed token: line 1, column 0)`, the XML
    parser's words."""
    case, plan = files
    damaged = with_part(plan, tmp_path / "plan_xml.xlsx", _sheet_of(plan, "Allocation"), b"<x")
    said = (
        f"error: {damaged.name}: the workbook cannot be opened: the file is damaged or was not "
        "written by Excel; open it in Excel and save it again as .xlsx (Excel Workbook)"
    )
    for args in (
        ["report", damaged, "-o", tmp_path / "page.html", "--input", case],
        ["verify", case, damaged],
    ):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert said in result.output.splitlines(), result.output


def test_report_refuses_an_input_given_that_is_no_readable_workbook(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    """`report --input` a workbook with a part the zip cannot give, or a text file: exit 2 in
    the readers' words, no page written (before: a page without a map, exit 0, and a note that
    the file's sites and contributors `still match`). One that reads but does not validate
    still gives a page without a map, its note saying why it was not read, and no match."""
    case, plan = files
    page = tmp_path / "page.html"
    encrypted = marked(case, tmp_path / "input_sealed.xlsx", SHEET, ENCRYPTED)
    text = tmp_path / "input_text.xlsx"
    text.write_text("contributor,capability\nA,INF\n")
    for given, said in (
        (encrypted, f"its part {SHEET} is encrypted with a zip password"),
        (text, "not an Excel workbook (it looks like plain text or CSV); save it as .xlsx"),
    ):
        result = run("report", plan, "-o", page, "--input", given)
        assert result.exit_code == 2, result.output
        assert f"error: {given.name}: " in result.output and said in result.output
        assert "Traceback" not in result.output and not page.exists()
    wrong = simple_case(
        tmp_path / "input_wrong.xlsx",
        pledges=[{"contributor": "A", "capability": "INF", "units": "two", "cost_per_unit": 1}],
    )
    result = run("report", plan, "-o", page, "--input", wrong)
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if "input_wrong" in line]
    assert notes[-1].startswith("note: input workbook input_wrong.xlsx could not be read (Pledges!")
    assert notes[-1].endswith("): no map drawn")
    assert not any("still match" in line for line in notes)


@pytest.mark.parametrize("damage", ["encrypted", "inflated wrongly"])
def test_a_damaged_file_names_no_baseline_but_by_its_bytes(
    files: tuple[Path, Path], tmp_path: Path, damage: str
) -> None:
    """results/digest.py `baseline_sha256s` reads a file it cannot parse as its bytes' SHA-256
    alone, whatever the damage (before: only what openpyxl raised for an unreadable zip; a
    damaged part's zlib.error or an encrypted part's RuntimeError escaped)."""
    import hashlib

    from solver.results.digest import baseline_sha256s

    _, plan = files
    target = tmp_path / "damaged.xlsx"
    if damage == "encrypted":
        marked(plan, target, SHEET, ENCRYPTED)
    else:
        inflated_wrongly(plan, target, SHEET)
    assert baseline_sha256s(target) == (hashlib.sha256(target.read_bytes()).hexdigest(),)
