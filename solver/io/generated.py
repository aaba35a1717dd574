"""Any scenario of a workbook as forcegen reads it: the workbook's own (its Scenarios sheet),
or a withdrawal a sweep generates (`withdraw_<CODE>`, `withdraw_<CODE>_after_<PERIOD>`: see
withdrawals.py), made from the validated base case, never by editing the workbook. `solve -s`,
`verify` and `compare` read a generated scenario's output with these, as the sweep made it.
"""

from __future__ import annotations

from pathlib import Path

from ..data import Data
from ..errors import Issues, UsageError
from .read import read_data, read_raw
from .scenarios import BASE, scenario_names
from .withdrawals import Withdrawal, apply, check, parse_name


def workbook_scenarios(path: Path) -> list[str]:
    """The scenarios of the workbook's Scenarios sheet, in order (without validating it)."""
    return [n for n in scenario_names(read_raw(Path(path), Issues())) if n != BASE]


def withdraw(data: Data, contributor: str, after: str | None = None) -> Data:
    """The generated scenario `withdraw_<contributor>` (or `..._after_<after>`) of `data`."""
    return apply(data, Withdrawal(contributor, after))


def makes(data: Data, name: str) -> bool:
    """Whether `name` is a generated withdrawal `data` can make."""
    withdrawal = parse_name(name)
    if withdrawal is None:
        return False
    try:
        check(data, withdrawal)
    except UsageError:
        return False
    return True


def known_scenario(path: Path, name: str) -> bool:
    """True for base, a scenario of the workbook, or a generated withdrawal it can make."""
    if name == BASE or name in workbook_scenarios(path):
        return True
    return parse_name(name) is not None and makes(read_data(Path(path)), name)


def generated_scenario(base: Data, name: str) -> Data | None:
    """The generated withdrawal `name` made from the validated `base`; None when `name` is no
    withdrawal `base` can make, or is a scenario of the workbook's own (which wins)."""
    withdrawal = parse_name(name)
    if withdrawal is None or name in base.scenarios or not makes(base, name):
        return None
    return apply(base, withdrawal)


def read_scenario(path: Path, name: str, *, allow_timed: bool = True) -> Data:
    """`read_data(path, name)`, plus the generated withdrawals (the workbook's own scenario of
    that name, if it has one, wins); one that cannot be made says why (`UsageError`)."""
    path = Path(path)
    withdrawal = parse_name(name)
    if withdrawal is None:
        return read_data(path, name, allow_timed=allow_timed)
    base = read_data(path, allow_timed=allow_timed)
    if name in base.scenarios:
        return read_data(path, name, allow_timed=allow_timed)
    check(base, withdrawal)
    return apply(base, withdrawal)
