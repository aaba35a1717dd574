"""Arithmetic that gives the same last bit on every machine.

numpy hands a product of two dense vectors (`a @ b`) to BLAS, and OpenBLAS picks its kernel by
the CPU it runs on: its AVX-512 kernel sums in another order than its AVX2 one, so the last bit
of a stage's value differed between machines. numpy's own `arcsin` (and `exp`, `log`; not `sin`
or `cos`) has an AVX-512 version that rounds differently too. Those last bits reached HiGHS (a
held stage's right-hand side, a repair's weights, the person-km costs) and the comparisons
between plans: under `--work-limit 60` the timed example's cost stage ended at 47,448,772 on an
AVX-512 machine, 47,817,756 with both switched off, and 47,819,950 with numpy's alone off. So
every value a decision or HiGHS reads is computed here:

    dot(a, b)    = sum_j a_j b_j, summed by numpy's pairwise summation (one fixed order,
                   the same code on every CPU), never by BLAS
    metres(km)   = km rounded to the metre: the last bit of an arc sine moves it only when
                   km lies within about 1e-13 of half a metre

A sparse matrix's product (scipy's own loops, in the matrix's order) is the same everywhere
and needs nothing from here; tests/test_portable.py holds every `@` of the solver to that.
"""

from __future__ import annotations

import numpy as np

KM_DECIMALS = 3  # a metre


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """sum_j a_j b_j of two dense vectors, the same on every machine (not BLAS)."""
    return float(np.add.reduce(np.multiply(a, b, dtype=float)))


def metres(km: np.ndarray) -> np.ndarray:
    """Distances in km rounded to the metre (NaN stays NaN)."""
    return np.round(np.asarray(km, dtype=float), KM_DECIMALS)
