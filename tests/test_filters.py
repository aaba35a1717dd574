"""What a caveat's filters select (solver/model/filters.py): `selects`, read one option at a
time (Gaps, the baseline's reasons), and `TableIndex.match`, read over a whole table (the model,
no_weakening's lines), are two codings of one definition. Random filter rows over generated
worlds, including values no option has, hold them to each other option by option."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from solver import api
from solver.generate import TimeOptions, generate_workbook
from solver.model.candidates import candidates
from solver.model.filters import FILTER_COLUMNS, TableIndex, selects

SMALL = {"contributors": 8, "sites": 6, "capabilities": 5, "density": 0.5}


def random_rows(table, rng: np.random.Generator, n_periods: int, count: int) -> list[dict]:
    """Caveat-like rows: each filter blank, a value the table has, or one it has not."""
    rows = []
    for _ in range(count):
        row: dict = {"contributor": rng.choice(table["contributor"].unique())}
        for column in FILTER_COLUMNS:
            draw = rng.integers(3)
            if draw == 1:
                row[column] = rng.choice(table[column].dropna().unique())
            elif draw == 2 and rng.random() < 0.2:
                row[column] = "NOWHERE"
        if n_periods > 1 and rng.random() < 0.6:
            first = int(rng.integers(n_periods))
            row["from_t"], row["to_t"] = first, int(rng.integers(first, n_periods))
        rows.append(row)
    return rows


@pytest.mark.parametrize(("seed", "periods"), [(1, None), (2, None), (3, 6), (4, 4)])
def test_selects_and_the_table_index_agree_on_every_option(
    tmp_path: Path, seed: int, periods: int | None
) -> None:
    path = tmp_path / "world.xlsx"
    time = TimeOptions(periods, pool_share=0.5) if periods else None
    generate_workbook(path, seed=seed, **SMALL, time=time)
    data = api.read(path, allow_timed=True)
    cand = candidates(data)
    index = TableIndex(cand)
    values = {c: cand[c].to_numpy() for c in (*FILTER_COLUMNS, "contributor")}
    times = cand["t"].to_numpy()
    rng = np.random.default_rng(seed)
    rows = random_rows(cand, rng, periods or 1, 60)
    selecting = 0
    for row in rows:
        mask = index.match(row)
        for i in range(len(cand)):
            one = values["contributor"][i] == row["contributor"] and selects(
                row, lambda column, i=i: values[column][i], int(times[i])
            )
            assert one == bool(mask[i]), (row, cand.iloc[i].to_dict())
        selecting += int(mask.any())
    assert 10 < selecting < len(rows)  # the draws select some options and miss others
