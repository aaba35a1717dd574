"""Write the bundled timed example: the snapshot coalition sustained over 24 months.

ILLUSTRATIVE DATA ONLY, like ``coalition.xlsx`` (whose data this script reuses from
``make_coalition.py``): not real force data, pledges, dates or national positions.

Running ``python inputs/make_coalition_timed.py [FOLDER]`` writes ``coalition_timed.xlsx`` to
FOLDER (default: next to this script); a re-run gives identical bytes. Time follows the contract's
second part (time.md):

- ``Periods``: 24 monthly periods 2027-01..2028-12 from a *notional* activation date, 1 January
  2027 (no real plan or date); phases IOC (months 1-3), FOC (months 4-21), drawdown (22-24).
- ``Requirements`` windows: the forward site Dnipro is occupied at FOC and vacated first
  (2027-04..2028-09); the fighters at Vinnytsia and Constanta come at FOC; Lviv's priority-3
  lines end with FOC.
- ``Profile``: IOC lines at part strength (Kyiv's battalions 1 of 3, ...), and the drawdown.
- Pools: FRA, GBR, DEU and CAN rotate their manoeuvre and air-defence units (six-month tours,
  twelve months of dwell: a 1:2 rotation, about a third of a pool deployed at a time); their
  ``units`` are the whole pool, about three times the snapshot's pledge (FRA MECH_COY and AD_BTY
  and GBR INF_BN a little less: the rotation sustains most, not all, of their share). Every other
  pledge is a nation sustaining its own slot: no tour limit, no dwell (it rotates internally).
- Readiness: the distant contributors CAN (from 2027-03), AUS and NZL (from 2027-04).
- Mandates: NLD's ends 2027-12, ESP's 2028-06 (pledge ``to``).
- Scenarios: the snapshot's, plus ``us_late`` (the US backstop arrives 2027-07) and
  ``italy_leaves`` (Italy's pledges end 2027-12).

Why the base case is feasible in every period: every hard line (LVA-East and EST-East through C1
and C2, Kyiv HQ_ELEM) and both ``min_units`` caveats can be met by pledges available all 24 months
that sustain their own slot (POL's two battalions at LVA-East, NOR/SWE/POL/CZE batteries, FRA, GBR
and POL headquarters, POL's logistics at Rzeszow), and GBR's pool of 8 battalions keeps 2 deployed
in every month (tours 1-6, 7-12, 13-18 by three pairs, the first pair again from month 19).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from _workbook import HEADERS, Row, stamp
from make_coalition import (
    CAPABILITIES,
    CAVEATS,
    CONTRIBUTORS,
    PLEDGES,
    REQUIREMENTS,
    SCENARIO_LINES,
    SCENARIOS,
    SETTINGS,
    SITES,
    caveat_rows,
    check_keys,
    save,
    write_sheet,
)
from openpyxl import Workbook

HERE = Path(__file__).parent
FILE_NAME = "coalition_timed.xlsx"

# A budget in work units, not seconds (README "Work limit"): the shortfall stages are proven
# in seconds but the cost and presence stages stop on their budget, and a time limit's stop
# gives another plan on every run and machine; 60 units give the same plan everywhere, in about
# a minute of this project's machine (longer on a slower or busier one).
TIMED_SETTINGS: list[Row] = [
    ("work_limit", 60) if name == "time_limit" else (name, value) for name, value in SETTINGS
]

# --------------------------------------------------------------------------------------------
# Periods: 24 months from the notional activation date.
# --------------------------------------------------------------------------------------------
ACTIVATION = date(2027, 1, 1)  # notional
MONTHS = 24
IOC_MONTHS = 3
DRAWDOWN_MONTHS = 3


def period(month: int) -> str:
    """The key of the period of month `month` (1-based): 1 -> '2027-01', 13 -> '2028-01'."""
    year, index = divmod(ACTIVATION.month - 1 + month - 1, 12)
    return f"{ACTIVATION.year + year}-{index + 1:02d}"


def phase(month: int) -> str:
    """IOC in the first three months, drawdown in the last three, FOC between."""
    if month <= IOC_MONTHS:
        return "IOC"
    if month > MONTHS - DRAWDOWN_MONTHS:
        return "drawdown"
    return "FOC"


IOC = (period(1), period(IOC_MONTHS))
FOC_FIRST = period(IOC_MONTHS + 1)
FOC_LAST = period(MONTHS - DRAWDOWN_MONTHS)
DRAWDOWN = (period(MONTHS - DRAWDOWN_MONTHS + 1), period(MONTHS))

# period, months, start (first row only: later starts follow), phase
PERIODS: list[Row] = [
    (period(m), 1, ACTIVATION if m == 1 else None, phase(m)) for m in range(1, MONTHS + 1)
]

# --------------------------------------------------------------------------------------------
# Requirement windows (site, capability) -> (from, to); None = the first / last period.
# --------------------------------------------------------------------------------------------
DNIPRO = {key[1] for key in ((r[0], r[1]) for r in REQUIREMENTS) if key[0] == "Dnipro"}
REQUIREMENT_WINDOWS: dict[tuple[str, str], tuple[str | None, str | None]] = {
    **{("Dnipro", k): (FOC_FIRST, FOC_LAST) for k in sorted(DNIPRO)},
    ("Vinnytsia", "FTR_SQN"): (FOC_FIRST, None),
    ("Constanta", "FTR_SQN"): (FOC_FIRST, None),
    ("Lviv", "MECH_COY"): (None, FOC_LAST),
    ("Lviv", "ENG_COY"): (None, FOC_LAST),
    ("Lviv", "MP_PLT"): (None, FOC_LAST),
}

# Profile: site, capability, from, to, units (instead of the line's units in those periods).
# IOC at part strength, the drawdown below FOC strength.
PROFILE: list[Row] = [
    ("Kyiv", "INF_BN", *IOC, 1),
    ("Kyiv", "INF_BN", *DRAWDOWN, 2),
    ("Kyiv", "AD_BTY", *IOC, 2),
    ("Kyiv", "AD_BTY", *DRAWDOWN, 2),
    ("Kyiv", "MECH_COY", *IOC, 1),
    ("Kyiv", "MECH_COY", *DRAWDOWN, 1),
    ("Kyiv", "MED_TEAM", *IOC, 2),
    ("Kyiv", "MED_TEAM", *DRAWDOWN, 2),
    ("Kyiv", "ENG_COY", *IOC, 1),
    ("Odesa", "INF_BN", *IOC, 1),
    ("Odesa", "INF_BN", *DRAWDOWN, 1),
    ("Odesa", "AD_BTY", *IOC, 1),
    ("Odesa", "AD_BTY", *DRAWDOWN, 2),
    ("Odesa", "MECH_COY", *IOC, 1),
    ("Odesa", "MECH_COY", *DRAWDOWN, 1),
    ("Lviv", "MED_TEAM", *IOC, 1),
    ("Vinnytsia", "LOG_COY", *IOC, 1),
    ("Vinnytsia", "LOG_COY", *DRAWDOWN, 1),
]

# --------------------------------------------------------------------------------------------
# Pledges in time.
# --------------------------------------------------------------------------------------------
TOUR_MONTHS = 6
DWELL_MONTHS = 12
# Pools (contributor, capability) -> units of the whole pool (snapshot pledge in the comment).
POOLS: dict[tuple[str, str], int] = {
    ("FRA", "INF_BN"): 6,  # 2: sustains 2
    ("FRA", "MECH_COY"): 5,  # 2: sustains 1 and 2 two thirds of the time
    ("FRA", "AD_BTY"): 5,  # 2: likewise
    ("GBR", "INF_BN"): 8,  # 3: sustains 2, and 3 two thirds of the time
    ("GBR", "MECH_COY"): 3,  # 1
    ("DEU", "INF_BN"): 3,  # 1
    ("DEU", "MECH_COY"): 6,  # 2
    ("DEU", "AD_BTY"): 6,  # 2 (only alongside the US: C8)
    ("CAN", "INF_BN"): 6,  # 2 (from 2027-03: readiness below)
}
# Readiness (notice to move) of distant contributors: every pledge from this period on.
READINESS: dict[str, str] = {"CAN": period(3), "AUS": period(4), "NZL": period(4)}
# Parliamentary mandates that expire mid-horizon: every pledge up to this period.
MANDATES: dict[str, str] = {"NLD": period(12), "ESP": period(18)}

# --------------------------------------------------------------------------------------------
# Scenarios in time, besides the snapshot's (which keep their meaning: they change units,
# statuses and caveat values, and the Profile still rules its periods).
# --------------------------------------------------------------------------------------------
US_ARRIVES = period(7)
ITALY_LEAVES_AFTER = period(12)
US_PLEDGES = [row[1] for row in PLEDGES if row[0] == "USA"]
ITA_PLEDGES = [row[1] for row in PLEDGES if row[0] == "ITA"]
TIMED_SCENARIOS: list[Row] = [
    ("us_late", "Contributors", "USA", "status", "available"),
    *(("us_late", "Pledges", f"USA/{k}", "from", US_ARRIVES) for k in US_PLEDGES),
    *(("italy_leaves", "Pledges", f"ITA/{k}", "to", ITALY_LEAVES_AFTER) for k in ITA_PLEDGES),
]

TIMED_SCENARIO_LINES: list[str] = [
    f"us_late: as us_backstop, but the US pledges are available only from {US_ARRIVES};"
    f" ITA and DEU air defence (C7, C8) follow from then.",
    f"italy_leaves: Italy's pledges end {ITALY_LEAVES_AFTER} (its mandate is not renewed).",
]

TIMED_HEADERS: dict[str, tuple[str, ...]] = {
    "Periods": ("period", "months", "start", "phase"),
    "Requirements": (*HEADERS["Requirements"], "from", "to"),
    "Pledges": (*HEADERS["Pledges"], "from", "to", "tour_months", "dwell_months"),
    "Profile": ("site", "capability", "from", "to", "units"),
}


def requirement_rows() -> list[Row]:
    """The snapshot's requirements with their windows."""
    return [
        (*row, *REQUIREMENT_WINDOWS.get((row[0], row[1]), (None, None))) for row in REQUIREMENTS
    ]


def pledge_rows() -> list[Row]:
    """The snapshot's pledges with readiness, mandates, and the pools' size, tours and dwell."""
    rows: list[Row] = []
    for c, k, units, ppu, cost in PLEDGES:
        assert isinstance(c, str) and isinstance(k, str)
        pool = POOLS.get((c, k))
        window = (READINESS.get(c), MANDATES.get(c))
        if pool is None:
            rows.append((c, k, units, ppu, cost, *window, None, None))
        else:
            rows.append((c, k, pool, ppu, cost, *window, TOUR_MONTHS, DWELL_MONTHS))
    return rows


def readme_lines() -> list[str]:
    """The README sheet's text, one line per row."""
    return [
        "ILLUSTRATIVE DATA ONLY — not real force data, pledges, dates or positions.",
        "The coalition example (coalition.xlsx) sustained over 24 months: the same contributors,"
        " sites, requirements, pledges and caveats, in time.",
        f"Periods: {MONTHS} monthly periods {period(1)}..{period(MONTHS)} from a NOTIONAL"
        f" activation date, {ACTIVATION:%d %B %Y} (an assumption for the example, no real plan);"
        f" phases IOC {IOC[0]}..{IOC[1]}, FOC {FOC_FIRST}..{FOC_LAST},"
        f" drawdown {DRAWDOWN[0]}..{DRAWDOWN[1]}.",
        "Requirements: Dnipro (forward) is occupied at FOC and vacated first; the fighters at"
        " Vinnytsia and Constanta come at FOC; Lviv's priority-3 lines end with FOC (from, to).",
        "Profile: the lines at part strength in IOC and in the drawdown.",
        "Pools: "
        + ", ".join(f"{c} {k} {n}" for (c, k), n in POOLS.items())
        + f" units rotate: tours of at most {TOUR_MONTHS} months, then {DWELL_MONTHS} months at"
        " home (dwell), so about a third of a pool can be deployed at a time; units = the whole"
        " pool. Every other pledge sustains its own slot (no tour limit, no dwell).",
        "Readiness (notice to move): "
        + ", ".join(f"{c} from {p}" for c, p in READINESS.items())
        + ". Mandates that expire: "
        + ", ".join(f"{c} to {p}" for c, p in MANDATES.items())
        + ".",
        "Generated by inputs/make_coalition_timed.py; edit that script, not this file.",
        "Scenarios (forcegen solve --scenario NAME):",
        *(f"- {line}" for line in [*SCENARIO_LINES, *TIMED_SCENARIO_LINES]),
    ]


def build_workbook() -> Workbook:
    """Assemble the README sheet, the eight contract sheets and the two time sheets."""
    wb = Workbook()
    readme = wb.active
    assert readme is not None
    readme.title = "README"
    for line in readme_lines():
        readme.append([line])
    readme.column_dimensions["A"].width = 120
    headers = {**HEADERS, **TIMED_HEADERS, "Caveats": (*HEADERS["Caveats"], "from", "to")}
    sheets: dict[str, list[Row]] = {
        "Periods": PERIODS,
        "Contributors": CONTRIBUTORS,
        "Capabilities": CAPABILITIES,
        "Sites": SITES,
        "Requirements": requirement_rows(),
        "Profile": PROFILE,
        "Pledges": pledge_rows(),
        "Caveats": [(*row, None, None) for row in caveat_rows(CAVEATS)],
        "Settings": TIMED_SETTINGS,
        "Scenarios": [*SCENARIOS, *TIMED_SCENARIOS],
    }
    for title, rows in sheets.items():
        write_sheet(wb.create_sheet(title), headers[title], rows)
    wb["Periods"]["C2"].number_format = "yyyy-mm-dd"
    stamp(wb, "forcegen inputs/make_coalition_timed.py")
    return wb


def check_time_keys() -> None:
    """Fail early if a window, Profile row, pool or scenario names something that is not there."""
    periods = {row[0] for row in PERIODS}
    lines = {(row[0], row[1]) for row in REQUIREMENTS}
    pledges = {(row[0], row[1]) for row in PLEDGES}
    contributors = {row[0] for row in CONTRIBUTORS}
    assert set(REQUIREMENT_WINDOWS) <= lines
    assert all(p in periods for window in REQUIREMENT_WINDOWS.values() for p in window if p)
    assert all((s, k) in lines and a in periods and b in periods for s, k, a, b, _ in PROFILE)
    assert set(POOLS) <= pledges
    assert set(READINESS) | set(MANDATES) <= contributors
    assert set(READINESS.values()) | set(MANDATES.values()) <= periods


def main(folder: Path = HERE) -> None:
    """Write coalition_timed.xlsx into `folder`."""
    check_keys()
    check_time_keys()
    save(build_workbook(), folder / FILE_NAME)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
