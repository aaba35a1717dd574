"""The options caveats remove from the model (`CaveatKind.forbid`: `exclude`, `only`, a
`requires` whose `other` is unavailable), keyed by option, for the words that say why a
baseline's units cannot stay: the Changes sheet's `kept out by` (results/change_reasons.py)
and the warnings on a baseline's rows before any solve (io/baseline_odd.py); and the units a
caveat's cap lets an option hold alone (`capped_units`), for `validate`'s reach of a hard line
(io/hard_lines.py).

    F(r)  =  the candidate options (c,k,s,t) caveat r removes
    out   =  {(c,k,s,t): sorted ids r with (c,k,s,t) in F(r)}

Each kind's own `forbid` decides F(r); nothing here matches a filter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..caveats import KINDS, active_caveats
from ..data import Data
from .candidates import candidates
from .context import BuildContext

Option = tuple[str, str, str, int]  # (contributor, capability, site, t)


def forbidden_options(ctx: BuildContext) -> dict[Option, list[str]]:
    """(c,k,s,t) -> the ids of the caveats that removed that option from the model, sorted."""
    cand = ctx.cand
    keys = list(
        zip(
            cand["contributor"].to_numpy(dtype=object),
            cand["capability"].to_numpy(dtype=object),
            cand["site"].to_numpy(dtype=object),
            cand["t"].to_numpy(dtype=np.int64).tolist(),
            strict=True,
        )
    )
    out: dict[Option, list[str]] = {}
    for cid, positions in sorted(ctx.forbidden_by.items()):
        for p in np.asarray(positions).tolist():
            out.setdefault(keys[p], []).append(cid)
    return out


def options_kept_out(data: Data) -> dict[Option, list[str]]:
    """`forbidden_options` of the model `data` would build, without building it: the
    candidates and every kind's `forbid` (the first phase of `model.build.build_model`)."""
    return forbidden_options(_forbidden(data, candidates(data)))


def kept_out_positions(data: Data, cand: pd.DataFrame) -> dict[int, list[str]]:
    """Position in `cand` (`candidates(data)`) -> the ids of the caveats that remove that
    option, sorted; options no caveat removes are absent."""
    out: dict[int, list[str]] = {}
    for cid, positions in sorted(_forbidden(data, cand).forbidden_by.items()):
        for p in np.asarray(positions).tolist():
            out.setdefault(int(p), []).append(cid)
    return out


def _forbidden(data: Data, cand: pd.DataFrame) -> BuildContext:
    """A context of `cand` with every kind's `forbid` applied (its `forbidden_by`)."""
    ctx = BuildContext(data, cand)
    rows = active_caveats(data)
    for name, kind in KINDS.items():
        kind.forbid(ctx, rows[name])
    return ctx


def capped_units(
    data: Data, cand: pd.DataFrame
) -> tuple[np.ndarray, dict[int, list[tuple[str, float]]]]:
    """Per position of `cand`, the most units any one caveat's cap lets that option hold alone
    (`CaveatKind.unit_caps`: `max_units`, `max_personnel`; inf where none caps it), and
    {position: (id, its own cap) of each caveat that caps it below its bound `ub`, by id}.

        cap(o)  =  min over caveats r matching o in its window of floor(v_r / w_r(o))
    """
    ctx = BuildContext(data, cand)
    ctx.x = cand
    cap = np.full(len(cand), np.inf)
    bound = cand["ub"].to_numpy(dtype=float)
    by: dict[int, list[tuple[str, float]]] = {}
    rows = active_caveats(data)
    for name, kind in KINDS.items():
        for cid, positions, caps in kind.unit_caps(ctx, rows[name]):
            cap[positions] = np.minimum(cap[positions], caps)
            below = caps < bound[positions]
            for p, own in zip(positions[below].tolist(), caps[below].tolist(), strict=True):
                by.setdefault(int(p), []).append((cid, float(own)))
    return cap, {p: sorted(ids) for p, ids in by.items()}


def capped_to_none(capped: list[tuple[str, float]]) -> list[str]:
    """The ids among `capped` (one option's, `capped_units`) whose own cap lets it hold no
    unit: those that keep it out (a cap of 1 beside a cap of 0 does not)."""
    return [cid for cid, own in capped if own <= 0]
