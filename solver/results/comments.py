"""Cell comments (notes) a planner left on an output: forcegen writes none, so a sheet that
has any holds the planner's words, which `solve -o` would lose (results/hand_edit.py).

Read from the file's parts without an XML parser, as the output guard reads them
(results/overwrite_guard.py): the workbook part names each sheet and its relationship id
(xl/workbook.xml), the workbook's relationships give the sheet's part
(xl/_rels/workbook.xml.rels), and a sheet's own relationships name its comments, legacy or
threaded (xl/worksheets/_rels/sheetN.xml.rels).
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from pathlib import Path

_ELEMENT = {
    "sheet": re.compile(r"<(?:\w+:)?sheet\b([^>]*)/?>"),
    "relationship": re.compile(r"<(?:\w+:)?Relationship\b([^>]*)/?>"),
}
_ATTRIBUTE = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')
_COMMENTS = ("/comments", "/threadedComment")  # the relationship types' endings
_PART_LIMIT = 1 << 20  # a part larger than this is not read (no output's is)
_CANNOT_READ = (OSError, zipfile.BadZipFile, KeyError, ValueError, RuntimeError, EOFError)


def commented_sheets(path: Path) -> list[str]:
    """The sheets of the workbook at `path` with a cell comment, in the workbook's order; []
    for none, or where its parts cannot be read (the output guard judges those)."""
    try:
        with zipfile.ZipFile(path) as z:
            sheets = _elements(_part(z, "xl/workbook.xml"), "sheet")
            targets = {
                r.get("Id"): r.get("Target", "")
                for r in _elements(_part(z, "xl/_rels/workbook.xml.rels"), "relationship")
            }
            names = set(z.namelist())
            found = []
            for sheet in sheets:
                target = targets.get(sheet.get("r:id"), "")
                absolute = target.startswith("/")  # else relative to xl/
                part = target[1:] if absolute else posixpath.normpath(f"xl/{target}")
                rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part))
                if f"{rels}.rels" not in names:
                    continue
                types = [
                    r.get("Type", "") for r in _elements(_part(z, f"{rels}.rels"), "relationship")
                ]
                if any(t.endswith(_COMMENTS) for t in types):
                    found.append(html.unescape(sheet.get("name", "")))
            return found
    except _CANNOT_READ:
        return []


def _part(z: zipfile.ZipFile, name: str) -> str:
    if z.getinfo(name).file_size > _PART_LIMIT:
        raise ValueError(f"{name} too large")
    return z.read(name).decode("utf-8", errors="replace")


def _elements(xml: str, tag: str) -> list[dict[str, str]]:
    """Each `tag` element's attributes."""
    return [dict(_ATTRIBUTE.findall(found)) for found in _ELEMENT[tag].findall(xml)]
