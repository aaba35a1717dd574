"""The `forcegen` command's entry point: the CLI imported under a Ctrl-C and SIGTERM guard.

Importing the CLI (pandas, numpy, click, openpyxl) takes about a second, more on a busy
machine, before any handler of forcegen's is installed: a Ctrl-C then printed Python's
traceback, and a SIGTERM (a scheduler, `timeout`) ended the command without a word. Here each
says what it did; SIGTERM's default action is restored once the CLI is imported (each command
then takes SIGTERM as it says)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType

from .exit_codes import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_TERMINATED
from .memory_failure import is_out_of_memory

# One thread for the BLAS that numpy and scipy bring, set before they are imported: forcegen's
# arithmetic is sparse and small, HiGHS has its own threads, and OpenBLAS starting a thread per
# core under a memory limit (`ulimit -v`) spun in malloc forever, deaf to Ctrl-C and SIGTERM
# (a fault trial). A value the user set is kept.
for _blas in ("OPENBLAS_NUM_THREADS",):
    os.environ.setdefault(_blas, "1")


class _TerminatedWhileStarting(BaseException):
    """SIGTERM during the import; a BaseException, as KeyboardInterrupt, so that no library's
    `except Exception` around an optional import takes it."""


_received: list[int] = []  # the SIGTERMs that came while starting


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _received.append(signum)
    if len(_received) == 1:  # GNU `timeout` sends two: the second must not cut the first short
        raise _TerminatedWhileStarting


def main() -> None:
    guarded = signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    if guarded:
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        from .cli import main as cli

        if _received:  # its exception was lost (in a finaliser): stopped all the same
            raise _TerminatedWhileStarting
    except KeyboardInterrupt:
        sys.stderr.write("stopped by Ctrl-C (SIGINT) while starting: nothing was done\n")
        _forget_unhandled_interrupt()
        sys.exit(EXIT_INTERRUPTED)
    except _TerminatedWhileStarting:
        sys.stderr.write("stopped by SIGTERM while starting: nothing was done\n")
        sys.exit(EXIT_TERMINATED)
    except (MemoryError, ImportError) as exc:  # its libraries could not be loaded
        if not is_out_of_memory(exc):
            raise
        sys.stderr.write(
            "error: out of memory while starting (loading forcegen's libraries): nothing was "
            "done; run again with more memory\n"
        )
        sys.exit(EXIT_INTERNAL)
    finally:  # its message written: SIGTERM's own action again
        if guarded:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        cli()
    except SystemExit as done:
        _forget_unhandled_interrupt()
        _leave_on_a_late_stop(done.code)
        raise


def _forget_unhandled_interrupt() -> None:
    """CPython marks a KeyboardInterrupt that escaped code it ran from a string (`exec`: the
    dataclasses and named tuples a lazy import builds) as unhandled, and at exit then ends the
    process by SIGINT whatever its exit code: forcegen handled the Ctrl-C and exits 130 as it
    says (a trial: a Ctrl-C during Pyomo's import gave a supervisor return code -2, not 130).
    Running one string clears the mark (CPython's `run_eval_code_obj` resets it each time)."""
    exec("None", {})


def _leave_on_a_late_stop(code: object) -> None:
    """The command has ended and said how (its exit code): a SIGTERM or SIGHUP while the
    process winds down ends it at once with that code, not with 143 and no word after its
    output was written whole (a fault trial). One ignored stays ignored."""
    status = code if isinstance(code, int) else 0 if code is None else EXIT_INTERNAL

    def leave(signum: int, frame: FrameType | None) -> None:
        for stream in (sys.stdout, sys.stderr):
            # a closed console, or the signal landed inside this very flush (RuntimeError:
            # reentrant call): leave all the same, with the command's code
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(status)

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, leave)


if __name__ == "__main__":  # `python -m solver.entry`, which did nothing (`python -m solver`)
    main()
