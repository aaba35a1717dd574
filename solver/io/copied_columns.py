"""A planner's own columns on a sheet whose rows an output repeats (the Caveats sheet: the
output's is "the input caveat rows, plus `binding`", workbook.md): read as they are and copied
to the output beside the declared ones, in the input's order, under the header as typed.

A planner keeps a `rationale`, `source` or `POC` column beside the caveats; before, it was
warned "not used by forcegen and is ignored" and the output's Caveats sheet dropped it. The
model never reads these columns. Their cells travel in the sheet's table as the internal
columns `_copied <position> <header>` (internal, as `_where`, so nothing that reads the
declared columns sees them); a header the output writes itself (`binding`, `remark`) is not
copied, and is said so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ..addresses import address
from ..errors import Issues
from .coerce import suggest
from .raw_sheet import RawSheet

COPIED = "_copied "
WRITTEN_BY_FORCEGEN = ("binding", "remark")  # the output's own columns beside the input's


def copied_columns(sheet: RawSheet, known: set[str], issues: Issues) -> dict[str, str]:
    """The undeclared columns of `sheet` to copy: normalised name -> its table column (in
    the sheet's order), each warned as copied (or, one the output writes itself, as ignored).
    Columns whose header starts with `_` are the planner's private ones: neither read nor said."""
    copied: dict[str, str] = {}
    for position, (name, letter) in enumerate(sheet.columns.items()):
        if name in known or name.startswith("_"):
            continue
        header = sheet.typed.get(name, name)
        where = address(sheet.title, f"{letter}{sheet.header_row}")
        if name in WRITTEN_BY_FORCEGEN:
            issues.warn(
                where,
                f"column '{header}' is not used by forcegen and is not copied: the output's "
                f"{sheet.title} sheet writes its own {name}; rename it to keep it there",
            )
            continue
        issues.warn(
            where,
            f"column '{header}' is not used by forcegen; it is copied to the output's "
            f"{sheet.title} sheet as it is" + suggest(name, known),
        )
        copied[name] = f"{COPIED}{position:05d} {header}"
    return copied


def copied_value(value: Any) -> Any:
    """A copied cell as the output writes it: a number, yes/no or text as typed; a date as
    ISO text (`2027-03-01`, with its time when it has one)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def copied_in(table: pd.DataFrame) -> dict[str, str]:
    """The copied columns of a validated `table`: its column -> the header to write, in the
    input's order."""
    names = sorted(c for c in table.columns if isinstance(c, str) and c.startswith(COPIED))
    return {name: name[len(COPIED) :].split(" ", 1)[1] for name in names}
