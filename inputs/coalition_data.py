"""The bundled example's data: contributors, capabilities, sites, requirements, pledges,
caveats, settings and scenarios, and the two changes of its infeasible variant, as the rows
`make_coalition.py` writes (and `make_coalition_timed.py` builds on).

ILLUSTRATIVE DATA ONLY: these are not real force data, pledges or national positions (see
`make_coalition.py`).
"""

from __future__ import annotations

from _workbook import Row

# --------------------------------------------------------------------------------------------
# Contributors: code, name, capital lat, capital lon, GDP (rough, illustrative, USD billions),
# status. The USA is `unavailable` in the base case (scenario `us_backstop` changes that).
# --------------------------------------------------------------------------------------------
CONTRIBUTORS: list[Row] = [
    ("FRA", "France", 48.857, 2.352, 3100, "available"),
    ("GBR", "United Kingdom", 51.507, -0.128, 3500, "available"),
    ("DEU", "Germany", 52.520, 13.405, 4600, "available"),
    ("POL", "Poland", 52.230, 21.012, 850, "available"),
    ("ITA", "Italy", 41.903, 12.496, 2300, "available"),
    ("ESP", "Spain", 40.417, -3.704, 1700, "available"),
    ("NLD", "Netherlands", 52.370, 4.895, 1150, "available"),
    ("BEL", "Belgium", 50.850, 4.352, 660, "available"),
    ("DNK", "Denmark", 55.676, 12.568, 420, "available"),
    ("NOR", "Norway", 59.914, 10.752, 480, "available"),
    ("SWE", "Sweden", 59.329, 18.069, 600, "available"),
    ("FIN", "Finland", 60.170, 24.938, 300, "available"),
    ("EST", "Estonia", 59.437, 24.754, 42, "available"),
    ("LVA", "Latvia", 56.950, 24.105, 43, "available"),
    ("LTU", "Lithuania", 54.687, 25.280, 80, "available"),
    ("CZE", "Czechia", 50.076, 14.438, 340, "available"),
    ("ROU", "Romania", 44.427, 26.103, 380, "available"),
    ("PRT", "Portugal", 38.722, -9.139, 300, "available"),
    ("GRC", "Greece", 37.984, 23.728, 250, "available"),
    ("CAN", "Canada", 45.422, -75.697, 2200, "available"),
    ("AUS", "Australia", -35.281, 149.130, 1800, "available"),
    ("TUR", "Turkey", 39.934, 32.860, 1300, "available"),
    ("IRL", "Ireland", 53.350, -6.260, 560, "available"),
    ("AUT", "Austria", 48.208, 16.373, 530, "available"),
    ("HRV", "Croatia", 45.815, 15.982, 90, "available"),
    ("SVN", "Slovenia", 46.057, 14.506, 70, "available"),
    ("SVK", "Slovakia", 48.149, 17.107, 140, "available"),
    ("LUX", "Luxembourg", 49.612, 6.130, 90, "available"),
    ("ISL", "Iceland", 64.147, -21.942, 32, "available"),
    ("NZL", "New Zealand", -41.287, 174.776, 260, "available"),
    ("USA", "United States", 38.907, -77.037, 29000, "unavailable"),
]

# Capabilities: code, description, category, personnel_per_unit (default unit size).
CAPABILITIES: list[Row] = [
    ("INF_BN", "Infantry battalion (battlegroup core)", "ground", 600),
    ("MECH_COY", "Mechanised infantry company", "ground", 150),
    ("MP_PLT", "Military police platoon", "ground", 35),
    ("AD_BTY", "Ground-based air defence battery", "air", 120),
    ("FTR_SQN", "Fighter squadron (air policing)", "air", 200),
    ("ISR_FLT", "ISR / maritime patrol flight", "air", 60),
    ("ENG_COY", "Engineer company", "enabler", 120),
    ("LOG_COY", "Logistics company", "enabler", 150),
    ("MED_TEAM", "Role 2 medical team", "enabler", 40),
    ("HQ_ELEM", "Headquarters element", "enabler", 80),
    ("CBRN_PLT", "CBRN defence platoon", "enabler", 30),
    ("SIGINT_TM", "Signals intelligence team", "enabler", 25),
    ("MCM_GRP", "Mine countermeasures group", "maritime", 200),
]

# Sites: site, country, zone, lat, lon, max_contributors (None = no limit).
SITES: list[Row] = [
    ("Kyiv", "UKR", "central", 50.450, 30.523, None),
    ("Lviv", "UKR", "rear", 49.840, 24.030, None),
    ("Odesa", "UKR", "coastal", 46.483, 30.723, None),
    ("Dnipro", "UKR", "forward", 48.465, 35.046, 4),
    ("Vinnytsia", "UKR", "central", 49.233, 28.468, None),
    ("LVA-East", "LVA", "home", 56.510, 27.333, None),
    ("EST-East", "EST", "home", 59.359, 27.421, None),
    ("LTU-South", "LTU", "home", 54.396, 24.046, None),
    ("POL-East", "POL", "home", 53.133, 23.169, None),
    ("Rzeszow", "POL", "hub", 50.041, 21.999, None),
    ("Constanta", "ROU", "coastal", 44.160, 28.635, 4),
]

# Requirements: site, capability, units, priority, weight, hard, single_source.
# Priority 1 = deterrence core, 2 = enablers, 3 = nice to have. Every LVA-East and EST-East line
# is made hard by the no_weakening caveats C1 and C2 below.
REQUIREMENTS: list[Row] = [
    ("Kyiv", "HQ_ELEM", 2, 1, 1, "yes", "no"),
    ("Kyiv", "INF_BN", 3, 1, 1.5, "no", "no"),
    ("Kyiv", "AD_BTY", 3, 1, 2, "no", "no"),
    ("Kyiv", "MECH_COY", 3, 2, 1, "no", "no"),
    ("Kyiv", "MP_PLT", 3, 2, 1, "no", "no"),
    ("Kyiv", "ENG_COY", 2, 2, 1, "no", "no"),
    ("Kyiv", "MED_TEAM", 4, 2, 1, "no", "no"),
    ("Kyiv", "SIGINT_TM", 2, 2, 1, "no", "no"),
    ("Kyiv", "LOG_COY", 1, 2, 1, "no", "no"),
    ("Kyiv", "CBRN_PLT", 1, 3, 1, "no", "no"),
    ("Lviv", "INF_BN", 1, 1, 1, "no", "no"),
    ("Lviv", "AD_BTY", 1, 1, 2, "no", "no"),
    ("Lviv", "LOG_COY", 2, 2, 1, "no", "no"),
    ("Lviv", "MED_TEAM", 3, 2, 1, "no", "no"),
    ("Lviv", "HQ_ELEM", 1, 2, 1, "no", "no"),
    ("Lviv", "MECH_COY", 1, 3, 1, "no", "no"),
    ("Lviv", "ENG_COY", 2, 3, 1, "no", "no"),
    ("Lviv", "MP_PLT", 1, 3, 1, "no", "no"),
    ("Odesa", "INF_BN", 2, 1, 1.5, "no", "no"),
    ("Odesa", "AD_BTY", 3, 1, 2, "no", "no"),
    ("Odesa", "MCM_GRP", 2, 1, 1, "no", "no"),
    ("Odesa", "MECH_COY", 3, 2, 1, "no", "no"),
    ("Odesa", "MED_TEAM", 1, 2, 1, "no", "no"),
    ("Odesa", "ENG_COY", 2, 2, 1, "no", "no"),
    ("Odesa", "ISR_FLT", 2, 2, 1, "no", "no"),
    ("Odesa", "HQ_ELEM", 1, 2, 1, "no", "no"),
    ("Odesa", "LOG_COY", 2, 3, 1, "no", "no"),
    ("Odesa", "CBRN_PLT", 1, 3, 1, "no", "no"),
    ("Dnipro", "INF_BN", 2, 1, 1, "no", "no"),
    ("Dnipro", "MECH_COY", 3, 1, 1, "no", "no"),
    ("Dnipro", "AD_BTY", 1, 1, 2, "no", "no"),
    ("Dnipro", "ISR_FLT", 1, 2, 1, "no", "no"),
    ("Dnipro", "MED_TEAM", 1, 2, 1, "no", "no"),
    ("Dnipro", "ENG_COY", 1, 3, 1, "no", "no"),
    ("Dnipro", "SIGINT_TM", 1, 3, 1, "no", "no"),
    ("Vinnytsia", "INF_BN", 1, 1, 1, "no", "no"),
    ("Vinnytsia", "LOG_COY", 3, 2, 1, "no", "no"),
    ("Vinnytsia", "MECH_COY", 2, 3, 1, "no", "no"),
    ("Vinnytsia", "MED_TEAM", 1, 3, 1, "no", "no"),
    ("Vinnytsia", "ENG_COY", 1, 3, 1, "no", "no"),
    ("Vinnytsia", "FTR_SQN", 1, 3, 1, "no", "no"),
    ("Vinnytsia", "MP_PLT", 1, 3, 1, "no", "no"),
    ("LVA-East", "INF_BN", 2, 1, 1, "no", "yes"),
    ("LVA-East", "AD_BTY", 1, 1, 1, "no", "no"),
    ("LVA-East", "ENG_COY", 1, 2, 1, "no", "no"),
    ("LVA-East", "MECH_COY", 1, 2, 1, "no", "no"),
    ("EST-East", "INF_BN", 1, 1, 1, "no", "no"),
    ("EST-East", "AD_BTY", 1, 1, 1, "no", "no"),
    ("EST-East", "MECH_COY", 1, 2, 1, "no", "no"),
    ("LTU-South", "INF_BN", 1, 1, 1, "no", "no"),
    ("LTU-South", "AD_BTY", 1, 1, 1, "no", "no"),
    ("LTU-South", "MECH_COY", 3, 2, 1, "no", "no"),
    ("POL-East", "INF_BN", 2, 1, 1, "no", "no"),
    ("POL-East", "AD_BTY", 1, 1, 1, "no", "no"),
    ("POL-East", "ENG_COY", 2, 3, 1, "no", "no"),
    ("Rzeszow", "AD_BTY", 1, 1, 2, "no", "no"),
    ("Rzeszow", "LOG_COY", 4, 2, 1.5, "no", "no"),
    ("Rzeszow", "FTR_SQN", 3, 2, 1, "no", "no"),
    ("Rzeszow", "ISR_FLT", 2, 2, 1, "no", "no"),
    ("Rzeszow", "HQ_ELEM", 1, 2, 1, "no", "no"),
    ("Rzeszow", "SIGINT_TM", 1, 2, 1, "no", "no"),
    ("Rzeszow", "MED_TEAM", 3, 3, 1, "no", "no"),
    ("Rzeszow", "MP_PLT", 1, 3, 1, "no", "no"),
    ("Rzeszow", "CBRN_PLT", 2, 3, 1, "no", "no"),
    ("Constanta", "MCM_GRP", 3, 2, 1, "no", "no"),
    ("Constanta", "AD_BTY", 1, 2, 1, "no", "no"),
    ("Constanta", "ISR_FLT", 1, 2, 1, "no", "no"),
    ("Constanta", "FTR_SQN", 1, 3, 1, "no", "no"),
]

# Pledges: contributor, capability, units, personnel_per_unit (None = the capability's),
# cost_per_unit (None = distance-based cost).
PLEDGES: list[Row] = [
    ("FRA", "INF_BN", 2, None, None),
    ("FRA", "MECH_COY", 2, None, None),
    ("FRA", "AD_BTY", 2, None, None),
    ("FRA", "FTR_SQN", 1, None, None),
    ("FRA", "ISR_FLT", 1, None, None),
    ("FRA", "ENG_COY", 1, None, None),
    ("FRA", "LOG_COY", 1, None, None),
    ("FRA", "MED_TEAM", 1, None, None),
    ("FRA", "HQ_ELEM", 1, None, None),
    ("FRA", "CBRN_PLT", 1, None, None),
    ("FRA", "SIGINT_TM", 1, None, None),
    ("GBR", "INF_BN", 3, 650, None),
    ("GBR", "MECH_COY", 1, None, None),
    ("GBR", "AD_BTY", 1, None, None),
    ("GBR", "FTR_SQN", 1, None, None),
    ("GBR", "ISR_FLT", 1, None, None),
    ("GBR", "ENG_COY", 1, None, None),
    ("GBR", "LOG_COY", 1, None, None),
    ("GBR", "MED_TEAM", 1, None, None),
    ("GBR", "HQ_ELEM", 1, None, None),
    ("GBR", "SIGINT_TM", 1, None, None),
    ("DEU", "INF_BN", 1, 800, None),
    ("DEU", "MECH_COY", 2, None, None),
    ("DEU", "AD_BTY", 2, None, None),
    ("DEU", "LOG_COY", 2, 180, None),
    ("DEU", "MED_TEAM", 1, None, None),
    ("DEU", "CBRN_PLT", 1, None, None),
    ("POL", "INF_BN", 2, None, None),
    ("POL", "MECH_COY", 1, None, None),
    ("POL", "AD_BTY", 1, None, None),
    ("POL", "LOG_COY", 3, None, None),
    ("POL", "ENG_COY", 1, None, None),
    ("POL", "HQ_ELEM", 1, None, None),
    ("POL", "MP_PLT", 1, None, None),
    ("ITA", "INF_BN", 1, None, None),
    ("ITA", "MECH_COY", 1, None, None),
    ("ITA", "AD_BTY", 1, None, None),
    ("ITA", "ENG_COY", 1, None, None),
    ("ITA", "HQ_ELEM", 1, None, None),
    ("ITA", "MCM_GRP", 1, None, None),
    ("ESP", "INF_BN", 1, None, None),
    ("ESP", "MECH_COY", 1, None, None),
    ("ESP", "AD_BTY", 1, None, None),
    ("ESP", "MCM_GRP", 1, None, None),
    ("ESP", "MED_TEAM", 1, None, None),
    ("NLD", "INF_BN", 1, None, None),
    ("NLD", "AD_BTY", 1, None, None),
    ("NLD", "FTR_SQN", 1, None, None),
    ("NLD", "MP_PLT", 1, None, None),
    ("BEL", "MECH_COY", 1, None, None),
    ("BEL", "FTR_SQN", 1, None, None),
    ("BEL", "MCM_GRP", 1, None, None),
    ("DNK", "MECH_COY", 1, None, None),
    ("DNK", "FTR_SQN", 1, None, None),
    ("DNK", "ENG_COY", 1, None, None),
    ("NOR", "MECH_COY", 1, None, None),
    ("NOR", "AD_BTY", 1, None, None),
    ("NOR", "ISR_FLT", 1, None, None),
    ("NOR", "MED_TEAM", 1, None, None),
    ("SWE", "INF_BN", 1, None, None),
    ("SWE", "AD_BTY", 1, None, None),
    ("SWE", "FTR_SQN", 1, None, None),
    ("SWE", "ISR_FLT", 1, None, None),
    ("FIN", "MECH_COY", 1, None, None),
    ("FIN", "ENG_COY", 1, None, None),
    ("FIN", "CBRN_PLT", 1, None, None),
    ("EST", "INF_BN", 1, 500, None),
    ("EST", "MP_PLT", 1, None, None),
    ("LVA", "INF_BN", 1, 500, None),
    ("LVA", "MP_PLT", 1, None, None),
    ("LTU", "MECH_COY", 1, None, None),
    ("LTU", "ENG_COY", 1, None, None),
    ("CZE", "MECH_COY", 1, None, None),
    ("CZE", "AD_BTY", 1, None, None),
    ("CZE", "CBRN_PLT", 1, None, None),
    ("ROU", "INF_BN", 1, None, None),
    ("ROU", "AD_BTY", 1, None, None),
    ("ROU", "MCM_GRP", 1, None, None),
    ("PRT", "MECH_COY", 1, None, None),
    ("PRT", "MED_TEAM", 1, None, None),
    ("GRC", "MCM_GRP", 2, None, None),
    ("GRC", "MED_TEAM", 1, None, None),
    ("CAN", "INF_BN", 2, None, None),
    ("CAN", "MECH_COY", 1, None, None),
    ("CAN", "ENG_COY", 1, None, None),
    ("CAN", "LOG_COY", 1, None, 150000),
    ("CAN", "HQ_ELEM", 1, None, None),
    ("AUS", "INF_BN", 1, None, 900000),
    ("AUS", "ISR_FLT", 1, None, None),
    ("AUS", "MED_TEAM", 1, None, None),
    ("TUR", "INF_BN", 1, None, None),
    ("TUR", "MCM_GRP", 2, None, 80000),
    ("TUR", "ENG_COY", 1, None, None),
    ("IRL", "MED_TEAM", 2, None, None),
    ("IRL", "ENG_COY", 1, None, None),
    ("IRL", "MP_PLT", 1, None, None),
    ("AUT", "MED_TEAM", 1, None, None),
    ("AUT", "CBRN_PLT", 1, None, None),
    ("HRV", "MECH_COY", 1, None, None),
    ("HRV", "MP_PLT", 1, None, None),
    ("SVN", "MP_PLT", 1, None, None),
    ("SVN", "MECH_COY", 1, None, None),
    ("SVK", "MECH_COY", 1, None, None),
    ("SVK", "ENG_COY", 0, None, None),
    ("LUX", "LOG_COY", 1, None, None),
    ("LUX", "MED_TEAM", 1, None, None),
    ("ISL", "MED_TEAM", 1, 20, None),
    ("NZL", "MED_TEAM", 1, None, None),
    ("NZL", "ISR_FLT", 1, None, 200000),
    ("USA", "AD_BTY", 3, None, 100000),
    ("USA", "FTR_SQN", 2, None, None),
    ("USA", "ISR_FLT", 2, None, None),
    ("USA", "SIGINT_TM", 2, None, None),
]

# Caveats: id, contributor, caveat, filters, value, note. Filters name the contract's columns
# capability, category, site, zone, country and other.
#
# Expected to bind in the base case (USA unavailable), checked by re-solving without each caveat:
# - AD_BTY is the scarce capability: 10 usable batteries for 13 priority-1 units. C7 and C8
#   (`requires USA`) keep the ITA and DEU batteries at home. C1 and C2 (no_weakening) make every
#   LVA-East and EST-East line hard, so their batteries stay there instead of filling Dnipro
#   (weight 2): priority 1 ends 3 batteries short (Dnipro, LTU-South, POL-East).
# - C3 and C6 keep the POL and ITA ground troops at the home-border sites; C5, C9/C10 and C11
#   (`only`) idle the GRC medical team and the IRL police platoon and pin AUT to Lviv.
# - C14 (DEU 1,500 personnel), C15 (NLD 800), C17 (SWE 2 air units) and C21 (NOR 2 sites) trim
#   those nations' offers; C20 keeps the two French battalions together (0 or >= 2 per site);
#   C19 holds two Polish logistics companies at Rzeszow.
# Expected NOT to bind in the base case: C4 (C5 already confines GRC to maritime tasks),
# C12 (USA unavailable; binds in `us_backstop`), C13 (Dnipro's max_contributors limits it
# anyway), C16 (ESP is not needed beyond 3 units), C18 (GBR's battalions are needed anyway) and
# C22 (TUR covers Odesa, GRC Constanta). The single-source INF_BN line at LVA-East must come
# from one nation pledging >= 2 (FRA, GBR, POL or CAN).
CAVEATS: list[Row] = [
    ("C1", "LVA", "no_weakening", {}, None, "Home border must stay covered; allies backfill"),
    ("C2", "EST", "no_weakening", {}, None, "Home border must stay covered; allies backfill"),
    (
        "C3",
        "POL",
        "exclude",
        {"category": "ground", "country": "UKR"},
        None,
        "No Polish ground troops in Ukraine; logistics lead from home",
    ),
    ("C4", "GRC", "exclude", {"country": "UKR"}, None, "No forces on Ukrainian soil"),
    ("C5", "GRC", "only", {"category": "maritime"}, None, "Maritime contribution only"),
    ("C6", "ITA", "exclude", {"country": "UKR"}, None, "No troops in Ukraine; support outside"),
    (
        "C7",
        "ITA",
        "requires",
        {"category": "air", "other": "USA"},
        None,
        "Air defence only alongside a US backstop",
    ),
    (
        "C8",
        "DEU",
        "requires",
        {"capability": "AD_BTY", "other": "USA"},
        None,
        "Air defence batteries only alongside a US backstop",
    ),
    ("C9", "IRL", "only", {"capability": "MED_TEAM"}, None, "Non-combat roles only (medical)"),
    ("C10", "IRL", "only", {"capability": "ENG_COY"}, None, "Non-combat roles only (engineers)"),
    ("C11", "AUT", "only", {"category": "enabler", "zone": "rear"}, None, "Neutral: rear enablers"),
    ("C12", "USA", "exclude", {"country": "UKR"}, None, "Backstop from outside Ukraine only"),
    ("C13", "FIN", "exclude", {"zone": "forward"}, None, "Not near the line of contact"),
    ("C14", "DEU", "max_personnel", {}, 1500, "Parliamentary mandate cap"),
    ("C15", "NLD", "max_personnel", {}, 800, "Parliamentary mandate cap"),
    ("C16", "ESP", "max_units", {}, 3, "Rotation capacity limit"),
    ("C17", "SWE", "max_units", {"category": "air"}, 2, "Air force home-defence reserve"),
    ("C18", "GBR", "min_units", {"capability": "INF_BN"}, 2, "Framework nation commitment"),
    (
        "C19",
        "POL",
        "min_units",
        {"capability": "LOG_COY", "site": "Rzeszow"},
        2,
        "Logistics lead at the Rzeszow hub",
    ),
    ("C20", "FRA", "min_contingent", {"capability": "INF_BN"}, 2, "Minimum viable battlegroup"),
    ("C21", "NOR", "max_sites", {}, 2, "Keep the contingent together"),
    ("C22", "TUR", "not_with", {"other": "GRC"}, None, "Political: not co-located with GRC"),
]

# Settings: setting, value.
SETTINGS: list[Row] = [
    ("time_limit", 60),
    ("mip_gap", 0.0001),
    ("threads", 1),
    ("seed", 0),
]

# Scenarios: scenario, sheet, key, column, value.
SCENARIOS: list[Row] = [
    ("us_backstop", "Contributors", "USA", "status", "available"),
    ("monitoring", "Requirements", "Kyiv/INF_BN", "units", 2),
    ("monitoring", "Requirements", "Odesa/INF_BN", "units", 1),
    ("monitoring", "Requirements", "Dnipro/INF_BN", "units", 1),
    ("monitoring", "Requirements", "Dnipro/MECH_COY", "units", 1),
    ("monitoring", "Requirements", "Vinnytsia/INF_BN", "units", 0),
    ("monitoring", "Requirements", "Dnipro/ISR_FLT", "units", 2),
    ("surge_p1", "Requirements", "Odesa/INF_BN", "units", 4),
    ("surge_p1", "Requirements", "Kyiv/AD_BTY", "units", 4),
    ("italy_out", "Contributors", "ITA", "drop", None),
    ("mandate_raise", "Caveats", "C14", "value", 2500),
    ("mandate_raise", "Caveats", "C15", "value", 1200),
]

SCENARIO_LINES: list[str] = [
    "base: USA unavailable; every caveat on the Caveats sheet applies.",
    "us_backstop: USA available (air defence, fighters, ISR, SIGINT outside Ukraine);"
    " ITA (C7) and DEU (C8) air defence are released.",
    "monitoring: a lighter monitoring mission; fewer battalions, more ISR at Dnipro.",
    "surge_p1: more priority-1 forces at Odesa (INF_BN 4) and Kyiv (AD_BTY 4).",
    "italy_out: Italy withdraws (its pledges and caveats are dropped).",
    "mandate_raise: DEU and NLD parliaments raise their personnel caps (C14, C15).",
]

# The infeasible variant: LVA-East's single-source INF_BN line (hard through C1) rises to 3, and
# the UK, the only contributor pledging 3 battalions, keeps its battalions out of home-zone sites.
INFEASIBLE_REQUIREMENT: Row = ("LVA-East", "INF_BN", 3, 1, 1, "no", "yes")
INFEASIBLE_CAVEAT: Row = (
    "C23",
    "GBR",
    "exclude",
    {"zone": "home"},
    None,
    "UK battalions reserved for Ukraine (infeasible variant)",
)
INFEASIBLE_LINES: list[str] = [
    "INFEASIBLE VARIANT: same data as coalition.xlsx with two changes:",
    "1. Requirements LVA-East/INF_BN: units 2 -> 3 (still single_source = yes).",
    "2. New caveat C23: GBR exclude zone=home (UK battalions reserved for Ukraine).",
    "Why no plan exists: C1 (LVA no_weakening) makes every LVA-East requirement hard, so all 3"
    " INF_BN must be met in full;",
    "single_source = yes means one contributor must supply all 3; only GBR pledges 3 INF_BN"
    " (FRA, POL, CAN pledge 2, the others 1);",
    "and C23 forbids GBR at home-zone sites such as LVA-East. So no contributor can fill the line.",
    "Any one of these restores feasibility: drop C23, set LVA-East/INF_BN back to 2,"
    " or set its single_source to no.",
]
