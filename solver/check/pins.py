"""Pinned answers: what a solved scenario is reduced to, and the stable JSON text it is kept as.

A pin file holds one case, every scenario inside:

    {"case": ..., "workbook": ..., "input_sha256": ..., "pinned_with": {...},
     "scenarios": {"base": {"status", "objective", "mip_gap", "model",
                            "coverage", "contributors", "allocation"}, ...}}

A timed scenario adds `tours` (one row per tour `contributor/capability/site/from..to`: units
and months; its stages are weighted unit-months); rows of tables that carry a `period`
(Coverage, Allocation in time) are keyed by it too. An infeasible scenario adds `conflict`: the
ids of the first conflict's rules, sorted (`hard:S1/INF`, `pledge:A/INF`), when its search was
complete (a search cut short by its budget in seconds depends on the machine), and with it
`smallest_change`, the least total of what must give way (each rule's amount in its own unit,
added up: the feasibility relaxation's objective), where it was proven.

Keys are sorted, floats rounded to 6 decimals (whole numbers written as integers) and every table
row sits on one line, so a moved answer shows as a small diff in code review.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..results.safe_write import atomic_write
from ..time_plan import TimedPlan

TABLES = ("coverage", "contributors", "allocation", "tours")
REQUIRED = ("status", "objective", "model", "coverage", "contributors", "allocation")
COVERAGE_FIELDS = ("required", "allocated", "shortfall", "priority", "hard")
CONTRIBUTOR_FIELDS = ("pledged_units", "deployed_units", "deployed_personnel", "sites")
TIMED_CONTRIBUTOR_FIELDS = ("unit_months", "tours")  # where the Contributors table has them


class PinError(UsageError):
    """A pin file that cannot be read (not JSON, or not a pin)."""


def stable(value: Any) -> Any:
    """A JSON-ready scalar: numpy types unwrapped, whole floats as ints, floats to 6 decimals."""
    if value is None or isinstance(value, bool | str):
        return value
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        rounded = round(value, 6)
        return int(rounded) if rounded.is_integer() else rounded
    return value


def _key(row: dict[str, Any], *names: str) -> str:
    """`a/b/c`, and `/period` when the row has one (a timed table)."""
    period = [str(row["period"])] if "period" in row else []
    return "/".join([*(str(row[n]) for n in names), *period])


def answer(result: Any) -> dict[str, Any]:
    """The pinned answer of one solved scenario (an `api.Result`)."""
    summary = result.summary
    tables = result.tables
    coverage = {
        _key(row, "site", "capability"): {f: stable(row[f]) for f in COVERAGE_FIELDS}
        for row in tables.coverage.to_dict("records")
    }
    contributors = {
        str(row["contributor"]): {
            f: stable(row[f]) for f in (*CONTRIBUTOR_FIELDS, *TIMED_CONTRIBUTOR_FIELDS) if f in row
        }
        for row in tables.contributors.to_dict("records")
    }
    allocation = {
        _key(row, "contributor", "capability", "site"): {
            "units": stable(row["units"]),
            "personnel": stable(row["personnel"]),
        }
        for row in tables.allocation.to_dict("records")
    }
    pinned = {
        "status": result.status,
        "objective": {
            key.removeprefix("objective."): stable(value)
            for key, value in result.stage_values.items()
        },
        "mip_gap": stable(summary.get("mip_gap")),
        "model": {
            key.removeprefix("model."): stable(value)
            for key, value in summary.items()
            if key.startswith("model.")
        },
        "coverage": coverage,
        "contributors": contributors,
        "allocation": allocation,
    }
    if getattr(result, "plan", None) is not None:
        pinned["tours"] = tours(result.plan)
    conflict = getattr(result, "conflict", None)
    if result.status == "infeasible" and conflict is not None and conflict.complete:
        pinned["conflict"] = sorted(i for rid, _ in conflict.rules for i in rid.split(","))
        if conflict.give_way_least is not None:
            pinned["smallest_change"] = stable(conflict.give_way_least)
    return pinned


def tours(plan: TimedPlan) -> dict[str, dict[str, Any]]:
    """One row per tour, keyed `contributor/capability/site/from..to` (period names): its units
    (added up, should two tours share a key) and its length in months."""
    names = [str(p) for p in plan.periods["period"]]
    out: dict[str, dict[str, Any]] = {}
    for (c, k, s, first, last, units), length in zip(
        plan.tours.itertuples(index=False), plan.tour_months(), strict=True
    ):
        key = f"{c}/{k}/{s}/{names[first]}..{names[last]}"
        row = out.setdefault(key, {"months": stable(length), "units": 0})
        row["units"] += stable(units)
    return out


def _json(value: Any, *, compact: bool = False) -> str:
    seps = (", ", ": ") if compact else None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=seps)


def _dump(value: Any, path: tuple[str, ...]) -> str:
    if not isinstance(value, dict) or not value:
        return _json(value)
    pad = "  " * (len(path) + 1)
    if len(path) == 3 and path[0] == "scenarios" and path[2] in TABLES:  # one row per line
        items = [f"{pad}{_json(k)}: {_json(value[k], compact=True)}" for k in sorted(value)]
    else:
        items = [f"{pad}{_json(k)}: {_dump(value[k], (*path, k))}" for k in sorted(value)]
    return "{\n" + ",\n".join(items) + "\n" + "  " * len(path) + "}"


def format_pin(pin: dict[str, Any]) -> str:
    """The pin as text: indented, sorted keys, one line per table row, trailing newline."""
    return _dump(pin, ()) + "\n"


def load_pin(path: Path) -> dict[str, Any] | None:
    """The pin at `path`, or None when there is none; `PinError` when it is unreadable."""
    if not path.exists():
        return None
    try:
        pin = json.loads(path.read_text(encoding="utf-8-sig"), parse_constant=_no_constant)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PinError(
            f"{path}: not a readable pin ({exc}); fix it or re-pin with --update"
        ) from None
    if not isinstance(pin, dict) or not isinstance(pin.get("scenarios"), dict):
        raise PinError(f"{path}: not a pin (no 'scenarios'); fix it or re-pin with --update")
    if not isinstance(pin.get("pinned_with", {}), dict | None):
        raise PinError(
            f"{path}: not a pin ('pinned_with' is not an object); fix it or re-pin with --update"
        )
    for name, scenario in pin["scenarios"].items():
        if problem := _misshapen(scenario):
            raise PinError(
                f"{path}: not a pin (scenario {name!r} {problem}); fix it or re-pin with --update"
            )
    return pin


def check_kind(pin: dict[str, Any], path: Path, timed: bool) -> None:
    """`PinError` when the pin's answers are of the other kind than its workbook: a timed
    workbook's plan has its tours pinned (a pin whose `tours` were deleted read as every tour
    added, a regression), a snapshot's has none."""
    for name, scenario in pin["scenarios"].items():
        has_plan = bool(scenario.get("allocation"))
        if timed and has_plan and "tours" not in scenario:
            problem = "lacks 'tours', which a timed workbook's plan has"
        elif not timed and "tours" in scenario:
            problem = "has 'tours', which a snapshot workbook's plan has not"
        else:
            continue
        raise PinError(
            f"{path}: not a pin (scenario {name!r} {problem}); fix it or re-pin with --update"
        )


def _misshapen(scenario: Any) -> str:
    """What makes a scenario's answer unlike `answer`'s, '' when nothing: a pin edited by hand
    or by a bad merge crashed the whole check (`'str' object has no attribute 'get'`), and an
    empty one read as every field moved."""
    if not isinstance(scenario, dict):
        return "is not an object"
    missing = [k for k in REQUIRED if k not in scenario]
    if missing:
        return f"lacks {', '.join(repr(k) for k in missing)}"
    if not isinstance(scenario["status"], str):
        return f"has status {scenario['status']!r}, not a status"
    for key in ("objective", "model"):
        values = scenario[key]
        if not isinstance(values, dict) or not all(_scalar(v) for v in values.values()):
            return f"has {key!r} that is not an object of values"
        # a number typed as text read as moved (`pinned 600, now 600`: a CI trial)
        typed = [k for k, v in values.items() if not _number(v)]
        if typed:
            return f"has {key}.{typed[0]} {values[typed[0]]!r}, not a number"
    conflict = scenario.get("conflict", [])
    if not isinstance(conflict, list) or not all(isinstance(i, str) for i in conflict):
        return "has 'conflict' that is not a list of rule ids"
    if not _number(scenario.get("smallest_change")):
        return f"has smallest_change {scenario['smallest_change']!r}, not a number"
    for key in TABLES:
        rows = scenario.get(key, {})
        if not isinstance(rows, dict) or not all(isinstance(r, dict) for r in rows.values()):
            return f"has {key!r} that is not an object of rows"
    return ""


def _no_constant(name: str) -> Any:
    """NaN and Infinity are no pinned value (`stable` writes none): a NaN stage never reads
    as moved, so a pin edited to hold one passed whatever the answer."""
    raise ValueError(f"{name} is not a pinned value")


def _number(value: Any) -> bool:
    """A pinned figure: a number, or None (a stage the plan has no value for)."""
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def same_answers(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Whether two pins hold the same answers and input: the versions they were made with, and
    the case's name (which depends on the cases checked with it: `cases.case_names`), aside."""
    if old is None:
        return False
    strip = ("pinned_with", "case")
    a = {k: v for k, v in old.items() if k not in strip}
    b = {k: v for k, v in new.items() if k not in strip}
    return json.loads(format_pin(a)) == json.loads(format_pin(b))


def write_pin(path: Path, pin: dict[str, Any]) -> None:
    """Write the pin atomically as stable text."""
    atomic_write(path, format_pin(pin).encode("utf-8"))
