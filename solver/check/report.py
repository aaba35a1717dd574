"""The check's outcome as console lines and as a machine-readable (JSON) report."""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..exit_codes import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REGRESSED,
    EXIT_TERMINATED,
)
from ..wording import count
from .collate import NEAR_LIMIT, NOW_INFEASIBLE, PIN, PIN_OF_ANOTHER, UNSTEADY
from .outcome import ERROR, FAILED, NEW, PASS, REMOVED, SAME, UPDATED, CheckReport, Outcome

# the shape of `--json`'s report: raised when a key goes or changes meaning (keys are only
# added otherwise), so that a CI script can refuse a report it does not know how to read
REPORT_FORMAT = 1
MAX_DETAIL_LINES = 25  # per case and scenario on the console; --json and --junit have them all
TAGS = {
    PASS: "PASS",
    FAILED: "FAIL",
    ERROR: "ERROR",
    NEW: "NEW",
    UPDATED: "UPDATED",
    SAME: "SAME",
    REMOVED: "REMOVED",
}


# Every exit code a check's report can give (`CheckReport.exit_code`), as its summary says it
VERDICTS = {
    EXIT_OK: "ok",
    EXIT_INTERNAL: "internal error",
    EXIT_INPUT: "invalid input",
    EXIT_REGRESSED: "regressed",
    EXIT_INTERRUPTED: "interrupted",
    EXIT_TERMINATED: "terminated (SIGTERM)",
}

# Notes that explain every failure of their scenario: shown first and never cut
LEADING_NOTES = (
    PIN_OF_ANOTHER,
    "the workbook changed since it was pinned",
    "pinned with ",
    UNSTEADY,
    NEAR_LIMIT,
    NOW_INFEASIBLE,
)


def outcome_lines(outcome: Outcome, width: int = 0) -> list[str]:
    """`FAIL  coalition/base   1.23 s` and, indented, what moved (notes prefixed `note:`).

    The notes that explain the failures (the workbook or the versions changed since the pin)
    come first and are never cut; the rest is cut at MAX_DETAIL_LINES (--json has it all)."""
    tag = TAGS.get(outcome.outcome, outcome.outcome.upper())
    # a scenario not run has no time of its own (a trial read `0.00 s` of one stopped after 12 s)
    seconds = f"{outcome.seconds:6.2f} s" if outcome.ran else "     -  "
    head = f"{tag:<7} {outcome.label:<{width}}  {seconds}"
    if outcome.outcome == PASS and outcome.notes:
        head += f"  ({count(len(outcome.notes), 'note')})"
    leading = [f"note: {n}" for n in outcome.notes if n.startswith(LEADING_NOTES)]
    other_notes = [f"note: {n}" for n in outcome.notes if not n.startswith(LEADING_NOTES)]
    details = [*outcome.errors, *outcome.failures, *other_notes]
    if outcome.outcome == ERROR and outcome.scenario == "-":
        details.insert(0, f"cannot check {outcome.workbook}:")
    shown = [*leading, *details[: max(0, MAX_DETAIL_LINES - len(leading))]]
    lines = [head, *(f"        {d}" for d in shown)]
    hidden = len(leading) + len(details) - len(shown)
    if hidden > 0:
        lines.append(f"        ... and {hidden} more (see --json)")
    return lines


def summary_line(report: CheckReport) -> str:
    """One closing line with the counts, the exit code's meaning and the time. A pin that could
    not be written is an error of its own (its line, the exit code) but no scenario: it is
    counted among the pins (a trial on a full disk read `3 scenarios of 1 case: 2 new, 1
    error` for two scenarios)."""
    scenarios = [o for o in report.outcomes if o.scenario != PIN]
    n = len(scenarios)
    cases = len({o.case for o in report.outcomes})
    if report.update:
        # a failure with --update: a pinned case whose workbook is gone (runner.lost_case)
        kinds = (NEW, UPDATED, SAME, REMOVED, FAILED, ERROR)
        # a failure with --update also: a scenario whose case's pin was not written (pin_fate)
        sums = [(k, sum(o.outcome == k for o in scenarios)) for k in kinds]
        parts = [
            count(n, "error") if k == ERROR else f"{n} {'failed' if k == FAILED else k}"
            for k, n in sums
            if n
        ] or ["nothing to do"]
        written = f"{count(len(report.written), 'pin')} written"
        if report.withheld:
            written += (
                f", {len(report.withheld)} not written ({', '.join(report.withheld)}: a "
                "scenario of its case ended in error, and a pin holds every scenario)"
            )
        if report.interrupted:
            written += (
                f", {len(report.interrupted)} {'more ' if report.withheld else ''}not written "
                f"({', '.join(report.interrupted)}: the check stopped before every scenario "
                "of its case ran)"
            )
        if report.unwritable:
            written += (
                f", {len(report.unwritable)} could not be written "
                f"({', '.join(report.unwritable)}: see its error)"
            )
        return (
            f"update: {count(n, 'scenario')} of {count(cases, 'case')}: {', '.join(parts)}; "
            f"{written}; {report.seconds:.1f} s"
        )
    noted = sum(o.outcome == PASS and bool(o.notes) for o in report.outcomes)
    parts = [f"{report.count(PASS)} passed" + (f" ({noted} with notes)" if noted else "")]
    parts += [f"{report.count(FAILED)} failed", count(report.count(ERROR), "error")]
    verdict = VERDICTS[report.exit_code]
    return (
        f"check: {count(n, 'scenario')} of {count(cases, 'case')}: {', '.join(parts)} -> "
        f"{verdict}; {report.seconds:.1f} s with {count(report.workers, 'worker')}"
    )


def json_report(report: CheckReport) -> dict[str, Any]:
    """Everything the console shows, untruncated, for machines."""
    from ..solve.instance import highs_version

    return {
        "report_format": REPORT_FORMAT,
        "forcegen_version": __version__,
        "highs_version": highs_version(),
        "mode": "update" if report.update else "check",
        "strict": report.strict,
        "exit_code": report.exit_code,
        "verdict": VERDICTS[report.exit_code],
        "seconds": round(report.seconds, 3),
        "workers": report.workers,
        "counts": {
            k: report.count(k)
            for k in (
                (NEW, UPDATED, SAME, REMOVED, FAILED, ERROR)
                if report.update
                else (PASS, FAILED, ERROR)
            )
        },
        "results": [
            {
                "case": o.case,
                "scenario": o.scenario,
                "workbook": o.workbook,
                "pin": o.pin,
                "outcome": o.outcome,
                "status": o.status or None,
                "pinned_status": o.pinned_status or None,
                "seconds": round(o.seconds, 3),
                "failures": o.failures,
                "notes": o.notes,
                "errors": o.errors,
            }
            for o in report.outcomes
        ],
        "written": report.written,
        "not_written": [*report.withheld, *report.interrupted, *report.unwritable],
    }
