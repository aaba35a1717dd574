"""The rows of the hull of a personnel cap's whole points (solver/model/knapsack_hull.py),
hand-worked, and checked against brute force on small random caps."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import linprog

from solver.model import knapsack_hull
from solver.model.knapsack_hull import hull_rows


def as_lists(rows: list[tuple[np.ndarray, int]]) -> list[tuple[list[int], int]]:
    return [(a.tolist(), b) for a, b in rows]


def test_a_battalion_and_a_battery_under_1500() -> None:
    """800 I + 600 D <= 1500, I, D <= 2: the whole points (0,0), (1,0), (0,1), (1,1), (0,2);
    their hull adds I <= 1 (floor(1500 / 800)) and I + D <= 2 to the cap."""
    rows = hull_rows(np.array([800.0, 600.0]), np.array([2, 2]), 1500.0)
    assert as_lists(rows) == [([1, 0], 1), ([1, 1], 2)]


def test_any_two_of_three() -> None:
    """2 a + 2 b + 2 c <= 5 with a, b, c <= 1: any two fit, three do not (a cover): the one
    facet beside the bounds is a + b + c <= 2; no bound is tighter than the box."""
    rows = hull_rows(np.array([2.0, 2.0, 2.0]), np.array([1, 1, 1]), 5.0)
    assert as_lists(rows) == [([1, 1, 1], 2)]


def test_no_row_when_everything_fits() -> None:
    """1 a + 1 b <= 10 with a, b <= 2: the cap cannot bind, the box is the hull."""
    assert hull_rows(np.array([1.0, 1.0]), np.array([2, 2]), 10.0) == []


def test_only_the_bounds_beyond_the_size_limit() -> None:
    """More capabilities under the cap than MAX_DIMS: the rounded bounds alone (x_k <=
    floor(cap / p_k) where below the box), no hull to compute."""
    n = knapsack_hull.MAX_DIMS + 1
    weights = np.full(n, 400.0)
    rows = hull_rows(weights, np.full(n, 3), 1000.0)
    expected = [([1 if j == k else 0 for j in range(n)], 2) for k in range(n)]
    assert as_lists(rows) == expected


def whole_points(weights: np.ndarray, bounds: np.ndarray, cap: float) -> np.ndarray:
    """Every whole point of the box under the cap, by brute force."""
    grid = itertools.product(*(range(int(b) + 1) for b in bounds))
    return np.array([p for p in grid if float(np.dot(p, weights)) <= cap + 1e-9])


@pytest.mark.parametrize("seed", range(25))
def test_the_rows_are_the_hull_of_random_caps(seed: int) -> None:
    """On random caps over 2-4 capabilities: every whole point under the cap keeps every row
    (nothing a plan could do is cut off), and for random weights c >= 0 the best c.x over the
    rows, the cap and the box is the best over the whole points (the rows are the hull's: the
    relaxation cannot do better than a whole plan in any direction)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 5))
    weights = rng.choice([150.0, 200.0, 400.0, 600.0, 800.0, 900.0], size=n)
    bounds = rng.integers(1, 4, size=n)
    cap = float(rng.integers(400, 2500))
    rows = hull_rows(weights, bounds, cap)
    points = whole_points(weights, bounds, cap)
    for a, b in rows:
        assert (points @ a <= b).all(), f"row {a.tolist()} <= {b} cuts off a whole point"
    a_ub = np.vstack([weights] + [a for a, _ in rows])
    b_ub = np.array([cap] + [b for _, b in rows], dtype=float)
    for _ in range(5):
        c = rng.integers(0, 10, size=n).astype(float)
        lp = linprog(-c, A_ub=a_ub, b_ub=b_ub, bounds=[(0, int(u)) for u in bounds])
        assert lp.status == 0
        assert -lp.fun == pytest.approx(float((points @ c).max()), abs=1e-6)


def test_only_the_bounds_for_a_box_of_too_many_points() -> None:
    """Six capabilities of 4 units each under a cap that takes half of them: 5^6 = 15,625 whole
    points in the box, more than MAX_POINTS, so no hull (Qhull's time grows steeply with them):
    the bounds x_k <= floor(4800 / 400) = 12 are above the box's 4, so no row at all."""
    assert knapsack_hull.MAX_POINTS < 5**6
    assert hull_rows(np.full(6, 400.0), np.full(6, 4), 4800.0) == []
