"""The whole points under a personnel cap, and the facets of their convex hull.

A cap on one contributor's personnel present at the same time reads, per capability k of its
pledges (X_k = the units of k present, summed over the sites the cap matches):

    sum_k p_k X_k  <=  v,      X_k whole,  0 <= X_k <= U_k

    p_k   people per unit of the pledge of k (> 0)
    v     the cap (people)
    U_k   the units of k that can be present at once (the pledge's units)

Its relaxation lets X_k be fractional: under a 1,500 cap, 1.4 battalions of 800 beside other
units. The relaxation's bound then undervalues what the cap costs; on the timed example the cost
stage's bound rose from 4.5636e7 to 4.6469e7 (best known plan 4.692e7) with these rows alone.
Every whole X lies in the convex hull H of the whole points, so each facet of H

    sum_k a_k X_k  <=  b,      a_k >= 0 whole,  b = max over the whole points of a.X

holds for every plan: adding them changes no plan's value, only the bound. The set is closed
downwards (fewer units never break the cap), so every facet but X_k >= 0 has a >= 0. b is
computed exactly from the points, so a facet whose direction Qhull gives only approximately
still holds for every whole point (it is a supporting row, if not exactly a facet).

Returned: the rounded bounds X_k <= floor(v / p_k) where below U_k, then the facets that are
neither a bound nor the cap itself, in a fixed order. Nothing beyond the bounds when the box
holds more than MAX_POINTS whole points, has more than MAX_DIMS capabilities under the cap, or
the hull more than MAX_FACETS such facets (the rows would outweigh what they give). The limits
keep Qhull's time small, as it grows steeply with the dimension (measured, the worst of three
random caps: 6 capabilities and 2,100 points 0.18 s; 7 and 4,600 2.7 s; 8 and 875 5.7 s, and
one of 8 capabilities and 8,448 points took 103 s and 1.1 GB to give no row); the model is
built before the solve's clock starts, and Qhull's C code does not heed Ctrl-C.
"""

from __future__ import annotations

import itertools
import math
import mmap
import sys
from fractions import Fraction

import numpy as np

from ..memory_failure import is_out_of_memory
from .portable import dot

MAX_POINTS = 5_000
MAX_DIMS = 6
MAX_FACETS = 64
MAX_DENOMINATOR = 1_000  # a facet's direction is rounded to fractions of at most this
# what loading scipy.spatial maps, at most (its libraries, OpenBLAS's buffers): measured about
# 140 MB of address space on this machine; a third more to spare
SCIPY_ROOM = 192 << 20


def hull_rows(weights: np.ndarray, bounds: np.ndarray, cap: float) -> list[tuple[np.ndarray, int]]:
    """(a, b) per row a.X <= b valid for every whole X in [0, bounds] with weights.X <= cap;
    a has one whole entry per capability (zero where the row leaves it out)."""
    n = len(weights)
    fit = np.array(
        [
            b if w <= 0 else min(b, math.floor(cap / w + 1e-9))
            for w, b in zip(weights, bounds, strict=True)
        ],
        dtype=np.int64,
    )
    rows = [(_unit(n, k), int(fit[k])) for k in range(n) if fit[k] < bounds[k]]
    dims = np.flatnonzero((weights > 0) & (fit >= 1))
    if len(dims) < 2 or dot(weights[dims], fit[dims].astype(float)) <= cap + 1e-9:
        return rows  # one capability, or all fit at once: the bounds are the hull
    if len(dims) > MAX_DIMS or math.prod(int(fit[k]) + 1 for k in dims) > MAX_POINTS:
        return rows
    points = _whole_points(weights[dims], fit[dims], cap)
    facets = _facets(points, weights[dims], cap)
    if len(facets) > MAX_FACETS:
        return rows
    for a, b in facets:
        full = np.zeros(n, dtype=np.int64)
        full[dims] = a
        rows.append((full, b))
    return rows


def _unit(n: int, k: int) -> np.ndarray:
    a = np.zeros(n, dtype=np.int64)
    a[k] = 1
    return a


def _whole_points(weights: np.ndarray, fit: np.ndarray, cap: float) -> np.ndarray:
    """Every whole X in the box [0, fit] under the cap, one row each."""
    grid = np.array(list(itertools.product(*(range(int(f) + 1) for f in fit))), dtype=np.int64)
    return grid[_row_sums(grid, weights) <= cap + 1e-9]


def _row_sums(points: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
    """points @ coefficients, summed one column after another: the same bits on every CPU
    (a matrix product's order of additions is BLAS's; see model/portable.py)."""
    total = np.zeros(len(points), dtype=np.result_type(points, coefficients))
    for k, c in enumerate(coefficients):
        total += points[:, k] * c
    return total


def _room_for_scipy() -> bool:
    """Whether SCIPY_ROOM bytes can be mapped now: scipy.spatial loads scipy's OpenBLAS, whose
    start retries a failed 32 MB buffer forever, at full CPU and deaf to Ctrl-C and SIGTERM (a
    fault trial: `ulimit -v 260000` hung `solve` of the bundled example for good, and `check`
    and `sweep` in their workers). Without the room the caller reports out of memory."""
    try:
        probe = mmap.mmap(-1, SCIPY_ROOM)
    except (OSError, MemoryError, ValueError):
        return False
    probe.close()
    return True


def _facets(points: np.ndarray, weights: np.ndarray, cap: float) -> list[tuple[np.ndarray, int]]:
    """The hull's facets with a >= 0 that are not a single bound and not the cap itself, as
    whole (a, b), sorted. The points contain 0 and every unit vector: the hull is full."""
    # imported here, when a cap has rows to compute: scipy.spatial loads scipy's BLAS, whose
    # start under a memory limit (`ulimit -v`) spun in malloc forever, deaf to Ctrl-C and
    # SIGTERM, for every command that merely imported this module (a fault trial)
    if "scipy.spatial" not in sys.modules and not _room_for_scipy():
        raise MemoryError("no room to load scipy's Qhull and BLAS (the hull rows' library)")
    try:
        from scipy.spatial import ConvexHull, QhullError
    except ImportError as exc:  # its library not mapped: out of memory, as every caller takes it
        if is_out_of_memory(exc):
            raise MemoryError(str(exc)) from exc
        raise

    try:
        hull = ConvexHull(points.astype(float))
    except QhullError:
        return []
    found: set[tuple[tuple[int, ...], int]] = set()
    for normal in _distinct_directions(hull.equations[:, :-1]):
        a = _whole_direction(normal)
        if a is None or np.count_nonzero(a) < 2:
            continue
        b = int(_row_sums(points, a).max())
        if _is_the_cap(a, b, weights, cap):
            continue
        found.add((tuple(int(v) for v in a), b))
    return [(np.array(a, dtype=np.int64), b) for a, b in sorted(found)]


def _distinct_directions(normals: np.ndarray) -> np.ndarray:
    """The outward normals with no negative entry (the others are lower bounds X_k >= 0) and
    at least two positive ones (one is a bound), each scaled to a largest entry of 1, once each:
    Qhull splits a facet into simplices, each with its own copy of the normal (15k of them
    for one cap of the 40 x 40 x 20 case)."""
    normals = normals[(normals.min(axis=1) >= -1e-9) & ((normals > 1e-9).sum(axis=1) >= 2)]
    if not len(normals):
        return normals
    scaled = np.clip(normals / normals.max(axis=1, keepdims=True), 0.0, None)
    return np.unique(np.round(scaled, 9), axis=0)


def _whole_direction(normal: np.ndarray) -> np.ndarray | None:
    """The smallest whole vector along `normal` (>= 0), rounding its ratios to fractions."""
    top = float(normal.max())
    if top <= 0:
        return None
    ratios = [Fraction(max(v, 0.0) / top).limit_denominator(MAX_DENOMINATOR) for v in normal]
    scale = math.lcm(*(r.denominator for r in ratios))
    a = np.array([int(r * scale) for r in ratios], dtype=np.int64)
    g = math.gcd(*a.tolist())
    return a // g if g > 1 else a


def _is_the_cap(a: np.ndarray, b: int, weights: np.ndarray, cap: float) -> bool:
    """a.X <= b is the cap itself (a parallel to the weights, no tighter)."""
    k = int(np.argmax(a))
    ratio = weights[k] / a[k]
    if not np.allclose(a * ratio, weights, rtol=1e-9, atol=0):
        return False
    return b * ratio >= cap - 1e-9
