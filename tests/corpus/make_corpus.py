"""Generate the corpus of hostile and broken workbooks that `tests/test_corpus.py` feeds to forcegen.

    python -m tests.corpus.make_corpus OUTDIR            # every case
    python -m tests.corpus.make_corpus OUTDIR CASE ...   # some cases

Nothing generated is committed: the tests build each case into a temporary folder. Every case is
a function registered with `@case` (build.py) in files.py, sheets.py or values.py; it writes one file (or folder) into the folder it is given and
returns its path. All cases together take a few seconds.

How the hostile containers are made (all by hand, with `zipfile` and raw bytes):
- zip bomb: an honest deflate stream: a valid sheet padded with 20 MiB of spaces, which deflates
  about 1000-fold; forcegen's limit is 200-fold for parts above 16 MiB (`solver/io/zipguard.py`).
- forged sizes: a valid workbook whose zip directory declares a 600 MiB sheet (nothing that large
  exists; the guard reads only the directory), and one whose sheet declares fewer bytes than it
  inflates to (a damaged file).
- OLE files (.xls, password-protected .xlsx): a compound-file header and directory entries with the
  stream names Excel writes (`Workbook`; `EncryptionInfo`, `EncryptedPackage`); the sectors
  are not a complete compound file, which is enough for what forcegen looks at.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import files, sheets, values  # noqa: F401 - importing them registers their cases
from .build import (
    CASES,
    INJECTION,
    LONG_TEXT,
    OVERLONG_TEXT,
    RTL_CONTRIBUTOR,
    RTL_SITE,
    UNICODE_CAPABILITY,
    UNICODE_SITE,
    build,
    put,
    rezip,
    save,
    sheet_part,
    workbook_bytes,
)

__all__ = [
    "CASES",
    "INJECTION",
    "LONG_TEXT",
    "OVERLONG_TEXT",
    "RTL_CONTRIBUTOR",
    "RTL_SITE",
    "UNICODE_CAPABILITY",
    "UNICODE_SITE",
    "build",
    "make_corpus",
    "put",
    "rezip",
    "save",
    "sheet_part",
    "workbook_bytes",
]


def make_corpus(folder: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write the named cases (all by default) into `folder`; return each case's path."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in names or list(CASES):
        sub = folder / name
        sub.mkdir(exist_ok=True)
        out[name] = CASES[name](sub)
    return out


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for name, path in make_corpus(Path(sys.argv[1]), sys.argv[2:] or None).items():
        print(f"{name}: {path}")
