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


def test_no_thread_for_want_of_memory_is_out_of_memory() -> None:
    """A fault trial under `ulimit -v`: sweep's pool could not start its manager thread
    (`RuntimeError: can't start new thread`), said as an internal error; it is out of memory.
    Another RuntimeError is not."""
    assert is_out_of_memory(RuntimeError("can't start new thread"))
    assert not is_out_of_memory(RuntimeError("cannot join thread before it is started"))


def test_a_pool_that_could_not_start_says_so() -> None:
    """The same trial: closing an executor whose manager thread never started raised
    `cannot join thread before it is started`, which hid the failure; it is closed quietly.
    A forkserver that died of its preload (EOFError as a worker starts) is out of memory."""
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from solver.parallel import LocalPool, _close_executor

    executor = ProcessPoolExecutor(max_workers=1)
    executor._executor_manager_thread = threading.Thread(target=lambda: None)  # type: ignore[attr-defined]
    _close_executor(executor, cancel=True)

    class Dead:
        def submit(self, *args: object) -> None:
            raise EOFError("unexpected EOF")

    pool = LocalPool.__new__(LocalPool)
    pool.executors, pool._jobs, pool.fn = [Dead()], [[]], print  # type: ignore[list-item]
    pool._free_slot = lambda: 0  # type: ignore[method-assign]
    with pytest.raises(MemoryError):
        pool.submit("job")


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
