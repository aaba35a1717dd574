"""Reading forcegen output workbooks (and, for coordinates only, the input workbook they name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ForcegenError, UsageError
from ..io.zipguard import check_zip_container

REQUIRED = ("Summary", "Coverage", "Allocation", "Contributors")
OPTIONAL = ("Caveats", "Gaps", "Infeasibility")
NUMERIC = (
    "required",
    "allocated",
    "shortfall",
    "priority",
    "units",
    "personnel",
    "pledged_units",
    "deployed_units",
    "deployed_personnel",
    "pledged_personnel",
    "gdp",
    "pledged",
    "spare",
    "lat",
    "lon",
)


@dataclass
class Output:
    """One output workbook as read: its Summary as a dict and its tables."""

    path: Path
    summary: dict[str, Any]
    sheets: dict[str, pd.DataFrame]

    @property
    def status(self) -> str:
        return str(self.summary.get("status", ""))

    @property
    def scenario(self) -> str:
        return str(self.summary.get("scenario", "base"))

    @property
    def label(self) -> str:
        return f"{self.path.name} ({self.scenario})"

    def table(self, name: str) -> pd.DataFrame | None:
        return self.sheets.get(name)

    @property
    def coverage(self) -> pd.DataFrame:
        return self.sheets["Coverage"]

    @property
    def allocation(self) -> pd.DataFrame:
        return self.sheets["Allocation"]

    @property
    def contributors(self) -> pd.DataFrame:
        return self.sheets["Contributors"]


@dataclass
class Geo:
    """Coordinates from the input workbook; `note` says what is missing or doubtful."""

    sites: pd.DataFrame | None = None  # site, country, lat, lon
    homes: pd.DataFrame | None = None  # contributor, lat, lon
    source: Path | None = None
    notes: list[str] = field(default_factory=list)


def load_output(path: Path) -> Output:
    """Read a workbook written by `forcegen solve`; anything else is a usage error."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    check_zip_container(path)
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = set(book.sheet_names)
            missing = [s for s in REQUIRED if s not in names]
            if missing:
                raise UsageError(
                    f"{path.name} is not a forcegen output workbook (sheet(s) "
                    f"{', '.join(missing)} missing); give a workbook written by `forcegen solve`"
                )
            sheets = {
                s: _numeric(pd.read_excel(book, sheet_name=s, keep_default_na=False))
                for s in (*REQUIRED, *OPTIONAL)
                if s in names
            }
    except ForcegenError:
        raise
    except Exception as exc:  # pandas/openpyxl raise many types for damaged files
        raise UsageError(f"{path.name}: cannot be read as a workbook ({exc})") from None
    summary_sheet = sheets.pop("Summary")
    if not {"key", "value"} <= set(summary_sheet.columns):
        raise UsageError(f"{path.name}: the Summary sheet has no key/value columns")
    summary = {str(k): v for k, v in zip(summary_sheet["key"], summary_sheet["value"], strict=True)}
    if "forcegen_version" not in summary:
        raise UsageError(f"{path.name} is not a forcegen output workbook (no forcegen_version)")
    return Output(path, summary, sheets)


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    for col in frame.columns:
        if col in NUMERIC:
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame


def find_input(output: Output, given: Path | None) -> Path | None:
    """The input workbook: `given`, else the Summary's `input_file` next to the output, in
    ./inputs or in ../inputs beside the output's folder."""
    if given is not None:
        if not Path(given).is_file():
            raise UsageError(f"--input {given}: no such file")
        return Path(given)
    name = Path(str(output.summary.get("input_file") or "")).name
    if not name:
        return None
    from ..io.read import file_sha256

    here = output.path.resolve().parent
    found = []
    for folder in (here, Path.cwd() / "inputs", here.parent / "inputs"):
        path = folder / name
        if path.is_file() and path.resolve() != output.path.resolve() and path not in found:
            found.append(path)
    for path in found:  # the very file that was solved, if it is there
        if file_sha256(path) == output.summary.get("input_sha256"):
            return path
    return next((p for p in found if not _is_output(p)), None)


def _is_output(path: Path) -> bool:
    """A forcegen output (another scenario's, say) is never taken for the input."""
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            return {"Summary", "Allocation"} <= set(book.sheet_names)
    except Exception:
        return True


def load_geo(output: Output, given: Path | None) -> Geo:
    """Site and home coordinates for the map, or a Geo with notes saying why there are none."""
    path = find_input(output, given)
    if path is None:
        name = output.summary.get("input_file") or "(not recorded)"
        return Geo(notes=[f"input workbook {name} not found (use --input): no map drawn"])
    from ..api import read
    from ..errors import InputError
    from ..io.read import file_sha256

    geo = Geo(source=path)
    data = None
    for scenario in dict.fromkeys([output.scenario, "base"]):
        try:
            data = read(path, scenario)
            break
        except InputError:
            continue
    if data is None:
        geo.notes.append(f"input workbook {path.name} could not be read: no map drawn")
        return geo
    if output.summary.get("input_sha256") not in (None, "", file_sha256(path)):
        geo.notes.append(
            f"{path.name} has changed since {output.path.name} was solved: "
            "coordinates are those of the current file"
        )
    geo.sites = data.sites[["site", "country", "lat", "lon"]].copy()
    geo.homes = data.contributors[["contributor", "lat", "lon"]].copy()
    for frame in (geo.sites, geo.homes):
        for col in ("lat", "lon"):
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
    if geo.sites[["lat", "lon"]].isna().any(axis=1).all():
        geo.notes.append(f"no site in {path.name} has lat/lon: no map drawn")
        geo.sites = None
    return geo
