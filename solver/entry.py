"""The `forcegen` command's entry point: the CLI imported under a Ctrl-C guard.

Importing the CLI (pandas, numpy, click, openpyxl) takes about a second, before any handler of
forcegen's is installed: a Ctrl-C then printed Python's traceback. Here it says what it did."""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130  # as solver.signals, not imported here: it is what is being guarded


def main() -> None:
    try:
        from .cli import main as cli
    except KeyboardInterrupt:
        sys.stderr.write("stopped by Ctrl-C (SIGINT) while starting: nothing was done\n")
        sys.exit(EXIT_INTERRUPTED)
    cli()
