"""Write the reference workbooks that `forcegen check` re-solves and compares with their pins.

ILLUSTRATIVE DATA ONLY: not real force data, pledges or national positions.

Running ``python inputs/reference/make_reference.py`` writes, next to this script, one workbook
per case (each with a one-paragraph README sheet, which forcegen ignores):

- ``coalition.xlsx``: a byte copy of ``inputs/coalition.xlsx`` (all ten caveat kinds, scenarios);
- ``backfill.xlsx``: home-border backfill (no_weakening, max_contributors, distance cost);
- ``chain.xlsx``: conditional participation, ITA requires DEU requires USA (cost_per_unit);
- ``tight.xlsx``: hard single-source lines with minimum contingents (one plan in a few);
- ``infeasible.xlsx``: a hard single-source line nobody available can fill;
- ``scenarios.xlsx``: a base case and five scenarios (status change, drop, added caveat, ...);
- ``rotation.xlsx``: a timed case (eight months: a rotating pool, readiness, mandates, a surge,
  caveats in windows).

The cases are small (each scenario solves in well under a second) so that `make test` can
re-solve them all. After a deliberate change, re-run this script and then
``forcegen check --update inputs/reference/`` to re-pin the answers in outputs/reference/.
Bytes are deterministic (fixed timestamps), so an unchanged case gives an unchanged file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent
COALITION = HERE.parent / "coalition.xlsx"
sys.path.insert(0, str(HERE.parent))  # inputs/_workbook.py, shared with make_coalition.py
sys.path.insert(0, str(HERE))  # timed_cases.py beside this script

from _workbook import HEADERS, Row, append_table, stamp  # noqa: E402
from timed_cases import ROTATION_README, TIMED_HEADERS, rotation  # noqa: E402

SETTINGS: list[Row] = [("time_limit", 30), ("mip_gap", 0.0001), ("threads", 1), ("seed", 0)]

# ---------------------------------------------------------------------------------------------
# backfill: Latvia's battalion is committed to Kyiv (min_units at Kyiv), yet Latvia's home border
# must stay covered (no_weakening): the UK backfills LVA-East. Germany keeps out of home-border
# sites, Sweden serves only there; Rzeszow takes one contributor at most. Battalions are one
# short in all: the gap falls at Kyiv (weight 1.5), never at the hard home-border lines.
# Costs are distances (person-km): no pledge has a cost_per_unit.
# ---------------------------------------------------------------------------------------------
BACKFILL: dict[str, list[Row]] = {
    "Contributors": [
        ("LVA", "Latvia", 56.950, 24.105, 43, "available"),
        ("EST", "Estonia", 59.437, 24.754, 42, "available"),
        ("GBR", "United Kingdom", 51.507, -0.128, 3500, "available"),
        ("DEU", "Germany", 52.520, 13.405, 4600, "available"),
        ("SWE", "Sweden", 59.329, 18.069, 600, "available"),
        ("NOR", "Norway", 59.914, 10.752, 480, "available"),
    ],
    "Capabilities": [
        ("INF_BN", "Infantry battalion", "ground", 600),
        ("AD_BTY", "Air defence battery", "air", 120),
        ("ENG_COY", "Engineer company", "enabler", 120),
    ],
    "Sites": [
        ("Kyiv", "UKR", "central", 50.450, 30.523, None),
        ("LVA-East", "LVA", "home", 56.510, 27.333, None),
        ("EST-East", "EST", "home", 59.359, 27.421, None),
        ("Rzeszow", "POL", "hub", 50.041, 21.999, 1),
    ],
    "Requirements": [
        ("Kyiv", "INF_BN", 3, 1, 1.5, "no", "no"),
        ("Kyiv", "AD_BTY", 2, 1, 2, "no", "no"),
        ("LVA-East", "INF_BN", 1, 1, 1, "no", "no"),
        ("LVA-East", "AD_BTY", 1, 2, 1, "no", "no"),
        ("EST-East", "INF_BN", 1, 1, 1, "no", "no"),
        ("EST-East", "ENG_COY", 1, 2, 1, "no", "no"),
        ("Rzeszow", "ENG_COY", 2, 2, 1, "no", "no"),
        ("Rzeszow", "AD_BTY", 1, 3, 1, "no", "no"),
    ],
    "Pledges": [
        ("LVA", "INF_BN", 1, 500, None),
        ("EST", "INF_BN", 1, 500, None),
        ("GBR", "INF_BN", 1, 650, None),
        ("GBR", "ENG_COY", 1, None, None),
        ("DEU", "INF_BN", 1, 800, None),
        ("DEU", "AD_BTY", 2, None, None),
        ("DEU", "ENG_COY", 1, None, None),
        ("SWE", "AD_BTY", 1, None, None),
        ("SWE", "ENG_COY", 1, None, None),
        ("NOR", "AD_BTY", 1, None, None),
        ("NOR", "ENG_COY", 1, None, None),
    ],
    "Caveats": [
        ("C1", "LVA", "no_weakening", None, None, None, None, None, None, None, "Home border"),
        ("C2", "EST", "no_weakening", "INF_BN", None, None, None, None, None, None, "Home INF"),
        ("C3", "LVA", "min_units", "INF_BN", None, "Kyiv", None, None, None, 1, "Committed"),
        ("C4", "DEU", "exclude", None, None, None, "home", None, None, None, "Not at home"),
        ("C5", "SWE", "only", None, None, None, "home", None, None, None, "Home borders only"),
    ],
    "Settings": SETTINGS,
}
BACKFILL_README = (
    "Home-border backfill. Latvia (C1) and Estonia (C2, battalions only) keep their home borders"
    " covered: every LVA-East line and the EST-East battalion are hard. Latvia's own battalion is"
    " committed to Kyiv (C3 min_units), so another nation must backfill LVA-East: Germany may not"
    " (C4 exclude zone home), which leaves the UK. Sweden serves only home-border sites (C5 only)."
    " Four battalions for five required: the gap falls at Kyiv, not at the hard home-border"
    " lines. Rzeszow takes one contributor at most (max_contributors 1), so one of its engineer"
    " companies stays short. Costs are distances (person-km)."
)

# ---------------------------------------------------------------------------------------------
# chain: ITA requires DEU, DEU requires USA (conditional participation). Only the whole chain
# fills priority 1 at Kyiv (Italian battalions, German batteries); the USA stays outside Ukraine,
# so it deploys at Rzeszow or Constanta to unlock the chain. Costs are cost_per_unit.
# ---------------------------------------------------------------------------------------------
CHAIN: dict[str, list[Row]] = {
    "Contributors": [
        ("ITA", "Italy", None, None, None, "available"),
        ("DEU", "Germany", None, None, None, "available"),
        ("USA", "United States", None, None, None, "available"),
        ("FRA", "France", None, None, None, "available"),
        ("ESP", "Spain", None, None, None, "available"),
    ],
    "Capabilities": [
        ("AD_BTY", "Air defence battery", "air", 120),
        ("FTR_SQN", "Fighter squadron", "air", 200),
        ("INF_BN", "Infantry battalion", "ground", 600),
        ("LOG_COY", "Logistics company", "enabler", 150),
    ],
    "Sites": [
        ("Kyiv", "UKR", "central", None, None, None),
        ("Rzeszow", "POL", "hub", None, None, None),
        ("Constanta", "ROU", "coastal", None, None, None),
    ],
    "Requirements": [
        ("Kyiv", "AD_BTY", 2, 1, 2, "no", "no"),
        ("Kyiv", "INF_BN", 2, 1, 1, "no", "no"),
        ("Rzeszow", "FTR_SQN", 1, 2, 1, "no", "no"),
        ("Rzeszow", "LOG_COY", 2, 2, 1, "no", "no"),
        ("Constanta", "AD_BTY", 1, 2, 1, "no", "no"),
        ("Constanta", "FTR_SQN", 1, 3, 1, "no", "no"),
    ],
    "Pledges": [
        ("ITA", "INF_BN", 2, None, 80),
        ("ITA", "LOG_COY", 1, None, 60),
        ("DEU", "AD_BTY", 2, None, 100),
        ("DEU", "LOG_COY", 1, None, 50),
        ("USA", "AD_BTY", 1, None, 400),
        ("USA", "FTR_SQN", 2, None, 500),
        ("FRA", "INF_BN", 1, None, 90),
        ("FRA", "AD_BTY", 1, None, 120),
        ("ESP", "LOG_COY", 1, None, 70),
        ("ESP", "FTR_SQN", 1, None, 300),
    ],
    "Caveats": [
        ("C1", "ITA", "requires", None, None, None, None, None, "DEU", None, "Only with DEU"),
        ("C2", "DEU", "requires", None, None, None, None, None, "USA", None, "Only with USA"),
        ("C3", "USA", "exclude", None, None, None, None, "UKR", None, None, "Not in Ukraine"),
        ("C4", "USA", "max_personnel", None, None, None, None, None, None, 300, "Mandate cap"),
        ("C5", "FRA", "not_with", None, None, None, None, None, "ITA", None, "Not with ITA"),
        ("C6", "ESP", "max_sites", None, None, None, None, None, None, 1, "One site"),
    ],
    "Settings": SETTINGS,
}
CHAIN_README = (
    "Conditional participation chain: Italy deploys only if Germany does (C1 requires), Germany"
    " only if the United States does (C2 requires). Priority 1 at Kyiv needs the Italian"
    " battalions and the German batteries, so the US must deploy something, outside Ukraine"
    " (C3 exclude) and within its 300-personnel mandate (C4 max_personnel): one fighter"
    " squadron or one battery, not both. France may not share a site with Italy (C5 not_with)"
    " and Spain serves one site at most (C6 max_sites). Costs are per unit (cost_per_unit)."
)

# ---------------------------------------------------------------------------------------------
# tight: hard single-source lines and minimum contingents leave few plans. Kyiv's 3 battalions
# (hard, single source) can only come from FRA (GBR is capped at 2 and must deploy exactly 2);
# Lviv's 3 mechanised companies are hard; NLD sends 0 or 2 companies to a site.
# ---------------------------------------------------------------------------------------------
TIGHT: dict[str, list[Row]] = {
    "Contributors": [
        ("FRA", "France", None, None, None, "available"),
        ("GBR", "United Kingdom", None, None, None, "available"),
        ("POL", "Poland", None, None, None, "available"),
        ("CAN", "Canada", None, None, None, "available"),
        ("NLD", "Netherlands", None, None, None, "available"),
    ],
    "Capabilities": [
        ("INF_BN", "Infantry battalion", "ground", 600),
        ("MECH_COY", "Mechanised company", "ground", 150),
    ],
    "Sites": [
        ("Kyiv", "UKR", "central", None, None, None),
        ("Odesa", "UKR", "coastal", None, None, None),
        ("Lviv", "UKR", "rear", None, None, None),
    ],
    "Requirements": [
        ("Kyiv", "INF_BN", 3, 1, 1, "yes", "yes"),
        ("Odesa", "INF_BN", 2, 1, 1, "no", "yes"),
        ("Lviv", "MECH_COY", 3, 1, 1, "yes", "no"),
        ("Odesa", "MECH_COY", 2, 2, 1, "no", "yes"),
    ],
    "Pledges": [
        ("FRA", "INF_BN", 3, None, 100),
        ("GBR", "INF_BN", 3, 650, 90),
        ("CAN", "INF_BN", 2, None, 80),
        ("POL", "INF_BN", 1, None, 60),
        ("POL", "MECH_COY", 2, None, 20),
        ("NLD", "MECH_COY", 2, None, 25),
        ("CAN", "MECH_COY", 1, None, 30),
    ],
    "Caveats": [
        ("C1", "FRA", "min_contingent", "INF_BN", None, None, None, None, None, 2, "Battlegroup"),
        ("C2", "GBR", "max_units", "INF_BN", None, None, None, None, None, 2, "Rotation cap"),
        ("C3", "GBR", "min_units", "INF_BN", None, None, None, None, None, 2, "Framework nation"),
        ("C4", "NLD", "min_contingent", "MECH_COY", None, None, None, None, None, 2, "Pairs"),
    ],
    "Settings": SETTINGS,
}
TIGHT_README = (
    "Tight single-source lines and minimum contingents. Kyiv's three battalions are hard and"
    " single-source: only France pledges three usable ones, since the UK may send at most two"
    " (C2 max_units) and must send exactly two (C3 min_units), which makes it the cheapest"
    " single source for Odesa's two battalions that Canada could also fill. France's"
    " battalions go at least two to a site (C1 min_contingent). Lviv's three mechanised"
    " companies are hard; the Netherlands sends none or two to a site (C4 min_contingent) and"
    " Odesa's two companies must come from one nation (single source). Costs are per unit."
)

# ---------------------------------------------------------------------------------------------
# infeasible: Kyiv's hard single-source line of 3 battalions; the only nation pledging 3 is the
# unavailable USA, and POL (2 battalions) deploys only if the USA does.
# ---------------------------------------------------------------------------------------------
INFEASIBLE: dict[str, list[Row]] = {
    "Contributors": [
        ("USA", "United States", None, None, None, "unavailable"),
        ("FRA", "France", None, None, None, "available"),
        ("POL", "Poland", None, None, None, "available"),
        ("GBR", "United Kingdom", None, None, None, "available"),
    ],
    "Capabilities": [
        ("INF_BN", "Infantry battalion", "ground", 600),
        ("AD_BTY", "Air defence battery", "air", 120),
    ],
    "Sites": [
        ("Kyiv", "UKR", "central", None, None, None),
        ("Lviv", "UKR", "rear", None, None, None),
    ],
    "Requirements": [
        ("Kyiv", "INF_BN", 3, 1, 1, "yes", "yes"),
        ("Kyiv", "AD_BTY", 1, 1, 2, "no", "no"),
        ("Lviv", "INF_BN", 1, 2, 1, "no", "no"),
    ],
    "Pledges": [
        ("USA", "INF_BN", 3, None, 100),
        ("USA", "AD_BTY", 1, None, 100),
        ("FRA", "INF_BN", 2, None, 90),
        ("POL", "INF_BN", 3, None, 70),
        ("GBR", "INF_BN", 1, None, 80),
        ("GBR", "AD_BTY", 1, None, 80),
    ],
    "Caveats": [
        ("C1", "POL", "requires", None, None, None, None, None, "USA", None, "US backstop"),
    ],
    "Settings": SETTINGS,
}
INFEASIBLE_README = (
    "Infeasible on purpose. Kyiv's three battalions are hard and single-source, so one nation"
    " must send all three. Only the USA and Poland pledge three; the USA is unavailable, and"
    " Poland deploys only alongside the USA (C1 requires), so no allocation exists and forcegen"
    " reports status infeasible (exit 3). Any one of these restores a plan: make the USA"
    " available, drop C1, set single_source to no, or set hard to no."
)

# ---------------------------------------------------------------------------------------------
# scenarios: three priorities with weights; the base case and five scenarios, among them a
# `drop` (POL withdraws), a status change, a caveat added by a scenario and a Settings change.
# ---------------------------------------------------------------------------------------------
SCENARIOS: dict[str, list[Row]] = {
    "Contributors": [
        ("FRA", "France", 48.857, 2.352, 3100, "available"),
        ("GBR", "United Kingdom", 51.507, -0.128, 3500, "available"),
        ("POL", "Poland", 52.230, 21.012, 850, "available"),
        ("CAN", "Canada", 45.422, -75.697, 2200, "unavailable"),
        ("ROU", "Romania", 44.427, 26.103, 380, "available"),
    ],
    "Capabilities": [
        ("INF_BN", "Infantry battalion", "ground", 600),
        ("ENG_COY", "Engineer company", "enabler", 120),
        ("MED_TEAM", "Role 2 medical team", "enabler", 40),
    ],
    "Sites": [
        ("Kyiv", "UKR", "central", 50.450, 30.523, None),
        ("Odesa", "UKR", "coastal", 46.483, 30.723, None),
        ("Rzeszow", "POL", "hub", 50.041, 21.999, None),
    ],
    "Requirements": [
        ("Kyiv", "INF_BN", 2, 1, 1.5, "no", "no"),
        ("Odesa", "INF_BN", 2, 1, 1, "no", "no"),
        ("Kyiv", "ENG_COY", 2, 2, 2, "no", "no"),
        ("Odesa", "ENG_COY", 1, 2, 1, "no", "no"),
        ("Kyiv", "MED_TEAM", 2, 3, 1, "no", "no"),
        ("Rzeszow", "MED_TEAM", 1, 3, 0.5, "no", "no"),
    ],
    "Pledges": [
        ("FRA", "INF_BN", 2, None, None),
        ("FRA", "MED_TEAM", 1, None, 5000),
        ("GBR", "INF_BN", 1, 650, None),
        ("GBR", "ENG_COY", 1, None, None),
        ("POL", "ENG_COY", 2, None, None),
        ("POL", "MED_TEAM", 1, None, None),
        ("CAN", "INF_BN", 1, None, 400000),
        ("CAN", "MED_TEAM", 1, None, 3000),
        ("ROU", "INF_BN", 1, None, None),
        ("ROU", "ENG_COY", 1, None, None),
    ],
    "Caveats": [
        ("C1", "POL", "exclude", None, "ground", None, None, "UKR", None, None, "No ground"),
        ("C2", "ROU", "only", None, None, None, "coastal", None, None, None, "Black Sea only"),
        ("C3", "FRA", "max_units", "INF_BN", None, None, None, None, None, 2, "Two battalions"),
    ],
    "Settings": SETTINGS,
    "Scenarios": [
        ("canada_in", "Contributors", "CAN", "status", "available"),
        ("poland_out", "Contributors", "POL", "drop", None),
        ("kyiv_surge", "Requirements", "Kyiv/INF_BN", "units", 3),
        ("kyiv_surge", "Requirements", "Kyiv/INF_BN", "hard", "yes"),
        ("uk_home", "Caveats", "C4", "contributor", "GBR"),
        ("uk_home", "Caveats", "C4", "caveat", "exclude"),
        ("uk_home", "Caveats", "C4", "country", "UKR"),
        ("loose_gap", "Settings", "mip_gap", "value", 0.01),
        ("loose_gap", "Pledges", "FRA/INF_BN", "units", 1),
    ],
}
SCENARIOS_README = (
    "A case with scenarios. Base: three priorities with weights (Kyiv's battalions weigh 1.5,"
    " Kyiv's engineers 2, Rzeszow's medical team 0.5), Canada unavailable, Poland keeps ground"
    " troops out of Ukraine (C1 exclude), Romania serves coastal sites only (C2 only), France"
    " sends two battalions at most (C3 max_units); costs mix distances and cost_per_unit."
    " Scenarios: canada_in (Canada available), poland_out (Poland withdraws: a drop, which also"
    " drops its pledges and C1), kyiv_surge (Kyiv needs three battalions, now hard), uk_home"
    " (a scenario-added caveat C4: no UK forces in Ukraine) and loose_gap (Settings mip_gap"
    " 0.01 and one French battalion fewer)."
)

CASES: dict[str, tuple[str, dict[str, list[Row]]]] = {
    "backfill": (BACKFILL_README, BACKFILL),
    "chain": (CHAIN_README, CHAIN),
    "tight": (TIGHT_README, TIGHT),
    "infeasible": (INFEASIBLE_README, INFEASIBLE),
    "scenarios": (SCENARIOS_README, SCENARIOS),
    "rotation": (ROTATION_README, rotation(SETTINGS)),
}


def build(readme: str, sheets: dict[str, list[Row]]) -> Workbook:
    """A README sheet with the description in A1, then the contract sheets with a bold header."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "README"
    ws["A1"] = readme
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 110
    timed = "Periods" in sheets
    for title, rows in sheets.items():
        header = TIMED_HEADERS.get(title, HEADERS.get(title)) if timed else HEADERS[title]
        assert header is not None
        append_table(wb.create_sheet(title), header, rows)
    stamp(wb, "forcegen inputs/reference/make_reference.py")
    return wb


def main() -> None:
    """Write every reference workbook next to this script."""
    from solver.results.writer import workbook_bytes

    (HERE / "coalition.xlsx").write_bytes(COALITION.read_bytes())
    for name, (readme, sheets) in CASES.items():
        (HERE / f"{name}.xlsx").write_bytes(workbook_bytes(build(readme, sheets)))


if __name__ == "__main__":
    main()
