"""What every forcegen command shares: exit codes, the error guard and the solver options
(the signal handling it uses lives in `solver.signals`).

It sits below the commands (`solver.cli` and each package's `command` module import it, never
the other way round), so every command module can be imported on its own.
"""

from __future__ import annotations

import io
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

import click

from .errors import ForcegenError, InputError, UsageError
from .io.coerce import percent_text
from .results.safe_write import recording_written, written
from .signals import LostStops, Terminated, stops_in_finalisers_kept, terminating_as_interrupt
from .solve.options import MAX_THREADS

if TYPE_CHECKING:
    from .data import Data
from .exit_codes import EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_TERMINATED
from .memory_failure import is_out_of_memory
from .solve.threads import highs_still_running
from .wording import count

MODEL_COMMANDS = ("solve", "sweep", "check")  # those that build a model


def echo_err(text: str) -> None:
    click.echo(text, err=True)


class _ClosableConsole:
    """stdout (or stderr) that outlives its reader: once a pipe's reader has gone
    (`| head -1`), or the file it goes to cannot take more (`> /dev/full`, a full disk, an I/O
    error), every later write goes nowhere instead of raising, so the command carries on to its
    answer (the written plan, the JUnit file, the exit code a CI gate reads). A closed console
    must neither lose an answer nor turn a failed check into exit 0. A console closed before the
    start (`>&-`: Python's sys.stdout is None) is gone from the first write."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._gone = stream is None  # Python's stdout when the process started with fd 1 closed
        self.lost: OSError | None = None  # why it is gone (`echo_answer` reads it)

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                return int(self._stream.write(text))
            except OSError as exc:  # BrokenPipeError, and ENOSPC / EIO of a console redirected
                self._reader_gone(exc)
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except OSError as exc:
                self._reader_gone(exc)

    def _reader_gone(self, exc: OSError) -> None:
        self._gone, self.lost = True, exc
        try:  # what the stream still buffers is flushed at exit: into nothing, not a closed pipe
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, io.UnsupportedOperation):
            pass  # stdout is no file (a test's capture): nothing more is printed to it anyway

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def echo_answer(text: str, what: str) -> None:
    """Print `text`, the command's answer itself (`check --json`'s report, which a pipeline
    redirects to a file): stdout that cannot take it (a full disk, an I/O error) is an error,
    exit 2, where the console's words would go nowhere unsaid (a CI trial: `check --json >
    report.json` on a full disk left it empty and exited 0). A reader gone (`| head`) chose
    not to read on: no error."""
    click.echo(text)
    reason = _stdout_lost()
    if reason is not None:
        setattr(sys.stdout, "lost_said", True)  # said once, as the error  # noqa: B010
        raise UsageError(f"{what} could not be written to standard output ({reason})")


def _stdout_lost() -> str | None:
    """Why standard output could not take what was printed (a full disk, an I/O error), once
    flushed; None where it could, or where its reader left (`| head`: chose to stop)."""
    sys.stdout.flush()
    lost = getattr(sys.stdout, "lost", None)
    if lost is None or isinstance(lost, BrokenPipeError):
        return None
    return str(lost.strerror or lost)


def _say_the_console_lost() -> None:
    """One line on stderr where standard output could not take what the command printed (a
    full disk, an I/O error; not a reader gone, `| head`, which chose to stop): `compare`'s
    answer without -o is its console, lost without a word before (a fault trial). The exit
    code stays the command's (its files are written; `check --json`'s report is its own)."""
    reason = _stdout_lost()  # what it still buffers meets the full disk now, not at exit
    if reason is not None and not getattr(sys.stdout, "lost_said", False):  # echo_answer's
        echo_err(
            f"note: what this command printed could not be written to standard output ({reason})"
        )


@contextmanager
def console_outliving_its_reader() -> Iterator[None]:
    """While a command runs, stdout and stderr are `_ClosableConsole`s (see there)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, _ClosableConsole(out))
    sys.stderr = cast(TextIO, _ClosableConsole(err))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def guarded(
    func: Callable[..., int | None] | None = None,
    *,
    writes: bool | Callable[[dict[str, Any]], bool] = True,
) -> Any:
    """Map forcegen's errors to exit codes and one clear message; tracebacks only with --debug.

    `@guarded(writes=False)` for a command that never writes (it then does not say "nothing
    was written" after a workbook's problems); `writes` may also judge the command's options
    (verify writes only with -o)."""
    if func is None:
        return lambda f: guarded(f, writes=writes)

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        ctx = click.get_current_context()
        debug = ctx.find_root().params.get("debug", False)
        # the console also carries what the handlers print; the files written are recorded
        # for the words of a stop (`_what_was_written`)
        with console_outliving_its_reader(), recording_written():
            code = _run_guarded(ctx, debug, writes, func, args, kwargs)
            _say_the_console_lost()
        if highs_still_running():
            # a HiGHS run left after its cancel (solve/threads.py): a normal exit can abort in
            # its destructors; every output is written and closed by now
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        sys.exit(code)

    return wrapper


def _run_guarded(
    ctx: click.Context,
    debug: bool,
    writes: bool | Callable[[dict[str, Any]], bool],
    func: Callable[..., int | None],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> int:
    """`guarded`'s command run: its exit code, each failure said in one line. A stop that a
    finaliser swallowed (`signals.stops_in_finalisers_kept`) is heeded once the command
    returns, unless it already stopped for one: it then ends as stopped, naming what it had
    written whole."""
    lost = LostStops()
    try:
        with terminating_as_interrupt(), stops_in_finalisers_kept(lost):
            code = func(*args, **kwargs) or 0
            if lost.first is not None and code not in (EXIT_INTERRUPTED, EXIT_TERMINATED):
                raise lost.first
    except InputError as exc:
        for w in exc.warnings:
            echo_err(str(w))
        for e in exc.errors:
            echo_err(click.style("error: ", fg="red") + str(e))
        wrote = writes(kwargs) if callable(writes) else writes
        closing = "; nothing was written." if wrote else "."
        echo_err(f"{count(len(exc.errors), 'problem')} found{closing}")
        code = EXIT_INPUT
    except ForcegenError as exc:
        echo_err(click.style("error: ", fg="red") + str(exc))
        code = exc.exit_code
    except BrokenPipeError:  # a pipe other than the console's (those: _ClosableConsole)
        code = EXIT_INTERNAL
    except MemoryError:
        code = _out_of_memory(ctx)
    except Terminated as terminated:
        echo_err(f"stopped by {terminated.said}{_before_a_plan(ctx)}: {_what_was_written()}")
        code = EXIT_TERMINATED
    except KeyboardInterrupt:
        # before there was anything to keep (reading, building, the heuristic): a command
        # that keeps its work on Ctrl-C handles it itself
        echo_err(f"stopped by Ctrl-C (SIGINT){_before_a_plan(ctx)}: {_what_was_written()}")
        code = EXIT_INTERRUPTED
    except Exception as exc:  # an internal error: one line unless --debug
        if is_out_of_memory(exc):  # a library not loaded for want of memory
            return _out_of_memory(ctx)
        stop = stop_within(exc)
        if stop is not None:  # a stop a library raised again as its own error
            name = stop.said if isinstance(stop, Terminated) else "Ctrl-C (SIGINT)"
            echo_err(f"stopped by {name}: {_what_was_written()}")
            return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED
        if debug:
            traceback.print_exc()
        echo_err(
            click.style("internal error: ", fg="red")
            + f"{type(exc).__name__}: {exc}"
            + ("" if debug else " (run with --debug for the traceback)")
        )
        code = EXIT_INTERNAL
    return code


def _out_of_memory(ctx: click.Context) -> int:
    """Say the command ran out of memory (only the commands that build a model have one to be
    too large); its exit code."""
    what = (
        "the model needs more memory than this process may use"
        if ctx.info_name in MODEL_COMMANDS
        else f"`{ctx.info_name}` needs more memory than this process may use"
    )
    # the Pyomo route holds the model as Pyomo components besides its matrices (a trial: it ran
    # out where the default route solved)
    lighter = " use --backend highs," if ctx.params.get("backend") == "pyomo" else ""
    echo_err(
        click.style("error: ", fg="red") + f"out of memory: {what}; reduce the workbook,"
        f"{lighter} or run where more memory is free (a memory limit, `ulimit -v`, counts too)"
    )
    return EXIT_INTERNAL


def _before_a_plan(ctx: click.Context) -> str:
    """Of a `solve` stopped where it does not keep its work itself: that no plan existed yet
    (a trial read `nothing was written` as a fault)."""
    if ctx.info_name != "solve":
        return ""
    return " before any plan was found (reading the workbook, building the model or the first plan)"


def stop_within(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C or SIGTERM behind an error, if one is: a library may raise its own error
    when a stop comes inside it (a trial: highspy's import, interrupted, raised `ImportError:
    initialization failed`, said as an internal error with exit 1 instead of a stop)."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


def _what_was_written() -> str:
    """For a stop the command did not handle itself: the files it had written whole by then
    (a SIGTERM just after `solve` wrote its plan said "nothing was written"), else nothing."""
    files = written()
    if not files:
        return "nothing was written"
    shown = ", ".join(str(f) for f in files[:3]) + (" ..." if len(files) > 3 else "")
    return f"{count(len(files), 'file')} written whole before it ({shown}), nothing after"


class Share(click.ParamType):
    """A share: `5%` or `0.05` (a bare number above 1 is refused: 5 would mean 500%)."""

    name = "SHARE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            share = float(percent_text(str(value)))
        except ValueError:
            self.fail(f"{value!r} is not a share: write 5% or 0.05", param, ctx)
        if not 0 <= share <= 1:
            self.fail(f"{value!r} is not between 0% and 100% (write 5% or 0.05)", param, ctx)
        return share


def solver_options(time_limit_scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The solver options shared by `solve` and `sweep` (they override the Settings sheet)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        options = [
            click.option(
                "--time-limit",
                type=float,
                help=f"Seconds {time_limit_scope}, reading, building and writing on top "
                "[Settings, else 60].",
            ),
            click.option(
                "--work-limit",
                type=float,
                help="Work units instead of seconds (about a second each here, no promise of "
                "time: a large model's root LP cannot be stopped by counts): the same plan on any "
                "machine and load; threads 0 becomes 1; --time-limit becomes a hard stop only, "
                "give it too for a deadline [Settings, else 0 = none].",
            ),
            click.option(
                "--mip-gap",
                type=Share(),
                help="Relative MIP gap per stage, 0.01 or 1% [Settings, else 0.0001].",
            ),
            click.option(
                "--threads",
                type=click.IntRange(0, MAX_THREADS),
                help="Solver threads, 0 = HiGHS's choice [Settings, else 0].",
            ),
            click.option("--seed", type=int, help="Solver random seed [Settings, else 0]."),
            click.option(
                "--backend",
                type=click.Choice(["highs", "pyomo"]),
                default="highs",
                show_default=True,
                help="highs: hand the model's matrices to HiGHS directly; pyomo: render the "
                "same model as Pyomo components and compile it for HiGHS (same matrix, same "
                "result; ~1.5 s more start-up and a ~50x slower hand-over).",
            ),
        ]
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def baseline_warnings(workbook: Path, data: Data, baseline: Path) -> tuple[list[str], list[str]]:
    """What reading `baseline` as the baseline of a re-plan says, against the base case and
    each scenario (a scenario's own, such as a lock past a mandate it cuts, named by it), and
    the cases (`base`, scenario names) whose locked rows cannot hold: every one, those whose
    warning is base's too among them (a review: a scenario doomed by base's lock went unnamed)."""
    from . import api
    from .baseline_words import cannot_hold_in

    said: list[str] = []
    doomed: list[str] = []
    of_base: set[str] = set()
    for name in ["base", *data.scenarios]:
        case = data if name == "base" else api.read(workbook, name)
        replan = api.with_baseline(case, baseline)
        new = replan.warnings[len(case.warnings) :]
        if any(cannot_hold_in(w.message) for w in new):
            doomed.append(name)
        for w in map(str, new):
            if name == "base":
                of_base.add(w)
                said.append(w)
            elif w not in of_base:  # a scenario's own: named by it
                said.append(f"scenario '{name}': {w}")
    return list(dict.fromkeys(said)), doomed
