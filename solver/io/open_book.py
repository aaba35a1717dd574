"""Opening a workbook with openpyxl: the one place forcegen does, for every workbook it reads.

A workbook's document properties are metadata, not data: `docProps/core.xml` (title, author,
dates), `docProps/app.xml` (the application, its statistics) and `docProps/custom.xml` (custom
properties). openpyxl refuses the whole file when core.xml or custom.xml cannot be parsed (and
never reads app.xml). Here a damaged properties part is ignored, as if absent, and its name
noted (`ignored`), so that the reader warns and reads the sheets; app.xml is checked alike, so
that each damaged part is said the same way. One the zip cannot give at all (encrypted with a
password, compressed by a method zipfile does not read: its bytes damaged in the zip) is
damaged alike. A missing part is no damage (each is optional in the package format). What a
sheet, the workbook part or the styles hold is refused as before, and so is a properties part
declaring XML entities (refused for safety, as in any part). Nothing is written: the file is
read where it is, as it is.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from openpyxl.packaging.core import DocumentProperties
from openpyxl.reader.excel import ExcelReader
from openpyxl.xml.constants import ARC_APP, ARC_CORE, ARC_CUSTOM
from openpyxl.xml.functions import fromstring

# each properties part: what Excel calls it, and what it holds
PROPERTIES = {
    ARC_CORE: ("document properties", "its title, author and dates"),
    ARC_APP: ("application properties", "the name of the program that saved it"),
    ARC_CUSTOM: ("custom document properties", "names and values added to it by hand"),
}

# what damaged or hostile XML and zip data raise (ParseError is a SyntaxError; defusedxml's
# EntitiesForbidden and openpyxl's value errors, a date that is no date, are ValueErrors)
DAMAGE = (
    SyntaxError,
    ValueError,
    KeyError,
    IndexError,  # a shared string past the end of the table
    TypeError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
)
# what zipfile raises for a part it cannot give at all (io/zipguard.py `unreadable_part`):
# encrypted with a password (RuntimeError), compressed by a method or with a flag it does not
# read (NotImplementedError). Apart from DAMAGE, which a sheet's reading catches: a part so
# refused never reaches it (zipguard refuses the workbook first), a properties part is ignored
# here, and a RuntimeError of forcegen's own is no damage of the file.
PART_UNREADABLE = (RuntimeError, NotImplementedError)


def open_workbook(
    source: str | Path | IO[bytes],
    *,
    data_only: bool = True,
    keep_links: bool = True,
    ignored: list[str] | None = None,
) -> Any:
    """The workbook at `source` (a path, or a file open for reading bytes) as openpyxl's
    `load_workbook(source, read_only=True, ...)` reads it, but for a damaged properties part,
    which is ignored and its name (`docProps/core.xml`) added to `ignored` when given."""
    reader = _Reader(source, read_only=True, data_only=data_only, keep_links=keep_links)
    try:
        reader.read()
    except BaseException:
        reader.archive.close()  # a workbook refused leaves no file open
        raise
    if ignored is not None:
        ignored.extend(reader.ignored)
    return reader.wb


@contextmanager
def workbook_at(
    path: Path,
    *,
    data_only: bool = True,
    keep_links: bool = True,
    ignored: list[str] | None = None,
) -> Iterator[Any]:
    """`open_workbook` of the file at `path`, read by its content (whatever its name ends in, as
    pandas reads it), closed when done; a damaged properties part ignored is added to
    `ignored` when given."""
    with Path(path).open("rb") as handle:
        book = open_workbook(handle, data_only=data_only, keep_links=keep_links, ignored=ignored)
        try:
            yield book
        finally:
            book.close()


def ignored_text(part: str) -> str:
    """The warning that the properties part `part` was ignored."""
    name, holds = PROPERTIES[part]
    return (
        f"the workbook's {name} ({part}) are damaged and were ignored: they hold {holds}, "
        "none of its data"
    )


def core_damaged(xml: bytes) -> bool:
    """Whether docProps/core.xml holding `xml` is damaged as the opener judges it (it ignores
    the part, `ignored_text`): openpyxl cannot read its XML or a value (a date that is no
    date). One refused for safety (it declares entities) is hostile, not damaged. For a check
    that reads the part alone (the overwrite guard, which cannot read a damaged part's
    Author)."""
    try:
        DocumentProperties.from_tree(fromstring(xml))
    except DAMAGE as exc:
        return not _refused_for_safety(exc)
    return False


class _Reader(ExcelReader):
    """openpyxl's reader, which ignores a damaged properties part (`ignored`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ignored: list[str] = []

    def read_properties(self) -> None:
        self._unless_damaged(ARC_CORE, super().read_properties)
        self._unless_damaged(ARC_APP, self._parse_app)

    def read_custom(self) -> None:
        self._unless_damaged(ARC_CUSTOM, super().read_custom)

    def _parse_app(self) -> None:
        """Parse docProps/app.xml, which openpyxl does not read, only to know that it is sound."""
        if ARC_APP in self.valid_files:
            fromstring(self.archive.read(ARC_APP))

    def _unless_damaged(self, part: str, read: Callable[[], None]) -> None:
        try:
            read()
        except (*DAMAGE, *PART_UNREADABLE) as exc:
            if _refused_for_safety(exc):
                raise
            self.ignored.append(part)


def _refused_for_safety(exc: BaseException) -> bool:
    """defusedxml's refusal of a DTD, an entity or an external reference: a hostile file, not
    a damaged one (defusedxml has no type information: its class is named, not imported)."""
    return any(kind.__name__ == "DefusedXmlException" for kind in type(exc).__mro__)
