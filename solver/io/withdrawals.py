"""Generated withdrawals: a contributor withdrawn for the whole horizon, or from a period on.

    withdraw_<CODE>                  CODE's status set to unavailable (see `withdraw`)
    withdraw_<CODE>_after_<PERIOD>   CODE leaves after PERIOD (a timed workbook only)

A withdrawal after period T is data, not a rule: every pledge of CODE, and every caveat of
CODE's own, gets

    to_t := min(to_t, T)

and one whose window then ends before it begins (T < from_t) is dropped. So CODE's own caveats
bind while it stays and lapse when it leaves, as a whole withdrawal's do; those of others that
require it bind as before. The horizon does not change: the periods after T simply have no CODE
pledge. `verify` and `compare` read an output of such a scenario the same way (io/generated.py).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import pandas as pd

from ..data import Data
from ..errors import UsageError
from ..wording import count, shortened
from .data_check import seal
from .period_names import as_end, period_of_month, suggest_period
from .refs import suggest_contributor

LISTED_CODES = 12  # contributors listed where a withdrawal names none alike, then `and N more`

# said of a withdrawal from a period on whose nation has nothing past it (the Summary's note,
# read by the sweep's ranking: compare/tables.py)
CHANGES_NOTHING = "it changes nothing"

WITHDRAW = "withdraw_"
AFTER = "_after_"


@dataclass(frozen=True)
class Withdrawal:
    """Contributor `code` withdrawn; after period `after` (None: for the whole horizon)."""

    code: str
    after: str | None = None

    @property
    def name(self) -> str:
        """The generated scenario's name: withdraw_ITA, withdraw_ITA_after_2027-12."""
        return WITHDRAW + self.code + (AFTER + self.after if self.after is not None else "")


def parse_name(name: str) -> Withdrawal | None:
    """The withdrawal a generated scenario name stands for (None: not such a name)."""
    if not name.startswith(WITHDRAW) or name == WITHDRAW:
        return None
    code, sep, after = name.removeprefix(WITHDRAW).partition(AFTER)
    if not code or (sep and not after):
        return None
    return Withdrawal(code, after if sep else None)


def nothing_said(note: str) -> str | None:
    """What a generated withdrawal's note (`after_period`'s) says of why it changes nothing
    (`none of ITA's pledges runs past 2027-12`), None where it does not say so: read here,
    beside the note's writing, so that the two change together (compare's ranking asks)."""
    marker = f"; {CHANGES_NOTHING}: "
    if marker not in note:
        return None
    said = note.split(marker, 1)[1]
    return re.split(r"[;,] \d+ caveats? of its own|; others' caveats", said)[0]


def parse_option(text: str) -> Withdrawal:
    """`--withdraw CODE` or `--withdraw CODE@PERIOD` (CODE leaves after PERIOD)."""
    code, sep, after = text.strip().partition("@")
    code, after = code.strip(), after.strip()
    if not code or (sep and not after):
        raise UsageError(f"--withdraw '{text}': give CODE or CODE@PERIOD (e.g. ITA@2027-12)")
    return Withdrawal(code, after if sep else None)


def available(data: Data) -> list[str]:
    """Contributors whose status is available, in the workbook's (sorted) order."""
    con = data.contributors
    return list(con.loc[con["status"] == "available", "contributor"])


def check(data: Data, withdrawal: Withdrawal) -> None:
    """`UsageError` (exit 2) unless the withdrawal can be made of `data`: an available
    contributor, and a period of the workbook's for a withdrawal after a period."""
    codes = available(data)
    con = data.contributors
    if withdrawal.code in set(con["contributor"]) - set(codes):
        # unavailable in base already: no did-you-mean (it pointed USA at AUS)
        status = con.loc[con["contributor"] == withdrawal.code, "status"].iloc[0]
        raise UsageError(
            f"cannot withdraw '{withdrawal.code}': its status is '{status}' in the workbook, so "
            "it deploys nothing already"
        )
    if withdrawal.code not in set(codes):
        hint = suggest_contributor(withdrawal.code, codes, con[con["contributor"].isin(codes)])
        if not hint:  # nothing alike: the names to choose from (a planner trial got none)
            hint = f" (the available ones: {shortened(codes, LISTED_CODES)})" if codes else ""
        raise UsageError(
            f"cannot withdraw '{withdrawal.code}': not an available contributor" + hint
        )
    if withdrawal.after is not None:
        check_period(data, withdrawal.after, f"cannot withdraw {withdrawal.code} after")


def as_period_ending(data: Data, withdrawal: Withdrawal) -> tuple[Withdrawal, str | None]:
    """A withdrawal after a month that no period is named by but one ends in (`GBR@2027-09`
    against the period `2027-07` of three months) as a withdrawal after that period, with a
    note saying so, as a pledge's `to` of that month is read (io/refs.py); any other as it is,
    with no note. An uneven-periods trial's `--withdraw GBR@2027-09` was refused, and its
    did-you-mean named the period it meant."""
    after = withdrawal.after
    ending = None if after is None else period_ending(data, after)
    if after is None or ending is None:
        return withdrawal, None
    taken = Withdrawal(withdrawal.code, ending[0])
    return taken, (
        f"{withdrawal.code}@{after} taken as {withdrawal.code}@{ending[0]}: {ending[1]} "
        f"(scenario {taken.name})"
    )


def period_ending(data: Data, month: str) -> tuple[str, str] | None:
    """(the period, why) where `month` names no period but is the last month of exactly one
    (`2027-09`: `the period 2027-07 (2027-07..2027-09) ends that month`); None else."""
    periods = data.periods
    if periods is None or month in {str(p) for p in periods["period"]}:
        return None
    ending = period_of_month(month, periods, to=True)
    if ending is None:
        return None
    months = dict(zip(periods["period"].astype(str), periods["months"], strict=True))
    return ending, f"the period {as_end(ending, int(months[ending]))} ends that month"


def check_period(data: Data, period: str, what: str) -> None:
    """`UsageError` unless `period` is a period of `data` (a snapshot has none)."""
    source = data.source_name or "the workbook"
    if data.periods is None:
        raise UsageError(
            f"{what} '{period}': {source} is a snapshot workbook (no Periods sheet); a "
            "withdrawal from a period on needs periods"
        )
    names = [str(p) for p in data.periods["period"]]
    if period not in names:
        raise UsageError(
            f"{what} '{period}': not a period of {source} ({names[0]}..{names[-1]})"
            + suggest_period(period, data.periods)
        )


def apply(data: Data, withdrawal: Withdrawal) -> Data:
    """The generated scenario of `data` (the base case); see the module's docstring."""
    check(data, withdrawal)
    if withdrawal.after is None:
        return seal(_withdraw(data, withdrawal))  # made from validated data: valid as it is
    return seal(_withdraw_after(data, withdrawal))


def _withdraw(data: Data, withdrawal: Withdrawal) -> Data:
    """Status set to unavailable: no pledge deploys, its own caveats have no effect, and other
    contributors' caveats that require it (`requires`) bind as they would if it stayed home."""
    code = withdrawal.code
    con = data.contributors.copy()
    con.loc[con["contributor"] == code, "status"] = "unavailable"
    pledges = int((data.pledges["contributor"] == code).sum())
    caveats = int((data.caveats["contributor"] == code).sum())
    note = (
        f"generated scenario {withdrawal.name}: {code} withdraws (status set to unavailable: "
        f"its {count(pledges, 'pledge')} and {count(caveats, 'caveat')} no longer apply)"
    )
    return dataclasses.replace(
        data, contributors=con, scenario=withdrawal.name, notes=[*data.notes, note]
    )


def _withdraw_after(data: Data, withdrawal: Withdrawal) -> Data:
    """Every pledge of the contributor ends by the period named (to_t = min(to_t, T)); one
    that would then end before it begins is dropped. So do its own caveats: from T on it is
    withdrawn, and a withdrawn nation's caveats lapse (`_withdraw`); kept, its min_units or
    min_contingent would ask a nation gone home to deploy (infeasible), and its no_weakening
    would keep its home lines hard. Others' caveats that require it stay, as in `_withdraw`."""
    assert data.periods is not None and withdrawal.after is not None
    names = [str(p) for p in data.periods["period"]]
    last = names.index(withdrawal.after)
    code, after = withdrawal.code, withdrawal.after
    pledges, ended, not_begun = _ended_by(data.pledges, code, last, after)
    caveats, caveats_ended, caveats_not_begun = _ended_by(data.caveats, code, last, after)
    nothing = (
        f"; {CHANGES_NOTHING}: none of {code}'s pledges runs past {after}"
        if not ended and not not_begun and not _ends_beyond_own_units(data.caveats, code, last)
        else ""
    )
    note = (
        f"generated scenario {withdrawal.name}: {code} leaves after {after} "
        f"({count(ended, 'pledge')} ended there{nothing}"
        + (f", {count(not_begun, 'pledge')} not yet begun dropped" if not_begun else "")
        + (f"; {count(caveats_ended, 'caveat')} of its own ended there" if caveats_ended else "")
        + (
            f"; {count(caveats_not_begun, 'caveat')} of its own not yet begun dropped"
            if caveats_not_begun
            else ""
        )
        + "; others' caveats unchanged)"
    )
    return dataclasses.replace(
        data,
        pledges=pledges,
        caveats=caveats,
        scenario=withdrawal.name,
        notes=[*data.notes, note],
    )


def _ends_beyond_own_units(caveats: pd.DataFrame, code: str, last: int) -> bool:
    """Whether a caveat of the contributor running past period `last` binds beyond its own
    units (`CaveatKind.acts_beyond_own_units`: a no_weakening), so that ending it changes the
    plan though none of its pledges runs past `last`."""
    from ..caveats import KINDS

    ending = caveats[(caveats["contributor"] == code) & (caveats["to_t"] > last)]
    return any(KINDS[kind].acts_beyond_own_units for kind in ending["caveat"])


def _ended_by(
    rows: pd.DataFrame, code: str, last: int, after: str
) -> tuple[pd.DataFrame, int, int]:
    """The contributor's rows (pledges or caveats) ended by period `last`, named `after`: to_t
    = min(to_t, last), `to` = `after` where shortened, and a row beginning later dropped. The
    table, how many rows were shortened, how many dropped."""
    rows = rows.copy()
    if "to" in rows:
        rows["to"] = rows["to"].astype(object)  # all blank reads as float
    own = rows["contributor"] == code
    shortened = own & (rows["to_t"] > last)
    rows.loc[shortened, "to_t"] = last
    if "to" in rows:
        rows.loc[shortened, "to"] = after
    dropped = own & (rows["from_t"] > last)
    kept = rows[~dropped].reset_index(drop=True)
    return kept, int((shortened & ~dropped).sum()), int(dropped.sum())
