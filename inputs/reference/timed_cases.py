"""The timed reference cases that `make_reference.py` writes (ILLUSTRATIVE DATA ONLY).

Kept apart from the snapshot cases: their sheets carry the time columns (`TIMED_HEADERS`) and a
Periods and a Profile sheet.
"""

from __future__ import annotations

from _workbook import HEADERS, Row

# ---------------------------------------------------------------------------------------------
# rotation (timed): eight months from a notional 2027-01. France's three battalions rotate on
# two-month tours with four months at home (the rule of thirds keeps one deployed); the UK is
# ready from 2027-03, Poland's mandate ends with 2027-05 and Italy's with 2027-04; Kyiv surges
# to two battalions in 2027-04..2027-06 (Profile); Estonia's home line is hard from 2027-05
# (no_weakening in a window); Poland keeps out of Ukraine for the first two months; Italy serves
# only alongside the USA, whose air-defence pool (three-month tours, three of dwell) may have
# one battery deployed from 2027-05. Scenario gbr_late: the UK is ready only from 2027-05.
# ---------------------------------------------------------------------------------------------
MONTHS = [f"2027-{m:02d}" for m in range(1, 9)]


def rotation(settings: list[Row]) -> dict[str, list[Row]]:
    """The rotation case's sheets, with the reference cases' Settings."""
    return {
        "Contributors": [
            ("FRA", "France", 48.857, 2.352, 3000, "available"),
            ("GBR", "United Kingdom", 51.507, -0.128, 3500, "available"),
            ("POL", "Poland", 52.230, 21.012, 800, "available"),
            ("ITA", "Italy", 41.903, 12.496, 2200, "available"),
            ("EST", "Estonia", 59.437, 24.754, 42, "available"),
            ("USA", "United States", 38.907, -77.037, 27000, "available"),
        ],
        "Capabilities": [
            ("INF_BN", "Infantry battalion", "ground", 600),
            ("AD_BTY", "Air defence battery", "air", 120),
        ],
        "Sites": [
            ("Kyiv", "UKR", "central", 50.450, 30.523, None),
            ("EST-East", "EST", "home", 59.377, 27.413, None),
            ("Rzeszow", "POL", "hub", 50.041, 21.999, None),
        ],
        "Requirements": [
            ("Kyiv", "INF_BN", 1, 1, 1, "no", "no", None, None),
            ("EST-East", "INF_BN", 1, 2, 1, "no", "no", None, None),
            ("Kyiv", "AD_BTY", 1, 1, 1, "no", "yes", None, None),
            ("Rzeszow", "AD_BTY", 1, 3, 1, "no", "no", "2027-03", None),
        ],
        "Pledges": [
            ("FRA", "INF_BN", 3, None, 10, None, None, 2, 4),
            ("GBR", "INF_BN", 1, None, 12, "2027-03", None, None, None),
            ("POL", "INF_BN", 1, None, 8, None, "2027-05", None, None),
            ("EST", "INF_BN", 1, None, 5, None, None, None, None),
            ("ITA", "AD_BTY", 1, None, 6, None, "2027-04", None, None),
            ("USA", "AD_BTY", 2, None, 9, None, None, 3, 3),
        ],
        "Caveats": [
            (
                "C1",
                "EST",
                "no_weakening",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                "home border",
                "2027-05",
                None,
            ),
            (
                "C2",
                "POL",
                "exclude",
                None,
                None,
                None,
                None,
                "UKR",
                None,
                None,
                "not at first",
                None,
                "2027-02",
            ),
            (
                "C3",
                "ITA",
                "requires",
                None,
                None,
                None,
                None,
                None,
                "USA",
                None,
                "backstop",
                None,
                None,
            ),
            (
                "C4",
                "USA",
                "max_units",
                None,
                None,
                None,
                None,
                None,
                None,
                1,
                "mandate cap",
                "2027-05",
                None,
            ),
        ],
        "Settings": settings,
        "Scenarios": [("gbr_late", "Pledges", "GBR/INF_BN", "from", "2027-05")],
        "Periods": [
            (MONTHS[0], 1, "2027-01-01", "IOC"),
            *((m, 1, None, "FOC") for m in MONTHS[1:]),
        ],
        "Profile": [("Kyiv", "INF_BN", "2027-04", "2027-06", 2)],
    }


ROTATION_README = (
    "A timed case (eight notional months from 2027-01). France's three battalions rotate on"
    " two-month tours with four months at home (the rule of thirds); the UK is ready from 2027-03;"
    " Poland's mandate ends with 2027-05 and Italy's with 2027-04; Kyiv surges to two battalions in"
    " 2027-04..2027-06 (Profile); Estonia's home line is hard from 2027-05 (C1 no_weakening in a"
    " window); Poland keeps out of Ukraine in 2027-01..2027-02 (C2); Italy serves only alongside the"
    " USA (C3), whose pool of two batteries (three-month tours, three of dwell) may have one"
    " deployed from 2027-05 (C4). Scenario gbr_late: the UK is ready only from 2027-05."
)
TIMED_HEADERS: dict[str, tuple[str, ...]] = {
    "Requirements": (*HEADERS["Requirements"], "from", "to"),
    "Pledges": (*HEADERS["Pledges"], "from", "to", "tour_months", "dwell_months"),
    "Caveats": (*HEADERS["Caveats"], "from", "to"),
    "Periods": ("period", "months", "start", "phase"),
    "Profile": ("site", "capability", "from", "to", "units"),
}
