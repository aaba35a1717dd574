"""`LinearModel.add_rows` checks a block at declaration (as linopy's `add_constraints` does): a
malformed block is a bug in the module that declares it, and must fail there, naming the block,
instead of landing in another block or failing later inside scipy or HiGHS."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from solver.model.linear import LinearModel


def model() -> LinearModel:
    """Three columns x0..x2 and one well-formed block of two rows already declared."""
    lm = LinearModel()
    lm.add_vars("x", [("a",), ("b",), ("c",)], 0, 5, integer=True)
    lm.add_rows("first", [(1,), (2,)], [0, 1], [0, 1], 1.0, -np.inf, 3.0, origin="t", kind="pledge")
    return lm


def declare(lm: LinearModel, **changes: Any) -> np.ndarray:
    """One row `caveat.C1` summing x0 and x1 into [0, 4], with `changes` applied."""
    args: dict[str, Any] = {
        "name": "caveat.C1",
        "keys": [("C1",)],
        "row": np.array([0, 0]),
        "col": np.array([0, 1]),
        "val": 1.0,
        "lower": 0.0,
        "upper": 4.0,
        "origin": "caveat C1",
        "kind": "max_units",
    }
    args.update(changes)
    return lm.add_rows(**args)


def test_a_well_formed_block_is_added() -> None:
    lm = model()
    assert declare(lm).tolist() == [2]
    assert lm.matrix().toarray().tolist()[2] == [1.0, 1.0, 0.0]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"row": np.array([0, 1])}, "row index 1 outside its 1 keys"),
        ({"row": np.array([0, -1])}, "row index -1 outside its 1 keys"),
        ({"col": np.array([0, 3])}, "column 3 does not exist (the model has 3)"),
        ({"col": np.array([0, -1])}, "column -1 does not exist"),
        ({"col": np.array([0])}, "2 row indices but 1 columns"),
        ({"col": np.array([0.0, 1.5])}, "must be whole numbers"),
        ({"val": np.array([1.0, np.nan])}, "coefficient nan at row 0, column 1"),
        ({"val": np.array([1.0, np.inf])}, "coefficient inf at row 0, column 1"),
        ({"val": np.array([1.0, 2.0, 3.0])}, "coefficients of shape (3,), expected"),
        ({"lower": 5.0}, "row 0 has lower bound 5 and upper bound 4: no value fits"),
        ({"lower": np.inf, "upper": np.inf}, "row 0 has lower bound inf"),
        ({"upper": np.nan}, "a bound is NaN"),
        ({"upper": np.array([1.0, 2.0])}, "upper bounds of shape (2,), expected"),
        ({"keys": []}, "row index 0 outside its 0 keys"),
        ({"link": "force"}, "link 'force' is not one of ('', 'forces', 'allows')"),
        ({"origin": "Requirements", "kind": "requirment"}, "kind 'requirment' is not one of"),
        ({"kind": ""}, "kind '' is not one of"),
        ({"kind": "max_unit"}, "kind 'max_unit' is not one of"),  # a caveat's: its kind's name
        (
            {"keys": [("C1", "P1"), ("C1", "P1")], "row": np.array([0, 1])},
            "key ('C1', 'P1') given twice",
        ),
    ],
)
def test_a_malformed_block_is_refused_naming_it(changes: dict[str, Any], words: str) -> None:
    lm = model()
    with pytest.raises(ValueError) as caught:
        declare(lm, **changes)
    message = str(caught.value)
    origin = changes.get("origin", "caveat C1")
    assert message.startswith(f"internal error: rows 'caveat.C1' ({origin}): ")
    assert words in message
    # nothing of the refused block was kept: the model is still the one before
    assert lm.n_rows == 2 and len(lm.row_blocks) == 1
    assert lm.matrix().shape == (2, 3)


@pytest.mark.parametrize(
    ("lower", "upper", "words"),
    [
        (2.0, 1.0, "column 0 has lower bound 2 and upper bound 1: no value fits"),
        (0.0, np.nan, "a bound is NaN"),
        (0.0, np.array([1.0, 2.0, 3.0]), "upper bounds of shape (3,), expected"),
        (0.0, 1.0, "key ('A', 'S1') given twice"),
    ],
)
def test_malformed_columns_are_refused_naming_them(lower: Any, upper: Any, words: str) -> None:
    lm = model()
    keys = [("A", "S1"), ("A", "S1" if "twice" in words else "S2")]
    with pytest.raises(ValueError) as caught:
        lm.add_vars("caveat.C1.on", keys, lower, upper, origin="caveat C1")
    assert str(caught.value).startswith("internal error: columns 'caveat.C1.on' (caveat C1): ")
    assert words in str(caught.value)
    assert lm.n_cols == 3


def test_a_caveat_kind_adding_rows_of_another_kind_is_refused(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """max_units' `add` putting in rows named `exclude` (a copy-paste slip): the build stops,
    naming both, rather than the explanations reading a cap as an exclusion (a review: any
    caveat kind's name passed for any caveat's rows)."""
    from solver import api
    from solver.caveats import KINDS
    from solver.model.build import build_model

    from .workbooks import simple_case

    kind = KINDS["max_units"]

    def slipped(ctx: Any, rows: Any) -> None:
        if len(rows):
            ctx.lm.add_rows(
                "caveat.K1",
                [("K1",)],
                np.array([0]),
                np.array([0]),
                1.0,
                -np.inf,
                5.0,
                origin="caveat K1",
                kind="exclude",
            )

    monkeypatch.setattr(type(kind), "add", lambda self, ctx, rows: slipped(ctx, rows))
    src = simple_case(
        tmp_path / "c.xlsx",
        caveats=[{"id": "K1", "contributor": "A", "caveat": "max_units", "value": 1}],
    )
    with pytest.raises(ValueError) as refused:
        build_model(api.read(src))
    assert "caveat kind max_units added rows 'caveat.K1' of kind 'exclude'" in str(refused.value)
