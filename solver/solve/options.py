"""Solver options: from Settings and the command line to HiGHS, checked on the way in."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, TypedDict

from ..errors import UsageError
from ..io.schema import SETTINGS_BY_NAME

# the Settings sheet's cap, also the command line's: HiGHS starts that many threads at once
# (100,000 asked for started ~3,700 before the machine refused, and the plan was junk)
MAX_THREADS = int(SETTINGS_BY_NAME["threads"].maximum or 1024)


NUMBERS = ("time_limit", "work_limit", "mip_gap", "within")  # real numbers
WHOLE = ("threads", "seed", "alternatives")  # whole numbers


def mistyped_arguments(**given: Any) -> list[str]:
    """What is wrong with the type of each argument given from Python (`api.solve`), where the
    command line's types would have refused it: `time_limit must be a number, got '10' (str)`.
    None is not checked but for `scenario` (elsewhere it means the default); True and False
    are not numbers here."""
    problems = []
    for name, value in given.items():
        if name == "scenario":
            if not isinstance(value, str):
                problems.append(f"scenario must be a scenario's name (text), got {value!r}")
            continue
        if value is None:
            continue
        number = isinstance(value, numbers.Real) and not isinstance(value, bool)  # numpy's too
        if name in NUMBERS and not number:
            problems.append(f"{name} must be a number, got {value!r} ({type(value).__name__})")
        elif name in WHOLE and not (number and float(value).is_integer()):
            problems.append(f"{name} must be a whole number, got {value!r}")
        elif name == "alternatives" and value < 0:
            problems.append(f"alternatives must be 0 or more, got {value}")
    return problems


class SolveArgs(TypedDict, total=False):
    """The arguments of `api.solve` a sweep hands every scenario's worker (those given on the
    command line; the others are the Settings sheet's): a misspelt key fails the type check,
    not a worker."""

    time_limit: float
    work_limit: float
    mip_gap: float
    threads: int
    seed: int
    backend: str


def _typed(name: str, value: float) -> float | int:
    """A setting's value as its declaration's kind says (`int` or `number`)."""
    return int(value) if SETTINGS_BY_NAME[name].kind == "int" else float(value)


@dataclass(frozen=True)
class SolveOptions:
    """What the planner asked for; `highs` holds extra raw HiGHS options (name -> value)."""

    # the defaults are the Settings sheet's declarations' (io/schema.py SETTING_SPECS)
    time_limit: float = SETTINGS_BY_NAME["time_limit"].default
    # > 0: the budget in work units, deterministic (solve/clock.py)
    work_limit: float = SETTINGS_BY_NAME["work_limit"].default
    mip_gap: float = SETTINGS_BY_NAME["mip_gap"].default
    threads: int = int(SETTINGS_BY_NAME["threads"].default)
    seed: int = int(SETTINGS_BY_NAME["seed"].default)
    highs: dict[str, Any] = field(default_factory=dict)
    log: bool = False  # HiGHS's own log on the console

    @classmethod
    def from_settings(cls, settings: dict[str, float], **overrides: Any) -> SolveOptions:
        # each default is the Settings sheet's declaration's (io/schema.py), said once
        values: dict[str, Any] = {
            name: _typed(name, settings.get(name, SETTINGS_BY_NAME[name].default))
            for name in ("time_limit", "work_limit", "mip_gap", "threads", "seed")
        }
        given = {k: v for k, v in overrides.items() if v is not None}
        values.update(given)
        if values["time_limit"] <= 0 and "time_limit" not in given and values["work_limit"] <= 0:
            raise UsageError(
                f"time_limit is {values['time_limit']:g} (the Settings sheet's, or the "
                "scenario's), which leaves no time to solve: give a time above 0, a work_limit, "
                "or --time-limit"
            )
        if values["work_limit"] > 0:
            # work units stop the solve; only a time limit given with them (command line,
            # API) is a hard stop, the Settings sheet's would make the plan depend on the
            # machine again. One thread, unless asked for more: HiGHS's counts are the same
            # on every run with one.
            values["time_limit"] = float(given.get("time_limit", math.inf))
            if values["threads"] == 0:
                values["threads"] = 1
        opts = cls(**values)
        opts.check()
        return opts

    def check(self) -> None:
        problems = []
        if not self.time_limit > 0:
            problems.append(f"time limit must be > 0 seconds, got {self.time_limit}")
        if not self.work_limit >= 0 or math.isinf(self.work_limit):
            problems.append(f"work limit must be a number >= 0 (0: none), got {self.work_limit}")
        if not 0 <= self.mip_gap <= 1:
            problems.append(f"mip gap must be between 0 and 1, got {self.mip_gap}")
        if not 0 <= self.threads <= MAX_THREADS:
            problems.append(f"threads must be between 0 and {MAX_THREADS}, got {self.threads}")
        if self.seed < 0:
            problems.append(f"seed must be >= 0, got {self.seed}")
        if problems:
            raise UsageError("; ".join(problems))

    @property
    def budget(self) -> float:
        """The solve's budget: work units with a work limit, else seconds."""
        return self.work_limit if self.work_limit > 0 else self.time_limit

    def highs_options(self) -> dict[str, Any]:
        """The HiGHS options these settings map to (time_limit is set per stage)."""
        out: dict[str, Any] = {
            "mip_rel_gap": float(self.mip_gap),
            "random_seed": int(self.seed),
            "output_flag": bool(self.log),
            "log_to_console": bool(self.log),
        }
        if self.threads:
            out["threads"] = int(self.threads)
        out.update(self.highs)
        return out

    def as_rows(self) -> list[tuple[str, Any]]:
        return [
            ("option.time_limit", self.time_limit if math.isfinite(self.time_limit) else "none"),
            *([("option.work_limit", self.work_limit)] if self.work_limit > 0 else []),
            ("option.mip_gap", self.mip_gap),
            ("option.threads", self.threads),
            ("option.seed", self.seed),
        ] + [(f"option.highs.{k}", v) for k, v in sorted(self.highs.items())]


def bad_option(name: str, value: Any) -> UsageError:
    return UsageError(f"HiGHS rejected option {name}={value!r} (unknown name or invalid value)")
