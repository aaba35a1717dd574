"""Reading forcegen output workbooks (the input they came from: source.py)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ForcegenError, Issue, UsageError
from ..io.baseline_kind import other_workbook
from ..io.coerce import as_month
from ..io.filecheck import describe_open_failure, not_a_file, refuse_a_briefing_page
from ..io.open_book import ignored_text, workbook_at
from ..io.output_schema import KEY, PERIOD, columns_of_kind, declared_names, numbers_of
from ..io.zipguard import check_zip_container
from ..results.hand_edit import header_name, tidied_headers

REQUIRED = ("Summary", "Coverage", "Allocation", "Contributors")
OPTIONAL = (
    "Caveats",
    "Gaps",
    "Infeasibility",
    "Tours",
    "Sustainability",
    "Burden",
    "Asks",  # a re-plan's (replanning.md), with Changes
    "Changes",
    "History",  # a rolling re-plan's (io/baseline_history.py)
    "CaveatPrices",  # with --price-caveats
    "Alternatives",  # with --alternatives
)
TIMED = ("Sustainability", "Burden")  # with Tours: the sheets of a timed output (time.md)
# the output's numbers (io/output_schema.py), per sheet, and the input columns the Contributors
# sheet copies that are numbers (its `gdp`, `lat`, `lon`): only a sheet that declares a column
# reads it as a number (the Caveats sheet copies a planner's own columns under the names typed:
# a column `change` there is theirs, as text)
NUMERIC_OF = {
    name: numbers_of(name) | ({"gdp", "lat", "lon"} if name == "Contributors" else set())
    for name in declared_names()
}

# codes and period names as written: pandas would read a capability `INF` (or `NaN`) as a number
PERIOD_COLUMNS = columns_of_kind(PERIOD)
KEYS = dict.fromkeys(sorted(columns_of_kind(KEY, PERIOD)), object)


# said of a briefing page given as an output (io/filecheck.refuse_a_briefing_page)
OUTPUT_WORKBOOK = "give the output workbook (.xlsx) of forcegen solve the page was made from"
PLAN_STATUSES = ("optimal", "feasible", "interrupted")  # an output with a plan to show
# every status a solve writes in the Summary (results/report.py)
WRITTEN_STATUSES = (*PLAN_STATUSES, "infeasible", "no_solution")


def status_problem(status: object) -> str | None:
    """What is wrong with a Summary's `status` that no solve writes (blank, retyped), else
    None: read as a status without a plan, a damaged cell had `report` say an output with a
    full plan had none, and `compare` leave it out, exit 0 (a fault trial)."""
    if str(status).strip() in WRITTEN_STATUSES:
        return None
    said = "blank" if status is None or not str(status).strip() else f"'{status}'"
    return (
        f"status is {said}, not one forcegen writes ({', '.join(WRITTEN_STATUSES)}): the "
        "Summary was edited or damaged; restore its status, or solve again"
    )


@dataclass
class Output:
    """One output workbook as read: its Summary as a dict and its tables."""

    path: Path
    summary: dict[str, Any]
    sheets: dict[str, pd.DataFrame]
    violations: list[str] | None = None  # the rules an edited plan breaks; None: not checked
    audit_notes: list[str] = field(default_factory=list)  # what the page says of an edit
    # what reading the file warns about (its damaged document properties, ignored; a `lock`
    # cell a re-plan refuses): said on the console
    warnings: list[Issue] = field(default_factory=list)

    @property
    def edited(self) -> bool:
        """The Allocation sheet differs from the plan that was solved (edited.py)."""
        return self.status == "edited"

    @property
    def has_plan(self) -> bool:
        """Whether the output holds a plan to show (an edited one too)."""
        return self.edited or self.status in PLAN_STATUSES

    @property
    def status(self) -> str:
        return str(self.summary.get("status", ""))

    @property
    def scenario(self) -> str:
        return str(self.summary.get("scenario", "base"))

    @property
    def label(self) -> str:
        return f"{self.path.name} ({self.scenario})"

    @property
    def timed(self) -> bool:
        """A timed output has a Tours sheet (a snapshot has none)."""
        return "Tours" in self.sheets

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
    """Coordinates from the input workbook; `notes` say which input gave them (or that none was
    found, and why), then what is missing or doubtful."""

    sites: pd.DataFrame | None = None  # site, country, lat, lon
    homes: pd.DataFrame | None = None  # contributor, lat, lon
    source: Path | None = None
    notes: list[str] = field(default_factory=list)
    periods: pd.DataFrame | None = (
        None  # the input's Periods (a timed input): period, months, start
    )
    # what reading the input warns about, said on the console: its damaged document properties,
    # ignored (as solve and verify warn; its other warnings are validate's to give)
    warnings: list[Issue] = field(default_factory=list)


def load_output(path: Path) -> Output:
    """Read a workbook written by `forcegen solve`; anything else is a usage error. Damaged
    document properties are ignored, with a warning naming the part (`Output.warnings`), as
    every reader of a workbook warns (io/open_book.py)."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: {not_a_file(path)}")
    refuse_a_briefing_page(path, OUTPUT_WORKBOOK)
    check_zip_container(path)
    ignored: list[str] = []
    try:
        with (
            workbook_at(path, keep_links=False, ignored=ignored) as opened,
            pd.ExcelFile(opened, engine="openpyxl") as book,
        ):
            names = set(book.sheet_names)
            missing = [s for s in REQUIRED if s not in names]
            if missing and (kind := other_workbook(names)):  # a trial: forcegen wrote it
                raise UsageError(
                    f"{path.name} is {kind}, not an output of `forcegen solve`: give the "
                    "outputs of solve or sweep"
                )
            if missing:
                raise UsageError(
                    f"{path.name} is not a forcegen output workbook (sheet(s) "
                    f"{', '.join(missing)} missing); give a workbook written by `forcegen solve`"
                )
            sheets = {
                s: _periods(_numeric(_read_sheet(book, s), NUMERIC_OF.get(s, frozenset())))
                for s in (*REQUIRED, *OPTIONAL)
                if s in names
            }
    except ForcegenError:
        raise
    except Exception as exc:  # pandas/openpyxl raise many types for damaged files
        raise UsageError(f"{path.name}: {describe_open_failure(exc)}") from None
    summary_sheet = sheets.pop("Summary")
    if not {"key", "value"} <= set(summary_sheet.columns):
        raise UsageError(f"{path.name}: the Summary sheet has no key/value columns")
    summary = {str(k): v for k, v in zip(summary_sheet["key"], summary_sheet["value"], strict=True)}
    if "forcegen_version" not in summary:
        raise UsageError(f"{path.name} is not a forcegen output workbook (no forcegen_version)")
    if (problem := status_problem(summary.get("status"))) is not None:
        raise UsageError(f"{path.name} Summary: {problem}")
    out = Output(path, summary, sheets)
    out.warnings = [Issue(path.name, ignored_text(part), "warning") for part in ignored]
    if out.has_plan and not out.timed and _timed_by_its_sheets(out):  # its Tours deleted
        raise UsageError(
            f"{path.name} is a timed output (its Summary has periods, its Allocation a period "
            "column) without its Tours sheet: not a complete timed output of `forcegen solve`"
        )
    if out.timed and out.has_plan:  # a timed output without plan may lack its plan's sheets
        _check_timed(out)
    return out


def _timed_by_its_sheets(out: Output) -> bool:
    """A timed output's marks beside its Tours: the Summary's `periods`, the Allocation's
    `period` column (a trial deleted the Tours, and a page added up 24 months' rows as one
    snapshot plan breaking 169 rules)."""
    return "periods" in out.summary or "period" in out.allocation.columns


def _read_sheet(book: pd.ExcelFile, name: str) -> pd.DataFrame:
    """A sheet with its headers as forcegen writes them (lower case, no spaces around): a
    planner who tidied `Site` or ` units ` still has the table read, as compare and verify
    read it. Codes and period names are read as text (KEYS)."""
    headers = pd.read_excel(book, sheet_name=name, nrows=0).columns
    keys = {h: object for h in headers if header_name(h) in KEYS}
    frame = pd.read_excel(book, sheet_name=name, keep_default_na=False, dtype=keys)
    return frame.rename(columns=tidied_headers(list(frame.columns)))


def _check_timed(out: Output) -> None:
    """A timed output carries every sheet of the timed format, and `period` on Coverage."""
    missing = [s for s in TIMED if s not in out.sheets]
    if "period" not in out.coverage.columns:
        missing.append("the period column of Coverage")
    if missing:
        raise UsageError(
            f"{out.path.name} has a Tours sheet but not {', '.join(missing)}: not a complete "
            "timed output of `forcegen solve`"
        )


def _periods(frame: pd.DataFrame) -> pd.DataFrame:
    """Period cells that Excel made dates of (a planner retyping 2027-03 in the Tours) read as
    the month's key, as verify reads them: the Gantt drew no bar for such a tour."""
    for col in frame.columns:
        if col in PERIOD_COLUMNS:
            frame[col] = [as_month(v) or v for v in frame[col]]
    return frame


def _numeric(frame: pd.DataFrame, numbers: Collection[str]) -> pd.DataFrame:
    """The columns of `numbers` read as numbers (a cell that is none: blank)."""
    for col in frame.columns:
        if col in numbers:
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame


def covered(coverage: pd.DataFrame) -> pd.Series:
    """Per Coverage row, the units that count as coverage: min(allocated, required), a blank
    cell read as none (a line given more than it requires, as a hand edit may, covers no
    other; a solved plan never does)."""
    return coverage[["allocated", "required"]].fillna(0).min(axis=1)
