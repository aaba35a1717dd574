"""The Timeline sheet: lines down (site, capability, priority), periods across, each cell the
contributors and units present (`FRA 2, ITA 1`), and a `short <period>` block to the right with
shortfall(i, t) (blank where the line requires no units), collapsed in an outline group.

Colours are conditional formats, so they follow edits: a text cell is red when its shortfall
cell is > 0 (that rule stops the others), else coloured by the nation its text begins with
(one rule per contributor: the cell starts with `CODE `), in a light shade of the nation's
colour in the briefing (solver/nation_colours.py: one colour per nation up to 54). With phases
in Periods, the phase of each period is a second header row.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import nation_colours
from .dashboard import RED_FILL, RED_FONT
from .writer import HEADER_FILL, HEADER_FONT, OutSheet, print_setup

LINE_COLUMNS = ["site", "capability", "priority"]
SEPARATOR = ""  # an empty column between the plan and the shortfall block


def short_header(period: str) -> str:
    return f"short {period}"


def timeline_frame(
    coverage: pd.DataFrame, allocation: pd.DataFrame, periods: pd.DataFrame
) -> pd.DataFrame:
    """One row per line (Coverage order): the cell text per period, then shortfall per period.

    Text: the contributors present on the line in that period, in Allocation order
    (contributor), as `CODE units` joined by `, `; blank when none. Shortfall: the Coverage
    row's, blank where the line is not active (outside its window, or a Profile's 0 units:
    Sustainability's `periods_active` alike). With phases, a first row `phase` holds them."""
    names = periods["period"].tolist()
    lines = coverage.drop_duplicates(["site", "capability"])[LINE_COLUMNS]
    present: dict[tuple[str, str, str], list[str]] = {}
    for c, k, s, t, n in zip(
        allocation["contributor"],
        allocation["capability"],
        allocation["site"],
        allocation["period"],
        allocation["units"],
        strict=True,
    ):
        present.setdefault((s, k, t), []).append(f"{c} {int(n)}")
    short = {
        (s, k, t): int(v)
        for s, k, t, r, v in zip(
            coverage["site"],
            coverage["capability"],
            coverage["period"],
            coverage["required"],
            coverage["shortfall"],
            strict=True,
        )
        if r > 0
    }
    rows = []
    for s, k, p in lines.itertuples(index=False, name=None):
        row: dict[str, object] = {"site": s, "capability": k, "priority": int(p)}
        for t in names:
            row[t] = ", ".join(present.get((s, k, t), [])) or None
        row[SEPARATOR] = None
        for t in names:
            row[short_header(t)] = short.get((s, k, t))
        rows.append(row)
    columns = [*LINE_COLUMNS, *names, SEPARATOR, *(short_header(t) for t in names)]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    if has_phases(periods):
        phase = [None if v is None or v != v else str(v) for v in periods["phase"]]
        first = dict.fromkeys(columns)
        first["site"] = "phase"
        first.update(zip(names, phase, strict=True))
        first.update(zip((short_header(t) for t in names), phase, strict=True))
        head = pd.DataFrame([first], columns=columns, dtype=object)
        frame = pd.concat([head, frame], ignore_index=True) if len(frame) else head
    return frame.where(frame.notna(), None)


def has_phases(periods: pd.DataFrame) -> bool:
    return "phase" in periods and bool(periods["phase"].notna().any())


def timeline_sheet(
    coverage: pd.DataFrame,
    allocation: pd.DataFrame,
    periods: pd.DataFrame,
    contributors: list[str],
) -> OutSheet:
    """The Timeline as an OutSheet with its colours (see the module docstring)."""
    frame = timeline_frame(coverage, allocation, periods)
    n_periods = len(periods)
    header_rows = 2 if has_phases(periods) else 1
    first_row = header_rows + 1
    last_row = len(frame) + 1

    def decorate(ws: Worksheet) -> None:
        if header_rows == 2:
            for j in range(1, len(frame.columns) + 1):
                cell = ws.cell(row=2, column=j)
                cell.fill, cell.font = HEADER_FILL, HEADER_FONT
                cell.alignment = Alignment(horizontal="center")
        ws.freeze_panes = f"D{first_row}"
        print_setup(ws, title_rows=f"1:{header_rows}")
        _fit_for_many(ws, n_periods, first_row, last_row)
        if last_row < first_row:
            ws.auto_filter.ref = None
            return
        ws.auto_filter.ref = f"A{header_rows}:{get_column_letter(len(frame.columns))}{last_row}"
        plan = f"D{first_row}:{get_column_letter(3 + n_periods)}{last_row}"
        short_first = get_column_letter(5 + n_periods)
        block = f"{short_first}{first_row}:{get_column_letter(4 + 2 * n_periods)}{last_row}"
        is_short = f"N({short_first}{first_row})>0"
        ws.conditional_formatting.add(
            plan, FormulaRule(formula=[is_short], fill=RED_FILL, font=RED_FONT, stopIfTrue=True)
        )
        ws.conditional_formatting.add(
            block,
            FormulaRule(formula=[f"N({short_first}{first_row})>0"], fill=RED_FILL, font=RED_FONT),
        )
        for code, colour in nation_colours.colours(contributors).items():
            colour = nation_colours.light(colour)
            text = code.replace('"', '""')
            starts = f'LEFT(D{first_row},{len(code) + 1})="{text} "'
            fill = PatternFill("solid", fgColor=colour, bgColor=colour)
            ws.conditional_formatting.add(plan, FormulaRule(formula=[starts], fill=fill))

    return OutSheet("Timeline", frame, decorate=decorate, cells=True, widths={SEPARATOR: 3})


# a period's column at most this wide, its text wrapped: a scale trial's 36 periods were 40-48
# characters wide each (one cell of many nations sets its column's width), five to a screen
PERIOD_WIDTH = 16


def _fit_for_many(ws: Worksheet, n_periods: int, first_row: int, last_row: int) -> None:
    """Each period's column at most PERIOD_WIDTH wide, a longer cell wrapped (its row grows);
    the `short` block grouped and collapsed (Excel's outline: `+` above the columns shows it),
    so that the plan's periods fill the screen; the red rules read the block hidden or
    shown."""
    for j in range(4, 4 + n_periods):
        dimension = ws.column_dimensions[get_column_letter(j)]
        if dimension.width > PERIOD_WIDTH:
            dimension.width = PERIOD_WIDTH
            for row in range(first_row, last_row + 1):
                cell = ws.cell(row=row, column=j)
                if isinstance(cell.value, str) and len(cell.value) > PERIOD_WIDTH - 2:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    # grouped, the columns take the first's dimension: its width (its header's) for them all
    first, last = get_column_letter(5 + n_periods), get_column_letter(4 + 2 * n_periods)
    ws.column_dimensions.group(first, last, hidden=True, outline_level=1)
    # Excel draws the outline's `+` only where sheetFormatPr says its level; openpyxl writes
    # that from max_outline, which it computes only later, as it writes the columns (a review)
    ws.column_dimensions.max_outline = 1
