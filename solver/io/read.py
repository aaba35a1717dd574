"""Entry point of the io layer: a workbook path (and a scenario) in, validated `Data` out."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..data import Data
from ..errors import InputError, Issues
from .excel import RawWorkbook, read_workbook
from .periods import periods_in, timed_refusal
from .scenarios import BASE, apply_scenario, name_scenario, scenario_names
from .schema import INPUT_SHEETS, norm
from .validate import validate


def read_raw(path: Path, issues: Issues) -> RawWorkbook:
    expected = {norm(s.name): tuple(c.name for c in s.columns) for s in INPUT_SHEETS}
    return read_workbook(Path(path), expected, issues)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_data(path: Path, scenario: str = BASE, *, allow_timed: bool = False) -> Data:
    """Read, apply the scenario, validate; raises `InputError` with every problem found.

    A timed workbook (Periods rows) is refused with `TimedWorkbook` before it is validated,
    unless `allow_timed` (validate, and readers that only look): nothing can solve it yet."""
    path = Path(path)
    issues = Issues()
    raw = read_raw(path, issues)
    names = scenario_names(raw)
    contexts: dict[str, str] = {}
    notes = apply_scenario(raw, scenario, issues, contexts)
    if not allow_timed and periods_in(raw):
        raise timed_refusal(path.name, periods_in(raw), scenario)
    try:
        data = validate(raw, issues, scenario)
    except InputError as exc:
        raise name_scenario(exc, contexts) from None
    data.source_name = path.name
    data.source_sha256 = file_sha256(path)
    data.scenarios = names
    data.notes = notes
    return data
