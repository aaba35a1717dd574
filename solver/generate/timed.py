"""Time on a generated case (`generate --periods N`): periods, windows, a Profile and pools, laid
over a finished snapshot case so that the snapshot's witness stays a feasible plan in time.

Feasibility. Of all the rules in time only two can force a unit to be present: a hard line
(shortfall 0 in each active period, `no_weakening` included) and `min_units` (at least `value`
in each period of its window); every other rule is met by sending nothing. The snapshot witness
w[c, k, s] meets both, and every caveat was drawn so that w satisfies it. In time the witness is
w in *every* period, so each per-period rule holds exactly as in the snapshot. Time never narrows
what the witness uses:

- windows (pledge readiness `from`, mandate `to`; a line's `from`/`to`) and Profile rows are put
  only on pledges and lines without witness units, so the witness's pledges are available and its
  lines require their full `units` in every period;
- a pledge made a pool (tour T months, dwell D months, on periods of M months) keeps its units
  `groups` times over, groups = ceil((p + d) / p) with p = floor(T / M) periods per tour and
  d = ceil(D / M) periods of dwell: group j serves periods j*p.. (j+1)*p - 1, j + groups*p, ...,
  so the witness's units are present in every period while each group's dwell runs out before
  its next tour (`Case.witness_tours` holds these tours).

Caveat windows are not drawn. The time layer draws from its own random stream (the seed and
`TIME_STREAM`): the snapshot tables of a seed are the same with or without periods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from ..io.periods import months_later
from ..io.schema_types import MAX_MONTHS
from .case import Case

TIME_STREAM = 2027  # the time layer's random stream, beside the snapshot's
ACTIVATION = date(2027, 1, 1)  # the generated periods' (notional) first day
READINESS_SHARE = 0.15  # pledges without witness units that arrive after the first period
MANDATE_SHARE = 0.1  # ... whose mandate ends before the last period
LINE_WINDOW_SHARE = 0.1  # lines without witness units that start late, and that end early
PROFILE_SHARE = 0.2  # lines without witness units or window, at part strength in IOC/drawdown


@dataclass(frozen=True)
class TimeOptions:
    """The time of a generated case: `periods` periods of `months` months; a share of the
    pledges (`pool_share`) rotate with tours of at most `tour_months` and `dwell_months` after."""

    periods: int
    months: int = 1
    tour_months: int = 6
    dwell_months: int = 12
    pool_share: float = 0.3

    def check(self) -> None:
        """Raise ValueError for options a valid workbook cannot have."""
        if not 1 <= self.periods <= MAX_MONTHS:
            raise ValueError(f"periods must be 1..{MAX_MONTHS}, got {self.periods}")
        for name in ("months", "tour_months"):
            if not 1 <= getattr(self, name) <= MAX_MONTHS:
                raise ValueError(f"{name} must be 1..{MAX_MONTHS}, got {getattr(self, name)}")
        if not 0 <= self.dwell_months <= MAX_MONTHS:
            raise ValueError(f"dwell_months must be 0..{MAX_MONTHS}, got {self.dwell_months}")
        if self.tour_months < self.months:
            raise ValueError(
                f"a tour of {self.tour_months} months is shorter than a period of {self.months}: "
                "a tour covers whole periods (give --tour-months at least --months)"
            )
        if not 0 <= self.pool_share <= 1:
            raise ValueError(f"pool_share must be in [0, 1], got {self.pool_share}")

    @property
    def groups(self) -> int:
        """Rotation groups that keep a pool's share present in every period."""
        per_tour = self.tour_months // self.months
        dwell = -(-self.dwell_months // self.months)
        return -(-(per_tour + dwell) // per_tour)


def add_time(case: Case, options: TimeOptions, seed: int) -> None:
    """Make a finished snapshot case timed (in place), keeping its witness feasible."""
    options.check()
    rng = np.random.default_rng([seed, TIME_STREAM])
    n = options.periods
    case.periods = period_rows(n, options.months)
    witness_pledges = {(c, k) for c, k, _ in case.witness}
    witness_lines = {(s, k) for _, k, s in case.witness}
    labels = [str(row["period"]) for row in case.periods]
    _pledge_windows(case, rng, labels, witness_pledges)
    _line_windows(case, rng, labels, witness_lines)
    _profile(case, rng, labels, witness_lines)
    pools = _pools(case, rng, options)
    case.witness_tours = witness_tours(case.witness, pools, n, options)


def period_rows(n: int, months: int) -> list[dict[str, object]]:
    """n periods of `months` months from ACTIVATION: keys `2027-01` (months), `2027-Q1`
    (quarters) or `P01`; the start on the first row only, and only where the horizon ends on
    the calendar a date has (by 9999-12-31: 200 periods of 600 months would not); phases IOC (the
    first n // 8 periods, at least one from n = 3), drawdown (as many at the end), FOC between."""
    edge = max(1, n // 8) if n >= 3 else 0
    dated = months_later(ACTIVATION, n * months - 1) is not None  # the last month's first day
    rows: list[dict[str, object]] = []
    for t in range(n):
        year, month0 = divmod(ACTIVATION.month - 1 + t * months, 12)
        year += ACTIVATION.year
        if months == 1:
            label = f"{year}-{month0 + 1:02d}"
        elif months == 3 and ACTIVATION.month % 3 == 1:
            label = f"{year}-Q{month0 // 3 + 1}"
        else:
            label = f"P{t + 1:0{max(2, len(str(n)))}d}"
        phase = "IOC" if t < edge else "drawdown" if t >= n - edge else "FOC"
        rows.append(
            {
                "period": label,
                "months": months,
                "start": ACTIVATION.isoformat() if t == 0 and dated else None,
                "phase": phase,
            }
        )
    return rows


def _pledge_windows(
    case: Case, rng: np.random.Generator, labels: list[str], keep: set[tuple[str, str]]
) -> None:
    """Readiness (`from` in the first quarter of the horizon) and mandates (`to` in its second
    half) on pledges without witness units; the others get no window."""
    n = len(labels)
    rolls = rng.random((len(case.pledges), 4))
    for (key, pledge), (r_from, r_to, u_from, u_to) in zip(
        case.pledges.items(), rolls, strict=True
    ):
        first, last = 0, n - 1
        if key not in keep and n >= 2 and r_from < READINESS_SHARE:
            first = 1 + int(u_from * max(1, n // 4))
        if key not in keep and n >= 3 and r_to < MANDATE_SHARE:
            last = max(first, n // 2 + int(u_to * (n - 1 - n // 2)))
        pledge["from"] = labels[first] if first else None
        pledge["to"] = labels[last] if last < n - 1 else None


def _line_windows(
    case: Case, rng: np.random.Generator, labels: list[str], keep: set[tuple[str, str]]
) -> None:
    """Lines without witness units that start late (in the first quarter) or end early (in the
    last quarter); the others are active throughout."""
    n = len(labels)
    rolls = rng.random((len(case.requirements), 4))
    for (key, line), (r_from, r_to, u_from, u_to) in zip(
        case.requirements.items(), rolls, strict=True
    ):
        first, last = 0, n - 1
        if key not in keep and n >= 4 and r_from < LINE_WINDOW_SHARE:
            first = 1 + int(u_from * (n // 4))
        if key not in keep and n >= 4 and r_to < LINE_WINDOW_SHARE:
            last = n - 2 - int(u_to * (n // 4))
        line["from"] = labels[first] if first else None
        line["to"] = labels[last] if last < n - 1 else None


def _profile(
    case: Case, rng: np.random.Generator, labels: list[str], keep: set[tuple[str, str]]
) -> None:
    """Lines of 2 units or more, without witness units or window: half strength (rounded down)
    in the IOC periods and in the drawdown."""
    phases = [row["phase"] for row in case.periods]
    ioc = [t for t, p in enumerate(phases) if p == "IOC"]
    drawdown = [t for t, p in enumerate(phases) if p == "drawdown"]
    rolls = rng.random(len(case.requirements))
    for ((s, k), line), roll in zip(case.requirements.items(), rolls, strict=True):
        if not ioc or (s, k) in keep or line["units"] < 2 or line["from"] or line["to"]:
            continue
        if roll < PROFILE_SHARE:
            for span in (ioc, drawdown):
                case.profile.append(
                    {
                        "site": s,
                        "capability": k,
                        "from": labels[span[0]],
                        "to": labels[span[-1]],
                        "units": line["units"] // 2,
                    }
                )


def _pools(case: Case, rng: np.random.Generator, options: TimeOptions) -> set[tuple[str, str]]:
    """About `pool_share` of the pledges become pools of `groups` times their units; the
    others sustain their own units (no tour limit, no dwell). Returns the pools."""
    pools: set[tuple[str, str]] = set()
    rolls = rng.random(len(case.pledges))
    for (key, pledge), roll in zip(case.pledges.items(), rolls, strict=True):
        pool = bool(roll < options.pool_share)
        pledge["tour_months"] = options.tour_months if pool else None
        pledge["dwell_months"] = options.dwell_months if pool else None
        if pool:
            pledge["units"] *= options.groups
            pools.add(key)
    return pools


def witness_tours(
    witness: dict[tuple[str, str, str], int],
    pools: set[tuple[str, str]],
    n: int,
    options: TimeOptions,
) -> list[tuple[str, str, str, int, int, int]]:
    """The witness in time as tours (c, k, s, first, last, units): one tour over all n periods
    where the pledge sustains its own slot; consecutive tours of `tour_months // months`
    periods where it is a pool (each by the next rotation group)."""
    per_tour = options.tour_months // options.months
    tours = []
    for (c, k, s), units in sorted(witness.items()):
        step = per_tour if (c, k) in pools else n
        for first in range(0, n, step):
            tours.append((c, k, s, first, min(first + step, n) - 1, units))
    return tours
