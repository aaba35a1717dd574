"""JUnit XML for CI systems: one testsuite, one testcase per case and scenario."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..results.safe_write import atomic_write
from ..results.writer import safe_text
from .collate import NOW_INFEASIBLE
from .outcome import ERROR, FAILED, CheckReport

SUITE = "forcegen check"


def junit_xml(report: CheckReport) -> bytes:
    """`<testsuites><testsuite>` with a `failure` (the diff) or `error` (the problems) per case."""
    outcomes = report.outcomes
    counts = {
        "tests": str(len(outcomes)),
        "failures": str(report.count(FAILED)),
        "errors": str(report.count(ERROR)),
        "skipped": "0",
        "time": f"{report.seconds:.3f}",
    }
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts})
    for o in outcomes:
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": f"forcegen.check.{o.case}",
                "name": o.label,
                "file": o.workbook,
                "time": f"{o.seconds:.3f}",
            },
        )
        if o.outcome == FAILED:
            # why a case turned infeasible leads its failure (many CI pages show only the
            # message; a CI trial found the conflict in system-out alone)
            why = [n for n in o.notes if n.startswith(NOW_INFEASIBLE)]
            lines = [*why, *o.failures]
            failure = ET.SubElement(
                case, "failure", {"message": safe_text(lines[0]), "type": "regression"}
            )
            failure.text = safe_text("\n".join(f"{o.label}: {line}" for line in lines))
        elif o.outcome == ERROR:
            kind = {2: "invalid input", 130: "interrupted", 143: "interrupted"}.get(
                o.exit_code, "internal error"
            )
            error = ET.SubElement(case, "error", {"message": safe_text(o.errors[0]), "type": kind})
            error.text = safe_text("\n".join(o.errors))
        if o.notes:
            out = ET.SubElement(case, "system-out")
            out.text = safe_text("\n".join(f"note: {n}" for n in o.notes))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_junit(report: CheckReport, path: Path) -> None:
    """Write the JUnit XML atomically."""
    atomic_write(path, junit_xml(report))
