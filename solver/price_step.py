"""`solve --price-caveats`: the pricing step after the plan is solved and shown: each rule's
re-solve with its progress on the console, the prices printed, and what a stop, a re-solve
that did not stop, or one out of memory leaves (the rules from it on not priced)."""

from __future__ import annotations

import sys
from typing import Any

import click

from .commands_common import echo_err
from .signals import StopSignals


def price_step(result: Any, stops: StopSignals) -> bool:
    """Price the caveats unless the solve was stopped; True when the pricing was interrupted."""
    from . import api
    from .explain.pricing import (
        ENDED,
        NOT_PRICED,
        NOT_PRICED_MEMORY,
        NOT_PRICED_OVERRUN,
        pricing_ended,
    )
    from .results.console import price_lines

    if stops.stopped or result.status == "interrupted":
        result.tables.summary.append(("caveat_prices", "interrupted: no rule priced"))
        echo_err("caveat prices skipped: the solve was interrupted")
        return False
    if result.outcome.abandoned:
        echo_err("caveat prices skipped: HiGHS did not stop after its time limit")
        return False
    if result.outcome.out_of_memory is not None:  # its re-solves need as much: plan written
        result.tables.summary.append(("caveat_prices", "out of memory: no rule priced"))
        echo_err("caveat prices skipped: the solve ran out of memory")
        return False

    on_terminal = sys.stderr.isatty()

    def progress(n: int, total: int, rule: str) -> None:
        text = f"pricing {n}/{total}: re-solving without {rule}"
        if on_terminal:  # one line redrawn in place; a log gets a line per rule
            click.echo(f"\r{text:<60}", err=True, nl=n == total)
        else:
            click.echo(text, err=True)

    try:
        prices = api.price_caveats(result, progress)
    except KeyboardInterrupt:  # before the first re-solve (building the pricing model)
        with stops.held():
            result.tables.summary.append(("caveat_prices", "interrupted: no rule priced"))
            echo_err("caveat prices: interrupted before the first rule: no rule priced")
        return True
    ended = pricing_ended(prices)
    with stops.held():
        if ended:
            click.echo("", err=True)  # end the progress line
        priced = prices[~prices["status"].isin(ENDED)]
        if len(priced) or not len(prices):  # an empty table: nothing to price
            for line in price_lines(priced):
                click.echo(line)
        if ended:
            rules = prices.loc[prices["status"] == ended, "rule"].tolist()
            click.echo(f"{ended} ({len(rules)} of {len(prices)} rules): {', '.join(rules)}")
        if ended == NOT_PRICED_OVERRUN:  # no Ctrl-C: the plan's own exit code stands
            echo_err(
                f"caveat prices ended at {rules[0]}: HiGHS did not stop at its time limit "
                "and still runs in that re-solve; the rules from it on are not priced"
            )
        if ended == NOT_PRICED_MEMORY:  # the plan's own exit code stands, and it is written
            echo_err(
                f"caveat prices ended at {rules[0]}: its re-solve ran out of memory; the rules "
                "from it on are not priced"
            )
    return ended == NOT_PRICED
