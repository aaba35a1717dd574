"""The `template` workbook and the docs tables, both generated from the column declarations."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .open_book import open_workbook
from .schema import INPUT_SHEETS, SCENARIO_KEYS, SETTING_SPECS, SHEETS_BY_NAME
from .schema_types import Sheet

OWN_COLUMNS = (
    "Columns of your own: a header beginning _ is private (neither read nor mentioned); any "
    "other column no sheet declares is ignored with a warning, except on Caveats, where it is "
    "copied to the output's Caveats sheet."
)
# a caveat kind's reading in a timed workbook (`time.md`): each period of its from..to
IN_TIME = "in time (each period of the caveat's from..to)"
TEMPLATE_CREATOR = "forcegen template"  # its Author: `template --force` may replace it while blank


def template_workbook() -> Workbook:
    """Every sheet and column of the contract, with a README sheet describing each column, the
    caveat kinds (what each means, and how a timed workbook reads it per period), the settings
    and the key a Scenarios row names in each sheet."""
    from ..caveats import KINDS

    wb = Workbook()
    wb.properties.creator = TEMPLATE_CREATOR
    readme = wb.active
    readme.title = "README"
    readme.append(["forcegen input workbook: fill the sheets; blank optional cells take defaults."])
    readme.append([])
    # the meaning in column E, as the columns' below (the wide one)
    _bold_row(readme, ["sheet", "required", None, None, "meaning"])
    for sheet in INPUT_SHEETS:
        required = "yes" if sheet.required else "no"
        readme.append([sheet.name, required, None, None, sheet.description])
    readme.append([None, None, None, None, OWN_COLUMNS])
    readme.append([])
    _bold_row(readme, ["sheet", "column", "type", "default", "meaning"])
    for sheet in INPUT_SHEETS:
        for col in sheet.columns:
            readme.append(
                [sheet.name, col.name, col.type_text(), col.default_for_docs(), col.description]
            )
    readme.append([])
    # the meaning in the wide column E, as above; what a timed workbook reads beside it
    _bold_row(readme, ["caveat kind", "reads", None, None, "meaning", IN_TIME])
    for kind in KINDS.values():
        readme.append(
            [kind.kind, ", ".join(kind.reads) or "-", None, None, kind.summary, kind.in_time]
        )
    readme.append([])
    readme.append(["setting", "default", "meaning"])
    for s in SETTING_SPECS:
        readme.append([s.name, s.default, s.description])
    readme.append([])
    readme.append(["Scenarios: sheet", "key", "example"])
    for name, columns in SCENARIO_KEYS.items():
        readme.append([name, "/".join(columns), _key_example(name, columns)])
    for letter, width in zip("ABCDEF", (16, 20, 26, 18, 90, 90), strict=True):
        readme.column_dimensions[letter].width = width
    for sheet in INPUT_SHEETS:
        _sheet(wb, sheet)
    return wb


def _bold_row(readme: Any, values: list[str | None]) -> None:
    readme.append(values)
    for cell in readme[readme.max_row]:
        cell.font = Font(bold=True)


def _key_example(name: str, columns: tuple[str, ...]) -> str:
    """`Kyiv/INF_BN`: the examples the schema gives for a key's columns, joined as written."""
    by_name = {c.name: c for c in SHEETS_BY_NAME[name].columns}
    return "/".join(str(by_name[c].example) for c in columns)


def is_blank_template(path: Path) -> bool:
    """Whether `path` is a workbook `template` wrote (its Author) that nobody has filled in:
    no sheet but README has a row below its header. Anything unreadable is not, nor anything
    but a file, which is never opened (a fault trial: a link to /dev/zero was read until the
    machine ran out of memory, a pipe waited for ever)."""
    if not path.is_file():
        return False
    try:
        book = open_workbook(path, data_only=False)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return False
    try:
        if book.properties.creator != TEMPLATE_CREATOR:
            return False
        for ws in book.worksheets:
            if ws.title == "README":
                continue
            rows = ws.iter_rows(min_row=2, values_only=True)
            if any(v not in (None, "") for row in rows for v in row):
                return False
        return True
    finally:
        book.close()


def _sheet(wb: Workbook, sheet: Sheet) -> None:
    from ..caveats import KINDS

    ws = wb.create_sheet(sheet.name)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for j, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=j, value=col.name)
        cell.font = Font(bold=True)
        cell.fill = fill
        text = f"{col.type_text()}; default: {col.default_for_docs()}. {col.description}"
        if col.name == "caveat" and sheet.name == "Caveats":
            text += ". Kinds: " + ", ".join(KINDS)
        cell.comment = Comment(text, "forcegen")
        ws.column_dimensions[get_column_letter(j)].width = max(12, len(col.name) + 4)
    ws.freeze_panes = "A2"


def markdown_tables() -> str:
    """The column reference of docs/workbook.md, generated from the schema."""
    from ..caveats import KINDS

    out = []
    for sheet in INPUT_SHEETS:
        out.append(f"### {sheet.name}\n{sheet.description}\n")
        out.append("| column | type | default | meaning |\n|---|---|---|---|")
        for col in sheet.columns:
            out.append(
                f"| {col.name} | {col.type_text()} | {col.default_for_docs()} | {col.description} |"
            )
        out.append("")
    out.append(
        f"### Caveat kinds\n| caveat | reads | meaning | {IN_TIME} | binding = yes when |\n"
        "|---|---|---|---|---|"
    )
    for kind in KINDS.values():
        out.append(
            f"| `{kind.kind}` | {', '.join(kind.reads) or '-'} | {kind.summary} | "
            f"{kind.in_time} | {kind.binding_rule} |"
        )
    out.append("\n### Settings\n| setting | default | meaning |\n|---|---|---|")
    for s in SETTING_SPECS:
        out.append(f"| {s.name} | {s.default:g} | {s.description} |")
    return "\n".join(out) + "\n"
