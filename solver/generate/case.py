"""The generated case: its tables, the witness allocation, and the vocabulary they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CATEGORIES = ("ground", "air", "maritime", "enabler")
UNIT_SIZE = {"ground": (150, 600), "air": (60, 200), "maritime": (100, 300), "enabler": (30, 150)}
UKR_ZONES = ("rear", "central", "forward")
Filter = dict[str, str]


@dataclass
class Case:
    """The generated tables (rows as dicts keyed by contract column) and the witness allocation."""

    contributors: list[dict[str, Any]] = field(default_factory=list)
    capabilities: list[dict[str, Any]] = field(default_factory=list)
    sites: list[dict[str, Any]] = field(default_factory=list)
    requirements: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    pledges: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    caveats: list[dict[str, Any]] = field(default_factory=list)
    witness: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (c, k, s) -> units
    # a timed case (`timed.add_time`) only: the Periods and Profile rows, and the witness as
    # tours (c, k, s, first, last, units) with 0-based period positions
    periods: list[dict[str, Any]] = field(default_factory=list)
    profile: list[dict[str, Any]] = field(default_factory=list)
    witness_tours: list[tuple[str, str, str, int, int, int]] = field(default_factory=list)
