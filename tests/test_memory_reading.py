"""Reading a workbook with no memory left is out of memory, not a damaged file (a fault trial:
`report` under `ulimit -v` said `the workbook cannot be opened: the file is damaged`, and its
input `not found ... cannot be read as a forcegen input`)."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from solver.io.filecheck import CANNOT_OPEN, describe_open_failure
from solver.memory_failure import is_out_of_memory


def zlib_error(text: str) -> zlib.error:
    return zlib.error(text)


def test_zlib_out_of_memory_is_out_of_memory_and_its_other_errors_are_not() -> None:
    """zlib's Z_MEM_ERROR (`Error -4 ...: insufficient memory`) is out of memory; a corrupt
    stream (`Error -3 ...: invalid stored block lengths`) is damage."""
    assert is_out_of_memory(zlib_error("Error -4 while decompressing data: insufficient memory"))
    assert not is_out_of_memory(zlib_error("Error -3 while decompressing data: invalid block"))


def test_an_error_raised_while_handling_a_memory_error_is_out_of_memory() -> None:
    """An error raised from a MemoryError (`raise ... from`) is out of memory; one raised
    `from None` (a deliberate rewording), or merely while handling one, is its own."""
    try:
        try:
            raise MemoryError
        except MemoryError as exc:
            raise KeyError("xl/workbook.xml") from exc
    except KeyError as caught:
        assert is_out_of_memory(caught)
    try:
        try:
            raise MemoryError
        except MemoryError:
            raise ValueError("reworded") from None
    except ValueError as caught:
        assert not is_out_of_memory(caught)


def test_a_reader_says_out_of_memory_not_damaged() -> None:
    """The sentence for a workbook openpyxl could not open: out of memory is raised as such
    (the command then says out of memory, exit 1); damage keeps its sentence."""
    with pytest.raises(MemoryError, match="out of memory while reading the workbook"):
        describe_open_failure(zlib_error("Error -4 while decompressing data: insufficient memory"))
    assert describe_open_failure(ValueError("not xml")) == CANNOT_OPEN


def test_an_input_read_out_of_memory_is_not_said_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`report`'s search for an output's input: reading it out of memory raises, rather than
    `the file is damaged` (then `cannot be read as a forcegen input`)."""
    import solver.api
    from solver.outputs import source

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    class AnOutput:
        scenario = "base"

    monkeypatch.setattr(solver.api, "read", exhausted)
    with pytest.raises(MemoryError):
        source._read_or_why(tmp_path / "in.xlsx", AnOutput())  # type: ignore[arg-type]
