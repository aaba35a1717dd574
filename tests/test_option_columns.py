"""The options tables' columns are declared once (solver/model/option_columns.py) and checked
where each table is made: a column added or lost on the way is an error there."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from solver.model import option_columns
from solver.model.option_columns import OPTION_COLUMNS, X_COLUMNS, X_TIMED_COLUMNS, checked


def test_a_table_whose_columns_drift_from_the_declaration_is_refused() -> None:
    frame = pd.DataFrame(columns=list(OPTION_COLUMNS))
    assert checked(frame, OPTION_COLUMNS, "ctx.cand") is frame
    with pytest.raises(ValueError, match=r"ctx.cand's columns .*missing \['months'\]"):
        checked(frame.drop(columns="months"), OPTION_COLUMNS, "ctx.cand")
    with pytest.raises(ValueError, match=r"not declared \['spare'\]"):
        checked(frame.assign(spare=1), OPTION_COLUMNS, "ctx.cand")
    with pytest.raises(ValueError, match="out of order"):
        checked(frame[list(reversed(OPTION_COLUMNS))], OPTION_COLUMNS, "ctx.cand")


def test_every_declared_column_is_in_the_module_s_table() -> None:
    """The docstring's table says what each column means: none left out."""
    doc = option_columns.__doc__ or ""
    named = {
        name.strip()
        for row in re.findall(r"^\| ([a-z_, ]+?)\s+\|", doc, re.M)
        for name in row.split(",")
    }
    assert set(X_TIMED_COLUMNS) <= named, set(X_TIMED_COLUMNS) - named
    assert set(X_COLUMNS) < set(X_TIMED_COLUMNS)


def test_the_bundled_examples_build_with_the_declared_columns() -> None:
    from pathlib import Path

    from solver import api
    from solver.model.build import build_model

    root = Path(__file__).resolve().parents[1] / "inputs"
    snapshot = build_model(api.read(root / "coalition.xlsx"))
    assert snapshot.x is not None and tuple(snapshot.x.columns) == X_COLUMNS
    timed = build_model(api.read(root / "coalition_timed.xlsx"), explain=True)
    assert timed.x is not None and tuple(timed.x.columns) == X_TIMED_COLUMNS
    assert tuple(timed.cand.columns) == OPTION_COLUMNS
