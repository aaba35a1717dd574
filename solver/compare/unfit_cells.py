"""Every problem of an edited output at once, where its input is found: the cells compare and
report cannot read and the cells the input does not fit (a period `2027-13`, a nation it lacks,
a `from` after its `to`), as `verify` lists them (`read_tours`, `read_allocation`).

Compare and report read an output's cells first and audit it against its input after, so an
edit trial fixed the three cells they named, ran again, and was then told of four more: verify
of the same file had named all seven. The input is looked for as the audit looks for it
(compare/audit.py `Inputs`); where it is not found, cannot be read, or is no timed workbook,
the cells that could not be read are all there is to say."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..errors import InputError
from .audit import Inputs
from .views import ScenarioView

T = TypeVar("T")


def read_fully(path: Path, inputs: Inputs, read: Callable[[Path], T]) -> T:
    """`read(path)` (`read_timed`, `read_output`); what it refuses with the cells the input
    does not fit added."""
    try:
        return read(path)
    except InputError as exc:
        raise with_unfit_cells(exc, path, inputs) from None


def with_unfit_cells(exc: InputError, path: Path, inputs: Inputs) -> InputError:
    """`exc` with, before its issues, what verify's reading of the output's plan against its
    input refuses (`read_tours`, `read_allocation`: the cells it could not read among them, in
    the sheet's order), each cell once (verify's words, which say why); `exc` itself where the
    input is not given and not found as the one solved (another version's cells that do not fit are a note of the audit,
    not errors: a review), cannot be read, or is not of the output's kind."""
    try:
        found = _unfit_cells(path, inputs)
    except Exception:
        return exc  # met an internal error where the output's other sheets were damaged)
    if found is None:
        return exc
    # a cell both readings refuse, once, in verify's words (a trial read `Tours!E4: to is
    # required` twice, the second time without why, and `4 problems` of 3 cells)
    said = {e.where for e in found.errors}
    own = [e for e in exc.errors if e.where not in said]
    return InputError(list(dict.fromkeys([*found.errors, *own])), exc.warnings, exc.note)


def _unfit_cells(path: Path, inputs: Inputs) -> InputError | None:
    """What verify's reading of the plan at `path` refuses against its input (the module's
    conditions), or None."""
    from ..outputs.load import load_output
    from ..verify.reader import read_allocation, read_raw
    from ..verify.tours_sheet import read_tours

    out = load_output(Path(path))
    view = ScenarioView(
        out.scenario,
        out.status,
        out.summary,
        lines=out.coverage,
        contributors=list(out.contributors["contributor"].astype(str)),
    )
    view.source = str(path)
    workbook = inputs.workbook_for(view)
    if workbook is None:
        return None
    data = inputs.data_for(view, workbook)
    solved_from = out.summary.get("input_sha256")
    if data.timed != out.timed or (inputs.given is None and solved_from != data.source_sha256):
        return None
    raw = read_raw(Path(path))
    try:
        read_tours(raw, data) if data.timed else read_allocation(raw, data)
    except InputError as found:
        return found
    return None
