"""The values that reach HiGHS and the comparisons between plans are the same to the last bit on
every machine (solver/model/portable.py).

On an AVX-512 machine numpy's `arcsin` and OpenBLAS's dot product round differently from their
AVX2 and SSE versions, and the timed example's cost stage under `--work-limit 60` ended at
47,448,772 there against 47,817,756 elsewhere. The tests run the same arithmetic in a second
process with numpy's CPU-specific loops switched off and OpenBLAS held to an old kernel, and ask
for the same bits. (On this project's AVX-512 machine `a @ b` itself differs between the two
processes for 4,097 and 20,000 terms, and numpy's `arcsin` for most angles.)
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from solver.model.candidates import great_circle_km
from solver.model.portable import dot, metres

SOLVER = Path(__file__).resolve().parents[1] / "solver"

PROBE = """
import json, sys
import numpy as np
from solver.model.candidates import great_circle_km
from solver.model.portable import dot
out = {}
for n in (4097, 20000, 99166):
    rng = np.random.default_rng(n)
    a, b = rng.random(n) * 1e3 - 400.0, rng.integers(0, 7, n) * 0.5
    out[f"dot{n}"] = dot(a, b).hex()
rng = np.random.default_rng(1)
lat1, lat2 = rng.uniform(-80, 80, (2, 5000))
lon1, lon2 = rng.uniform(-180, 180, (2, 5000))
out["km"] = [float(v).hex() for v in great_circle_km(lat1, lon1, lat2, lon2)]
json.dump(out, sys.stdout)
"""


def _probe(env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=SOLVER.parent,
    )
    return json.loads(done.stdout)


def _dispatched_features() -> list[str]:
    """The CPU features numpy has loops of its own for (what NPY_DISABLE_CPU_FEATURES names)."""
    try:
        from numpy._core import _multiarray_umath
    except ImportError:  # numpy 1.x (pyproject allows 1.26)
        from numpy.core import _multiarray_umath  # type: ignore[no-redef]
    return list(_multiarray_umath.__cpu_dispatch__)


def test_dot_and_distances_are_the_same_with_other_cpu_code_paths() -> None:
    """Same bits with numpy's dispatched loops off and OpenBLAS's oldest kernel as with the
    machine's own."""
    plain = " ".join(_dispatched_features())
    other = {"NPY_DISABLE_CPU_FEATURES": plain, "OPENBLAS_CORETYPE": "Prescott"}
    assert _probe(other) == _probe({})


def test_dot_is_the_sum_of_products() -> None:
    """By hand on whole and half numbers; on random ones, within rounding of the exact sum."""
    assert dot(np.array([0.5, 1.5, 2.0]), np.array([2.0, 4.0, 0.25])) == 7.5
    assert dot(np.array([3.0, -1.0]), np.array([2, 5])) == 1.0  # an int vector too
    assert dot(np.zeros(0), np.zeros(0)) == 0.0
    rng = np.random.default_rng(0)
    a, b = rng.random(10_000) - 0.5, rng.random(10_000)
    assert abs(dot(a, b) - math.fsum(a * b)) <= 1e-12 * math.fsum(abs(a * b))


def test_distances_are_to_the_metre() -> None:
    """Kyiv to Warsaw is 690.6 km (haversine, mean Earth radius); NaN stays NaN."""
    km = great_circle_km(
        np.array([50.4501, np.nan]),
        np.array([30.5234, 21.0]),
        np.array([52.2297, 52.2]),
        np.array([21.0122, 21.0]),
    )
    assert km[0] == round(km[0], 3) and 689.0 < km[0] < 692.0
    assert np.isnan(km[1])
    assert metres(np.array([1.23449999, 1.2345001]))[1] == 1.235


# a product of two dense vectors is BLAS's: every `@` in the solver is one of these (a sparse
# matrix on one side, or sums of whole numbers); anything else goes through portable.dot
SPARSE_OR_WHOLE = re.compile(
    r"mm\.a\b|a_rows @|a_cols @|\ba @ x\b|membership|touching|with_group|@ matrix|"
    r"units @ (covers|rests)|short @ schedule"
)


def test_no_dense_product_left_to_blas() -> None:
    found = []
    for path in sorted(SOLVER.rglob("*.py")):
        in_doc = False
        for number, line in enumerate(path.read_text().splitlines(), 1):
            quotes = line.count('"""')
            code = line.split("#", 1)[0]
            if not in_doc and quotes == 0 and " @ " in code and not SPARSE_OR_WHOLE.search(code):
                found.append(f"{path.relative_to(SOLVER.parent)}:{number}: {line.strip()}")
            if quotes % 2:
                in_doc = not in_doc
    assert not found, "use solver.model.portable.dot:\n" + "\n".join(found)
